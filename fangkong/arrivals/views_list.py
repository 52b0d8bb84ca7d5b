"""The arrivals list: filtered, 50 a page with a count per status, and as a masked sheet."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from fangkong.core.decorators import actor_required
from fangkong.core.downloads import sheet_or_back
from fangkong.core.params import day_param, name_param
from fangkong.core.roles import Perm
from fangkong.regions.selectors import region_child_choices, region_or_none

from .listsheet import arrival_list_sheet
from .models import ArrivalSource, ArrivalStatus
from .selectors import ArrivalFilters, arrival_counts, arrival_list

PAGE_SIZE = 50


def _filters(request) -> ArrivalFilters:
    """The list's filters from the query; a region the actor does not see is NotFound."""
    query, code = request.GET, request.GET.get("region", "")
    return {
        "region": region_or_none(request.actor, code),
        "day": day_param(query.get("day")),
        "name": name_param(query.get("q")),
        "source": query.get("source", ""),
    }


def _status(request) -> str:
    status = request.GET.get("status", ArrivalStatus.OPEN)
    return status if status in (*ArrivalStatus.values, "all") else ArrivalStatus.OPEN


@actor_required(Perm.ARRIVALS_VIEW)
def arrivals(request):
    """The arrivals in the actor's region, newest first, 50 a page: those still followed up
    (管理中), those closed, or all; narrowed by region, day of arrival, name and source."""
    actor, status, filters = request.actor, _status(request), _filters(request)
    listed = arrival_list(actor=actor, status="" if status == "all" else status, filters=filters)
    counts = arrival_counts(actor=actor, filters=filters)
    paginator = Paginator(listed, PAGE_SIZE)
    paginator.count = counts[status]  # counted with the tabs: not counted again
    return render(request, "arrivals/list.html", {
        "page": paginator.get_page(request.GET.get("page")), "status": status,
        "counts": counts, "filters": filters, "sources": ArrivalSource.choices,
        "regions": region_child_choices(actor=actor),
        "can_export": actor.can(Perm.PEOPLE_EXPORT),
    })  # fmt: skip


@actor_required(Perm.ARRIVALS_VIEW)
def arrivals_sheet(request):
    actor, status, filters = request.actor, _status(request), _filters(request)
    region = filters["region"]
    listed = arrival_list(actor=actor, status="" if status == "all" else status, filters=filters)
    return sheet_or_back(
        request,
        lambda: arrival_list_sheet(
            actor=actor, arrivals=listed, region_code=region.code if region else actor.scope_prefix
        ),
        filename=f"来返人员-{timezone.localdate():%Y%m%d}.xlsx",
        back=reverse("arrivals:list"),
    )
