"""Dashboard and bulletin at scale: 1,000,000 people and 3,000,000 operational records.

    scripts/with-postgres.sh scripts/uv run python benchmarks/dashboard.py

Loads the demo city, 1,000,000 people and 3,000,000 records (1,200,000 checkpoint checks,
1,200,000 NAT tests, 300,000 arrivals, 300,000 screening records) with COPY, computes the
dashboard's summary figures (the background refresh), then times the dashboard JSON and page
for the HQ and for a county user (median of 9 after a warm-up, with their query counts), and
compiles the bulletin for 40 reporting units as .docx and .xlsx. Targets: dashboard under
200 ms, bulletin under 5 s. Needs PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("FANGKONG_DEBUG", "0")
os.environ.setdefault("FANGKONG_TESTING", "1")

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
RUNS = 9


def _timed(fn, runs: int = RUNS) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries)


def _reports(world, units, day):
    from django.utils import timezone

    from fangkong.reports.demo import _file
    from fangkong.reports.models import DailyReport, ReportingPeriod
    from fangkong.reports.templates_data import default_template

    period, _ = ReportingPeriod.objects.get_or_create(
        name="“两节”疫情防控特护期（压测）", hq=world.hq, region_id=world.hq.region_id,
        starts_on=day - dt.timedelta(days=15), ends_on=day + dt.timedelta(days=60),
        defaults={"template": default_template()},
    )  # fmt: skip
    period.units.set(units)
    if not DailyReport.objects.filter(period=period, day=day).exists():
        rng = random.Random(5)
        at = timezone.now() - dt.timedelta(hours=1)
        for unit in units[:-2]:
            report = DailyReport(period=period, unit=unit, region_id=unit.region_id, day=day)
            _file(report, at=at, user=None, rng=rng, zero=rng.random() < 0.1)
    return period


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("dashboard: needs PostgreSQL; run under scripts/with-postgres.sh")
        return 0
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone
    from lib.dashboard_data import load_operations, prepare_world, reporting_units

    started = time.perf_counter()
    world = prepare_world()
    n = lambda base: int(base * SCALE)  # noqa: E731
    load_operations(people=PEOPLE, checks=n(1_200_000), tests=n(1_200_000),
                    arrivals=n(300_000), records=n(300_000))  # fmt: skip
    from fangkong.measures.demo import build_measures_demo
    from fangkong.measures.models import Measure

    if not Measure.objects.exists():
        try:
            build_measures_demo(world, random.Random(1))
        except Exception as exc:  # the figures are measured either way
            print(f"measures demo skipped: {exc!r}")
    print(f"data ready in {time.perf_counter() - started:.0f} s")
    total = sum(m.objects.count() for m in _models())
    print(f"operational records: {total:,}")

    from fangkong.dashboards.snapshot import snapshot_day, snapshot_refresh

    start = time.perf_counter()
    snapshot_day(timezone.localdate())
    today_s = time.perf_counter() - start
    start = time.perf_counter()
    rows = snapshot_refresh(days=30)
    print(f"summary refresh: today {today_s:.2f} s; 30 days {time.perf_counter() - start:.1f} s "
          f"({rows:,} rows)")  # fmt: skip

    today = timezone.localdate()
    units = reporting_units(world, 40)
    period = _reports(world, units, today)
    results = []
    for who in ("hq", "county_operator"):
        client = Client()
        client.force_login(world.user(who))
        for name, url in (("JSON", "/api/v1/dashboard"), ("page", "/dashboard/")):
            ms, queries = _timed(lambda u=url, c=client: _ok(c.get(u)))
            results.append((who, name, ms, queries))
    for who, name, ms, queries in results:
        flag = "ok" if ms < 200 else "SLOW"
        print(f"dashboard {name:4} as {who:15} {ms:7.1f} ms  {queries:2d} queries  [{flag}]")

    from fangkong.reports.bulletins import bulletin_render

    for fmt in ("docx", "xlsx"):
        start = time.perf_counter()
        data = bulletin_render(period, today, fmt)
        seconds = time.perf_counter() - start
        flag = "ok" if seconds < 5 else "SLOW"
        print(f"bulletin {fmt} for {period.units.count()} units: {seconds:.2f} s "
              f"({len(data):,} bytes)  [{flag}]")  # fmt: skip
    return 0


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


def _models():
    from fangkong.arrivals.models import Arrival
    from fangkong.checkpoints.models import CheckRecord
    from fangkong.labtests.models import NatTest
    from fangkong.screening.models import ScreeningRecord

    return [CheckRecord, NatTest, Arrival, ScreeningRecord]


if __name__ == "__main__":
    raise SystemExit(main())
