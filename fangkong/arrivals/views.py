"""Arrivals pages: the public self-report form and its receipt, QR codes, and the desk views."""

from __future__ import annotations

import contextlib
from decimal import Decimal, InvalidOperation

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.accounts.middleware import client_ip
from fangkong.checkpoints.models import Checkpoint, CheckpointStatus
from fangkong.checkpoints.verdict import ObligationKind
from fangkong.core.categories import HealthCode
from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.identity import DocumentType
from fangkong.core.roles import Perm
from fangkong.core.text import list_text
from fangkong.regions.models import Level, Region

from .models import TravelMode
from .places import place_name
from .selectors import (
    arrival_get,
    arrival_obligations,
    monitoring_calendar,
    monitoring_due,
    monitoring_get,
    overdue_by_village,
)
from .selfreport import RateLimited, receipt_arrival, receipt_token, self_report_submit
from .services import monitoring_record, obligation_complete

PAGE_SIZE = 50
# Stored in Chinese, joined with 、 (as the checkpoints and sheets write them); shown translated.
SYMPTOMS = (
    gettext_noop("发热"),
    gettext_noop("咳嗽"),
    gettext_noop("乏力"),
    gettext_noop("咽痛"),
    gettext_noop("腹泻"),
    gettext_noop("嗅觉味觉减退"),
)


def _symptom_choices() -> list[tuple[str, str]]:
    return [(s, _(s)) for s in SYMPTOMS]


def _symptom_text(stored: str) -> str:
    return list_text(_(s) for s in stored.split("、") if s)


HONEYPOT = "website"


def _county_of(scope: str) -> Region:
    """A QR names a county (433101) or a checkpoint (jishou-east); either gives the county."""
    county_code = scope
    if not scope.isdigit():
        checkpoint = Checkpoint.objects.filter(code=scope).values_list("region_id", flat=True)
        county_code = (checkpoint.first() or "")[:6]
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None or not county.code.startswith(settings.HOME_CITY_CODE):
        raise Http404("no such county")
    return county


def _form_context(county: Region, values: dict, errors: dict) -> dict:
    return {
        "county": county,
        "values": values,
        "errors": errors,
        "document_types": DocumentType.choices,
        "health_codes": HealthCode.choices,
        "travel_modes": TravelMode.choices,
        "provinces": Region.objects.filter(level=Level.PROVINCE).order_by("code"),
        "townships": Region.objects.filter(parent=county).order_by("code"),
        "honeypot": HONEYPOT,
    }


@never_cache
def report(request, scope: str):
    county = _county_of(scope)
    if request.method != "POST":
        return render(request, "arrivals/report.html", _form_context(county, {}, {}))
    values = request.POST.dict()
    if values.get(HONEYPOT):
        # Only a script fills the hidden field; tell it nothing useful.
        return render(request, "arrivals/report_refused.html", status=400)
    values["destination"] = values.get("village") or values.get("township") or ""
    values["origin"] = values.get("origin_county") or values.get("origin_city") or ""
    values["itinerary_star"] = values.get("itinerary_star") == "on"
    values.setdefault("itinerary", "")
    try:
        result = self_report_submit(data=values, county_code=county.code, ip=client_ip(request))
    except RateLimited:
        return render(request, "arrivals/report_refused.html", {"rate_limited": True}, status=429)
    except ValidationFailed as exc:
        context = _form_context(county, values, exc.errors)
        return render(request, "arrivals/report.html", context, status=422)
    return redirect("arrivals:receipt", token=receipt_token(result.arrival))


@never_cache
def receipt(request, token: str):
    arrival = receipt_arrival(token)
    if arrival is None:
        raise Http404("receipt")
    county = arrival.region_id[:6]
    sites = Checkpoint.objects.filter(
        region__code__startswith=county, samples_on_site=True
    ).exclude(status=CheckpointStatus.CLOSED)
    obligations = [
        {"label": ObligationKind(o.kind).label, "due_at": o.due_at, "ends_at": o.ends_at,
         "status": o.get_status_display()}
        for o in arrival.obligations.all()
    ]  # fmt: skip
    return render(request, "arrivals/receipt.html", {
        "arrival": arrival, "obligations": obligations, "sites": sites,
        "destination": place_name(arrival.region_id), "origin": place_name(arrival.origin_code),
    })  # fmt: skip


def places(request):
    """<option>s for the children of a division: the cascading selects of the public form."""
    parent = request.GET.get("parent", "")
    children = Region.objects.filter(parent_id=parent).order_by("code") if parent.isdigit() else []
    return render(request, "arrivals/_options.html", {"children": children})


