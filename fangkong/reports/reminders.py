"""Chasing (催报) and escalation: run by `fangkong reports-tick` every few minutes.

An hour (the period's remind_minutes) before the cut-off, every unit that has not submitted
gets a reminder; after the cut-off the list of missing units goes to the HQ. Both are in-app
notifications (when the notifications module is installed) and a message through the sender;
a ReminderLog row makes each one go out once, however often the tick runs.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fangkong.core.text import list_text
from fangkong.org.models import CommandUnit, MemberUnit

from . import senders
from .models import DailyReport, ReminderKind, ReminderLog, ReportingPeriod
from .schedule import cutoff_at


def _notify(*, region_code: str, kind: str, message: str, link: str, level: str) -> None:
    try:
        from fangkong.notifications.services import notify
    except ModuleNotFoundError:
        return
    notify(region_code=region_code, kind=kind, message=message, link=link, level=level)


def _contacts(unit: CommandUnit) -> list[str]:
    phones = list(
        MemberUnit.objects.filter(group=unit, is_lead=True)
        .exclude(contact_phone="")
        .values_list("contact_phone", flat=True)
    )
    return phones or [unit.name]


def notify_unit(unit: CommandUnit, *, kind: str, message: str, link: str = "") -> None:
    text = _("%(unit)s：%(message)s") % {"unit": unit.name, "message": message}
    _notify(region_code=unit.region_id, kind=kind, message=text, link=link or "/reports/",
            level="warning")  # fmt: skip
    senders.send(recipients=_contacts(unit), subject=_("日报告提醒"), body=message)


def _log_once(period, unit, day, kind, now, message) -> bool:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                period=period, unit=unit, day=day, kind=kind, sent_at=now, message=message[:500]
            )
    except IntegrityError:
        return False
    return True


def _unsubmitted(period: ReportingPeriod, day: dt.date) -> list[CommandUnit]:
    submitted = DailyReport.objects.filter(
        period=period, day=day, first_submitted_at__isnull=False
    ).values_list("unit_id", flat=True)
    return list(
        period.units.exclude(pk__in=list(submitted)).order_by("region_id", "sort_order", "id")
    )


def remind(period: ReportingPeriod, day: dt.date, *, now: dt.datetime) -> int:
    cutoff = cutoff_at(period, day)
    if not (cutoff - dt.timedelta(minutes=period.remind_minutes) <= now <= cutoff):
        return 0
    sent = 0
    for unit in _unsubmitted(period, day):
        message = _("请于今日 %(time)s 前报送 %(day)s 日报告；无新增情况请报“零报告”。") % {
            "time": period.cutoff.strftime("%H:%M"),
            "day": date_format(day, "MONTH_DAY_FORMAT"),
        }
        if _log_once(period, unit, day, ReminderKind.REMINDER, now, message):
            notify_unit(unit, kind="reports.reminder", message=message)
            sent += 1
    return sent


def escalate(period: ReportingPeriod, day: dt.date, *, now: dt.datetime) -> int:
    """After the cut-off: the missing list to the HQ, once per day. Returns units listed."""
    if now <= cutoff_at(period, day) or not period.covers(day):
        return 0
    missing = _unsubmitted(period, day)
    names = list_text(u.name for u in missing) or _("无")
    message = _("%(day)s 日报告截止（%(time)s）时缺报 %(count)d 个单位：%(names)s") % {
        "day": date_format(day, "MONTH_DAY_FORMAT"),
        "time": period.cutoff.strftime("%H:%M"),
        "count": len(missing),
        "names": names,
    }
    if not missing or not _log_once(period, period.hq, day, ReminderKind.ESCALATION, now, message):
        return 0
    _notify(region_code=period.region_id, kind="reports.missing", message=message,
            link=f"/reports/board/?date={day.isoformat()}", level="danger")  # fmt: skip
    senders.send(recipients=_contacts(period.hq), subject=_("日报告缺报"), body=message)
    return len(missing)


def reports_tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"reminded": 0, "escalated": 0}
    periods = ReportingPeriod.objects.filter(
        starts_on__lte=today, ends_on__gte=today - dt.timedelta(days=1)
    ).select_related("hq")
    for period in periods:
        if period.covers(today):
            counts["reminded"] += remind(period, today, now=now)
        for day in (today - dt.timedelta(days=1), today):
            counts["escalated"] += escalate(period, day, now=now)
    return counts


def units_chase(*, actor, period: ReportingPeriod, day: dt.date) -> list[CommandUnit]:
    """催报 by hand: the comprehensive group chases the visible units not yet reported."""
    from fangkong.audit.services import audit_record
    from fangkong.core.roles import Perm

    actor.require(Perm.REPORTS_REVIEW)
    visible = set(period.units.visible_to(actor).values_list("pk", flat=True))
    chased = [u for u in _unsubmitted(period, day) if u.pk in visible]
    message = _("综合组催报：请尽快报送 %(day)s 日报告（截止 %(time)s）。") % {
        "day": date_format(day, "MONTH_DAY_FORMAT"),
        "time": period.cutoff.strftime("%H:%M"),
    }
    for unit in chased:
        notify_unit(unit, kind="reports.chase", message=message)
    audit_record(actor=actor, action="reports.units.chased", obj=period,
                 changes={"day": day.isoformat(), "units": [u.pk for u in chased]})  # fmt: skip
    return chased
