"""Database triggers that refuse UPDATE and DELETE on the audit tables, whatever the client.

On SQLite the trigger asks the connection function fangkong_audit_locked() (see
fangkong.audit.guard); a connection without it fails closed ("no such function").
"""

from django.db import migrations

TABLES = ["audit_changeentry", "audit_accessentry"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    "WHEN fangkong_audit_locked() "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
                )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION fangkong_refuse_change();"
            )


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION fangkong_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only';
            END;
            $$ LANGUAGE plpgsql;
            """
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_function, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
