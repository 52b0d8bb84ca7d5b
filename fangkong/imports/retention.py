"""How long an uploaded list's private copy is kept.

The copy holds identifiers in plain text. A list that was imported needs it no more (its rows
are stored, identifiers encrypted) and loses it when its job finishes. A refused list keeps it
for the retention period, so the uploader can map its unknown headers and import it again; a
job that never finished (its worker was killed) keeps it as long. Files in the upload folder
that no job refers to (an upload interrupted between copying and recording) go after the same
period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .jobs import stored_upload, upload_dir, upload_discard
from .models import ImportJob, JobStatus


def retention() -> dt.timedelta:
    return dt.timedelta(hours=settings.UPLOAD_RETENTION_HOURS)


def uploads_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remove the copies older than the retention period; a job still queued or running after
    it is marked failed (no worker takes that long). Idempotent."""
    cutoff = (now or timezone.now()) - retention()
    stale = ImportJob.objects.exclude(path="").filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    counts = {"jobs": 0, "abandoned": 0, "orphans": 0}
    for job in stale:
        if stored_upload(job) is None:
            continue  # not a copy of ours: the caller's file
        upload_discard(job)
        fields = ["path"]
        if not job.finished:
            job.status, job.finished_at = JobStatus.FAILED, now or timezone.now()
            job.message = _("导入未完成，上传的文件已过保存期限删除，请重新上传")
            fields += ["status", "finished_at", "message"]
            counts["abandoned"] += 1
        job.save(update_fields=fields)
        counts["jobs"] += 1
    kept = ImportJob.objects.exclude(path="").values_list("path", flat=True)
    counts["orphans"] = strays_remove(upload_dir(), kept, cutoff)
    return counts


def strays_remove(folder: Path, kept: Iterable[str], cutoff: dt.datetime) -> int:
    """Remove the files of a private folder that no job refers to (`kept`: the paths jobs
    hold) and that were last written before the cutoff; the number removed."""
    referenced = {Path(p).name for p in kept}
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.name not in referenced:
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
            if modified < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed
