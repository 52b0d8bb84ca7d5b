"""The command organisation over the API, mounted at /org.

`GET /org/units` lists the units in the caller's region, parents first, each with its lead
unit and member units. `GET /org/duty/now` answers who is on duty at the caller's own HQ (or
the nearest one above): the one read that looks up the chain, so a village can call the desk.
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from fangkong.core.actor import Actor
from fangkong.core.http import ActorRequest
from fangkong.core.roles import Perm

from .models import CommandUnit, DutyShift
from .selectors import duty_now, unit_list

router = Router(tags=["org"])


class UnitOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    region_code: str
    region_name: str
    parent_id: int | None
    duties: str
    reports_daily: bool
    lead_unit: str | None
    member_units: list[str]

    @staticmethod
    def resolve_kind_label(obj: CommandUnit) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region_code(obj: CommandUnit) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: CommandUnit) -> str:
        return obj.region.name

    @staticmethod
    def resolve_lead_unit(obj: CommandUnit) -> str | None:
        return next((m.department for m in obj.members.all() if m.is_lead), None)

    @staticmethod
    def resolve_member_units(obj: CommandUnit) -> list[str]:
        return [m.department for m in obj.members.all() if not m.is_lead]


class ShiftOut(Schema):
    unit_id: int
    unit_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    leader: str
    officer: str
    phone: str

    @staticmethod
    def resolve_unit_name(obj: DutyShift) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_leader(obj: DutyShift) -> str:
        return str(obj.leader)

    @staticmethod
    def resolve_officer(obj: DutyShift) -> str:
        return str(obj.officer)


class DutyNowOut(Schema):
    # null when nobody is on duty at the caller's HQ or above.
    on_duty: ShiftOut | None


@router.get("/units", response=list[UnitOut], summary="Command units in the caller's region")
def units(request: ActorRequest):
    """HQs, comprehensive groups, work groups and work teams; `parent_id` links the tree
    (null, or a unit outside the caller's region, at the top)."""
    actor: Actor = request.actor
    actor.require(Perm.ORG_VIEW)
    return list(unit_list(actor=actor))


@router.get("/duty/now", response=DutyNowOut, summary="Who is on duty now")
def duty_now_view(request: ActorRequest):
    """The shift on duty now at the caller's HQ, or the nearest HQ above it."""
    actor: Actor = request.actor
    return {"on_duty": duty_now(actor=actor)}
