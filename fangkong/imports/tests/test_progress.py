"""Progress of an import that merges inside its transaction stays visible to the page."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from fangkong.imports import jobs
from fangkong.imports.jobs import job_progress
from fangkong.imports.models import ImportJob, JobStatus

pytestmark = pytest.mark.django_db


def test_progress_written_inside_the_import_transaction_is_seen_outside_it(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite admits one writer: there progress shows when the import commits")
    table = ImportJob._meta.db_table
    # The job is committed by a connection of its own, as the upload's request commits it
    # before the worker runs the import (the test's connection holds a transaction).
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with observer.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (kind, filename, sha256, size, path, options, result, "
                "status, rows_read, rows_expected, region_id, role, object_id, message, "
                "created_at) VALUES ('screening', 'list.csv', '', 1, '', '{}', '{}', 'queued', "
                "0, NULL, %s, '', '', '', now()) RETURNING id",
                [world.city.code],
            )
            job_id = cursor.fetchone()[0]
        job = ImportJob.objects.get(pk=job_id)
        with transaction.atomic():
            job_progress(job, 20_000)
            with observer.cursor() as cursor:
                cursor.execute(f"SELECT rows_read, status FROM {table} WHERE id = %s", [job_id])
                assert cursor.fetchone() == (20_000, JobStatus.RUNNING.value)
    finally:
        jobs._close_side_channel(job)
        with observer.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE filename = 'list.csv' AND sha256 = ''")
        observer.close()
