"""Reports over the API, mounted at /reports: the completeness of a day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Query, Router, Schema

from fangkong.core.http import ActorRequest
from fangkong.core.roles import Perm

from .selectors import completeness, period_current

router = Router(tags=["reports"])


class CompletenessQuery(Schema):
    date: dt.date | None = None


class UnitStatusOut(Schema):
    unit: str
    status: str


class CompletenessOut(Schema):
    date: dt.date
    expected: int
    on_time: int
    late: int
    zero: int
    missing: int
    units: list[UnitStatusOut]


def completeness_payload(*, actor, day: dt.date) -> dict:
    period = period_current(actor=actor, on=day)
    if period is None:
        return {"date": day, "expected": 0, "on_time": 0, "late": 0, "zero": 0, "missing": 0,
                "units": []}  # fmt: skip
    result = completeness(actor=actor, period=period, day=day)
    counts = result["counts"]
    return {
        "date": day,
        "expected": result["expected"],
        "on_time": counts["on_time"],
        "late": counts["late"],
        "zero": counts["zero"],
        "missing": counts["missing"],
        "units": [{"unit": row["unit"].name, "status": row["status"]} for row in result["units"]],
    }


@router.get("/completeness", response=CompletenessOut, summary="报送情况（某日）")
def completeness_get(request: ActorRequest, filters: Query[CompletenessQuery]):
    """Who reported on a day: counts by status and every expected unit's status.

    `returned` (back with the unit for revision) and `pending` (before the cut-off) appear in
    `units` and count in `expected` only.
    """
    actor = request.actor
    actor.require(Perm.REPORTS_VIEW)
    return completeness_payload(actor=actor, day=filters.date or timezone.localdate())
