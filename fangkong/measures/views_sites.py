"""Quarantine site pages: the list, creating and editing a site, its rooms and readiness."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm

from .access import site_get
from .models import SiteKind, SiteStatus
from .selectors import occupancy_badge, sites_with_occupancy
from .sites import (
    SITE_FIELDS,
    room_delete,
    room_update,
    rooms_add,
    rooms_with_use,
    site_create,
    site_readiness_update,
    site_regions,
    site_staff_choices,
    site_update,
)  # fmt: skip


def _errors(request, exc: ValidationFailed) -> dict:
    for errors in exc.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return exc.errors


@actor_required(Perm.MEASURES_VIEW)
def site_list(request):
    sites = list(sites_with_occupancy(actor=request.actor).order_by("region_id", "name"))
    for site in sites:
        site.badge = occupancy_badge(site)
    return render(request, "measures/sites.html", {"sites": sites})


def _form_context(request, site=None, values=None, errors=None) -> dict:
    region = (values or {}).get("region_id") or (site.region_id if site else None)
    return {
        "site": site,
        "values": values or {},
        "errors": errors or {},
        "regions": site_regions(actor=request.actor),
        "kinds": SiteKind.choices,
        "statuses": SiteStatus.choices,
        "staff_choices": site_staff_choices(actor=request.actor, region_code=region),
        "staff_ids": {int(i) for i in (values or {}).get("staff", [])}
        if values
        else set(site.staff.values_list("pk", flat=True))
        if site
        else set(),
    }


def _posted(request) -> dict:
    values = {k: request.POST.get(k, "") for k in SITE_FIELDS}
    values["staff"] = [i for i in request.POST.getlist("staff") if i.isdigit()]
    return values


@actor_required(Perm.SITES_MANAGE)
def site_new(request):
    if request.method == "POST":
        values = _posted(request)
        try:
            site = site_create(
                actor=request.actor,
                staff_ids=values["staff"],
                **{k: v for k, v in values.items() if k != "staff"},
            )
        except ValidationFailed as exc:
            context = _form_context(request, values=values, errors=_errors(request, exc))
            return render(request, "measures/site_form.html", context, status=422)
        messages.success(request, _("已新建隔离点“%(name)s”，请添加房间") % {"name": site.name})
        return redirect("measures:site_rooms", pk=site.pk)
    values = {"region_id": request.actor.region.code, "warning_percent": 90}
    return render(request, "measures/site_form.html", _form_context(request, values=values))


@actor_required(Perm.SITES_MANAGE)
def site_edit(request, pk: int):
    site = site_get(actor=request.actor, pk=pk)
    if request.method == "POST":
        values = _posted(request)
        try:
            site_update(
                actor=request.actor,
                site_id=site.pk,
                staff_ids=values["staff"],
                **{k: v for k, v in values.items() if k != "staff"},
            )
        except ValidationFailed as exc:
            context = _form_context(request, site, values=values, errors=_errors(request, exc))
            return render(request, "measures/site_form.html", context, status=422)
        messages.success(request, _("已保存隔离点信息"))
        return redirect("measures:site", pk=site.pk)
    return render(request, "measures/site_form.html", _form_context(request, site))


@require_POST
@actor_required(Perm.SITES_MANAGE)
def site_readiness(request, pk: int):
    site = site_get(actor=request.actor, pk=pk)
    raw_date = request.POST.get("last_drill_on", "").strip()
    try:
        drill = parse_date(raw_date) if raw_date else None
        if raw_date and drill is None:
            raise ValidationFailed({"last_drill_on": [_("演练日期格式应为 2022-01-10")]})
        site_readiness_update(
            actor=request.actor,
            site_id=site.pk,
            supplies_ready=request.POST.get("supplies_ready") == "1",
            staff_ready=request.POST.get("staff_ready") == "1",
            last_drill_on=drill,
        )
        messages.success(request, _("已更新准备情况"))
    except (ValidationFailed, ValueError) as exc:
        if isinstance(exc, ValidationFailed):
            _errors(request, exc)
        else:
            messages.error(request, _("演练日期格式应为 2022-01-10"))
    return redirect("measures:site", pk=site.pk)


@actor_required(Perm.SITES_MANAGE)
def site_rooms(request, pk: int):
    site = site_get(actor=request.actor, pk=pk)
    if request.method == "POST":
        try:
            added = rooms_add(
                actor=request.actor,
                site_id=site.pk,
                numbers=request.POST.get("numbers", ""),
                floor=request.POST.get("floor", "1"),
                beds=request.POST.get("beds", "1"),
            )
            messages.success(request, _("已添加 %(n)d 个房间") % {"n": len(added)})
        except ValidationFailed as exc:
            _errors(request, exc)
        return redirect("measures:site_rooms", pk=site.pk)
    rooms = list(rooms_with_use(site))
    return render(
        request,
        "measures/site_rooms.html",
        {"site": site, "rooms": rooms, "beds": sum(r.beds for r in rooms),
         "used": sum(r.used for r in rooms)},
    )  # fmt: skip


@require_POST
@actor_required(Perm.SITES_MANAGE)
def room_action(request, pk: int, room_id: int):
    site = site_get(actor=request.actor, pk=pk)
    try:
        if request.POST.get("action") == "delete":
            room_delete(actor=request.actor, site_id=site.pk, room_id=room_id)
            messages.success(request, _("已删除房间"))
        else:
            room_update(
                actor=request.actor, site_id=site.pk, room_id=room_id,
                beds=request.POST.get("beds"),
            )  # fmt: skip
            messages.success(request, _("已更新床位数"))
    except ValidationFailed as exc:
        _errors(request, exc)
    return redirect("measures:site_rooms", pk=site.pk)
