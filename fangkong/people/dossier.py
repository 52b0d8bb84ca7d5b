"""一人一档: what each domain holds about one person, on the person's page.

Each domain names a function (actor, person) → DossierSection | None in SECTION_PROVIDERS, as
the home page's to-do list does (core.todo). A section is given only to an actor who may read
its domain, and holds what the actor's scope shows of it: the person's latest entries (at most
ENTRIES, newest first, each linked to its own page where it has one) and how many there are.
Two queries a section, whatever the person's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from fangkong.core.actor import Actor

    from .models import Person

ENTRIES = 10
SECTION_PROVIDERS = (
    "fangkong.screening.dossier.person_section",
    "fangkong.arrivals.dossier.person_section",
    "fangkong.measures.dossier.person_section",
    "fangkong.labtests.dossier.person_section",
)


@dataclass(frozen=True)
class DossierEntry:
    when: dt.datetime | None
    text: str
    badge: StrOrPromise = ""
    badge_class: str = "badge-grey"
    url: str = ""


@dataclass(frozen=True)
class DossierSection:
    title: StrOrPromise
    count: int
    entries: list[DossierEntry]
    empty: StrOrPromise


def section_of(
    actor: Actor,
    person: Person,
    *,
    permission: str,
    readable: Callable[[], Any],
    order: Sequence[str],
    entry: Callable[[Any], DossierEntry],
    title: StrOrPromise,
    empty: StrOrPromise,
    related: Sequence[str] = (),
) -> DossierSection | None:
    """A domain's section: of what the domain lets the reader read (`readable`, the domain's
    own scoped reader, as its pages use it), the objects naming the person, newest first by
    `order`, each made an entry; None for a reader who may not read the domain."""
    if not actor.can(permission):
        return None
    objects = readable().filter(person_id=person.pk)
    latest = objects.select_related(*related).order_by(*order)[:ENTRIES]
    return DossierSection(
        title=title, count=objects.count(), entries=[entry(o) for o in latest], empty=empty
    )


def dossier_for(actor: Actor, person: Person) -> list[DossierSection]:
    sections = (import_string(path)(actor, person) for path in SECTION_PROVIDERS)
    return [section for section in sections if section is not None]
