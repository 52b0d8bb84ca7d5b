"""Background work: importing an uploaded list, writing a long sheet, escalating overdue
records."""

from __future__ import annotations

from django_tasks import task

from fangkong.core.actor import Actor
from fangkong.imports.jobs import job_finish, job_progress, job_start
from fangkong.imports.models import ImportJob, JobStatus

from .importer import ImportOptions, result_json, screening_import


def job_actor(job: ImportJob) -> Actor:
    return Actor.build(user=job.created_by, region=job.region, role=job.role)


def run_import_job(job: ImportJob) -> ImportJob:
    """Run a stored job now (the task calls this; so do tests and the API for small lists)."""
    job_start(job)
    o = job.options
    try:
        result = screening_import(
            actor=job_actor(job),
            path=job.path,
            filename=job.filename,
            options=ImportOptions(
                category=o["category"],
                source=o.get("source", ""),
                deadline_hours=o.get("deadline_hours"),
                allow_duplicate=o.get("allow_duplicate", False),
                expected_rows=o.get("expected_rows"),
            ),
            progress=lambda n: job_progress(job, n),
        )
    except Exception as exc:
        job_finish(job, status=JobStatus.FAILED, message=str(exc)[:500])
        raise
    if result.refused:
        refusal = {"refused": result.refused_reason, **result.refused_details}
        job_finish(job, status=JobStatus.REFUSED, message=result.refused, result=refusal)
    else:
        summary = result_json(result)
        summary["errors"] = summary["errors"][:1000]
        summary["unknown_headers"] = result.unknown_headers
        assert result.batch is not None  # an import that was not refused stored its batch
        job_finish(job, status=JobStatus.DONE, result=summary, object_id=result.batch.pk)
    return job


@task()
def import_list(job_id: int) -> None:
    run_import_job(ImportJob.objects.select_related("region", "created_by").get(pk=job_id))


@task(queue_name="sheets")
def write_sheet(job_id: int) -> None:
    from .models import SheetJob
    from .sheetjobs import sheet_job_run

    sheet_job_run(SheetJob.objects.select_related("region", "created_by", "batch").get(pk=job_id))


@task()
def escalate() -> int:
    from django.conf import settings

    from fangkong.core.roles import Role
    from fangkong.regions.models import Region

    from .services import escalate_overdue

    city = Region.objects.get(code=settings.HOME_CITY_CODE)
    return escalate_overdue(
        actor=Actor.build(user=None, region=city, role=Role.COMPREHENSIVE_STAFF)
    )
