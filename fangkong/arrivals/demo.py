"""Demo arrivals in every state: due, done, overdue, missed monitoring, closed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.checkpoints.checks import clean_check
from fangkong.checkpoints.demo import random_resident_id
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.services import checkpoint_check
from fangkong.core.actor import Actor

from .models import ArrivalObligation, MonitoringDay, ObligationStatus
from .services import obligations_sweep


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
