"""Starting a measure by hand: find the person by document (or name), pick the category and,
for centralised quarantine, the site and room."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangkong.core.categories import PersonCategory
from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.people.selectors import person_get, person_search

from .access import site_get
from .models import RUNNING, Measure, Room, SiteStatus
from .planning import measure_start
from .selectors import occupancy_badge, sites_with_occupancy

RISK_LEVELS = (("high", _("高风险")), ("medium", _("中风险")))


def _context(request, person=None, values=None, errors=None) -> dict:
    sites = []
    if person is not None:
        sites = list(
            sites_with_occupancy(actor=request.actor)
            .exclude(status=SiteStatus.CLOSED)
            .order_by("region_id", "name")
        )
        for site in sites:
            site.badge = occupancy_badge(site)
    return {
        "person": person,
        "running": Measure.objects.filter(person=person, status__in=RUNNING).first()
        if person
        else None,
        "categories": PersonCategory.choices,
        "risk_levels": RISK_LEVELS,
        "sites": sites,
        "values": values or {},
        "errors": errors or {},
    }


@actor_required(Perm.MEASURES_MANAGE)
def start_page(request):
    query = request.GET.get("q", "").strip()
    person_id = request.POST.get("person") or request.GET.get("person")
    if person_id:
        person = person_get(actor=request.actor, pk=person_id)
        if request.method == "POST":
            return _start(request, person)
        return render(request, "measures/start.html", _context(request, person))
    context = _context(request)
    context["query"] = query
    if query:
        try:
            context["found"] = list(person_search(actor=request.actor, query=query)[:20])
        except ValidationFailed as exc:
            context["errors"] = exc.errors
    return render(request, "measures/start.html", context)


def _start(request, person):
    values = {
        k: request.POST.get(k, "").strip() for k in ("category", "risk_level", "site", "room")
    }
    try:
        site = room = None
        if values["site"]:
            site = site_get(actor=request.actor, pk=values["site"])
            if values["room"]:
                room = Room.objects.filter(site=site, number=values["room"]).first()
                if room is None:
                    raise ValidationFailed(
                        {
                            "room": [
                                _("隔离点“%(s)s”没有房间 %(r)s")
                                % {"s": site.name, "r": values["room"]}
                            ]
                        }
                    )
        measure = measure_start(
            actor=request.actor,
            person=person,
            category=values["category"],
            risk_level=values["risk_level"] or None,
            site=site,
            room=room,
        )
    except ValidationFailed as exc:
        for errors in exc.errors.values():
            for error in errors:
                messages.error(request, str(error))
        context = _context(request, person, values=values, errors=exc.errors)
        return render(request, "measures/start.html", context, status=422)
    messages.success(
        request,
        _("已对 %(name)s 启动%(type)s，计划 %(end)s 解除")
        % {
            "name": person.masked_name,
            "type": measure.get_measure_type_display(),
            "end": measure.planned_end_at.strftime("%Y-%m-%d"),
        },
    )
    return redirect("measures:detail", pk=measure.pk)
