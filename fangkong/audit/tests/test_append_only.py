"""Audit entries cannot be changed or removed: not by the ORM, not by raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from fangkong.audit.models import AccessEntry, AppendOnlyError, ChangeEntry


@pytest.fixture
def entries(change, access):
    return change(changes={"phone": ["***", "***"]}), access()


def test_saving_an_entry_again_is_refused(entries):
    for entry in entries:
        entry.purpose = entry.action = "tampered"
        with pytest.raises(AppendOnlyError):
            entry.save()


def test_deleting_an_entry_is_refused(entries):
    for entry in entries:
        with pytest.raises(AppendOnlyError):
            entry.delete()


@pytest.mark.parametrize(
    ("model", "values"),
    [(ChangeEntry, {"action": "tampered"}), (AccessEntry, {"purpose": "tampered"})],
)
def test_bulk_update_is_stopped_by_the_database(entries, model, values):
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.all().update(**values)

    assert not model.objects.filter(**values).exists()


@pytest.mark.parametrize("model", [ChangeEntry, AccessEntry])
def test_bulk_delete_is_stopped_by_the_database(entries, model):
    count = model.objects.count()

    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.all().delete()

    assert model.objects.count() == count


@pytest.mark.parametrize("table", ["audit_changeentry", "audit_accessentry"])
def test_raw_sql_update_and_delete_are_refused(entries, table):
    column = "action" if table == "audit_changeentry" else "purpose"
    count = _count(table)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = 'tampered'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")

    assert _count(table) == count
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = 'tampered'")
        assert cursor.fetchone()[0] == 0


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def test_there_is_no_admin_for_the_logs():
    from django.conf import settings

    assert "django.contrib.admin" not in settings.INSTALLED_APPS
