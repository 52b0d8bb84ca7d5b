"""Figure providers for the modules present: read-only aggregates over their models.

Each answers {code: {key: n}} for the regions under `prefix`, grouped by the first `group`
digits of the region code, for the window (start, end]; one grouped query per family.
Stock figures (in care, open, overdue) are taken at `end`; flows count events in the window.
The `<key>` names here are the keys of the report template and the dashboard.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.db.models import Aggregate, Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

Rows = dict[str, dict[str, float]]


def _grouped(
    qs: QuerySet, aggregates: Mapping[str, Aggregate], *, group: int, field: str = "region_id"
) -> Rows:
    rows: Rows = defaultdict(dict)
    for row in (
        qs.annotate(_code=Substr(field, 1, group)).values("_code").annotate(**aggregates).order_by()
    ):
        code = row.pop("_code")
        for key, value in row.items():
            rows[code][key] = value
    return rows


def _zero(prefix: str, group: int, keys: list[str]) -> Rows:
    return {prefix[:group]: dict.fromkeys(keys, 0)} if len(prefix) >= group else {}


def _merge(base: Rows, extra: Rows) -> Rows:
    for code, figures in extra.items():
        base.setdefault(code, {}).update(figures)
    return base


def screening_figures(*, prefix: str, start: dt.datetime, end: dt.datetime, group: int) -> Rows:
    from fangkong.screening.models import ScreeningRecord, Status

    # A person merged into another record is counted once, as the progress pages do.
    qs = ScreeningRecord.objects.filter(region__code__startswith=prefix, merged_into__isnull=True)
    is_open = ~Q(status=Status.CLOSED) & Q(created_at__lte=end)
    aggregates = {
        "screening.received": Count("pk", filter=Q(created_at__gt=start, created_at__lte=end)),
        "screening.checked": Count("pk", filter=Q(checked_at__gt=start, checked_at__lte=end)),
        "screening.closed": Count("pk", filter=Q(closed_at__gt=start, closed_at__lte=end)),
        "screening.total": Count("pk", filter=Q(created_at__lte=end)),
        "screening.four_clear": Count("pk", filter=Q(four_clear=True, created_at__lte=end)),
        "screening.open": Count("pk", filter=is_open),
        "screening.overdue": Count("pk", filter=is_open & Q(deadline__lt=end)),
    }
    return _merge(_zero(prefix, group, list(aggregates)), _grouped(qs, aggregates, group=group))


CATEGORIES = ("close_contact", "secondary_contact", "inbound", "risk_area", "other")


def measures_figures(*, prefix: str, start: dt.datetime, end: dt.datetime, group: int) -> Rows:
    """People in care at `end` by measure and category; admissions and releases in the window.

    In care at an instant: started by then and not ended by then (cancelled measures never
    count). For the current moment this is exactly the running measures.
    """
    from fangkong.measures.models import Measure, Status

    qs = Measure.objects.filter(region__code__startswith=prefix).exclude(status=Status.CANCELLED)
    in_care = Q(started_at__lte=end) & (Q(ended_at__isnull=True) | Q(ended_at__gt=end))
    central = in_care & Q(measure_type="centralised")
    aggregates = {
        "measures.centralised": Count("pk", filter=central),
        **{
            f"measures.centralised.{c}": Count("pk", filter=central & Q(category=c))
            for c in CATEGORIES
            if c != "other"
        },
        "measures.centralised.other_all": Count(
            "pk", filter=central & ~Q(category__in=CATEGORIES[:4])
        ),
        "measures.home_quarantine": Count("pk", filter=in_care & Q(measure_type="home_quarantine")),
        "measures.home_monitoring": Count("pk", filter=in_care & Q(measure_type="home_monitoring")),
        "measures.admitted": Count("pk", filter=Q(started_at__gt=start, started_at__lte=end)),
        "measures.released": Count("pk", filter=Q(ended_at__gt=start, ended_at__lte=end)),
    }
    rows = _merge(_zero(prefix, group, list(aggregates)), _grouped(qs, aggregates, group=group))
    for figures in rows.values():
        figures["measures.centralised.other"] = figures.pop("measures.centralised.other_all", 0)
    # Scheduled tests still pending after their day, for people still under a measure.
    from fangkong.measures.models import RUNNING, ScheduledTest

    overdue = ScheduledTest.objects.filter(
        measure__region__code__startswith=prefix,
        measure__status__in=RUNNING,
        status="pending",
        due_date__lt=timezone.localdate(end),
    )
    for figures in rows.values():
        figures.setdefault("measures.overdue_tests", 0)
    return _merge(
        rows,
        _grouped(
            overdue, {"measures.overdue_tests": Count("*")}, group=group, field="measure__region_id"
        ),
    )


def labtests_figures(*, prefix: str, start: dt.datetime, end: dt.datetime, group: int) -> Rows:
    from fangkong.labtests.models import NatTest

    qs = NatTest.objects.filter(
        region__code__startswith=prefix, sampled_at__gt=start, sampled_at__lte=end
    )
    aggregates = {
        "tests.sampled": Count("*"),
        "tests.positive": Count("pk", filter=Q(result="positive")),
    }
    return _merge(_zero(prefix, group, list(aggregates)), _grouped(qs, aggregates, group=group))


def arrivals_figures(*, prefix: str, start: dt.datetime, end: dt.datetime, group: int) -> Rows:
    from fangkong.arrivals.models import Arrival, ArrivalObligation

    arrivals = Arrival.objects.filter(
        region__code__startswith=prefix, arrived_at__gt=start, arrived_at__lte=end
    )
    rows = _merge(
        _zero(prefix, group, ["arrivals.new", "arrivals.overdue_tests"]),
        _grouped(arrivals, {"arrivals.new": Count("*")}, group=group),
    )
    overdue = ArrivalObligation.objects.filter(
        region__code__startswith=prefix, kind="arrival_test", status="open", due_at__lt=end
    )
    return _merge(rows, _grouped(overdue, {"arrivals.overdue_tests": Count("*")}, group=group))


VERDICTS = ("transfer", "turn_back", "sample_on_site", "pass_with_arrival_test", "pass")


def checkpoints_figures(*, prefix: str, start: dt.datetime, end: dt.datetime, group: int) -> Rows:
    from fangkong.checkpoints.models import CheckRecord

    qs = CheckRecord.objects.filter(
        region__code__startswith=prefix, checked_at__gt=start, checked_at__lte=end
    )
    aggregates = {
        "checks.total": Count("*"),
        **{f"checks.{v}": Count("pk", filter=Q(verdict=v)) for v in VERDICTS},
    }
    return _merge(_zero(prefix, group, list(aggregates)), _grouped(qs, aggregates, group=group))
