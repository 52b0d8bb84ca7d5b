"""Import jobs: progress is seen while the import's transaction is still open."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fangkong.imports.jobs import job_create, job_finish, job_progress, progress_connection
from fangkong.imports.models import ImportJob, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(tmp_path, actor_of):
    path = tmp_path / "名单.csv"
    path.write_bytes("姓名,手机号\n".encode())
    return job_create(
        actor=actor_of("comprehensive"),
        kind="screening",
        path=path,
        filename=path.name,
        options={},
        keep_copy=False,
    )


def test_progress_on_postgresql_goes_through_a_connection_of_the_jobs_own(job):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL imports write inside one transaction")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        job_progress(job, 1_000)
    assert not [q for q in queries if ImportJob._meta.db_table in q["sql"]]
    side = progress_connection(job)
    assert side is not None and side.connection is not None and side is not connection
    assert side.get_autocommit()
    with side.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "1s"  # a locked job row skips a count, never waits

    job_finish(job, status=JobStatus.DONE)

    assert progress_connection(job) is None and side.connection is None
    job.refresh_from_db()
    assert job.rows_read == 1_000


def test_progress_on_sqlite_is_written_by_the_importing_connection(job):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite imports keep their rows in temporary tables until the end")
    job_progress(job, 250)
    job.refresh_from_db()
    assert job.rows_read == 250 and job.status == JobStatus.RUNNING
