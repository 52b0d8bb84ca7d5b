"""The home page's arrivals work: obligations past their deadline in the actor's scope."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.core.todo import Todo

from .selectors import overdue_list


def home_todo(actor: Actor) -> list[Todo]:
    if not actor.can(Perm.ARRIVALS_VIEW):
        return []
    count = overdue_list(actor=actor).order_by().count()
    return [Todo(_("来返人员事项逾期"), count, "arrivals:overdue", urgent=True)] if count else []
