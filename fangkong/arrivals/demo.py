"""Demo arrivals in every state: due, done, overdue, missed monitoring, closed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.checkpoints.checks import clean_check
from fangkong.checkpoints.demo import random_resident_id
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.services import checkpoint_check
from fangkong.core.actor import Actor

from .models import ArrivalObligation, MonitoringDay, ObligationStatus, TravelMode
from .places import known_code
from .selfreport import self_report_submit
from .services import obligations_sweep

# (what the traveller reports, share): the kinds of self-report a January day brought.
SELF_REPORT_MIX = (
    ("certificate", 70),
    ("no_certificate", 15),
    ("yellow_code", 8),
    ("medium_risk_origin", 5),
    ("red_code", 2),
)
OUT_OF_PROVINCE = ("420106", "440305", "330106", "500241", "522229", "310115")
TRAVEL = (
    (TravelMode.HIGH_SPEED_RAIL, "G6117"), (TravelMode.RAIL, "K9065"),
    (TravelMode.BUS, "湘U·A2031"), (TravelMode.CAR, "渝B·7K215"), (TravelMode.PLANE, "CZ3431"),
)  # fmt: skip


def build_arrivals(world, rng, *, count: int = 60, now=None) -> int:
    """Out-of-province arrivals over the last 16 days; some tests done, some overdue, some
    monitoring days recorded and some missed, the oldest closed by the sweep."""
    now = now or timezone.now()
    checkpoint = Checkpoint.objects.filter(region__code__startswith=world.home_county.code).first()
    if checkpoint is None:
        return 0
    actor = Actor.build(user=None, region=checkpoint.region, role="checkpoint_staff")
    villages = [v.code for v in world.villages if v.code.startswith(checkpoint.region_id)]
    for n in range(count):
        arrival = now - dt.timedelta(hours=rng.randrange(2, 16 * 24))
        data = {
            "document_type": "resident_id", "document_number": random_resident_id(rng, "420106"),
            "name": f"来返{n + 1}", "health_code": "green", "arrival_at": arrival.isoformat(),
            "origin": "420106", "itinerary": ["420106"],
            "nat_sampled_at": (arrival - dt.timedelta(hours=30)).isoformat(),
            "nat_result": "negative", "temperature": "36.5", "destination": rng.choice(villages),
        }  # fmt: skip
        checkpoint_check(actor=actor, code=checkpoint.code, given=clean_check(data, now=now))
    tests = ArrivalObligation.objects.filter(kind="arrival_test", status=ObligationStatus.OPEN)
    for obligation in tests:
        if rng.random() < 0.7:
            assert obligation.due_at is not None  # every arrival test has a deadline
            obligation.status = ObligationStatus.DONE
            obligation.done_at = obligation.due_at - dt.timedelta(hours=rng.randrange(1, 20))
            obligation.done_ref = "demo"
            obligation.save()
    monitoring = ArrivalObligation.objects.filter(kind="health_monitoring",
                                                  status=ObligationStatus.OPEN)  # fmt: skip
    for obligation in monitoring:
        start = timezone.localdate(obligation.due_at)
        days = (timezone.localdate(now) - start).days
        for d in range(max(days, 0)):
            if rng.random() < 0.9:
                MonitoringDay.objects.get_or_create(
                    obligation=obligation, day=start + dt.timedelta(days=d),
                    defaults={"temperature": "36.5"},
                )  # fmt: skip
    obligations_sweep(now=now)
    return count


def build_self_reports(world, rng, *, count: int = 48, now=None) -> int:
    """Arrivals reported through the public form over the last three days, in every county
    with villages: most with a valid certificate, some without, some yellow-coded or from a
    county with a medium-risk area (pushed to the village for screening), a few red-coded
    (transferred). Each from its own address, as from people's phones."""
    from fangkong.riskareas.models import RiskArea

    now = now or timezone.now()
    in_force = RiskArea.objects.filter(lifted_at__isnull=True)
    high = set(in_force.filter(level="high").values_list("county_code", flat=True))
    medium = sorted(
        set(in_force.filter(level="medium").values_list("county_code", flat=True)) - high
    )
    outside = [code for code in OUT_OF_PROVINCE if known_code(code)] or ["420106"]
    medium = [code for code in medium if known_code(code)]
    kinds = [kind for kind, weight in SELF_REPORT_MIX for _ in range(weight)]
    villages = [v.code for v in world.villages]
    for n in range(count):
        kind = "red_code" if n == 0 else rng.choice(kinds)  # at least one transfer
        origin = rng.choice(medium) if kind == "medium_risk_origin" and medium else (
            rng.choice(outside))  # fmt: skip
        arrival = now - dt.timedelta(minutes=rng.randrange(30, 72 * 60))
        mode, number = rng.choice(TRAVEL)
        village = rng.choice(villages)
        data = {
            "document_type": "resident_id", "document_number": random_resident_id(rng, origin),
            "name": rng.choice("王李张刘陈杨田向彭龙") + rng.choice("明华英芳军伟秀兰"),
            "phone": f"139{rng.randrange(10**8):08d}", "origin": origin,
            "destination": village, "arrival_at": arrival.isoformat(),
            "health_code": {"yellow_code": "yellow", "red_code": "red"}.get(kind, "green"),
            "nat_sampled_at": None if kind == "no_certificate"
            else (arrival - dt.timedelta(hours=rng.randrange(8, 44))).isoformat(),
            "nat_result": None if kind == "no_certificate" else "negative",
            "travel_mode": mode, "travel_number": number, "vaccine_doses": rng.choice("233"),
            "address": f"{rng.randint(1, 12)}组{rng.randint(1, 40)}号",
        }  # fmt: skip
        self_report_submit(data=data, county_code=village[:6], ip=f"10.20.{n // 250}.{n % 250}")
    return count
