"""`reports` in `fangkong stats --json`: today's reporting completeness of the home city."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import DailyReport, ReportingPeriod
from .schedule import UnitStatus, status_of


def reports_section(*, at: dt.datetime) -> dict:
    day = timezone.localdate(at)
    period = (
        ReportingPeriod.objects.filter(
            region_id=settings.HOME_CITY_CODE, starts_on__lte=day, ends_on__gte=day
        )
        .order_by("-starts_on")
        .first()
    )
    if period is None:
        return {"period": None}
    units = list(period.units.values_list("pk", flat=True))
    reports = {r.unit_id: r for r in DailyReport.objects.filter(period=period, day=day)}
    counts = dict.fromkeys(UnitStatus.values, 0)
    for unit in units:
        counts[status_of(reports.get(unit), period=period, day=day, now=at)] += 1
    return {"period": period.name, "date": day.isoformat(), "expected": len(units), **counts}
