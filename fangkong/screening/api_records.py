"""/api/v1/screening: a worker's records and the steps on one record, as on its page.

A field app works a record the way the one-screen form does: sign for it, start checking,
give the outcome (which closes the loop), or move it down or back up the tree; whoever manages
screening corrects a row that came in needing correction, or closes it as 信息有误. Every
step calls the same service as the page, so the same rules, scoping (another region's record
is 404, like a missing one) and audit apply. Identifiers are masked; the plain values are only
on the page, for a stated purpose.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema

from fangkong.core.actor import Actor
from fangkong.core.identity import mask_identifiers_in
from fangkong.core.roles import Perm

from . import selectors, services
from .correction import Correction, record_close_invalid, record_correct
from .models import ScreeningRecord

router = Router(tags=["screening"])
CLEARS = ("count_clear", "identity_clear", "location_clear", "control_clear")


class VerifyIn(Schema):
    outcome: str
    measure: str = ""
    place: str = ""
    destination: str = ""
    note: str = ""


class ReassignIn(Schema):
    region: str


class CorrectIn(Schema):
    """A field left out or blank keeps what the sender wrote."""

    name: str = ""
    document_number: str = ""
    phone: str = ""
    arrived_at: dt.datetime | None = None


class CloseInvalidIn(Schema):
    note: str


@router.get("/my-records", summary="My records to act on (or closed), nearest deadline first")
def my_records(request, closed: bool = False, page: int = 1):
    """The grid worker's list, as on its phone page, 50 a page: open ones by deadline
    (`overdue` once it has passed), closed ones newest first; the counts of its tabs."""
    actor: Actor = request.actor
    now = timezone.now()
    listed = selectors.my_page(actor=actor, closed=closed, page=page)
    return {
        "counts": selectors.my_counts(actor=actor),
        "page": listed["page"],
        "has_next": listed["has_next"],
        "records": [_summary(r, now) for r in listed["records"]],
    }


@router.get("/records/{record_id}", summary="One record: details (masked), four clears, steps")
def record_detail(request, record_id: int):
    return _detail(request.actor, record_id)


@router.post("/records/{record_id}/receive", summary="Sign for a record (签收)")
def record_receive(request, record_id: int):
    services.record_receive(actor=request.actor, pk=record_id)
    return _detail(request.actor, record_id)


@router.post("/records/{record_id}/check", summary="Start checking a record (核查中)")
def record_check(request, record_id: int):
    services.record_start_check(actor=request.actor, pk=record_id)
    return _detail(request.actor, record_id)


@router.post("/records/{record_id}/verify", summary="Give the outcome and close the loop")
def record_verify(request, record_id: int, payload: VerifyIn):
    """`outcome`: controlled (with `measure` and `place`), not_local or left (with
    `destination`; not_local puts the person on the re-push list), not_found, wrong_info."""
    services.record_verify(actor=request.actor, pk=record_id, **payload.model_dump())
    return _detail(request.actor, record_id)


@router.post("/records/{record_id}/reassign", summary="Move a record down or back up the tree")
def record_reassign(request, record_id: int, payload: ReassignIn):
    """To a region just below the record's, or back up to its parent (退回; the city at the
    highest). The record may then be out of the caller's sight, so only its new region is
    answered."""
    record = services.record_reassign(actor=request.actor, pk=record_id, region_code=payload.region)
    return {"id": record.pk, "region": record.region_id}


@router.post("/records/{record_id}/correct", summary="Correct a row that needs correction")
def record_correct_row(request, record_id: int, payload: CorrectIn):
    record_correct(actor=request.actor, pk=record_id, correction=Correction(**payload.model_dump()))
    return _detail(request.actor, record_id)


@router.post("/records/{record_id}/close-invalid", summary="Close a row needing correction")
def record_close_row(request, record_id: int, payload: CloseInvalidIn):
    record_close_invalid(actor=request.actor, pk=record_id, note=payload.note)
    return _detail(request.actor, record_id)


def _summary(record: ScreeningRecord, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": record.pk,
        "batch": record.batch_id,
        "category": record.batch.category,
        "name": record.masked_name,
        "address": record.address,
        "region": {"code": record.region_id, "name": record.region.name},
        "status": record.status,
        "outcome": record.outcome,
        "deadline": record.deadline,
        "overdue": record.is_open and record.deadline < now,
        "closed_at": record.closed_at,
    }


def _detail(actor: Actor, record_id: int) -> dict[str, Any]:
    record = selectors.record_get(actor=actor, pk=record_id)
    now = timezone.now()
    return {
        **_summary(record, now),
        "row": record.row_number,
        "source": record.batch.source,
        "document": record.masked_document,
        "phone": record.masked_phone,
        "source_place": record.source_place,
        "arrived_at": record.arrived_at,
        "health_code": record.health_code,
        "assigned_level": record.assigned_level,
        "measure": record.measure,
        "place": record.place,
        "destination": record.destination,
        "note": record.note,
        "invalid": record.invalid,
        "errors": [
            {"field": e.get("field", ""), "message": mask_identifiers_in(e.get("message", ""))}
            for e in record.errors or []
        ],
        "merged_into": record.merged_into_id,
        "received_at": record.received_at,
        "checked_at": record.checked_at,
        "checked_by": str(record.checked_by) if record.checked_by else None,
        "clears": {name: _clear(record, name) for name in CLEARS},
        "four_clear": record.four_clear,
        **_steps(actor, record),
    }


def _clear(record: ScreeningRecord, name: str) -> dict[str, Any]:
    by = getattr(record, f"{name}_by")
    return {
        "done": getattr(record, name),
        "by": str(by) if by else None,
        "at": getattr(record, f"{name}_at"),
    }


def _steps(actor: Actor, record: ScreeningRecord) -> dict[str, list]:
    """The steps the caller may take on the record now (`steps`), as the page offers them,
    and where it may be moved (`reassign_to`: `up` is back to the region above, 退回)."""
    if not record.is_open:
        return {"steps": [], "reassign_to": []}
    if record.invalid:
        manages = actor.can(Perm.SCREENING_MANAGE)
        return {"steps": ["correct", "close_invalid"] if manages else [], "reassign_to": []}
    if record.merged_into_id is not None or not actor.can(Perm.SCREENING_VERIFY):
        return {"steps": [], "reassign_to": []}
    steps = {"pushed": ["receive", "check"], "received": ["check"]}.get(str(record.status), [])
    targets = selectors.reassign_targets(actor=actor, record=record)
    return {
        "steps": [*steps, "verify", *(["reassign"] if targets else [])],
        "reassign_to": [
            {"code": r.code, "name": r.name, "up": len(r.code) < len(record.region_id)}
            for r in targets
        ],
    }
