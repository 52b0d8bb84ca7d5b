"""How the scoping matrix reaches measures' objects: a site and a placed person per village."""

import datetime as dt

from django.utils import timezone

from fangkong.measures.models import Measure, Placement, Room, Site, SiteStatus
from fangkong.measures.planning import build_stages
from fangkong.people.tests.factories import person_in
from fangkong.policies.models import Policy
from fangkong.policies.rules import policy_set_of


def _site(world, village) -> Site:
    site = Site.objects.create(
        name=f"矩阵隔离点{village.code[-3:]}", region=village, status=SiteStatus.ACTIVE
    )
    Room.objects.create(site=site, number="101", beds=2)
    return site


def _measure(world, village) -> Measure:
    site = _site(world, village)
    room = site.rooms.get()
    policy = Policy.objects.get(code="eighth-hunan-spring")
    plans = policy_set_of(policy).stages_for("secondary_contact")
    start = timezone.now() - dt.timedelta(days=2)
    measure = Measure.objects.create(
        person=person_in(village, name="矩阵隔离"), region=village, category="secondary_contact",
        policy=policy, policy_version=policy.version, measure_type=plans[0].type,
        started_at=start, stage_ends_at=start + dt.timedelta(days=plans[0].days),
        planned_end_at=start + dt.timedelta(days=sum(p.days for p in plans)),
        site=site, room=room,
    )  # fmt: skip
    build_stages(measure, plans, start)
    Placement.objects.create(measure=measure, site=site, room=room, started_at=start)
    return measure


def _measure_kwargs(world, village) -> dict:
    return {"pk": _measure(world, village).pk}


def _site_kwargs(world, village) -> dict:
    return {"pk": _site(world, village).pk}


def _room_kwargs(world, village) -> dict:
    site = _site(world, village)
    return {"pk": site.pk, "room_id": site.rooms.get().pk}


URL_CASES = {
    "measures:site": _site_kwargs,
    "measures:site_edit": _site_kwargs,
    "measures:site_readiness": _site_kwargs,
    "measures:site_rooms": _site_kwargs,
    "measures:room": _room_kwargs,
    "measures:detail": _measure_kwargs,
    "measures:checkin": _measure_kwargs,
    "measures:link": _measure_kwargs,
    "measures:result": _measure_kwargs,
    "measures:extend": _measure_kwargs,
    "measures:release": _measure_kwargs,
    "measures:transfer": _measure_kwargs,
    "measures:replan": _measure_kwargs,
}

URL_EXEMPT = {
    "measures:personal_checkin": "public check-in page behind an unguessable token (no login)",
}

API_CASES = {
    "/measures/sites/{site_id}": lambda world, village: {"site_id": _site(world, village).pk},
    "/measures/sites/{site_id}/rooms": lambda world, village: {"site_id": _site(world, village).pk},
    "/measures/{measure_id}": lambda world, village: {"measure_id": _measure(world, village).pk},
    "/measures/{measure_id}/transfer": lambda world, village: {
        "measure_id": _measure(world, village).pk
    },
    "/measures/{measure_id}/extend": lambda world, village: {
        "measure_id": _measure(world, village).pk
    },
    "/measures/{measure_id}/release": lambda world, village: {
        "measure_id": _measure(world, village).pk
    },
}
