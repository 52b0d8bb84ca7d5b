"""The home page's daily-report work, for whoever reports for a unit of the current period:
today's report still to send, reports returned for changes, days gone missing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.core.todo import Todo

from .schedule import UnitStatus
from .selectors import actor_unit, period_current, unit_reports


def home_todo(actor: Actor) -> list[Todo]:
    if not (actor.can(Perm.REPORTS_SUBMIT) and actor.can(Perm.REPORTS_VIEW)):
        return []
    period = period_current(actor=actor)
    unit = actor_unit(actor)
    if period is None or unit is None or not period.units.filter(pk=unit.pk).exists():
        return []
    statuses = [row["status"] for row in unit_reports(actor=actor, period=period, unit=unit)]
    todos = []
    if statuses and statuses[0] == UnitStatus.PENDING:
        todos.append(Todo(_("本单位今日日报待报送"), 1, "reports:home"))
    if returned := statuses.count(UnitStatus.RETURNED):
        todos.append(Todo(_("日报被退回待修改"), returned, "reports:home", urgent=True))
    if missing := statuses.count(UnitStatus.MISSING):
        todos.append(Todo(_("日报缺报"), missing, "reports:home", urgent=True))
    return todos
