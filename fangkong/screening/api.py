"""/api/v1/screening: submit a list (file upload or JSON rows), read a batch and its feedback,
the progress down the region tree and the records behind each figure, the people found
elsewhere to push on to their city (and mark them sent); a worker's records and the steps on
one record (`api_records`)."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fangkong.core.categories import PersonCategory
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.imports.jobs import job_create
from fangkong.imports.models import ImportJob
from fangkong.regions.selectors import region_or_none

from . import selectors
from .api_records import router as records_router
from .feedback import feedback_page
from .importer import MAPPING_KIND
from .links import FIGURES as FIGURE_KEYS
from .params import batch_or_none
from .repushes import repush_page, repushes_mark_sent
from .tasks import import_list

router = Router(tags=["screening"])
MAX_JSON_ROWS = 100_000


class BatchRows(Schema):
    category: str
    source: str = ""
    deadline_hours: int | None = None
    expected_rows: int | None = None
    header: list[str]
    rows: list[list[str | int | float | None]]


class Accepted(Schema):
    job: int
    batch: int | None
    status: str
    message: str = ""


def _options(category, source, deadline_hours, expected_rows, allow_duplicate=False) -> dict:
    if category not in PersonCategory.values:
        raise ValidationFailed({"category": [_("未知的人员类别")]})
    return {
        "category": category,
        "source": source or str(_("接口推送")),
        "deadline_hours": deadline_hours,
        "expected_rows": expected_rows,
        "allow_duplicate": allow_duplicate,
    }


def _accept(request, path: Path, filename: str, options: dict):
    actor = request.actor
    actor.require(Perm.SCREENING_IMPORT)
    job = job_create(actor=actor, kind=MAPPING_KIND, path=path, filename=filename, options=options)
    path.unlink(missing_ok=True)
    import_list.enqueue(job.pk)
    job.refresh_from_db()
    batch = int(job.object_id) if job.object_id else None
    return Status(
        202, {"job": job.pk, "batch": batch, "status": job.status, "message": job.message}
    )


@router.post(
    "/batches",
    response={202: Accepted},
    summary="Submit a list",
    description="multipart/form-data with `file`, `category`, `source`, "
    "`deadline_hours`, `allow_duplicate`; or JSON {category, source, deadline_hours, "
    "expected_rows, header, rows}. Answers 202 with the job and, once stored, the batch.",
)
def submit(request):
    if request.content_type == "multipart/form-data":
        return _submit_file(request)
    try:
        payload = BatchRows.model_validate_json(request.body)
    except ValueError as exc:
        raise ValidationFailed({"body": [_("请求体不是有效的名单：%(e)s") % {"e": exc}]}) from None
    if len(payload.rows) > MAX_JSON_ROWS:
        raise ValidationFailed({"rows": [_("一次最多提交10万行，请改用文件上传")]})
    options = _options(
        payload.category,
        payload.source,
        payload.deadline_hours,
        payload.expected_rows,
        allow_duplicate=True,
    )
    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", delete=False, encoding="utf-8", newline=""
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(payload.header)
        writer.writerows([["" if c is None else c for c in row] for row in payload.rows])
    return _accept(request, Path(handle.name), "api.csv", options)


def _submit_file(request):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed({"file": [_("请上传名单文件")]})
    data = request.POST
    try:
        hours = int(data["deadline_hours"]) if data.get("deadline_hours") else None
    except ValueError:
        raise ValidationFailed({"deadline_hours": [_("反馈时限应为小时数")]}) from None
    options = _options(
        data.get("category", ""),
        data.get("source", ""),
        hours,
        None,
        data.get("allow_duplicate", "") in ("1", "true", "on"),
    )
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix, delete=False) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return _accept(request, Path(handle.name), upload.name, options)


@router.get("/jobs/{job_id}", summary="An import job's progress")
def job_status(request, job_id: int):
    request.actor.require(Perm.SCREENING_IMPORT)
    job = ImportJob.objects.get_visible(request.actor, pk=job_id, kind=MAPPING_KIND)
    return {
        "job": job.pk,
        "status": job.status,
        "rows_read": job.rows_read,
        "message": job.message,
        "batch": int(job.object_id) if job.object_id else None,
    }


@router.get("/batches/{batch_id}", summary="A batch: status, progress and import summary")
def batch_detail(request, batch_id: int):
    """`status` is "open" (核查中) until every record of the list is closed, then "done"
    (已闭环) as of `closed_at`; `progress` counts the records in the caller's region."""
    actor = request.actor
    batch = selectors.batch_get(actor=actor, pk=batch_id)
    return {
        "batch": batch.pk,
        "category": batch.category,
        "source": batch.source,
        "received_at": batch.received_at,
        "deadline": batch.deadline,
        "status": batch.status,
        "closed_at": batch.closed_at,
        "summary": {
            "rows": batch.rows,
            "valid": batch.valid,
            "invalid": batch.invalid,
            "created": batch.created_people,
            "matched": batch.matched_people,
            "duplicates_in_file": batch.duplicates_in_file,
            "assigned": batch.assigned,
        },
        "progress": selectors.batch_progress(actor=actor, batch=batch),
    }


