"""The reporting day: cut-off, window, and the status of a unit's report for a day.

The report for day D is due at D's cut-off (e.g. 16:00 Asia/Shanghai) and covers the 24 hours
before it. A report first submitted after the cut-off is late — exactly after: a submission at
16:00:00 is on time. Timeliness is judged by the first submission; a returned report keeps it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .figures import Window
from .models import DailyReport, ReportingPeriod, ReportStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class UnitStatus(models.TextChoices):
    ON_TIME = "on_time", _("按时报送")
    LATE = "late", _("迟报")
    ZERO = "zero", _("零报告")
    RETURNED = "returned", _("已退回")
    MISSING = "missing", _("缺报")
    PENDING = "pending", _("待报")


# One colour per status everywhere (board, dashboard, bulletin): red missing, orange late,
# blue returned (back in the unit's hands), green on time, grey zero, no badge while pending.
STATUS_BADGE: dict[str, str] = {
    UnitStatus.ON_TIME: "green",
    UnitStatus.LATE: "orange",
    UnitStatus.ZERO: "grey",
    UnitStatus.RETURNED: "blue",
    UnitStatus.MISSING: "red",
    UnitStatus.PENDING: "",
}


# Two-character labels for the units × days grid.
SHORT_LABEL: dict[str, StrOrPromise] = {
    UnitStatus.ON_TIME: _("按时"),
    UnitStatus.LATE: _("迟报"),
    UnitStatus.ZERO: _("零报"),
    UnitStatus.RETURNED: pgettext_lazy("report status, short", "退回"),
    UnitStatus.MISSING: _("缺报"),
    UnitStatus.PENDING: _("待报"),
}


def cutoff_at(period: ReportingPeriod, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, period.cutoff, tzinfo=timezone.get_current_timezone())


def window(period: ReportingPeriod, day: dt.date, prefix: str) -> Window:
    end = cutoff_at(period, day)
    return Window(prefix=prefix, start=end - dt.timedelta(hours=24), end=end)


def is_locked(report: DailyReport, *, now: dt.datetime) -> bool:
    """Submitted and past the cut-off: any change is an amendment with a reason."""
    return report.status == ReportStatus.SUBMITTED and now > cutoff_at(report.period, report.day)


def status_of(
    report: DailyReport | None, *, period: ReportingPeriod, day: dt.date, now: dt.datetime
) -> str:
    if report is None or report.first_submitted_at is None:
        return UnitStatus.MISSING if now > cutoff_at(period, day) else UnitStatus.PENDING
    if report.status == ReportStatus.RETURNED:
        return UnitStatus.RETURNED
    if report.late:
        return UnitStatus.LATE
    if report.is_zero:
        return UnitStatus.ZERO
    return UnitStatus.ON_TIME


def open_day(period: ReportingPeriod, *, now: dt.datetime) -> dt.date:
    """The day a report made now is for: today until the cut-off, then tomorrow."""
    today = timezone.localdate(now)
    day = today if now <= cutoff_at(period, today) else today + dt.timedelta(days=1)
    return min(max(day, period.starts_on), period.ends_on)


def period_days(period: ReportingPeriod, *, until: dt.date) -> list[dt.date]:
    last = min(period.ends_on, until)
    count = (last - period.starts_on).days + 1
    return [period.starts_on + dt.timedelta(days=i) for i in range(max(count, 0))]