@actor_required(Perm.ARRIVALS_VIEW)
def qr_codes(request):
    actor = request.actor
    counties = Region.objects.filter(level=Level.COUNTY, code__startswith=actor.scope_prefix)
    if len(actor.scope_prefix) > 6:
        counties = Region.objects.filter(code=actor.scope_prefix[:6])
    checkpoints = Checkpoint.objects.visible_to(actor).exclude(status=CheckpointStatus.CLOSED)
    return render(
        request, "arrivals/qr_codes.html", {"counties": counties, "checkpoints": checkpoints}
    )


@actor_required(Perm.ARRIVALS_VIEW)
def qr_svg(request, scope: str):
    county = _county_of(scope)
    if not request.actor.sees_region_code(county.code) and not county.code.startswith(
        request.actor.scope_prefix[:6]
    ):
        raise Http404("qr")
    url = request.build_absolute_uri(reverse("arrivals:report", args=[scope]))
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2)
    return HttpResponse(svg, content_type="image/svg+xml")


@actor_required(Perm.ARRIVALS_VIEW)
def overdue(request):
    return render(
        request,
        "arrivals/overdue.html",
        {"counties": overdue_by_village(actor=request.actor), "now": timezone.now()},
    )


@actor_required(Perm.ARRIVALS_VIEW)
def detail(request, pk: int):
    arrival = arrival_get(actor=request.actor, pk=pk)
    return render(request, "arrivals/detail.html", {
        "arrival": arrival, "obligations": arrival_obligations(actor=request.actor,
                                                               arrival=arrival),
        "origin": place_name(arrival.origin_code),
    })  # fmt: skip


@require_POST
@actor_required(Perm.ARRIVALS_FOLLOW_UP)
def complete(request, pk: int, obligation_id: int):
    arrival = arrival_get(actor=request.actor, pk=pk)
    with contextlib.suppress(ValidationFailed):  # already done: the page shows it
        obligation_complete(actor=request.actor, obligation_id=obligation_id,
                            note=request.POST.get("note", ""))  # fmt: skip
    return redirect("arrivals:detail", pk=arrival.pk)


@actor_required(Perm.ARRIVALS_FOLLOW_UP)
def monitoring(request):
    """The grid worker's day: everyone under monitoring in the village, today's entry first."""
    return render(request, "arrivals/monitoring.html", {
        "rows": monitoring_due(actor=request.actor), "today": timezone.localdate(),
        "symptoms": _symptom_choices(),
    })  # fmt: skip


def _temperature(raw: str) -> tuple[Decimal | None, str]:
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    try:
        value = Decimal(raw).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        return None, _("体温应为数字，如 36.5")
    if not Decimal("34") <= value <= Decimal("43"):
        return None, _("体温 %(t)s ℃ 不合理，请复测") % {"t": value}
    return value, ""


@actor_required(Perm.ARRIVALS_FOLLOW_UP)
def monitoring_day(request, obligation_id: int):
    """One person's monitoring: the days so far, and the form for today (or a missed day)."""
    actor = request.actor
    obligation = monitoring_get(actor=actor, obligation_id=obligation_id)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    values = {"day": today.isoformat()}
    if request.method == "POST":
        values = request.POST.dict()
        temperature, problem = _temperature(values.get("temperature", ""))
        if problem:
            errors["temperature"] = [problem]
        elif temperature is None:
            errors["temperature"] = [_("请填写体温")]
        day = parse_date(values.get("day") or "") or today
        symptoms = "、".join(s for s in request.POST.getlist("symptom") if s in SYMPTOMS)
        if not errors:
            try:
                monitoring_record(actor=actor, obligation_id=obligation.pk, day=day,
                                  temperature=temperature, symptoms=symptoms)  # fmt: skip
            except ValidationFailed as exc:
                errors = exc.errors
        if not errors:
            messages.success(request, _("已记录 %(name)s %(day)s 体温 %(t)s ℃") % {
                "name": obligation.person.masked_name, "day": date_format(day, "MONTH_DAY_FORMAT"),
                "t": temperature,
            })  # fmt: skip
            return redirect("arrivals:monitoring")
    days = monitoring_calendar(obligation, today=today)
    for d in days:
        d["symptoms"] = _symptom_text(d["entry"].symptoms) if d["entry"] else ""
    return render(request, "arrivals/monitoring_day.html", {
        "obligation": obligation, "days": days, "values": values, "errors": errors,
        "symptoms": _symptom_choices(), "today": today,
    }, status=422 if errors else 200)  # fmt: skip
