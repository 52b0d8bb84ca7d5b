"""How the scoping matrix reaches arrivals' objects."""

import datetime as dt

from django.utils import timezone

from fangkong.arrivals.models import Arrival, ArrivalObligation
from fangkong.people.tests.factories import person_in


def _arrival(world, region) -> Arrival:
    person = person_in(region, name="矩阵来返")
    now = timezone.now()
    arrival = Arrival.objects.create(
        person=person, region=region, source="self_report", origin_code="420106",
        arrived_at=now - dt.timedelta(hours=30), health_code="green",
        verdict="pass_with_arrival_test",
    )  # fmt: skip
    ArrivalObligation.objects.create(
        arrival=arrival, person=person, region=region, kind="arrival_test",
        due_at=now - dt.timedelta(hours=6),
    )  # fmt: skip
    return arrival


def _monitoring_kwargs(world, region) -> dict:
    arrival = _arrival(world, region)
    now = timezone.now()
    monitoring = ArrivalObligation.objects.create(
        arrival=arrival, person=arrival.person, region=region, kind="health_monitoring",
        due_at=now - dt.timedelta(hours=30), ends_at=now + dt.timedelta(days=12),
    )  # fmt: skip
    return {"obligation_id": monitoring.pk}


def _arrival_kwargs(world, region) -> dict:
    return {"pk": _arrival(world, region).pk}


def _obligation_kwargs(world, region) -> dict:
    arrival = _arrival(world, region)
    obligation = arrival.obligations.first()
    assert obligation is not None
    return {"pk": arrival.pk, "obligation_id": obligation.pk}


URL_CASES = {
    "arrivals:detail": _arrival_kwargs,
    "arrivals:complete": _obligation_kwargs,
    "arrivals:monitoring_day": _monitoring_kwargs,
}

# Public pages and reference data: reached without an account, by design.
URL_EXEMPT = {
    "arrivals:report": "public self-report form (no login)",
    "arrivals:receipt": "public receipt behind a signed token",
    "arrivals:qr_svg": "QR of a public URL; scoped to the actor's county in the view",
}
