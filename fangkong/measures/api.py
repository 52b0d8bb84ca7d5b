"""Measures over the API, mounted at /measures: the same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from fangkong.core.actor import Actor
from fangkong.core.http import ActorRequest
from fangkong.core.paging import api_page
from fangkong.core.params import name_param
from fangkong.core.roles import Perm
from fangkong.core.schemas import MaskedPersonOut, RegionCodeOut
from fangkong.people.models import Person
from fangkong.regions.selectors import region_or_none

from .access import measure_get, site_get
from .placements import placement_transfer
from .planning import measure_start
from .release import measure_extend, measure_release_early
from .selectors import measure_list, overview, sites_with_occupancy
from .sites import rooms_add, site_create, site_readiness_update, site_update

router = Router(tags=["measures"])
API_PAGE_SIZE = 100


class MeasureOut(MaskedPersonOut, RegionCodeOut):
    id: int
    person_id: int
    person_name: str
    category: str
    risk_level: str
    measure_type: str
    status: str
    blocked_reason: str
    started_at: dt.datetime
    stage_ends_at: dt.datetime
    planned_end_at: dt.datetime
    site_id: int | None
    region: str
    policy_version: int


class SiteOut(RegionCodeOut):
    id: int
    name: str
    region: str
    status: str
    beds: int
    used: int

    @staticmethod
    def resolve_beds(obj) -> int:
        return obj.beds_total or 0

    @staticmethod
    def resolve_used(obj) -> int:
        return obj.beds_used or 0


class MeasureIn(Schema):
    person_id: int
    category: str
    risk_level: str | None = None
    source: str = "manual"
    source_ref: str = ""
    site_id: int | None = None


class MeasurePage(Schema):
    count: int
    page: int
    pages: int
    results: list[MeasureOut]


@router.get("", response=MeasurePage, summary="Measures in the caller's scope, 100 a page")
def list_measures(
    request: ActorRequest,
    status: str = "running",
    category: str = "",
    measure_type: str = "",
    region: str = "",
    q: str = "",
    page: int = 1,
):
    """Running ones by default (?status= one status); narrowed as on the list page by the
    person's category, the `measure_type`, a `region` code (outside the caller's scope: 404)
    and part of a name (`q`); `count` and `pages` say how many there are."""
    actor: Actor = request.actor
    actor.require(Perm.MEASURES_VIEW)
    listed = measure_list(
        actor=actor, status=status, category=category, measure_type=measure_type,
        region=region_or_none(actor, region), name=name_param(q),
    )  # fmt: skip
    return api_page(listed, page, API_PAGE_SIZE)


@router.get("/sites", response=list[SiteOut], summary="Quarantine sites with occupancy")
def list_sites(request: ActorRequest):
    actor: Actor = request.actor
    actor.require(Perm.MEASURES_VIEW)
    return list(sites_with_occupancy(actor=actor))


@router.get("/sites/{site_id}", response=SiteOut, summary="One quarantine site")
def get_site(request: ActorRequest, site_id: int):
    actor: Actor = request.actor
    actor.require(Perm.MEASURES_VIEW)
    site = site_get(actor=actor, pk=site_id)
    return sites_with_occupancy(actor=actor).get(pk=site.pk)


@router.get("/overview", summary="In care by type and category, per county")
def get_overview(request: ActorRequest):
    actor: Actor = request.actor
    actor.require(Perm.MEASURES_VIEW)
    data = overview(actor=actor)
    return {
        "care": data["care"],
        "flags": data["flags"],
        "counties": [
            {k: (v.code if k == "county" else v) for k, v in row.items()}
            for row in data["counties"]
        ],
    }


@router.get("/{measure_id}", response=MeasureOut, summary="One measure")
def get_measure(request: ActorRequest, measure_id: int):
    actor: Actor = request.actor
    actor.require(Perm.MEASURES_VIEW)
    return measure_get(actor=actor, pk=measure_id)


@router.post("", response={201: MeasureOut}, summary="Start a measure for a person")
def start_measure(request: ActorRequest, payload: MeasureIn):
    actor: Actor = request.actor
    person = Person.objects.get_visible(actor, pk=payload.person_id)
    site = site_get(actor=actor, pk=payload.site_id) if payload.site_id else None
    measure = measure_start(
        actor=actor,
        person=person,
        category=payload.category,
        risk_level=payload.risk_level,
        source=payload.source,
        source_ref=payload.source_ref,
        site=site,
    )
    return Status(201, measure)


class TransferIn(Schema):
    site_id: int
    room_id: int | None = None
    reason: str


class ExtendIn(Schema):
    days: int
    reason: str


class ReleaseIn(Schema):
    reason: str
    to_next_stage: bool = False


@router.post("/{measure_id}/transfer", response=MeasureOut, summary="Move to another site")
def transfer_measure(request: ActorRequest, measure_id: int, payload: TransferIn):
    actor: Actor = request.actor
    measure_get(actor=actor, pk=measure_id)
    placement_transfer(
        actor=actor,
        measure_id=measure_id,
        site_id=payload.site_id,
        room_id=payload.room_id,
        reason=payload.reason,
    )
    return measure_get(actor=actor, pk=measure_id)


@router.post("/{measure_id}/extend", response=MeasureOut, summary="Extend the current stage")
def extend_measure(request: ActorRequest, measure_id: int, payload: ExtendIn):
    actor: Actor = request.actor
    measure_get(actor=actor, pk=measure_id)
    return measure_extend(
        actor=actor, measure_id=measure_id, days=payload.days, reason=payload.reason
    )


@router.post("/{measure_id}/release", response=MeasureOut, summary="Release early, with reason")
def release_measure(request: ActorRequest, measure_id: int, payload: ReleaseIn):
    actor: Actor = request.actor
    measure_get(actor=actor, pk=measure_id)
    return measure_release_early(
        actor=actor,
        measure_id=measure_id,
        reason=payload.reason,
        to_next_stage=payload.to_next_stage,
    )


class SiteIn(Schema):
    name: str
    region: str | None = None
    address: str = ""
    kind: str = "dedicated"
    status: str = "standby"
    officer: str = ""
    officer_phone: str = ""
    warning_percent: int = 90
    staff_ids: list[int] = []


class SitePatch(Schema):
    name: str | None = None
    address: str | None = None
    kind: str | None = None
    status: str | None = None
    officer: str | None = None
    officer_phone: str | None = None
    warning_percent: int | None = None
    staff_ids: list[int] | None = None
    supplies_ready: bool | None = None
    staff_ready: bool | None = None
    last_drill_on: dt.date | None = None


class RoomsIn(Schema):
    numbers: str
    floor: int = 1
    beds: int = 1


def _site_out(actor: Actor, pk: int):
    return sites_with_occupancy(actor=actor).get(pk=pk)


@router.post("/sites", response={201: SiteOut}, summary="Create a quarantine site")
def create_site(request: ActorRequest, payload: SiteIn):
    actor: Actor = request.actor
    data = payload.dict()
    staff_ids = data.pop("staff_ids")
    data["region_id"] = data.pop("region") or actor.region.code
    site = site_create(actor=actor, staff_ids=staff_ids, **data)
    return Status(201, _site_out(actor, site.pk))


@router.patch("/sites/{site_id}", response=SiteOut, summary="Edit a site and its readiness")
def patch_site(request: ActorRequest, site_id: int, payload: SitePatch):
    actor: Actor = request.actor
    site = site_get(actor=actor, pk=site_id)
    data = payload.dict(exclude_unset=True)
    readiness = {k: data.pop(k) for k in ("supplies_ready", "staff_ready", "last_drill_on")
                 if k in data}  # fmt: skip
    staff_ids = data.pop("staff_ids", None)
    if data or staff_ids is not None:
        site_update(actor=actor, site_id=site.pk, staff_ids=staff_ids, **data)
    if readiness:
        site_readiness_update(
            actor=actor,
            site_id=site.pk,
            supplies_ready=readiness.get("supplies_ready", site.supplies_ready),
            staff_ready=readiness.get("staff_ready", site.staff_ready),
            last_drill_on=readiness.get("last_drill_on", site.last_drill_on),
        )
    return _site_out(actor, site.pk)


@router.post("/sites/{site_id}/rooms", response={201: SiteOut}, summary="Add rooms to a site")
def add_rooms(request: ActorRequest, site_id: int, payload: RoomsIn):
    actor: Actor = request.actor
    site = site_get(actor=actor, pk=site_id)
    rooms_add(
        actor=actor, site_id=site.pk, numbers=payload.numbers, floor=payload.floor,
        beds=payload.beds,
    )  # fmt: skip
    return Status(201, _site_out(actor, site.pk))
