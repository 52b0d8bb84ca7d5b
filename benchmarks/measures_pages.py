"""Measures pages at scale: a site page with 1,000 placements and the county quarantine
overview, with 100,000 measures in the database (target: under 300 ms each).

Run against PostgreSQL:  scripts/with-postgres.sh scripts/uv run python benchmarks/measures_pages.py
It migrates the (empty) database it is given, builds the test world, loads the rows with
bulk inserts, then times each page (median of 7 after one warm-up) and prints the figures.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("FANGKONG_DEBUG", "0")
os.environ.setdefault("FANGKONG_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

MEASURES = int(os.environ.get("BENCH_MEASURES", "100000"))
SITE_PLACEMENTS = 1000
BATCH = 5000


def build(world):
    from fangkong.core import crypto
    from fangkong.measures.models import (
        CheckIn,
        Measure,
        MeasureStage,
        Placement,
        Room,
        ScheduledTest,
        Site,
        SiteStatus,
    )  # fmt: skip
    from fangkong.people.models import Person
    from fangkong.policies.models import Policy

    policy = Policy.objects.get(code="eighth-hunan-spring")
    now = timezone.now()
    villages = world.villages
    sites = []
    for county in world.counties:
        for n in range(10):
            sites.append(
                Site(name=f"{county.name}隔离点{n + 1}", region=county, status=SiteStatus.ACTIVE)
            )
    sites = Site.objects.bulk_create(sites)
    big = sites[0]
    centralised = MEASURES // 2
    per_site = [SITE_PLACEMENTS] + [(centralised - SITE_PLACEMENTS) // (len(sites) - 1)] * (
        len(sites) - 1
    )
    made = 0
    site_slots = [
        (site, i) for site, count in zip(sites, per_site, strict=True) for i in range(count)
    ]
    while made < MEASURES:
        chunk = range(made, min(made + BATCH, MEASURES))
        people = Person.objects.bulk_create(
            Person(
                name=f"测试{i}",
                region=villages[i % len(villages)],
                document_type="passport",
                document_number=f"E{i:09d}",
                document_index=crypto.blind_index("passport", f"E{i:09d}"),
            )
            for i in chunk
        )
        rooms, measures = {}, []
        for i, person in zip(chunk, people, strict=True):
            start = now - dt.timedelta(days=i % 13, hours=i % 7)
            end = start + dt.timedelta(days=14)
            if i < len(site_slots):
                site, slot = site_slots[i]
                rooms[i] = Room(site=site, number=f"{slot}", beds=1)
            else:
                site = None
            measures.append(
                Measure(
                    person=person,
                    region=site.region if site else person.region,
                    category=["close_contact", "secondary_contact", "inbound", "risk_area"][i % 4],
                    risk_level="high",
                    policy=policy,
                    policy_version=1,
                    measure_type="centralised" if site else "home_quarantine",
                    started_at=start,
                    stage_ends_at=end,
                    planned_end_at=end,
                    site=site,
                    status="active" if i % 10 else "completed",
                    # Day 1 is recorded negative below; day 4 is the next one due.
                    next_test_due=timezone.localdate(start) + dt.timedelta(days=3)
                    if i % 10
                    else None,
                )
            )
        Room.objects.bulk_create(rooms.values())
        for i, m in zip(chunk, measures, strict=True):
            m.room = rooms.get(i)
        measures = Measure.objects.bulk_create(measures)
        Placement.objects.bulk_create(
            Placement(
                measure=m,
                site=m.site,
                room=m.room,
                started_at=m.started_at,
                ended_at=None if m.status == "active" else now,
            )
            for m in measures
            if m.site_id
        )
        stages = MeasureStage.objects.bulk_create(
            MeasureStage(
                measure=m,
                order=1,
                measure_type=m.measure_type,
                days=14,
                test_days=[1, 4, 7, 14],
                starts_at=m.started_at,
                ends_at=m.stage_ends_at,
                status="current",
            )
            for m in measures
        )
        tests, checkins = [], []
        for m, s in zip(measures, stages, strict=True):
            day1 = timezone.localdate(m.started_at)
            for d in (1, 4, 7, 14):
                due = day1 + dt.timedelta(days=d - 1)
                tests.append(
                    ScheduledTest(
                        measure=m,
                        stage=s,
                        day_number=d,
                        due_date=due,
                        status="negative" if due < day1 + dt.timedelta(days=2) else "pending",
                    )
                )
            for back, slot in ((1, "morning"), (1, "evening"), (0, "morning")):
                checkins.append(
                    CheckIn(
                        measure=m,
                        day=timezone.localdate(now) - dt.timedelta(days=back),
                        slot=slot,
                        temperature="36.5",
                        at=now - dt.timedelta(days=back),
                    )
                )
        ScheduledTest.objects.bulk_create(tests)
        CheckIn.objects.bulk_create(checkins)
        made += len(chunk)
        print(f"  loaded {made} measures", flush=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    return big


def timed(client, url, runs=7):
    client.get(url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main():
    from fangkong.demo.world import TEST_SPEC, build_world, load_world, world_exists
    from fangkong.measures.models import Site

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if world_exists():
        # A database kept from an earlier run: measure again without reloading the rows.
        world, site = load_world(), Site.objects.order_by("pk").first()
    else:
        world = build_world(TEST_SPEC)
        site = build(world)
    print(
        f"built {MEASURES} measures in {time.perf_counter() - started:.0f} s on {connection.vendor}"
    )
    client = Client()
    results = []
    for key in ("county_operator", "hq"):
        client.force_login(world.user(key))
        results.append(
            (
                f"site page, {SITE_PLACEMENTS} placements ({key})",
                *timed(client, reverse("measures:site", args=[site.pk])),
            )
        )
        results.append(
            (f"quarantine overview ({key})", *timed(client, reverse("measures:overview")))
        )
    print(f"| page ({MEASURES:,} measures, {connection.vendor}) | median ms | queries |")
    print("| --- | --- | --- |")
    for name, ms, queries in results:
        print(f"| {name} | {ms:.0f} | {queries} |")
    return 0 if all(ms < 300 for _, ms, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
