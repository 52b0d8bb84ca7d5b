"""Measures pages: the county overview, a site's residents, one person's measure and its
actions. Thin: parse, call a selector or service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core.categories import PersonCategory
from fangkong.core.decorators import actor_required
from fangkong.core.downloads import sheet_or_back
from fangkong.core.errors import ValidationFailed
from fangkong.core.params import name_param
from fangkong.core.roles import Perm
from fangkong.labtests.services import nat_result_record
from fangkong.policies.models import MeasureType
from fangkong.regions.selectors import region_child_choices, region_or_none

from .access import measure_get, sites_for
from .checkins import checkin_link_issue, checkin_record, missed_checkins
from .listsheet import measure_list_sheet
from .models import Room, Status
from .placements import placement_transfer
from .planning import measure_replan
from .release import measure_extend, measure_release_early
from .schedule import overdue_by_place
from .selectors import (
    decorate_placements,
    measure_list,
    measure_timeline,
    occupancy_badge,
    overview,
    site_placements,
    site_with_occupancy_get,
)  # fmt: skip

# People per page on a site's resident list (cards on a phone; a full floor on a desk).
SITE_PAGE_SIZE = 100
# Today's missed check-ins listed on the overdue page (all are counted).
MISSED_SHOWN = 500


@actor_required(Perm.MEASURES_VIEW)
def overview_page(request):
    data = overview(actor=request.actor)
    for site in data["sites"]:
        site.badge = occupancy_badge(site)
    return render(request, "measures/overview.html", data)


def _list_filters(request) -> dict:
    """The list's filters from the query: status tab, category, measure type, region (one the
    actor does not see is NotFound) and part of a name."""
    query, actor = request.GET, request.actor
    code = query.get("region", "")
    return {
        "status": query.get("status", "running"),
        "category": query.get("category", ""),
        "measure_type": query.get("type", ""),
        "region": region_or_none(actor, code),
        "name": name_param(query.get("q")),
    }


@actor_required(Perm.MEASURES_VIEW)
def measure_list_page(request):
    actor, filters = request.actor, _list_filters(request)
    page = Paginator(measure_list(actor=actor, **filters), 50).get_page(request.GET.get("page"))
    return render(request, "measures/list.html", {
        "page": page, "statuses": Status.choices, "filters": filters,
        "categories": PersonCategory.choices, "types": MeasureType.choices,
        "regions": region_child_choices(actor=actor),
        "can_export": actor.can(Perm.PEOPLE_EXPORT),
    })  # fmt: skip


@actor_required(Perm.MEASURES_VIEW)
def measure_list_download(request):
    actor, filters = request.actor, _list_filters(request)
    region = filters["region"]
    listed = measure_list(actor=actor, **filters)
    return sheet_or_back(
        request,
        lambda: measure_list_sheet(
            actor=actor, measures=listed, region_code=region.code if region else actor.scope_prefix
        ),
        filename=f"管控人员-{timezone.localdate():%Y%m%d}.xlsx",
        back=reverse("measures:list"),
    )


@actor_required(Perm.MEASURES_VIEW)
def site_page(request, pk: int):
    site = site_with_occupancy_get(actor=request.actor, pk=pk)
    page = Paginator(site_placements(site=site), SITE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = decorate_placements(list(page.object_list))
    return render(
        request,
        "measures/site.html",
        {"site": site, "badge": occupancy_badge(site), "page": page, "placements": page},
    )


@actor_required(Perm.MEASURES_VIEW)
def detail_page(request, pk: int):
    measure = measure_get(actor=request.actor, pk=pk)
    context = {
        "measure": measure,
        **measure_timeline(measure),
        "sites": sites_for(request.actor).exclude(status="closed")
        if request.actor.can(Perm.MEASURES_MANAGE)
        else [],
        "link_token": request.session.pop(f"checkin-link-{pk}", None),
        "today": timezone.localdate(),
    }
    return render(request, "measures/detail.html", context)


@actor_required(Perm.MEASURES_VIEW)
def overdue_page(request):
    missed = missed_checkins(actor=request.actor)
    return render(
        request,
        "measures/overdue.html",
        {
            "groups": overdue_by_place(actor=request.actor),
            "missed": list(missed[:MISSED_SHOWN]),
            "missed_count": missed.count(),
        },
    )


def _act(request, pk: int, action, success: str):
    # Out-of-scope or missing answers 404 before any input is judged.
    measure_get(actor=request.actor, pk=pk)
    try:
        action()
        messages.success(request, success)
    except ValidationFailed as exc:
        for errors in exc.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("measures:detail", pk=pk)


@require_POST
@actor_required(Perm.MEASURES_MANAGE)
def checkin_action(request, pk: int):
    return _act(
        request,
        pk,
        lambda: checkin_record(
            actor=request.actor,
            measure_id=pk,
            temperature=request.POST.get("temperature"),
            symptoms=request.POST.get("symptoms", ""),
        ),
        _("已记录体温和症状"),
    )


@require_POST
@actor_required(Perm.MEASURES_MANAGE)
def link_action(request, pk: int):
    def issue():
        token = checkin_link_issue(actor=request.actor, measure_id=pk)
        request.session[f"checkin-link-{pk}"] = token

    return _act(request, pk, issue, _("已生成新的打卡链接，旧链接已失效"))


@require_POST
@actor_required(Perm.LABTESTS_RECORD)
def result_action(request, pk: int):
    measure = measure_get(actor=request.actor, pk=pk)
    sampled = parse_datetime(request.POST.get("sampled_at", "") or "")

    def record():
        if sampled is None:
            raise ValidationFailed({"sampled_at": [_("请填写采样时间，如 2022-01-10 08:30")]})
        aware = (
            sampled
            if sampled.tzinfo
            else sampled.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
        )
        nat_result_record(
            actor=request.actor,
            person=measure.person,
            sampled_at=aware,
            result=request.POST.get("result", ""),
            lab=request.POST.get("lab", ""),
            purpose="scheduled",
        )

    return _act(request, pk, record, _("已录入核酸结果"))


@require_POST
@actor_required(Perm.MEASURES_OVERRIDE)
def extend_action(request, pk: int):
    try:
        days = int(request.POST.get("days", "0"))
    except ValueError:
        days = 0
    return _act(
        request,
        pk,
        lambda: measure_extend(
            actor=request.actor, measure_id=pk, days=days, reason=request.POST.get("reason", "")
        ),
        _("已延长管控期限"),
    )


@require_POST
@actor_required(Perm.MEASURES_OVERRIDE)
def release_action(request, pk: int):
    return _act(
        request,
        pk,
        lambda: measure_release_early(
            actor=request.actor,
            measure_id=pk,
            reason=request.POST.get("reason", ""),
            to_next_stage=request.POST.get("to_next_stage") == "1",
        ),
        _("已提前解除"),
    )


@require_POST
@actor_required(Perm.MEASURES_MANAGE)
def transfer_action(request, pk: int):
    try:
        site_id = int(request.POST.get("site", ""))
    except ValueError:
        site_id = 0
    number = request.POST.get("room", "").strip()

    def transfer():
        room_id = None
        if number:
            room = Room.objects.filter(site_id=site_id, number=number).first()
            if room is None:
                raise ValidationFailed({"room": [_("该隔离点没有房间 %(r)s") % {"r": number}]})
            room_id = room.pk
        placement_transfer(
            actor=request.actor,
            measure_id=pk,
            site_id=site_id,
            room_id=room_id,
            reason=request.POST.get("reason", ""),
        )

    return _act(request, pk, transfer, _("已转移隔离点"))


@require_POST
@actor_required(Perm.MEASURES_OVERRIDE)
def replan_action(request, pk: int):
    return _act(
        request,
        pk,
        lambda: measure_replan(
            actor=request.actor, measure_id=pk, reason=request.POST.get("reason", "")
        ),
        _("已按政策最新版本重新规划"),
    )
