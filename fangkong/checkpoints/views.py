"""Checkpoint pages: the registry, the phone page that records a check, the shift tallies."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core.categories import HealthCode
from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.flash import form_errors
from fangkong.core.identity import DocumentType
from fangkong.core.roles import Perm

from .checks import clean_check
from .forms import CheckpointForm
from .pickers import (
    DESTINATION_FIELDS,
    ORIGIN_FIELDS,
    PICKED_MESSAGES,
    itinerary_codes,
    picked,
    picker_choices,
    unknown_cities_message,
)
from .registry import checkpoint_create, checkpoint_update
from .selectors import (
    TALLY_FIELDS,
    checkpoint_get,
    checkpoint_list,
    checkpoint_tally,
    recent_checks,
    shift_bounds,
    tallies_by_checkpoint,
)
from .services import checkpoint_check

TALLY_LABELS = {
    "checked": gettext_lazy("核验人数"), "green": gettext_lazy("绿码"),
    "yellow": gettext_lazy("黄码"), "red": gettext_lazy("红码"),
    "sampled": gettext_lazy("现场采样"), "transferred": gettext_lazy("转运"),
    "pushed": gettext_lazy("推送村（社区）"), "turned_back": gettext_lazy("劝返"),
    "arrival_tests": gettext_lazy("落地检"), "passed": gettext_lazy("放行"),
}  # fmt: skip


@actor_required(Perm.CHECKPOINTS_VIEW)
def checkpoints(request):
    actor = request.actor
    start, end = shift_bounds(timezone.localdate())
    rows = list(checkpoint_list(actor=actor))
    tallies = tallies_by_checkpoint(actor=actor, start=start, end=end)
    for row in rows:
        row.tally = tallies.get(row.pk, {})
    return render(request, "checkpoints/list.html", {
        "checkpoints": rows, "can_manage": actor.can(Perm.CHECKPOINTS_MANAGE),
        "can_check": actor.can(Perm.CHECKPOINTS_CHECK),
    })  # fmt: skip


def _saved(request, form: CheckpointForm, save) -> bool:
    """Run the service on a valid form; its errors go back onto the form's fields."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationFailed as exc:
        form_errors(form, exc)
        return False
    return True


@actor_required(Perm.CHECKPOINTS_MANAGE)
def create(request):
    actor = request.actor
    form = CheckpointForm(request.POST or None, scope=actor.scope_prefix,
                          initial={"status": "active", "samples_on_site": True})  # fmt: skip
    if request.method == "POST" and _saved(
        request, form, lambda data: checkpoint_create(actor=actor, data=data)
    ):
        messages.success(request, _("已新设服务点“%(name)s”") % {"name": form.cleaned_data["name"]})
        return redirect("checkpoints:list")
    status = 422 if request.method == "POST" else 200
    return render(request, "checkpoints/form.html", {"form": form, "checkpoint": None},
                  status=status)  # fmt: skip


@actor_required(Perm.CHECKPOINTS_MANAGE)
def edit(request, code: str):
    actor = request.actor
    checkpoint = checkpoint_get(actor=actor, code=code)
    initial = {
        f: getattr(checkpoint, f)
        for f in (
            "name",
            "type",
            "address",
            "leads_to",
            "status",
            "staff_on_duty",
            "samples_on_site",
        )
    }
    initial["region"] = checkpoint.region_id
    form = CheckpointForm(request.POST or None, scope=actor.scope_prefix, editing=True,
                          initial=initial)  # fmt: skip
    if request.method == "POST" and _saved(
        request, form, lambda data: checkpoint_update(actor=actor, code=code, data=data)
    ):
        messages.success(request, _("已保存“%(name)s”") % {"name": form.cleaned_data["name"]})
        return redirect("checkpoints:list")
    status = 422 if request.method == "POST" else 200
    return render(request, "checkpoints/form.html", {"form": form, "checkpoint": checkpoint},
                  status=status)  # fmt: skip


def _form_values(post) -> dict:
    """The form as the check takes it: a place typed as a code, or else the finest picked."""
    values = post.dict()
    values["itinerary_star"] = values.get("itinerary_star") == "on"
    values["itinerary"], values["unknown_cities"] = itinerary_codes(values.get("itinerary", ""))
    values["origin"] = values.get("origin") or picked(values, ORIGIN_FIELDS)
    values["destination"] = values.get("destination") or picked(values, DESTINATION_FIELDS)
    return values


def _picker_errors(post, values: dict, errors: dict) -> dict:
    """A place not typed as a code is asked for as the pickers ask, not as a code; a city
    on the way written by a name no city has is named as written."""
    asked = dict(errors)
    for field, message in PICKED_MESSAGES.items():
        if field in asked and not post.get(field):
            asked[field] = [str(message)]
    if "itinerary" in asked and values["unknown_cities"]:
        asked["itinerary"] = [unknown_cities_message(values["unknown_cities"])]
    return asked


@actor_required(Perm.CHECKPOINTS_CHECK)
def check(request, code: str):
    actor = request.actor
    checkpoint = checkpoint_get(actor=actor, code=code)
    shown: dict[str, Any] = {}
    context: dict[str, Any] = {"errors": {}, "outcome": None}
    status = 200
    if request.method == "POST":
        values = _form_values(request.POST)
        if not values.get("arrival_at"):
            values["arrival_at"] = timezone.localtime().isoformat()
        try:
            given = clean_check(values)
            context["outcome"] = checkpoint_check(actor=actor, code=checkpoint.code, given=given)
            # Keep the destination and origin for the next traveller of the same group.
            shown = {k: values.get(k, "") for k in (*ORIGIN_FIELDS, *DESTINATION_FIELDS)}
        except ValidationFailed as exc:
            errors = _picker_errors(request.POST, values, exc.errors)
            shown, context["errors"] = (
                {**values, "itinerary": request.POST.get("itinerary", "")},
                errors,
            )
            status = 422
    return render(request, "checkpoints/check.html", {
        **context, "checkpoint": checkpoint, "values": shown,
        "pickers": picker_choices(shown, checkpoint.region_id[:6]),
        "document_types": DocumentType.choices, "health_codes": HealthCode.choices,
    }, status=status)  # fmt: skip


@actor_required(Perm.CHECKPOINTS_VIEW)
def tally(request, code: str):
    actor = request.actor
    checkpoint = checkpoint_get(actor=actor, code=code)
    shift = request.GET.get("shift", "day")
    start, end = shift_bounds(timezone.localdate(), shift=shift)
    counts = checkpoint_tally(actor=actor, checkpoint=checkpoint, start=start, end=end)
    figures = [(TALLY_LABELS[f], counts.get(f) or 0) for f in TALLY_FIELDS]
    return render(request, "checkpoints/tally.html", {
        "checkpoint": checkpoint, "figures": figures, "shift": shift, "start": start,
        "end": end, "recent": recent_checks(actor=actor, checkpoint=checkpoint),
        "can_check": actor.can(Perm.CHECKPOINTS_CHECK),
    })  # fmt: skip
