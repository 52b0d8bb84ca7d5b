"""How records read on screen: badge colours and deadline countdowns ("剩 3 小时")."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Status

DUE_SOON = dt.timedelta(hours=4)


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return ngettext("%(n)d 分钟", "%(n)d 分钟", max(minutes, 1)) % {"n": max(minutes, 1)}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d 小时", "%(n)d 小时", hours) % {"n": hours}
    return ngettext("%(n)d 天", "%(n)d 天", hours // 24) % {"n": hours // 24}


def countdown(deadline: dt.datetime, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if deadline >= now:
        return _("剩 %(span)s") % {"span": _span(deadline - now)}
    return _("逾期 %(span)s") % {"span": _span(now - deadline)}


def badge(record, now: dt.datetime | None = None) -> tuple[str, str]:
    """(css class, label): red overdue, orange due soon, blue in progress, green done,
    grey closed without the four clears."""
    now = now or timezone.now()
    if record.status == Status.CLOSED:
        if record.four_clear:
            return "badge-green", _("已闭环")
        return "badge-grey", record.get_outcome_display() or _("已闭环")
    if record.deadline < now:
        return "badge-red", _("已逾期")
    if record.deadline - now <= DUE_SOON:
        return "badge-orange", _("即将到期")
    return "badge-blue", record.get_status_display()


def decorate(records, now: dt.datetime | None = None):
    now = now or timezone.now()
    for record in records:
        record.badge_class, record.badge_label = badge(record, now)
        record.countdown = countdown(record.deadline, now) if record.is_open else ""
    return records
