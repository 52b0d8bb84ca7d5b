"""Background import of a lab's result sheet: the request stores the file and returns; the
job page shows progress, then what was recorded or every row error with the error sheet."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.utils.translation import gettext as _
from django_tasks import task

from fangkong.core.actor import Actor
from fangkong.imports.jobs import job_finish, job_start, upload_dir
from fangkong.imports.models import ImportJob, JobStatus

from .sheets import nat_sheet_import

MAX_ERRORS_SHOWN = 5000


def job_actor(job: ImportJob) -> Actor:
    return Actor.build(user=job.created_by, region=job.region, role=job.role)


def run_sheet_job(job: ImportJob) -> ImportJob:
    """Run a stored sheet job now (the task calls this)."""
    job_start(job)
    try:
        report = nat_sheet_import(
            actor=job_actor(job), path=job.path, filename=job.filename,
            lab=job.options.get("lab", ""),
        )  # fmt: skip
    except Exception as exc:
        job_finish(job, status=JobStatus.FAILED, message=str(exc)[:500])
        raise
    finally:
        Path(job.path).unlink(missing_ok=True)
    result = {
        "rows": report.rows,
        "recorded": report.recorded,
        "positives": report.positives,
        "error_count": len(report.errors),
        "errors": [[e.row, e.field, e.message] for e in report.errors[:MAX_ERRORS_SHOWN]],
    }
    if report.ok:
        job_finish(job, status=JobStatus.DONE, result=result)
        return job
    sheet = upload_dir() / f"{uuid.uuid4().hex}-errors.xlsx"
    sheet.write_bytes(report.error_sheet())
    result["error_sheet"] = sheet.name
    job_finish(
        job,
        status=JobStatus.REFUSED,
        message=_("发现 %(n)d 处错误，全部未导入") % {"n": len(report.errors)},
        result=result,
    )
    return job


@task()
def import_sheet(job_id: int) -> None:
    run_sheet_job(ImportJob.objects.select_related("region", "created_by").get(pk=job_id))
