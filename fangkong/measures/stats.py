"""Figures about people under measures: in care now, admissions and releases, occupancy."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from fangkong.policies.models import MeasureType

from .models import RUNNING, Measure, Site
from .placements import site_occupancy

STATS_CATEGORIES = ("close_contact", "secondary_contact", "inbound", "risk_area", "other")


def stats_category(category: str) -> str:
    return category if category in STATS_CATEGORIES else "other"


def by_category(rows) -> dict[str, int]:
    counts = dict.fromkeys(STATS_CATEGORIES, 0)
    for category, n in rows:
        counts[stats_category(category)] += n
    return counts


def in_care(qs: QuerySet[Measure]) -> dict:
    """Running measures by type and category, one grouped query."""
    rows = (
        qs.filter(status__in=RUNNING)
        .values_list("measure_type", "category")
        .annotate(n=Count("*"))
        .order_by()
    )
    result: dict[str, dict] = {}
    for kind in MeasureType.values:
        sub = [(c, n) for t, c, n in rows if t == kind]
        result[kind] = {"total": sum(n for _, n in sub), "by_category": by_category(sub)}
    return result


def flows(qs: QuerySet[Measure], *, since: dt.date) -> dict[str, dict[str, int]]:
    """Admissions and releases per day since a date."""
    admitted = (
        qs.filter(started_at__date__gte=since)
        .annotate(day=TruncDate("started_at"))
        .values_list("day")
        .annotate(n=Count("*"))
        .order_by()
    )
    released = (
        qs.filter(ended_at__date__gte=since)
        .annotate(day=TruncDate("ended_at"))
        .values_list("day")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {
        "admitted": {d.isoformat(): n for d, n in admitted},
        "released": {d.isoformat(): n for d, n in released},
    }


def quarantine_section(*, at: dt.datetime) -> dict:
    """`quarantine` in `fangkong stats --json` (whole platform, no actor)."""
    qs = Measure.objects.all()
    care = in_care(qs)
    occupancy = site_occupancy()
    by_county = (
        qs.filter(status__in=RUNNING, measure_type=MeasureType.CENTRALISED)
        .values_list("site__region__code")
        .annotate(n=Count("*"))
        .order_by()
    )
    county_totals: dict[str, int] = {}
    for code, n in by_county:
        county_totals[(code or "")[:6]] = county_totals.get((code or "")[:6], 0) + n
    today = timezone.localdate(at)
    return {
        "centralised": care[MeasureType.CENTRALISED] | {"by_county": county_totals},
        "home_quarantine": care[MeasureType.HOME_QUARANTINE],
        "home_monitoring": care[MeasureType.HOME_MONITORING],
        "self_monitoring": care[MeasureType.SELF_MONITORING],
        "cannot_release": qs.filter(status="blocked").count(),
        "beds": sum(o["beds"] for o in occupancy.values()),
        "beds_used": sum(o["used"] for o in occupancy.values()),
        "sites_active": Site.objects.filter(status="active").count(),
        "admitted_today": flows(qs, since=today)["admitted"].get(today.isoformat(), 0),
        "released_today": flows(qs, since=today)["released"].get(today.isoformat(), 0),
        "overdue_tests": _overdue_count(today),
    }


def _overdue_count(today: dt.date) -> int:
    from .models import ScheduledTest

    return ScheduledTest.objects.filter(
        status="pending", due_date__lt=today, measure__status__in=RUNNING
    ).count()


def care_by_county(qs: QuerySet[Measure], *, counties, today: dt.date) -> tuple[dict, list[dict]]:
    """In care by type and category, and per county × type, from one grouped query.

    Grouped by the first six digits of the responsible region (the county), so the result has
    a few dozen rows however many villages and measures there are; the covering index
    `measure_care` answers it without reading the table. "overdue" counts people with a
    scheduled test past due.
    """
    rows = list(
        qs.filter(status__in=RUNNING)
        .annotate(county=Substr("region_id", 1, 6))
        .values_list("county", "measure_type", "category", "status")
        .annotate(n=Count("*"), overdue=Count("next_test_due", filter=Q(next_test_due__lt=today)))
        .order_by()
    )
    care: dict[str, dict] = {}
    for kind in MeasureType.values:
        sub = [(c, n) for _county, t, c, _s, n, _o in rows if t == kind]
        care[kind] = {"total": sum(n for _, n in sub), "by_category": by_category(sub)}
    table = {
        c.code: {
            "county": c,
            "total": 0,
            "blocked": 0,
            "overdue": 0,
            **dict.fromkeys(MeasureType.values, 0),
        }  # fmt: skip
        for c in counties
    }
    for county, kind, _category, status, n, overdue in rows:
        row = table.get(county)
        if row is not None:
            row[kind] += n
            row["total"] += n
            row["blocked"] += n if status == "blocked" else 0
            row["overdue"] += overdue
    return care, list(table.values())
