"""Import-job bookkeeping shared by every kind of import: hashing, storing, progress."""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from fangkong.core.actor import Actor

from .headers import normalize_header
from .models import ColumnMapping, ImportJob, JobStatus

HASH_CHUNK = 1024 * 1024
# Per running job: the connection its progress is written on (PostgreSQL), until it finishes.
_PROGRESS_CONNECTIONS: dict[int, BaseDatabaseWrapper] = {}
PROGRESS_LOCK_TIMEOUT = "1s"


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_upload(job: ImportJob) -> Path | None:
    """The job's private copy of its file, if it still has one. A file the job did not copy
    (keep_copy=False) is the caller's and never removed here."""
    if not job.path:
        return None
    path = Path(job.path)
    return path if path.parent.resolve() == upload_dir().resolve() else None


def upload_discard(job: ImportJob) -> None:
    """Remove the job's copy of the uploaded list: it holds identifiers in plain text, and once
    the rows are in (encrypted) or the retention period is over, nothing needs it."""
    if (path := stored_upload(job)) is not None:
        path.unlink(missing_ok=True)
        job.path = ""


def job_create(
    *, actor: Actor, kind: str, path: Path, filename: str, options: dict, keep_copy: bool = True
) -> ImportJob:
    """Record a job for a file; with keep_copy the file is copied into private storage so a
    background worker can read it after the request has ended."""
    stored = path
    if keep_copy:
        stored = upload_dir() / f"{uuid.uuid4().hex}{Path(filename).suffix.lower()[:8]}"
        shutil.copyfile(path, stored)
    return ImportJob.objects.create(
        kind=kind,
        filename=filename[:255],
        sha256=file_sha256(path),
        size=Path(path).stat().st_size,
        path=str(stored),
        options=options,
        rows_expected=options.get("expected_rows") or None,
        region=actor.region,
        created_by=actor.user,
        role=actor.role,
    )


def job_progress(job: ImportJob, rows_read: int) -> None:
    """Progress is written with a plain UPDATE so it never waits for the import's data. On
    PostgreSQL an import writes its rows inside one transaction as it reads them, so progress
    goes through a connection of the job's own, committed at once; on SQLite the rows wait in
    temporary tables until the end, and the import's connection writes it."""
    job.rows_read = rows_read
    if connection.vendor != "postgresql":
        ImportJob.objects.filter(pk=job.pk).update(rows_read=rows_read, status=JobStatus.RUNNING)
        return
    side = _PROGRESS_CONNECTIONS.get(job.pk)
    if side is None:
        side = _PROGRESS_CONNECTIONS[job.pk] = connections.create_connection(DEFAULT_DB_ALIAS)
        with side.cursor() as cursor:
            # Should the caller hold the job's row in a transaction of its own, the count
            # would wait for the import, which waits for the count: give up instead.
            cursor.execute(f"SET lock_timeout = '{PROGRESS_LOCK_TIMEOUT}'")
    try:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET rows_read = %s, status = %s WHERE id = %s",
                [rows_read, JobStatus.RUNNING, job.pk],
            )
    except OperationalError:
        pass  # a count skipped; the next one, or the job's end, writes it


def progress_connection(job: ImportJob) -> BaseDatabaseWrapper | None:
    return _PROGRESS_CONNECTIONS.get(job.pk)


def _close_progress(job: ImportJob) -> None:
    side = _PROGRESS_CONNECTIONS.pop(job.pk, None)
    if side is not None:
        side.close()


def job_start(job: ImportJob) -> None:
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])


def job_finish(
    job: ImportJob, *, status: str, message: str = "", result=None, object_id=""
) -> None:
    job.status = status
    job.message = message
    job.result = result or {}
    job.object_id = str(object_id or "")
    job.finished_at = timezone.now()
    _close_progress(job)
    if status == JobStatus.DONE:
        upload_discard(job)
    job.save(
        update_fields=[
            "status", "message", "result", "object_id", "finished_at", "rows_read", "path",
        ]
    )  # fmt: skip


def remembered_mappings(*, kind: str, source: str) -> dict[str, str]:
    """{normalised header: field} mapped by users for this source."""
    return dict(
        ColumnMapping.objects.filter(kind=kind, source=source).values_list("header", "field")
    )


def mapping_remember(*, kind: str, source: str, label: str, field: str) -> ColumnMapping:
    mapping, _ = ColumnMapping.objects.update_or_create(
        kind=kind,
        source=source,
        header=normalize_header(label)[:100],
        defaults={"label": label[:100], "field": field},
    )
    return mapping