@router.get("/batches/{batch_id}/feedback", summary="Per-row results in the sender's order")
def batch_feedback(
    request, batch_id: int, offset: int = 0, limit: int = 1000, after: int | None = None
):
    """A page of rows (at most 5,000), in the sender's row order, from `offset` (`total`
    counts the rows in the token's region; `next_offset` is the next page's, null after the
    last) or from the row after row number `after` (`next_after` is the next page's, null after
    the last; `total` is not counted). Walking a long list, `after` keeps every page as fast as
    the first."""
    actor = request.actor
    actor.require(Perm.SCREENING_MANAGE)
    batch = selectors.batch_get(actor=actor, pk=batch_id)
    page = feedback_page(actor=actor, batch=batch, offset=offset, limit=limit, after=after)
    return {"batch": batch.pk, **page}


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in (*FIGURE_KEYS, "four_clear_rate", "closed_rate")}


@router.get("/progress", summary="Progress per child region and per batch, as on the page")
def progress(request, region: str = "", batch: int | None = None):
    """The actor's region, or a region below it (?region=), opened one level down; with
    ?batch=, that batch's progress only (its people once each, repeats in its file left out)."""
    actor = request.actor
    within = region_or_none(actor, region)
    item = batch_or_none(actor, batch)
    page = selectors.progress_page(actor=actor, batch=item, region=within)
    total = (
        selectors.batch_progress(actor=actor, batch=item, region=within)
        if item is not None
        else page["total"]
    )
    return {
        "region": (within or actor.region).code,
        "batch": item.pk if item is not None else None,
        "total": _figures(total),
        "regions": [
            {"code": r["code"], "name": r["name"], "placed_here": not r["is_region"], **_figures(r)}
            for r in page["regions"]
        ],
        "batches": [{"batch": b.pk, **_figures(b.progress)} for b in page["batches"]],
    }


@router.get("/records", summary="The records behind a progress figure, 50 a page, masked")
def records(
    request,
    region: str = "",
    here: bool = False,
    batch: int | None = None,
    status: str = "",
    page: int = 1,
):
    actor = request.actor
    within = region_or_none(actor, region)
    item = batch_or_none(actor, batch)
    listed = selectors.record_page(
        actor=actor,
        batch=item,
        region=within,
        here=here and within is not None,
        status=status,
        page=max(page, 1),
    )
    return {
        "status": listed["status"],
        "count": listed["count"],
        "counts": {key: listed["counts"][key] for key in (*FIGURE_KEYS, "invalid")},
        "page": listed["page"],
        "has_next": listed["has_next"],
        "records": [_record(r) for r in listed["records"]],
    }


def _record(r) -> dict[str, Any]:
    return {
        "id": r.pk,
        "batch": r.batch_id,
        "row": r.row_number,
        "name": r.masked_name,
        "document": r.masked_document,
        "phone": r.masked_phone,
        "region": r.region_id,
        "status": r.status,
        "invalid": r.invalid,
        "outcome": r.outcome,
        "four_clear": r.four_clear,
        "deadline": r.deadline,
        "closed_at": r.closed_at,
    }


@router.get("/repushes", summary="People found elsewhere, to push on to their city (masked)")
def repushes(request, sent: bool = False, to: str = "", page: int = 1):
    """The re-push list as on its page: waiting (or, with ?sent=true, sent), by target city,
    oldest first, 50 a page; the tabs' counts and the target cities with their counts."""
    listed = repush_page(actor=request.actor, sent=sent, target=to, page=max(page, 1))
    return {
        "counts": listed["counts"],
        "targets": [{"place": t["target_place"], "count": t["n"]} for t in listed["targets"]],
        "count": listed["count"],
        "page": listed["page"],
        "has_next": listed["has_next"],
        "repushes": [_repush(p) for p in listed["repushes"]],
    }


def _repush(p) -> dict[str, Any]:
    record = p.record
    return {
        "id": p.pk,
        "record": record.pk,
        "batch": record.batch_id,
        "row": record.row_number,
        "name": record.masked_name,
        "target": p.target_place,
        "checked_in": record.region_id,
        "checked_at": p.created_at,
        "sent_at": p.sent_at,
    }


class RepushesSent(Schema):
    ids: list[int]


@router.post("/repushes/sent", summary="Mark people as sent to their city, all or none")
def repushes_sent(request, body: RepushesSent):
    return {"marked": repushes_mark_sent(actor=request.actor, pks=body.ids)}


router.add_router("", records_router)
