"""Writes: periods, drafts, submissions, the one-click zero report, amendments and returns.

Every submission is a new ReportVersion, kept forever. Before the cut-off a unit may submit
again freely; after it a submitted report is locked and a change is an amendment that needs a
reason. A figure the platform pre-filled may be corrected, with a reason for each correction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound, PermissionDenied, ValidationFailed
from fangkong.core.roles import Perm
from fangkong.org.models import CommandUnit

from . import figures as figure_registry
from .models import (
    DEFAULT_CUTOFF,
    DailyReport,
    ReportingPeriod,
    ReportStatus,
    ReportTemplate,
    ReportVersion,
    VersionKind,
)
from .schedule import cutoff_at, is_locked, window
from .selectors import actor_unit
from .templates_data import default_template, shown

ZERO_TEXT = "今日无新增情况"


@transaction.atomic
def period_create(
    *,
    actor: Actor,
    name: str,
    hq: CommandUnit,
    starts_on: dt.date,
    ends_on: dt.date,
    units: list[CommandUnit],
    cutoff: dt.time = DEFAULT_CUTOFF,
    template: ReportTemplate | None = None,
) -> ReportingPeriod:
    actor.require(Perm.REPORTS_REVIEW)
    if not actor.sees_region_code(hq.region_id):
        raise NotFound(CommandUnit._meta.verbose_name)
    if ends_on < starts_on:
        raise ValidationFailed({"ends_on": [_("结束日期不能早于开始日期")]})
    period = ReportingPeriod.objects.create(
        name=name,
        hq=hq,
        region_id=hq.region_id,
        starts_on=starts_on,
        ends_on=ends_on,
        cutoff=cutoff,
        template=template or default_template(),
    )
    period.units.set([u for u in units if u.region_id.startswith(hq.region_id)])
    audit_record(actor=actor, action="reports.period.created", obj=period,
                 changes={"units": [u.pk for u in units]})  # fmt: skip
    return period


def default_units(hq: CommandUnit) -> list[CommandUnit]:
    """The HQ's work groups and work teams, and the HQs below it, that report daily."""
    return list(CommandUnit.objects.filter(parent=hq, reports_daily=True).order_by("sort_order"))


def platform_figures(*, report: DailyReport) -> dict[str, float]:
    """The template's figures the platform knows for the unit's region and the report's day."""
    found = figure_registry.region_figures(window(report.period, report.day, report.unit.region_id))
    return figure_registry.prefill(
        template_items=report.period.template.figure_items(), figures=found
    )


def _own_unit(actor: Actor, unit: CommandUnit) -> None:
    actor.require(Perm.REPORTS_SUBMIT)
    if not actor.sees_region_code(unit.region_id):
        raise NotFound(CommandUnit._meta.verbose_name)
    own = actor_unit(actor)
    if own is None or own.pk != unit.pk:
        raise PermissionDenied(Perm.REPORTS_SUBMIT)


def report_open(
    *, actor: Actor, period: ReportingPeriod, unit: CommandUnit, day: dt.date
) -> DailyReport:
    """The unit's report for a day, created as a draft with the platform's figures."""
    _own_unit(actor, unit)
    if not period.covers(day) or not period.units.filter(pk=unit.pk).exists():
        raise ValidationFailed({"day": [_("该单位在这一天无须报告")]})
    report, created = DailyReport.objects.get_or_create(
        period=period, unit=unit, day=day, defaults={"region_id": unit.region_id}
    )
    if report.status == ReportStatus.DRAFT:
        report.prefilled = platform_figures(report=report)
        for key, value in report.prefilled.items():
            if key not in report.corrections:
                report.figures[key] = value
        report.save(update_fields=["prefilled", "figures", "updated_at"])
    return report


def _clean_figures(
    report: DailyReport, figures: dict[str, Any], corrections: dict[str, Any]
) -> tuple[dict[str, float], dict[str, str]]:
    errors: dict[str, list[str]] = {}
    items = {i["key"]: shown(i) for i in report.period.template.figure_items()}
    clean: dict[str, float] = {}
    for key, item in items.items():
        raw = figures.get(key)
        if raw in (None, ""):
            raw = report.prefilled.get(key, 0)
        try:
            value = float(raw) if item.get("unit") == "%" else int(raw)
        except (TypeError, ValueError):
            errors[key] = [_("“%(label)s”须填数字") % {"label": item["label"]}]
            continue
        if value < 0:
            errors[key] = [_("“%(label)s”不能为负数") % {"label": item["label"]}]
        clean[key] = value
    reasons: dict[str, str] = {}
    for key, value in clean.items():
        if key in report.prefilled and value != report.prefilled[key]:
            reason = (corrections.get(key) or "").strip()
            if not reason:
                errors[key] = [
                    _("“%(label)s”与平台数据（%(value)s）不一致，请说明更正原因")
                    % {"label": items[key]["label"], "value": report.prefilled[key]}
                ]
            reasons[key] = reason[:200]
    if errors:
        raise ValidationFailed(errors)
    return clean, reasons


