"""Reads of arrivals and their obligations, scoped to the actor's region."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fangkong.core.actor import Actor
from fangkong.core.params import day_bounds
from fangkong.core.roles import Perm
from fangkong.regions.models import Region

from .models import Arrival, ArrivalObligation, ArrivalSource, ArrivalStatus, ObligationStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class MonitoringCounts(TypedDict):
    days_recorded: int
    recorded_today: int


if TYPE_CHECKING:
    MonitoredObligation = WithAnnotations[ArrivalObligation, MonitoringCounts]

DEADLINE_KINDS = ("arrival_test", "sample_on_site", "village_verification", "fever_clinic",
                  "hospital_transfer", "centralised_quarantine", "await_site")  # fmt: skip


class ArrivalFilters(TypedDict, total=False):
    """What the arrivals list is narrowed to: a region's subtree, a day of arrival, part of a
    name, how the arrival became known."""

    region: Region | None
    day: dt.date | None
    name: str
    source: str


def _arrivals(actor: Actor, filters: ArrivalFilters) -> QuerySet[Arrival]:
    actor.require(Perm.ARRIVALS_VIEW)
    arrivals = Arrival.objects.visible_to(actor)
    if (region := filters.get("region")) is not None:
        arrivals = arrivals.filter(region__code__startswith=region.code)
    if (day := filters.get("day")) is not None:
        start, end = day_bounds(day)
        arrivals = arrivals.filter(arrived_at__gte=start, arrived_at__lt=end)
    if name := filters.get("name"):
        arrivals = arrivals.filter(person__name__contains=name)
    if (source := filters.get("source")) in ArrivalSource.values:
        arrivals = arrivals.filter(source=source)
    return arrivals


def arrival_list(
    *, actor: Actor, status: str = "", filters: ArrivalFilters | None = None
) -> QuerySet[Arrival]:
    arrivals = _arrivals(actor, filters or {}).select_related("person", "region")
    if status:
        arrivals = arrivals.filter(status=status)
    return arrivals


def arrival_counts(*, actor: Actor, filters: ArrivalFilters | None = None) -> dict[str, int]:
    """The actor's arrivals (narrowed by the list's filters) by status, for the list's tabs:
    one query."""
    return _arrivals(actor, filters or {}).aggregate(
        open=Count("id", filter=Q(status=ArrivalStatus.OPEN)),
        closed=Count("id", filter=Q(status=ArrivalStatus.CLOSED)),
        all=Count("id"),
    )


def arrival_get(*, actor: Actor, pk: int) -> Arrival:
    actor.require(Perm.ARRIVALS_VIEW)
    return Arrival.objects.select_related("person", "region").get_visible(actor, pk=pk)


def arrival_obligations(*, actor: Actor, arrival: Arrival) -> QuerySet[ArrivalObligation]:
    return (
        ArrivalObligation.objects.visible_to(actor)
        .filter(arrival=arrival)
        .annotate(days_recorded=Count("days"))
    )


def overdue_list(*, actor: Actor, now: dt.datetime | None = None) -> QuerySet[ArrivalObligation]:
    """Open obligations past their deadline, the oldest first."""
    actor.require(Perm.ARRIVALS_VIEW)
    now = now or timezone.now()
    return (
        ArrivalObligation.objects.visible_to(actor)
        .filter(status=ObligationStatus.OPEN, kind__in=DEADLINE_KINDS, due_at__lt=now)
        .select_related("person", "region")
        .order_by("due_at")
    )


def _missed_days(obligation: Mapping[str, Any], recorded: int, today: dt.date) -> int:
    start = timezone.localdate(obligation["due_at"])
    end = min(timezone.localdate(obligation["ends_at"]), today - dt.timedelta(days=1))
    expected = (end - start).days + 1 if end >= start else 0
    return max(expected - recorded, 0)


def overdue_by_village(*, actor: Actor, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per village: overdue arrival tests, other overdue tasks and missed monitoring days,
    with a total row per county. Two queries however many villages."""
    actor.require(Perm.ARRIVALS_VIEW)
    return overdue_rollup(ArrivalObligation.objects.visible_to(actor), now=now)


