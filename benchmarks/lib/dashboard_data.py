"""Data for the dashboard benchmark: the demo city, 1,000,000 people and 3,000,000 operational
records (checks, tests, arrivals, screening records) spread over the city's villages and the
last 30 days, loaded with COPY; 40 reporting units with a report each for the bulletin."""

from __future__ import annotations

import datetime as dt
import json
import random

from lib.checkpoint_data import _copy_lines, _default, _indexes_after, _migrate, load_people

CITY = "4331"


def prepare_world():
    import os

    from django.core.management import call_command

    from fangkong.demo.world import build_world, demo_spec, load_world, world_exists
    from fangkong.regions.models import Level, Region

    _migrate()
    if not Region.objects.filter(code__startswith=CITY, level=Level.VILLAGE).exists():
        with open(os.devnull, "w") as devnull:
            call_command("regions-load", verbosity=0, as_json=True, stdout=devnull)
    if world_exists(CITY):
        return load_world(CITY)
    return build_world(demo_spec(people_per_village=0))


def _copy(model, count: int, make_row, *, skip=("id",)) -> None:
    """COPY `count` rows of `model`: field defaults, overridden by make_row(i, rng)."""
    from django.db import connection

    if model.objects.exists():
        return
    fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
    template = {}
    for f in fields:
        value = _default(f)
        template[f.attname] = "" if value is None and not f.null else value
    rng = random.Random(model.__name__)

    def cell(value):
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, list | dict):
            return json.dumps(value)
        return str(value)

    def rows():
        for i in range(count):
            row = template | make_row(i, rng)
            yield "\t".join(cell(row[f.attname]) for f in fields) + "\n"

    table = model._meta.db_table
    with connection.cursor() as cursor, _indexes_after(cursor, table):
        _copy_lines(cursor, table, [f.column for f in fields], rows())


def load_operations(*, people: int, checks: int, tests: int, arrivals: int, records: int):
    from django.utils import timezone

    from fangkong.arrivals.models import Arrival
    from fangkong.checkpoints.models import Checkpoint, CheckRecord
    from fangkong.labtests.models import NatTest
    from fangkong.regions.models import Level, Region
    from fangkong.screening.models import ScreeningBatch, ScreeningRecord

    now = timezone.now()
    span = 30 * 86400
    villages = list(
        Region.objects.filter(code__startswith=CITY, level=Level.VILLAGE).values_list(
            "code", flat=True
        )
    )
    counties = list(
        Region.objects.filter(code__startswith=CITY, level=Level.COUNTY).values_list(
            "code", flat=True
        )
    )
    load_people(people)
    points = {}
    for code in counties:
        point, _ = Checkpoint.objects.get_or_create(
            code=f"bench-{code}", defaults={"name": f"{code} 服务点", "type": "highway_exit",
                                            "region_id": code},
        )  # fmt: skip
        points[code] = point.pk

    def when(rng):
        return (now - dt.timedelta(seconds=rng.randrange(span))).isoformat()

    verdicts = ["pass"] * 55 + ["pass_with_arrival_test"] * 30 + ["sample_on_site"] * 13 + [
        "transfer"] * 2  # fmt: skip

    def check(i, rng):
        county = counties[i % len(counties)]
        at = when(rng)
        return {"checkpoint_id": points[county], "region_id": county, "checked_at": at,
                "arrival_at": at, "person_id": rng.randint(1, people), "health_code": "green",
                "origin_code": "440106", "destination_code": county,
                "verdict": verdicts[i % len(verdicts)]}  # fmt: skip

    _copy(CheckRecord, checks, check)

    def test(i, rng):
        return {"person_id": rng.randint(1, people), "region_id": rng.choice(villages),
                "sampled_at": when(rng), "result": "positive" if i % 5000 == 0 else "negative",
                "purpose": "routine", "created_at": now.isoformat()}  # fmt: skip

    _copy(NatTest, tests, test)

    def arrival(i, rng):
        return {"person_id": rng.randint(1, people), "region_id": rng.choice(villages),
                "source": "self_report", "origin_code": "440106", "travel_mode": "rail",
                "arrived_at": when(rng), "health_code": "green", "nat_result": "negative",
                "verdict": "pass_with_arrival_test", "status": "open" if i % 4 else "closed",
                "created_at": now.isoformat(), "updated_at": now.isoformat()}  # fmt: skip

    _copy(Arrival, arrivals, arrival)

    batch, _ = ScreeningBatch.objects.get_or_create(
        source="省指挥部推送（压测）", category="risk_area",
        defaults={"received_at": now, "deadline": now, "region_id": CITY},
    )  # fmt: skip
    statuses = ["closed"] * 7 + ["checking", "received", "pushed"]

    def record(i, rng):
        created = now - dt.timedelta(seconds=rng.randrange(span))
        status = statuses[i % len(statuses)]
        closed = status == "closed"
        return {"batch_id": batch.pk, "row_number": i + 2, "region_id": rng.choice(villages),
                "assigned_level": 5, "status": status, "four_clear": closed and i % 20 != 0,
                "outcome": "controlled" if closed else "", "created_at": created.isoformat(),
                "deadline": (created + dt.timedelta(hours=24)).isoformat(),
                "checked_at": created.isoformat() if closed else None,
                "closed_at": created.isoformat() if closed else None}  # fmt: skip

    _copy(ScreeningRecord, records, record)


def reporting_units(world, total: int = 40):
    """The demo's daily reporters plus extra work teams up to `total`."""
    from fangkong.org.models import CommandUnit, UnitKind
    from fangkong.reports.services import default_units

    units = default_units(world.hq)
    for n in range(len(units), total):
        unit, _ = CommandUnit.objects.get_or_create(
            region=world.city, parent=world.hq, name=f"压测工作专班{n:02d}",
            defaults={"kind": UnitKind.WORK_TEAM, "reports_daily": True, "sort_order": 30 + n},
        )  # fmt: skip
        units.append(unit)
    return units[:total]
