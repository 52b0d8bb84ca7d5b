"""How the scoping matrix (core/tests/test_scoping_matrix.py) reaches screening objects.

A batch received by a village is visible from that village and the levels above it; a record
assigned to a village likewise; an import job belongs to the region of the user who uploaded;
a sheet job to its region and, within it, to the user who asked for it alone.
"""

import datetime as dt

from django.utils import timezone

from fangkong.imports.models import ImportJob
from fangkong.screening.models import ScreeningBatch, ScreeningRecord, SheetJob


def _batch(world, village) -> ScreeningBatch:
    now = timezone.now()
    batch = ScreeningBatch.objects.create(
        source="矩阵测试", category="risk_area", received_at=now,
        deadline=now + dt.timedelta(hours=24), region=village, header=["姓名", "身份证号"],
        rows=1, valid=1,
    )  # fmt: skip
    ScreeningRecord.objects.create(
        batch=batch, row_number=2, values=["矩阵测试", ""], name=f"矩阵{village.code}",
        address=f"矩阵地址{village.code}", region=village, assigned_level=len(village.code),
        deadline=batch.deadline, created_at=now,
    )  # fmt: skip
    return batch


def _job(world, village) -> ImportJob:
    return ImportJob.objects.create(
        kind="screening",
        filename="矩阵.csv",
        sha256="0" * 64,
        region=village,
        options={"category": "risk_area"},
    )


def _sheet_kwargs(world, village) -> dict:
    """A sheet job asked for by the county operator of the home county: its own in the home
    village; in the other county's village (had it been moved there), no one's to see."""
    job = SheetJob.objects.create(
        kind="feedback", batch=_batch(world, village), filename="矩阵.xlsx", region=village,
        created_by=world.user("county_operator"), role="operator",
    )  # fmt: skip
    return {"pk": job.pk}


def _batch_kwargs(world, village) -> dict:
    return {"pk": _batch(world, village).pk}


def _record_kwargs(world, village) -> dict:
    return {"pk": _batch(world, village).records.get().pk}


def _job_kwargs(world, village) -> dict:
    return {"pk": _job(world, village).pk}


URL_CASES = {
    "screening:batch": _batch_kwargs,
    "screening:feedback": _batch_kwargs,
    "screening:errors": _batch_kwargs,
    "screening:record": _record_kwargs,
    "screening:job": _job_kwargs,
    "screening:job_mapping": _job_kwargs,
    "screening:job_again": _job_kwargs,
    "screening:sheet": _sheet_kwargs,
    "screening:sheet_file": _sheet_kwargs,
}

API_CASES = {
    "/screening/batches/{batch_id}": lambda world, village: {"batch_id": _batch(world, village).pk},
    "/screening/batches/{batch_id}/feedback": lambda world, village: {
        "batch_id": _batch(world, village).pk
    },
    "/screening/jobs/{job_id}": lambda world, village: {"job_id": _job(world, village).pk},
    **{
        path: lambda world, village: {"record_id": _record_kwargs(world, village)["pk"]}
        for path in (
            "/screening/records/{record_id}",
            "/screening/records/{record_id}/receive",
            "/screening/records/{record_id}/check",
            "/screening/records/{record_id}/verify",
            "/screening/records/{record_id}/reassign",
            "/screening/records/{record_id}/correct",
            "/screening/records/{record_id}/close-invalid",
        )
    },
}

API_HIDDEN_MARKERS = {
    "screening.record": lambda world, village: _batch(world, village).records.get().address,
}
