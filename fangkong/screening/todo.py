"""The home page's screening work: records to verify (for those who verify them), records
past their deadline in the actor's scope, records placed on the actor's own region (above a
village) waiting to be sent down (one query), and for those who manage screening, people found
elsewhere waiting to be pushed on to their city (one more)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.core.todo import Todo

from .links import VILLAGE_LENGTH
from .repushes import repushes_waiting
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
    code = actor.region.code
    if counts["unplaced"] and actor.can(Perm.SCREENING_VERIFY) and len(code) < VILLAGE_LENGTH:
        todos.append(
            Todo(
                _("排查对象待分派到下级"),
                counts["unplaced"],
                "screening:records",
                query=f"region={code}&here=1",
            )
        )
    if actor.can(Perm.SCREENING_MANAGE) and (waiting := repushes_waiting(actor=actor)):
        todos.append(Todo(_("外推人员待推送"), waiting, "screening:repushes"))
    return todos
