"""The home page's screening work: records to verify (for those who verify them) and records
past their deadline in the actor's scope. One query."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.core.todo import Todo

from .selectors import my_counts


def home_todo(actor: Actor) -> list[Todo]:
    if not actor.can(Perm.SCREENING_VIEW):
        return []
    counts = my_counts(actor=actor)
    todos = []
    if actor.can(Perm.SCREENING_VERIFY):
        todos.append(Todo(_("排查对象待核实"), counts["open"], "screening:mine"))
    if counts["overdue"]:
        todos.append(Todo(_("排查对象已逾期"), counts["overdue"], "screening:overdue", urgent=True))
    return todos
