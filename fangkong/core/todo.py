"""What waits for the actor, shown on the home page. Each module that has work waiting names a
function (actor → list of Todo) in TODO_PROVIDERS; an actor who may not do that work gets none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .actor import Actor

TODO_PROVIDERS = (
    "fangkong.screening.todo.home_todo",
    "fangkong.measures.todo.home_todo",
    "fangkong.arrivals.todo.home_todo",
    "fangkong.reports.todo.home_todo",
)


@dataclass(frozen=True)
class Todo:
    label: StrOrPromise
    count: int
    url_name: str
    query: str = ""
    urgent: bool = False


def todos_for(actor: Actor) -> list[Todo]:
    return [todo for path in TODO_PROVIDERS for todo in import_string(path)(actor)]
