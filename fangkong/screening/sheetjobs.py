"""Sheets too long to write while their user waits (DIRECT_ROWS): a big list's feedback
sheet or rows needing correction, a long record list. The request records a SheetJob; the task
worker writes the file to private storage, counting its rows as it goes; the user who asked
downloads it, each download written to the access log like a direct one. Only that user sees
the job. The file goes after SHEET_RETENTION_HOURS (`fangkong screening-sheets-purge`, run by
the ticker)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.actor import Actor
from fangkong.core.downloads import MAX_ROWS
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.roles import Perm
from fangkong.imports.retention import strays_remove
from fangkong.regions.models import Region
from fangkong.regions.selectors import region_or_none

from . import selectors
from .feedback import BATCH_SHEETS
from .links import TABS
from .listsheet import RECORDS_PURPOSE, record_list_logged, write_record_list
from .models import ScreeningBatch, SheetJob, SheetKind, SheetStatus


def sheet_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "sheets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def batch_sheet_start(*, actor: Actor, batch: ScreeningBatch, kind: str) -> SheetJob:
    """A batch's feedback sheet or rows needing correction (BATCH_SHEETS), in the background."""
    actor.require(Perm.SCREENING_MANAGE)
    sheet = BATCH_SHEETS[kind]
    return _start(
        actor,
        kind=kind,
        batch=batch,
        filters={},
        rows=sheet.count(actor=actor, batch=batch),
        filename=sheet.filename.format(pk=batch.pk),
    )


def records_job_start(
    *,
    actor: Actor,
    batch: ScreeningBatch | None,
    region: Region | None,
    here: bool,
    status: str,
) -> SheetJob:
    actor.require(Perm.SCREENING_MANAGE)
    records = selectors.record_rows(
        actor=actor, batch=batch, region=region, here=here, status=status
    )
    return _start(
        actor,
        kind=SheetKind.RECORDS,
        batch=batch,
        filters={"region": region.code if region else "", "here": here, "status": status},
        rows=records.count(),
        filename=f"核查名单-{timezone.localdate():%Y%m%d}.xlsx",
    )


def _start(
    actor: Actor, *, kind: str, batch: ScreeningBatch | None, filters: dict, rows: int,
    filename: str,
) -> SheetJob:  # fmt: skip
    if rows > MAX_ROWS:
        raise ValidationFailed(
            _("共 %(n)s 行，超过一张 Excel 工作表的上限 %(limit)s 行：请按区划或状态分开导出")
            % {"n": f"{rows:,}", "limit": f"{MAX_ROWS:,}"}
        )
    from .tasks import write_sheet

    if actor.user is None:
        raise ValidationFailed(_("后台生成的表格只交给提出的用户，需以用户身份登录"))
    job = SheetJob.objects.create(
        kind=kind,
        batch=batch,
        filters=filters,
        rows_expected=rows,
        filename=filename,
        region=actor.region,
        created_by=actor.user,
        role=actor.role,
    )
    write_sheet.enqueue(job.pk)
    job.refresh_from_db()
    return job


def sheet_job_run(job: SheetJob) -> SheetJob:
    """Write the job's sheet now (the task calls this), as the user who asked would see it."""
    actor = Actor.build(user=job.created_by, region=job.region, role=job.role)
    path = sheet_dir() / f"{uuid.uuid4().hex}.xlsx"
    SheetJob.objects.filter(pk=job.pk).update(status=SheetStatus.RUNNING)

    def progress(rows: int) -> None:
        SheetJob.objects.filter(pk=job.pk).update(rows_written=rows)

    try:
        _, rows = _write(job, actor, str(path), progress)
    except Exception as exc:
        path.unlink(missing_ok=True)
        _finish(job, status=SheetStatus.FAILED, message=str(exc)[:500])
        raise
    job.path, job.rows_written = str(path), rows
    _finish(job, status=SheetStatus.DONE)
    return job


