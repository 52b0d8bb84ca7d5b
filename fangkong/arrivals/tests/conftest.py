import datetime as dt

from fangkong.arrivals.models import Arrival, ArrivalObligation
from fangkong.checkpoints.tests.conftest import (  # noqa: F401
    checkpoint,
    fresh_caches,
    more_regions,
    outsider_checkpoint,
    token_for,
)


def open_arrival(person, region, *, arrived_at, verdict="pass_with_arrival_test",
                 kinds=("arrival_test", "health_monitoring"), days=14):  # fmt: skip
    """An arrival with its obligations as the verdict would have opened them."""
    arrival = Arrival.objects.create(
        person=person, region=region, source="checkpoint", origin_code="420106",
        arrived_at=arrived_at, health_code="green", verdict=verdict,
    )  # fmt: skip
    due = {"arrival_test": dt.timedelta(hours=24), "sample_on_site": dt.timedelta(hours=24),
           "village_verification": dt.timedelta(hours=24)}  # fmt: skip
    for kind in kinds:
        ArrivalObligation.objects.create(
            arrival=arrival, person=person, region=region, kind=kind,
            due_at=arrived_at + due.get(kind, dt.timedelta(0)),
            ends_at=arrived_at + dt.timedelta(days=days) if kind == "health_monitoring" else None,
        )  # fmt: skip
    return arrival
