"""The dashboard's figures for the viewer's region (or a region inside it): a fixed number
of queries over the summary rows, whatever the size of the operational tables."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.roles import Perm
from fangkong.regions.models import Region

from .models import RegionFigure, SnapshotRun
from .snapshot import is_stale

TREND_DAYS = 30
SUMMARY_CACHE_SECONDS = 600
TREND_KEYS = (
    "screening.received",
    "screening.checked",
    "measures.centralised",
    "measures.admitted",
    "measures.released",
    "tests.sampled",
    "tests.positive",
    "arrivals.new",
    "checks.total",
)
CHILD_KEYS = (
    "screening.total",
    "screening.open",
    "screening.overdue",
    "screening.four_clear_rate",
    "measures.centralised",
    "measures.home_quarantine",
    "measures.home_monitoring",
    "arrivals.new",
    "arrivals.overdue_tests",
    "measures.overdue_tests",
    "checks.total",
    "tests.sampled",
    "tests.positive",
)
CATEGORY_LABELS = {
    "close_contact": _("密接"),
    "secondary_contact": _("次密接"),
    "inbound": _("境外返回"),
    "risk_area": _("中高风险地区来返"),
    "other": _("其他"),
}


def dashboard_region(*, actor: Actor, code: str | None) -> Region:
    """The actor's own region, or a region inside it for the drill-down; else NotFound."""
    actor.require(Perm.DASHBOARD_VIEW)
    if not code or code == actor.region.code:
        return actor.region
    if not actor.sees_region_code(code):
        raise NotFound(Region._meta.verbose_name)
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(Region._meta.verbose_name)
    return region


def _risk_areas(now: dt.datetime) -> dict[str, int]:
    try:
        from fangkong.riskareas.models import RiskArea
    except ModuleNotFoundError:
        return {}
    from django.db.models import Count, Q

    rows = (
        RiskArea.objects.filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=now),
                                effective_from__lte=now)
        .values_list("level")
        .annotate(n=Count("*"))
        .order_by()
    )  # fmt: skip
    counts = {"high": 0, "medium": 0}
    counts.update({level: n for level, n in rows if level in counts})
    return counts


def _completeness(actor: Actor, region: Region, day: dt.date) -> dict[str, Any] | None:
    from fangkong.reports.selectors import completeness, period_current

    if not actor.can(Perm.REPORTS_VIEW):
        return None
    period = period_current(actor=actor, on=day)
    if period is None:
        return None
    result = completeness(actor=actor, period=period, day=day)
    units = [r for r in result["units"] if r["unit"].region_id.startswith(region.code)]
    counts = dict.fromkeys(result["counts"], 0)
    for row in units:
        counts[row["status"]] += 1
    return {"date": day.isoformat(), "expected": len(units), **counts,
            "units": [{"unit": r["unit"].name, "status": r["status"]} for r in units]}  # fmt: skip


def _summary(actor: Actor, region: Region, today: dt.date) -> dict[str, Any]:
    """Today's figures, the trends and the children's rows of a region: two queries."""
    first = today - dt.timedelta(days=TREND_DAYS - 1)
    series: dict[str, dict[dt.date, float]] = defaultdict(dict)
    for day, key, value in (
        RegionFigure.objects.visible_to(actor)
        .filter(region_id=region.code, day__gte=first, day__lte=today)
        .values_list("day", "key", "value")
    ):
        series[key][day] = value
    figures = {key: by_day.get(today, 0) for key, by_day in series.items()}
    children: dict[str, dict[str, Any]] = {}
    for code, name, key, value in (
        RegionFigure.objects.visible_to(actor)
        .filter(parent_code=region.code, day=today, key__in=CHILD_KEYS)
        .values_list("region_id", "region__name", "key", "value")
        .order_by("region_id")
    ):
        children.setdefault(code, {"code": code, "name": name, "figures": {}})["figures"][key] = (
            value
        )
    days = [first + dt.timedelta(days=i) for i in range(TREND_DAYS)]
    return {
        "figures": figures,
        "quarantine_by_category": [
            {"category": c, "value": figures.get(f"measures.centralised.{c}", 0)}
            for c in CATEGORY_LABELS
        ],
        "children": list(children.values()),
        "trend": {
            "days": [d.isoformat() for d in days],
            "series": {k: [series.get(k, {}).get(d, 0) for d in days] for k in TREND_KEYS},
        },
    }


def dashboard_data(
    *, actor: Actor, region_code: str | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The whole dashboard. The summary part is cached per region and refresh: the key holds
    the region's code (the scope) and the time of the refresh, so a refresh replaces it."""
    now = now or timezone.now()
    region = dashboard_region(actor=actor, code=region_code)
    today = timezone.localdate(now)
    run = (
        SnapshotRun.objects.filter(city_code=region.code[:4], day=today)
        .values_list("computed_at", flat=True)
        .first()
    )
    key = f"dashboards:summary:{region.code}:{today}:{run.timestamp() if run else 0}"
    summary = cache.get(key)
    if summary is None:
        summary = _summary(actor, region, today)
        cache.set(key, summary, timeout=SUMMARY_CACHE_SECONDS)
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "day": today.isoformat(),
        "updated_at": timezone.localtime(run).isoformat(timespec="seconds") if run else None,
        "stale": is_stale(run, now=now),
        **summary,
        # Labelled after the cache, which is shared by readers of every language.
        "quarantine_by_category": [
            {**row, "label": str(CATEGORY_LABELS[row["category"]])}
            for row in summary["quarantine_by_category"]
        ],
        "completeness": _completeness(actor, region, today),
        "risk_areas": _risk_areas(now),
    }
