"""Computing the dashboard's summary figures for a day, from the reports' figure providers.

One grouped query per provider family over the operational records of the city, grouped by
township code; the rows are rolled up to counties and the city in Python and replace the
day's rows. Today's stock figures are taken now, a past day's at its midnight.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fangkong.regions.models import Region
from fangkong.reports.figures import Window, collect, known_keys, with_rates

from .models import RegionFigure, SnapshotRun

TOWNSHIP = 9
STALE_SECONDS = 300


def _day_bounds(day: dt.date, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return start, min(start + dt.timedelta(days=1), now)


def _roll_up(rows: dict[str, dict[str, float]], city: str) -> dict[str, dict[str, float]]:
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for code, figures in rows.items():
        targets = {code[:n] for n in (len(city), 6, TOWNSHIP) if n <= len(code)}
        for target in targets:
            for key, value in figures.items():
                if not key.endswith("_rate"):
                    totals[target][key] += value
    return {code: with_rates(dict(figures)) for code, figures in totals.items()}


@transaction.atomic
def snapshot_day(day: dt.date, *, city_code: str | None = None, now=None) -> int:
    """Replace the figures of one day; returns the number of rows written."""
    city = city_code or settings.HOME_CITY_CODE
    now = now or timezone.now()
    started = time.monotonic()
    start, end = _day_bounds(day, now)
    rows = _roll_up(collect(Window(prefix=city, start=start, end=end), group=TOWNSHIP), city)
    regions = dict(
        Region.objects.filter(code__startswith=city, level__lte=4).values_list("code", "parent_id")
    )
    # Every region gets every figure, zeros included, so that quiet townships still show.
    zeros = dict.fromkeys(known_keys(), 0.0)
    rows = {code: zeros | rows.get(code, {}) for code in regions}
    RegionFigure.objects.filter(region__code__startswith=city, day=day).delete()
    objs = [
        RegionFigure(region_id=code, parent_code=regions[code] or "", day=day, key=key, value=v)
        for code, figures in rows.items()
        if code in regions
        for key, v in figures.items()
    ]
    RegionFigure.objects.bulk_create(objs, batch_size=2000)
    SnapshotRun.objects.update_or_create(
        city_code=city, day=day,
        defaults={"computed_at": now, "seconds": time.monotonic() - started},
    )  # fmt: skip
    return len(objs)


def snapshot_refresh(*, days: int = 1, city_code: str | None = None, now=None) -> int:
    """Today's figures (and the days before, with days > 1)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return sum(
        snapshot_day(today - dt.timedelta(days=i), city_code=city_code, now=now)
        for i in range(days)
    )


def is_stale(computed_at: dt.datetime | None, *, now: dt.datetime) -> bool:
    return computed_at is None or (now - computed_at).total_seconds() > STALE_SECONDS