def _version(report: DailyReport, *, actor: Actor, now: dt.datetime, reason: str) -> ReportVersion:
    if report.first_submitted_at is None:
        kind = VersionKind.ZERO if report.is_zero else VersionKind.SUBMIT
    elif report.status == ReportStatus.RETURNED:
        kind = VersionKind.RESUBMIT
    elif is_locked(report, now=now):
        if not reason.strip():
            raise ValidationFailed({"reason": [_("已过截止时间，更正须说明原因")]})
        kind = VersionKind.AMEND
    else:
        kind = VersionKind.ZERO if report.is_zero else VersionKind.SUBMIT
    late = now > cutoff_at(report.period, report.day)
    report.version += 1
    return ReportVersion(
        report=report,
        number=report.version,
        kind=kind,
        is_zero=report.is_zero,
        figures=report.figures,
        prefilled=report.prefilled,
        corrections=report.corrections,
        texts=report.texts,
        reason=reason.strip()[:300],
        late=late,
        created_by=actor.user,
        created_at=now,
    )


def _submit(report: DailyReport, *, actor: Actor, reason: str, action: str) -> DailyReport:
    now = timezone.now()
    version = _version(report, actor=actor, now=now, reason=reason)
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.late = version.late
    report.submitted_at = now
    report.status = ReportStatus.SUBMITTED
    report.save()
    version.save()
    audit_record(actor=actor, action=action, obj=report,
                 changes={"version": version.number, "kind": version.kind,
                          "late": report.late, "reason": version.reason})  # fmt: skip
    return report


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    report: DailyReport,
    figures: dict[str, Any],
    texts: dict[str, Any],
    corrections: dict[str, Any] | None = None,
    reason: str = "",
) -> DailyReport:
    """Submit (or resubmit, or amend after the cut-off) the unit's report."""
    _own_unit(actor, report.unit)
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.DRAFT:
        report.prefilled = platform_figures(report=report)
    clean, reasons = _clean_figures(report, figures, corrections or {})
    text_keys = [s["key"] for s in report.period.template.text_items()]
    report.figures = clean
    report.corrections = reasons
    report.texts = {k: (texts.get(k) or "").strip()[:4000] for k in text_keys}
    report.is_zero = False
    return _submit(report, actor=actor, reason=reason, action="reports.report.submitted")


@transaction.atomic
def report_submit_zero(*, actor: Actor, report: DailyReport, reason: str = "") -> DailyReport:
    """The one-click zero report: an explicit "nothing new today", never an absence."""
    _own_unit(actor, report.unit)
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.DRAFT:
        report.prefilled = platform_figures(report=report)
    report.is_zero = True
    report.figures = dict(report.prefilled)
    report.corrections = {}
    report.texts = {"work_done": ZERO_TEXT}
    return _submit(report, actor=actor, reason=reason, action="reports.report.zero_submitted")


@transaction.atomic
def report_save_draft(
    *,
    actor: Actor,
    report: DailyReport,
    figures: dict[str, Any],
    texts: dict[str, Any],
    corrections: dict[str, Any] | None = None,
) -> DailyReport:
    _own_unit(actor, report.unit)
    if report.status != ReportStatus.DRAFT:
        raise ValidationFailed(_("已报送的报告不能存为草稿，请提交更正"))
    report.figures = {k: v for k, v in figures.items() if v not in ("", None)}
    report.corrections = {k: v for k, v in (corrections or {}).items() if v}
    report.texts = {k: v for k, v in texts.items() if v}
    report.save(update_fields=["figures", "corrections", "texts", "updated_at"])
    return report


@transaction.atomic
def report_return(*, actor: Actor, report: DailyReport, reason: str) -> DailyReport:
    """The comprehensive group sends a submitted report back for revision."""
    actor.require(Perm.REPORTS_REVIEW)
    report = DailyReport.objects.visible_to(actor).select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationFailed(_("只有已报送的报告可以退回"))
    if not reason.strip():
        raise ValidationFailed({"reason": [_("请写明退回原因")]})
    report.status = ReportStatus.RETURNED
    report.returned_at = timezone.now()
    report.returned_by = actor.user
    report.return_reason = reason.strip()[:300]
    report.save()
    audit_record(actor=actor, action="reports.report.returned", obj=report,
                 changes={"reason": report.return_reason})  # fmt: skip
    from .reminders import notify_unit

    notify_unit(
        report.unit,
        kind="reports.returned",
        message=_("%(day)s 日报告已被综合组退回：%(reason)s")
        % {"day": date_format(report.day, "MONTH_DAY_FORMAT"), "reason": report.return_reason},
    )
    return report