def _write(job: SheetJob, actor: Actor, path: str, progress) -> tuple[str, int]:
    if job.kind in BATCH_SHEETS:
        assert job.batch is not None  # a batch's sheet always has its batch
        return BATCH_SHEETS[job.kind].write(
            actor=actor, batch=job.batch, path=path, progress=progress
        )
    code = job.filters.get("region", "")
    records = selectors.record_rows(
        actor=actor,
        batch=job.batch,
        region=region_or_none(actor, code),
        here=job.filters.get("here", False),
        status=job.filters.get("status", ""),
    )
    return write_record_list(records, path=path, progress=progress)


def _finish(job: SheetJob, *, status: str, message: str = "") -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.save(update_fields=["status", "message", "finished_at", "path", "rows_written"])


def sheet_jobs_mine(*, actor: Actor, limit: int = 20) -> list[SheetJob]:
    """The actor's latest jobs, each with `narrowed` (see _describe). Two queries."""
    actor.require(Perm.SCREENING_MANAGE)
    return _describe(list(_mine(actor).select_related("batch")[:limit]))


def _describe(jobs: list[SheetJob]) -> list[SheetJob]:
    """Give each job `narrowed`: what a record list was narrowed to (its region's name and its
    status tab), as its page and the list of sheets show it. One query."""
    codes = {job.filters.get("region") for job in jobs} - {None, ""}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    tabs = dict(TABS)
    for job in jobs:
        parts = (names.get(job.filters.get("region", "")), tabs.get(job.filters.get("status")))
        job.narrowed = " · ".join(str(part) for part in parts if part)
    return jobs


def sheet_job_get(*, actor: Actor, pk: int) -> SheetJob:
    """The actor's own job; anyone else's, in scope or not, is NotFound like a missing one."""
    actor.require(Perm.SCREENING_MANAGE)
    try:
        job = _mine(actor).select_related("batch").get(pk=pk)
    except SheetJob.DoesNotExist:
        raise NotFound(SheetJob._meta.verbose_name) from None
    return _describe([job])[0]


def _mine(actor: Actor):
    if actor.user is None:
        return SheetJob.objects.none()
    return SheetJob.objects.visible_to(actor).filter(created_by=actor.user)


def sheet_job_file(*, actor: Actor, job: SheetJob) -> Path:
    """The written sheet, its download written to the access log; refused once removed."""
    path = Path(job.path) if job.path else None
    if job.status != SheetStatus.DONE or path is None or not path.exists():
        raise ValidationFailed(_("表格尚未生成或已过保存期限删除，请重新生成"))
    if job.kind in BATCH_SHEETS:
        assert job.batch is not None
        BATCH_SHEETS[job.kind].logged(actor=actor, batch=job.batch, rows=job.rows_written)
    else:
        record_list_logged(
            actor=actor,
            region_code=job.filters.get("region") or actor.scope_prefix,
            purpose=str(RECORDS_PURPOSE),
            rows=job.rows_written,
        )
    return path


def sheets_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remove written sheets older than the retention period, fail jobs no worker finished
    within it, and remove files no job refers to. Idempotent."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.SHEET_RETENTION_HOURS)
    counts = {"sheets": 0, "abandoned": 0, "orphans": 0}
    stale = SheetJob.objects.filter(
        Q(finished_at__lt=cutoff) & ~Q(path="") | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    for job in stale:
        if job.path:
            Path(job.path).unlink(missing_ok=True)
            job.path = ""
            counts["sheets"] += 1
        if not job.finished:
            job.status, job.finished_at = SheetStatus.FAILED, now
            job.message = _("表格未能生成，请重新生成")
            counts["abandoned"] += 1
        job.save(update_fields=["path", "status", "finished_at", "message"])
    kept = SheetJob.objects.exclude(path="").values_list("path", flat=True)
    counts["orphans"] = strays_remove(sheet_dir(), kept, cutoff)
    return counts
