"""Reads for the measures pages. Every list runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Max, Min, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils import timezone

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.params import day_bounds
from fangkong.regions.models import Level, Region

from .access import measures_for, sites_for
from .models import RUNNING, CheckIn, Measure, Placement, Room, Site
from .stats import care_by_county

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Occupancy(TypedDict):
    beds_total: int | None
    beds_used: int | None


if TYPE_CHECKING:
    SiteWithOccupancy = WithAnnotations[Site, Occupancy]


def sites_with_occupancy(*, actor: Actor) -> QuerySet[SiteWithOccupancy]:
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


def site_with_occupancy_get(*, actor: Actor, pk: int) -> SiteWithOccupancy:
    """One site in the actor's scope with its beds and occupancy, in one query."""
    try:
        return sites_with_occupancy(actor=actor).get(pk=pk)
    except (Site.DoesNotExist, ValueError, TypeError):
        raise NotFound(Site._meta.verbose_name) from None


def occupancy_badge(site: SiteWithOccupancy) -> str:
    beds, used = site.beds_total or 0, site.beds_used or 0
    if beds and used * 100 >= beds * site.warning_percent:
        return "red" if used >= beds else "orange"
    return "green"


def site_placements(*, site: Site) -> QuerySet[Placement]:
    """Open placements at a site, in room order (paginate, then decorate).

    Pass a site from `site_get`/`site_with_occupancy_get`: seeing the site is seeing its
    residents (a placed person's measure carries the site's region, decision 0010), so no
    second scope filter joins the measures table here.
    """
    return (
        Placement.objects.filter(site=site, ended_at__isnull=True)
        .select_related("room")
        # The page is sorted and cut on placements and rooms alone; its measures and people
        # follow in one query by key (joined before the sort, PostgreSQL scanned all measures).
        .prefetch_related(Prefetch("measure", Measure.objects.select_related("person")))
        .order_by("room__floor", "room__number", "bed", "pk")
    )


def decorate_placements(rows: list[Placement], today: dt.date | None = None) -> list[Placement]:
    """The last check-in for one page of placements (one query; the next test due is kept
    on the measure)."""
    today = today or timezone.localdate()
    ids = [row.measure_id for row in rows]
    latest = CheckIn.objects.filter(measure=OuterRef("measure_id")).order_by("-at")
    last = {
        c.measure_id: c
        for c in CheckIn.objects.filter(
            measure_id__in=ids, pk=Subquery(latest.values("pk")[:1])
        ).only("measure_id", "at", "temperature")
    }
    for row in rows:
        row.next_due = row.measure.next_test_due
        checkin = last.get(row.measure_id)
        row.last_checkin_at = checkin.at if checkin else None
        row.last_temperature = checkin.temperature if checkin else None
        row.due_badge = (
            "red"
            if row.next_due and row.next_due < today
            else "orange"
            if row.next_due == today
            else "blue"
        )
    return rows


def overview(*, actor: Actor) -> dict[str, Any]:
    qs = measures_for(actor)
    counties = Region.objects.filter(
        level=Level.COUNTY, code__startswith=actor.region.code[:6]
    ).order_by("code")
    if actor.region.level > Level.COUNTY:
        counties = Region.objects.filter(code=actor.region.code[:6])
    today = timezone.localdate()
    start, end = day_bounds(today)
    care, by_county = care_by_county(qs, counties=list(counties), today=today)
    flags = {
        "blocked": sum(row["blocked"] for row in by_county),
        "overdue": sum(row["overdue"] for row in by_county),
        "admitted_today": qs.filter(started_at__gte=start, started_at__lt=end).count(),
        "released_today": qs.filter(ended_at__gte=start, ended_at__lt=end).count(),
    }
    return {
        "care": care,
        "counties": by_county,
        "sites": list(sites_with_occupancy(actor=actor).order_by("region_id", "name")),
        "flags": flags,
    }


def measure_list(
    *,
    actor: Actor,
    status: str = "running",
    category: str = "",
    measure_type: str = "",
    region: Region | None = None,
    name: str = "",
) -> QuerySet[Measure]:
    """The measures the actor sees, narrowed by status ("running": active or blocked), the
    person's category, the current measure type, a region's subtree and part of a name."""
    qs = measures_for(actor).select_related("person", "site", "room", "region")
    if status == "running":
        qs = qs.filter(status__in=RUNNING)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if measure_type:
        qs = qs.filter(measure_type=measure_type)
    if region is not None:
        qs = qs.filter(region__code__startswith=region.code)
    if name:
        qs = qs.filter(person__name__contains=name)
    return qs.order_by("-status", "stage_ends_at", "pk")


def measure_timeline(measure: Measure) -> dict[str, Any]:
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
