"""Report pages: my unit's days, the form with pre-filled figures, the one-click zero report,
a report with its versions, the completeness board, and the bulletins."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.roles import Perm

from . import selectors, services
from .bulletins import bulletin_request
from .models import Bulletin, BulletinFormat, BulletinStatus
from .schedule import (
    SHORT_LABEL,
    STATUS_BADGE,
    UnitStatus,
    cutoff_at,
    is_locked,
    open_day,
    status_of,
)
from .templates_data import shown

# A period of months holds a bulletin or two a day: newest first, a month or so a page.
BULLETIN_PAGE_SIZE = 60


def _day(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        raise NotFound("date") from None


def _period(actor):
    period = selectors.period_latest(actor=actor)
    if period is None:
        raise NotFound(_("报告周期"))
    return period


def _badge(status: str, *, short: bool = False) -> dict:
    label = SHORT_LABEL[status] if short else UnitStatus(status).label
    return {"status": status, "label": label, "colour": STATUS_BADGE[status]}


@actor_required(Perm.REPORTS_VIEW)
def home(request):
    actor = request.actor
    period = selectors.period_latest(actor=actor)
    unit = selectors.actor_unit(actor)
    rows = []
    if (
        period
        and unit
        and actor.can(Perm.REPORTS_SUBMIT)
        and period.units.filter(pk=unit.pk).exists()
    ):
        rows = selectors.unit_reports(actor=actor, period=period, unit=unit)
        for row in rows:
            row["badge"] = _badge(row["status"])
    now = timezone.now()
    return render(request, "reports/home.html", {
        "period": period, "unit": unit, "rows": rows,
        "open_day": open_day(period, now=now) if period else None,
        "cutoff": cutoff_at(period, open_day(period, now=now)) if period else None,
    })  # fmt: skip


def _form_values(request, report) -> tuple[dict, dict, dict]:
    template = report.period.template
    figures = {i["key"]: request.POST.get(f"fig-{i['key']}", "").strip()
               for i in template.figure_items()}  # fmt: skip
    corrections = {i["key"]: request.POST.get(f"why-{i['key']}", "").strip()
                   for i in template.figure_items()}  # fmt: skip
    texts = {s["key"]: request.POST.get(f"text-{s['key']}", "") for s in template.text_items()}
    return figures, corrections, texts


@actor_required(Perm.REPORTS_SUBMIT)
def report_form(request, day: str):
    actor = request.actor
    period = _period(actor)
    unit = selectors.actor_unit(actor)
    if unit is None:
        raise NotFound(_("报告单位"))
    try:
        report = services.report_open(actor=actor, period=period, unit=unit,
                                      day=_day(day, timezone.localdate()))  # fmt: skip
    except ValidationFailed:
        raise Http404 from None
    errors: dict = {}
    if request.method == "POST":
        figures, corrections, texts = _form_values(request, report)
        try:
            if request.POST.get("action") == "draft":
                services.report_save_draft(actor=actor, report=report, figures=figures,
                                           texts=texts, corrections=corrections)  # fmt: skip
                messages.success(request, _("草稿已保存。"))
            else:
                services.report_submit(actor=actor, report=report, figures=figures, texts=texts,
                                       corrections=corrections,
                                       reason=request.POST.get("reason", ""))  # fmt: skip
                messages.success(request, _("%(day)s 日报告已报送。") % {"day": report.day})
                return redirect("reports:home")
        except ValidationFailed as exc:
            errors = exc.errors
            report.figures, report.corrections, report.texts = figures, corrections, texts
    items = [
        {**shown(item), "value": report.figures.get(item["key"], ""),
         "prefilled": report.prefilled.get(item["key"]),
         "reason": report.corrections.get(item["key"], ""),
         "errors": errors.get(item["key"], [])}
        for item in report.period.template.figure_items()
    ]  # fmt: skip
    sections = [{**shown(s), "value": report.texts.get(s["key"], "")}
                for s in report.period.template.text_items()]  # fmt: skip
    status = _badge(status_of(report, period=period, day=report.day, now=timezone.now()))
    return render(request, "reports/form.html", {
        "report": report, "items": items, "sections": sections, "errors": errors,
        "locked": is_locked(report, now=timezone.now()), "badge": status,
        "cutoff": cutoff_at(period, report.day),
    }, status=422 if errors else 200)  # fmt: skip


@require_POST
@actor_required(Perm.REPORTS_SUBMIT)
def report_zero(request, day: str):
    actor = request.actor
    period = _period(actor)
    unit = selectors.actor_unit(actor)
    if unit is None:
        raise NotFound(_("报告单位"))
    try:
        report = services.report_open(actor=actor, period=period, unit=unit,
                                      day=_day(day, timezone.localdate()))  # fmt: skip
        services.report_submit_zero(actor=actor, report=report,
                                    reason=request.POST.get("reason", ""))  # fmt: skip
    except ValidationFailed as exc:
        messages.error(request, " ".join(str(m) for ms in exc.errors.values() for m in ms))
        return redirect("reports:form", day=day)
    messages.success(request, _("已报送 %(day)s 零报告：今日无新增情况。") % {"day": report.day})
    return redirect("reports:home")


@actor_required(Perm.REPORTS_VIEW)
def report_detail(request, pk: int):
    actor = request.actor
    report = selectors.report_get(actor=actor, pk=pk)
    versions = list(report.versions.select_related("created_by").order_by("-number"))
    labels = {i["key"]: shown(i) for i in report.period.template.figure_items()}
    figures = [{"label": labels[k]["label"], "unit": labels[k]["unit"], "value": v,
                "prefilled": report.prefilled.get(k), "reason": report.corrections.get(k, "")}
               for k, v in report.figures.items() if k in labels]  # fmt: skip
    status = status_of(report, period=report.period, day=report.day, now=timezone.now())
    return render(request, "reports/detail.html", {
        "report": report, "versions": versions, "figures": figures, "badge": _badge(status),
        "texts": [(shown(s)["title"], report.texts.get(s["key"], ""))
                  for s in report.period.template.text_items()],
        "can_return": actor.can(Perm.REPORTS_REVIEW) and report.status == "submitted",
    })  # fmt: skip


@require_POST
@actor_required(Perm.REPORTS_REVIEW)
def report_return(request, pk: int):
    actor = request.actor
    report = selectors.report_get(actor=actor, pk=pk)
    try:
        services.report_return(actor=actor, report=report, reason=request.POST.get("reason", ""))
    except ValidationFailed as exc:
        messages.error(request, " ".join(str(m) for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, _("已退回“%(unit)s”的报告。") % {"unit": report.unit.name})
    return redirect("reports:detail", pk=pk)


@actor_required(Perm.REPORTS_VIEW)
def board(request):
    actor = request.actor
    period = _period(actor)
    today = min(timezone.localdate(), period.ends_on)
    day = _day(request.GET.get("date"), today)
    result = selectors.board(actor=actor, period=period, until=max(day, period.starts_on))
    shown = result["days"][-14:]
    offset = len(result["days"]) - len(shown)
    rows = [
        {**row, "cells": [_badge(s, short=True) for s in row["cells"][offset:]]}
        for row in result["rows"]
    ]
    today_rows = selectors.completeness(actor=actor, period=period, day=day)
    for row in today_rows["units"]:
        row["badge"] = _badge(row["status"])
    return render(request, "reports/board.html", {
        "period": period, "day": day, "days": shown, "rows": rows,
        "per_day": [result["per_day"][d] for d in shown], "overall": result["overall"],
        "today": today_rows, "statuses": [_badge(s) for s in UnitStatus.values],
        "can_chase": actor.can(Perm.REPORTS_REVIEW)
        and (today_rows["counts"]["pending"] or today_rows["counts"]["missing"]),
    })  # fmt: skip


@require_POST
@actor_required(Perm.REPORTS_REVIEW)
def chase(request):
    from .reminders import units_chase

    actor = request.actor
    period = _period(actor)
    day = _day(request.POST.get("date"), timezone.localdate())
    chased = units_chase(actor=actor, period=period, day=day)
    messages.success(request, _("已向 %(n)d 个未报单位催报。") % {"n": len(chased)})
    return redirect(f"{reverse('reports:board')}?date={day.isoformat()}")


@actor_required(Perm.REPORTS_VIEW)
def bulletins(request):
    actor = request.actor
    period = _period(actor)
    if request.method == "POST":
        actor.require(Perm.REPORTS_REVIEW)
        try:
            bulletin_request(actor=actor, period=period,
                             day=_day(request.POST.get("date"), timezone.localdate()),
                             fmt=request.POST.get("format", BulletinFormat.DOCX))  # fmt: skip
        except ValidationFailed as exc:
            messages.error(request, " ".join(str(m) for ms in exc.errors.values() for m in ms))
        else:
            messages.success(request, _("已开始生成综合日报，完成后可在下方下载。"))
        return redirect("reports:bulletins")
    items = Bulletin.objects.visible_to(actor).filter(period=period)
    page = Paginator(items, BULLETIN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/bulletins.html", {
        "period": period, "page": page, "can_compile": actor.can(Perm.REPORTS_REVIEW),
        "default_day": min(timezone.localdate(), period.ends_on), "formats": BulletinFormat,
    })  # fmt: skip


@actor_required(Perm.REPORTS_VIEW)
def bulletin_download(request, pk: int):
    bulletin = Bulletin.objects.get_visible(request.actor, pk=pk)
    if bulletin.status != BulletinStatus.DONE or not bulletin.file:
        raise NotFound(Bulletin._meta.verbose_name)
    name = (bulletin.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(bulletin.file.open("rb"), as_attachment=True, filename=name)
