"""Pages of the command organisation: the unit tree, unit forms, the duty roster."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.flash import form_errors
from fangkong.core.roles import Perm

from . import selectors, services
from .forms import DutyFilterForm, DutyForm, UnitCreateForm, UnitEditForm
from .models import UnitKind

ROSTER_DAYS_BACK = 7
ROSTER_DAYS_AHEAD = 7


@actor_required(Perm.ORG_VIEW)
def overview(request):
    actor = request.actor
    return render(
        request,
        "org/overview.html",
        {
            "tree": selectors.unit_tree(actor=actor),
            "can_manage": actor.can(Perm.ORG_MANAGE),
        },
    )


@actor_required(Perm.ORG_MANAGE)
def unit_create(request):
    actor = request.actor
    parents = list(selectors.unit_parent_choices(actor=actor))
    regions = list(selectors.unit_region_choices(actor=actor))
    initial = {
        "kind": request.GET.get("kind") or UnitKind.WORK_GROUP,
        "sort_order": 0,
        # The actor's own HQ, the usual home of a new group.
        "parent": parents[0].pk if parents else None,
    }
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = UnitCreateForm(request.POST or None, initial=initial, parents=parents, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(
                actor=actor,
                kind=data["kind"],
                name=data["name"],
                parent_id=data["parent"],
                region_code=data["region"] or None,
                duties=data["duties"],
                reports_daily=data["reports_daily"],
                sort_order=data["sort_order"],
                lead_unit=data["lead_unit"],
                member_units=data["member_units"],
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已新设“%(name)s”。") % {"name": unit.name})
            return redirect(f"{reverse('org:overview')}#unit-{unit.pk}")
    return render(request, "org/unit_form.html", {"form": form, "unit": None})


@actor_required(Perm.ORG_MANAGE)
def unit_edit(request, pk: int):
    actor = request.actor
    unit = selectors.unit_get(actor=actor, pk=pk)
    members = list(unit.members.all())
    initial = {
        "name": unit.name,
        "duties": unit.duties,
        "reports_daily": unit.reports_daily,
        "sort_order": unit.sort_order,
        "lead_unit": next((m.department for m in members if m.is_lead), ""),
        "member_units": "\n".join(m.department for m in members if not m.is_lead),
    }
    form = UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.unit_update(
                actor=actor,
                unit_id=unit.pk,
                name=data["name"],
                duties=data["duties"],
                reports_daily=data["reports_daily"],
                sort_order=data["sort_order"],
                lead_unit=data["lead_unit"],
                member_units=data["member_units"],
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": data["name"]})
            return redirect(f"{reverse('org:overview')}#unit-{unit.pk}")
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


@actor_required(Perm.ORG_VIEW)
def duty(request):
    actor = request.actor
    units = list(selectors.duty_unit_choices(actor=actor))
    form = DutyFilterForm(request.GET or None, units=units)
    today = timezone.localdate()
    center, unit_id = today, None
    if form.is_valid():
        center = form.cleaned_data["date"] or today
        unit_id = form.cleaned_data["unit"]
    first_day = center - dt.timedelta(days=ROSTER_DAYS_BACK)
    last_day = center + dt.timedelta(days=ROSTER_DAYS_AHEAD)
    days = selectors.duty_roster(
        actor=actor, first_day=first_day, last_day=last_day, unit_id=unit_id
    )
    return render(
        request,
        "org/duty.html",
        {
            "form": form,
            "days": days,
            # The chosen day and the week after it first, then the week before, latest first.
            "days_ahead": [d for d in days if d.day >= center],
            "days_before": [d for d in reversed(days) if d.day < center],
            "center": center,
            "first_day": first_day,
            "last_day": last_day,
            "today": today,
            "now": timezone.now(),
            "earlier": center - dt.timedelta(days=ROSTER_DAYS_BACK + ROSTER_DAYS_AHEAD + 1),
            "later": center + dt.timedelta(days=ROSTER_DAYS_BACK + ROSTER_DAYS_AHEAD + 1),
            "unit_id": unit_id,
            "on_duty": selectors.duty_on_now(actor=actor),
            "has_units": bool(units),
            "can_assign": actor.can(Perm.DUTY_MANAGE) and bool(units),
        },
    )


@actor_required(Perm.DUTY_MANAGE)
def duty_create(request):
    actor = request.actor
    units = list(selectors.duty_unit_choices(actor=actor))
    chosen = request.POST.get("unit") or request.GET.get("unit")
    if not chosen and len(units) == 1:
        chosen = str(units[0].pk)
    unit = next((u for u in units if str(u.pk) == chosen), None)
    if unit is None:
        # Step one: which unit's roster. The people offered depend on the unit's region.
        return render(request, "org/duty_unit.html", {"units": units})
    candidates = selectors.duty_candidates(actor=actor, unit=unit)
    form = DutyForm(
        request.POST or None,
        initial=_duty_initial(actor, unit),
        units=units,
        candidates=candidates,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shift = services.duty_assign(
                actor=actor,
                unit_id=data["unit"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                leader_id=data["leader"],
                officer_id=data["officer"],
                phone=data["phone"],
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("已排班：%(unit)s %(start)s 至 %(end)s，带班 %(leader)s，值班 %(officer)s。")
                % {
                    "unit": unit.name,
                    "start": timezone.localtime(shift.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "end": timezone.localtime(shift.ends_at).strftime("%Y-%m-%d %H:%M"),
                    "leader": shift.leader,
                    "officer": shift.officer,
                },
            )
            day = timezone.localtime(shift.starts_at).date().isoformat()
            return redirect(f"{reverse('org:duty')}?date={day}&unit={unit.pk}")
    return render(
        request,
        "org/duty_form.html",
        {"form": form, "unit": unit, "choose_unit": len(units) > 1},
    )


def _duty_initial(actor, unit) -> dict:
    """The next shift starts where the unit's roster ends (or at the next full hour) and
    lasts 12 hours, the usual day and night halves."""
    now = timezone.localtime()
    next_hour = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    latest = selectors.duty_latest_end(actor=actor, unit=unit)
    start = max(next_hour, timezone.localtime(latest)) if latest else next_hour
    return {
        "unit": unit.pk,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=12),
    }
