"""The home page's control-measure work: tests past their due date and today's missed
check-ins, for the running measures in the actor's scope."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.core.todo import Todo

from .checkins import missed_checkins
from .schedule import overdue_tests


def home_todo(actor: Actor) -> list[Todo]:
    if not actor.can(Perm.MEASURES_VIEW):
        return []
    tests = overdue_tests(actor=actor).order_by().count()
    missed = missed_checkins(actor=actor).order_by().count()
    todos = []
    if tests:
        todos.append(Todo(_("管控对象核酸检测逾期"), tests, "measures:overdue", urgent=True))
    if missed:
        todos.append(Todo(_("管控对象今日未打卡"), missed, "measures:overdue", urgent=True))
    return todos
