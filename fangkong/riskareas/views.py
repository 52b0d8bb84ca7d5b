"""The risk-area list (everyone in the field) and an area's history; the HQ lifts areas."""

from __future__ import annotations

import contextlib

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.roles import Perm

from .models import RiskArea
from .selectors import riskarea_counts, riskarea_history, riskarea_list
from .services import riskarea_lift

PAGE_SIZE = 50


@actor_required(Perm.RISKAREAS_VIEW)
def areas(request):
    """The areas in force (or all, lifted ones too), of one level or both, found by name or
    code; 50 a page, the filters kept from page to page."""
    now = timezone.now()
    level = request.GET.get("level", "")
    current = request.GET.get("all") != "1"
    query = request.GET.get("q", "").strip()
    rows = riskarea_list(level=level, in_force_at=now if current else None, query=query)
    return render(request, "riskareas/list.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "counts": riskarea_counts(at=now), "level": level, "current": current, "query": query,
    })  # fmt: skip


def _area(pk: int) -> RiskArea:
    area = RiskArea.objects.filter(pk=pk).first()
    if area is None:
        raise NotFound(RiskArea._meta.verbose_name)
    return area


@actor_required(Perm.RISKAREAS_VIEW)
def history(request, pk: int):
    area = _area(pk)
    return render(request, "riskareas/history.html",
                  {"area": area, "changes": riskarea_history(area=area)})  # fmt: skip


@require_POST
@actor_required(Perm.RISKAREAS_MANAGE)
def lift(request, pk: int):
    area = _area(pk)
    with contextlib.suppress(ValidationFailed):  # already lifted: the history says so
        riskarea_lift(actor=request.actor, area_id=area.pk, note=request.POST.get("note", ""))
    return redirect("riskareas:history", pk=area.pk)
