"""Reads: periods, a unit's reports, one report, and the completeness board.

Everything starts from visible_to(actor): a report, a unit or a period outside the actor's
region is NotFound (404), exactly like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.roles import Perm
from fangkong.org.models import CommandUnit

from .models import DailyReport, ReportingPeriod
from .schedule import UnitStatus, period_days, status_of


def actor_unit(actor: Actor) -> CommandUnit | None:
    """The reporting unit the actor's role assignment belongs to, if any."""
    if actor.assignment_id is None:
        return None
    from fangkong.accounts.models import RoleAssignment

    unit_id = (
        RoleAssignment.objects.filter(pk=actor.assignment_id).values_list("unit_id", flat=True)
    ).first()
    if unit_id is None:
        return None
    return CommandUnit.objects.filter(pk=unit_id).first()


def period_current(*, actor: Actor, on: dt.date | None = None) -> ReportingPeriod | None:
    """The period in force on a day whose region holds the actor's region (or lies in it)."""
    actor.require(Perm.REPORTS_VIEW)
    on = on or timezone.localdate()
    code = actor.region.code
    prefixes = [code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)]
    qs = ReportingPeriod.objects.filter(starts_on__lte=on, ends_on__gte=on).select_related(
        "template", "hq", "region"
    )
    return (
        qs.filter(region_id__in=prefixes).order_by("-starts_on").first()
        or qs.visible_to(actor).order_by("-starts_on").first()
    )


def period_latest(*, actor: Actor) -> ReportingPeriod | None:
    """The current period, else the most recent one the actor may see."""
    found = period_current(actor=actor)
    if found is not None:
        return found
    code = actor.region.code
    prefixes = [code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)]
    return (
        ReportingPeriod.objects.filter(region_id__in=prefixes)
        .select_related("template", "hq", "region")
        .order_by("-starts_on")
        .first()
    )


def period_get(*, actor: Actor, pk: int) -> ReportingPeriod:
    actor.require(Perm.REPORTS_VIEW)
    code = actor.region.code
    prefixes = [code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)]
    found = (
        ReportingPeriod.objects.filter(pk=pk, region_id__in=prefixes)
        .select_related("template", "hq", "region")
        .first()
    )
    if found is None:
        raise NotFound(ReportingPeriod._meta.verbose_name)
    return found


def report_get(*, actor: Actor, pk: int) -> DailyReport:
    actor.require(Perm.REPORTS_VIEW)
    try:
        return (
            DailyReport.objects.visible_to(actor)
            .select_related("period", "period__template", "unit", "returned_by")
            .get(pk=pk)
        )
    except (DailyReport.DoesNotExist, ValueError, TypeError):
        raise NotFound(DailyReport._meta.verbose_name) from None


def units_visible(*, actor: Actor, period: ReportingPeriod) -> list[CommandUnit]:
    return list(
        period.units.all()
        .visible_to(actor)
        .select_related("parent")
        .order_by("region_id", "sort_order", "id")
    )


def unit_reports(
    *, actor: Actor, period: ReportingPeriod, unit: CommandUnit
) -> list[dict[str, Any]]:
    """The unit's days in the period up to the open day, newest first, with their status."""
    now = timezone.now()
    from .schedule import open_day

    days = period_days(period, until=open_day(period, now=now))
    reports = {
        r.day: r for r in DailyReport.objects.visible_to(actor).filter(period=period, unit=unit)
    }
    rows = []
    for day in reversed(days):
        report = reports.get(day)
        rows.append(
            {
                "day": day,
                "report": report,
                "status": status_of(report, period=period, day=day, now=now),
            }
        )
    return rows


def completeness(*, actor: Actor, period: ReportingPeriod, day: dt.date) -> dict[str, Any]:
    """Every visible unit's status on a day, and the counts: three queries."""
    actor.require(Perm.REPORTS_VIEW)
    now = timezone.now()
    units = units_visible(actor=actor, period=period) if period.covers(day) else []
    reports = {
        r.unit_id: r
        for r in DailyReport.objects.visible_to(actor).filter(
            period=period, day=day, unit__in=[u.pk for u in units]
        )
    }
    rows = []
    counts = dict.fromkeys(UnitStatus.values, 0)
    for unit in units:
        report = reports.get(unit.pk)
        status = status_of(report, period=period, day=day, now=now)
        counts[status] += 1
        rows.append({"unit": unit, "report": report, "status": status})
    return {"date": day, "expected": len(units), "counts": counts, "units": rows}


def _rate(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def board(*, actor: Actor, period: ReportingPeriod, until: dt.date) -> dict[str, Any]:
    """Units × days with statuses, and completeness and timeliness rates per day and unit.

    Completeness: reports in (submitted at any time, including returned ones) ÷ expected.
    Timeliness: reports first submitted by the cut-off ÷ expected. Days still open (before
    their cut-off) are shown but left out of the rates.
    """
    actor.require(Perm.REPORTS_VIEW)
    now = timezone.now()
    days = period_days(period, until=until)
    units = units_visible(actor=actor, period=period)
    reports = {
        (r.unit_id, r.day): r
        for r in DailyReport.objects.visible_to(actor)
        .filter(period=period, day__in=days)
        .only("id", "unit_id", "day", "status", "is_zero", "late", "first_submitted_at")
    }
    cells: dict[tuple[int, dt.date], str] = {}
    for unit in units:
        for day in days:
            cells[unit.pk, day] = status_of(reports.get((unit.pk, day)), period=period, day=day,
                                            now=now)  # fmt: skip
    closed = [d for d in days if UnitStatus.PENDING not in {cells[u.pk, d] for u in units}]

    def tally(statuses: list[str]) -> dict[str, Any]:
        n = len(statuses)
        filed = sum(s not in (UnitStatus.MISSING, UnitStatus.PENDING) for s in statuses)
        timely = sum(s in (UnitStatus.ON_TIME, UnitStatus.ZERO) for s in statuses)
        return {"completeness": _rate(filed, n), "timeliness": _rate(timely, n), "expected": n}

    per_day = {d: tally([cells[u.pk, d] for u in units]) for d in days}
    per_unit = {u.pk: tally([cells[u.pk, d] for d in closed]) for u in units}
    grid = [
        {"unit": u, "cells": [cells[u.pk, d] for d in days], "rates": per_unit[u.pk]} for u in units
    ]
    overall = tally([cells[u.pk, d] for u in units for d in closed])
    return {"days": days, "rows": grid, "per_day": per_day, "overall": overall}
