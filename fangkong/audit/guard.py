"""The SQLite side of the append-only guard.

SQLite triggers cannot consult a role or a setting, so each connection gets a function the
audit triggers call: it answers "locked" unless the connection was explicitly opened for a
purge. Only the test harness does that, to empty a test database between browser tests
(PostgreSQL empties test databases with TRUNCATE, which row triggers do not see).
"""

from django.db import connections
from django.db.backends.signals import connection_created


def _register(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        "fangkong_audit_locked", 0, lambda: 0 if getattr(connection, "audit_purge", False) else 1
    )


def install() -> None:
    connection_created.connect(_register, dispatch_uid="fangkong_audit_guard")


def allow_purge_on_test_connections() -> None:
    """Let the test harness empty the audit tables from now on (test databases only).

    Live-server tests flush the database after each test, after every fixture of the test has
    been torn down, so the permission cannot be scoped to one test; pytest-django runs those
    tests after all others, and the append-only tests run before them.
    """
    for connection in connections.all():
        name = str(connection.settings_dict["NAME"])
        if "memorydb" not in name and not name.rsplit("/", 1)[-1].startswith("test_"):
            raise RuntimeError("the audit purge is for test databases only")
        connection.audit_purge = True  # type: ignore[attr-defined]  # our own flag, read by getattr
