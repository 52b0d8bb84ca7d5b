"""The checkpoint API: list the checkpoints the token may use, and record a check."""

from __future__ import annotations

from ninja import Body, Router, Schema

from fangkong.core.errors import NotFound

from .checks import clean_check
from .selectors import checkpoint_list
from .services import checkpoint_check, checkpoint_ref

router = Router(tags=["checkpoints"])
_BODY = Body(...)


class CheckpointOut(Schema):
    code: str
    name: str
    type: str
    region: str


class CheckIn(Schema):
    document_type: str | None = None
    document_number: str | None = None
    name: str | None = None
    phone: str | None = None
    health_code: str | None = None
    itinerary: list[str | int] | None = None
    itinerary_star: bool = False
    nat_sampled_at: str | None = None
    nat_result: str | None = None
    temperature: float | str | None = None
    arrival_at: str | None = None
    origin: str | int | None = None
    destination: str | int | None = None


class ReasonOut(Schema):
    code: str
    message: str


class ObligationOut(Schema):
    kind: str
    label: str
    due_at: str | None
    ends_at: str | None


class VerdictOut(Schema):
    verdict: str
    reasons: list[ReasonOut]
    obligations: list[ObligationOut]
    record_id: int


@router.get("", response=list[CheckpointOut])
def list_checkpoints(request):
    rows = checkpoint_list(actor=request.actor).values_list("code", "name", "type", "region_id")
    return [{"code": c, "name": n, "type": t, "region": r} for c, n, t, r in rows]


# The body is read as a plain object and validated by clean_check, so that every bad field
# is named by its own name with a message saying what to change; CheckIn documents it.
@router.post(
    "/{code}/screenings",
    response=VerdictOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CheckIn.json_schema()}},
        }
    },
)
def record_screening(request, code: str, payload: dict = _BODY):
    actor = request.actor
    if not actor.can("checkpoints.check"):
        # Without the right to check, no checkpoint is "yours": answer like a missing one.
        raise NotFound("checkpoint")
    checkpoint_ref(actor=actor, code=code)
    given = clean_check(payload)
    outcome = checkpoint_check(actor=actor, code=code, given=given)
    decision = outcome.decision
    return {
        "verdict": decision.verdict,
        "reasons": [{"code": r.code, "message": r.message} for r in decision.reasons],
        "obligations": [o.as_dict() for o in decision.obligations],
        "record_id": outcome.record_id,
    }