def overdue_rollup(obligations: QuerySet[ArrivalObligation], *, now: dt.datetime | None = None
                   ) -> list[dict[str, Any]]:  # fmt: skip
    """The roll-up of overdue_by_village over the given obligations (already scoped)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows: dict[str, dict[str, int]] = defaultdict(
        lambda: {"tests": 0, "tasks": 0, "missed_days": 0}
    )
    overdue = (
        obligations.filter(status=ObligationStatus.OPEN, kind__in=DEADLINE_KINDS, due_at__lt=now)
        .values("region_id")
        .annotate(
            tests=Count("pk", filter=Q(kind__in=("arrival_test", "sample_on_site"))),
            tasks=Count("pk", filter=~Q(kind__in=("arrival_test", "sample_on_site"))),
        )
        .order_by()
    )
    for row in overdue:
        rows[row["region_id"]].update(tests=row["tests"], tasks=row["tasks"])
    monitoring = (
        obligations.filter(
            status=ObligationStatus.OPEN, kind="health_monitoring", due_at__lt=now, ends_at__gt=now
        )  # fmt: skip
        .values("pk", "region_id", "due_at", "ends_at")
        .annotate(recorded=Count("days"))
        .order_by()
    )
    for entry in monitoring:
        missed = _missed_days(entry, entry["recorded"], today)
        if missed:
            rows[entry["region_id"]]["missed_days"] += missed
    counties: dict[str, dict[str, Any]] = {}
    for code in sorted(rows):
        county = counties.setdefault(
            code[:6],
            {"code": code[:6], "tests": 0, "tasks": 0, "missed_days": 0, "villages": []},
        )
        values = rows[code]
        county["villages"].append({"code": code, **values})
        for key in ("tests", "tasks", "missed_days"):
            county[key] += values[key]
    return list(counties.values())


def monitoring_due(*, actor: Actor, now: dt.datetime | None = None) -> list[MonitoredObligation]:
    """Monitoring running today in the actor's region, today's entry still missing first; each
    with its day number, days recorded and days missed so far. One query."""
    actor.require(Perm.ARRIVALS_VIEW)
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = list(
        ArrivalObligation.objects.visible_to(actor)
        .filter(
            status=ObligationStatus.OPEN, kind="health_monitoring", due_at__lte=now, ends_at__gt=now
        )  # fmt: skip
        .select_related("person", "region")
        .annotate(
            days_recorded=Count("days"), recorded_today=Count("days", filter=Q(days__day=today))
        )  # fmt: skip
        .order_by("recorded_today", "region_id", "due_at")
    )
    for row in rows:
        row.day_number = (today - timezone.localdate(row.due_at)).days + 1
        row.total_days = (timezone.localdate(row.ends_at) - timezone.localdate(row.due_at)).days
        row.days_missed = _missed_days(
            {"due_at": row.due_at, "ends_at": row.ends_at}, row.days_recorded - row.recorded_today,
            today,
        )  # fmt: skip
    return rows


def monitoring_get(*, actor: Actor, obligation_id: int) -> ArrivalObligation:
    actor.require(Perm.ARRIVALS_VIEW)
    return ArrivalObligation.objects.select_related("person", "region", "arrival").get_visible(
        actor, pk=obligation_id, kind="health_monitoring"
    )


def monitoring_calendar(obligation: ArrivalObligation, *, today: dt.date) -> list[dict[str, Any]]:
    """Every day of the period up to today: recorded (with the entry) or not."""
    entries = {d.day: d for d in obligation.days.all()}
    start = timezone.localdate(obligation.due_at)
    end = min(timezone.localdate(obligation.ends_at), today)
    days = []
    day = start
    while day <= end:
        days.append({"day": day, "number": (day - start).days + 1, "entry": entries.get(day)})
        day += dt.timedelta(days=1)
    return days
