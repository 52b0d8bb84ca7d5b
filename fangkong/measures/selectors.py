"""Reads for the measures pages. Every list runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from fangkong.core.actor import Actor
from fangkong.regions.models import Level, Region

from .access import measures_for, sites_for
from .models import RUNNING, CheckIn, Measure, Placement, Room, SampleStatus, ScheduledTest, Site
from .stats import county_overview, in_care


def sites_with_occupancy(*, actor: Actor) -> QuerySet[Site]:
    beds = Subquery(
        Room.objects.filter(site=OuterRef("pk"))
        .values("site")
        .annotate(n=Sum("beds"))
        .values("n")[:1]
    )
    used = Subquery(
        Placement.objects.filter(site=OuterRef("pk"), ended_at__isnull=True)
        .values("site")
        .annotate(n=Count("*"))
        .values("n")[:1]
    )
    return sites_for(actor).select_related("region").annotate(beds_total=beds, beds_used=used)


def occupancy_badge(site: Site) -> str:
    beds, used = site.beds_total or 0, site.beds_used or 0
    if beds and used * 100 >= beds * site.warning_percent:
        return "red" if used >= beds else "orange"
    return "green"


def site_placements(*, actor: Actor, site: Site, today: dt.date | None = None) -> list[Placement]:
    """Open placements at the site with the next test due and the last check-in: one query."""
    today = today or timezone.localdate()
    next_due = ScheduledTest.objects.filter(
        measure=OuterRef("measure_id"), status=SampleStatus.PENDING
    )
    last_checkin = CheckIn.objects.filter(measure=OuterRef("measure_id")).order_by("-at")
    rows = list(
        Placement.objects.filter(
            site=site, ended_at__isnull=True, measure__in=measures_for(actor).values("pk")
        )
        .select_related("room", "measure__person")
        .annotate(
            next_due=Subquery(next_due.order_by("due_date").values("due_date")[:1]),
            last_checkin_at=Subquery(last_checkin.values("at")[:1]),
            last_temperature=Subquery(last_checkin.values("temperature")[:1]),
        )
        .order_by("room__floor", "room__number", "bed")
    )
    for row in rows:
        row.due_badge = (
            "red"
            if row.next_due and row.next_due < today
            else "orange"
            if row.next_due == today
            else "blue"
        )
    return rows


def overview(*, actor: Actor) -> dict:
    qs = measures_for(actor)
    counties = Region.objects.filter(
        level=Level.COUNTY, code__startswith=actor.region.code[:6]
    ).order_by("code")
    if actor.region.level > Level.COUNTY:
        counties = Region.objects.filter(code=actor.region.code[:6])
    today = timezone.localdate()
    flags = qs.aggregate(
        blocked=Count("pk", filter=Q(status="blocked")),
        admitted_today=Count("pk", filter=Q(started_at__date=today)),
        released_today=Count("pk", filter=Q(ended_at__date=today)),
    )
    overdue = ScheduledTest.objects.filter(
        measure__in=qs.filter(status__in=RUNNING).values("pk"),
        status=SampleStatus.PENDING,
        due_date__lt=today,
    ).count()
    return {
        "care": in_care(qs),
        "counties": county_overview(qs, counties=list(counties)),
        "sites": list(sites_with_occupancy(actor=actor).order_by("region_id", "name")),
        "flags": flags | {"overdue": overdue},
    }


def measure_list(
    *, actor: Actor, status: str = "running", category: str = "", measure_type: str = ""
) -> QuerySet[Measure]:
    qs = measures_for(actor).select_related("person", "site", "room", "region")
    if status == "running":
        qs = qs.filter(status__in=RUNNING)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if measure_type:
        qs = qs.filter(measure_type=measure_type)
    return qs.order_by("-status", "stage_ends_at", "pk")


def measure_timeline(measure: Measure) -> dict:
    return {
        "stages": list(measure.stages.order_by("order")),
        "tests": list(measure.scheduled_tests.select_related("test", "stage").order_by("due_date")),
        "checkins": list(measure.checkins.order_by("-day", "-slot")[:20]),
        "placements": list(measure.placements.select_related("site", "room")),
        "first_pending": measure.scheduled_tests.filter(status="pending").aggregate(
            d=Min("due_date")
        )["d"],
        "last_checkin": measure.checkins.aggregate(at=Max("at"))["at"],
    }
