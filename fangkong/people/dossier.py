"""一人一档: what each domain holds about one person, on the person's page.

Each domain names a function (actor, person) → DossierSection | None in SECTION_PROVIDERS, as
the home page's to-do list does (core.todo). A section is given only to an actor who may read
its domain, and holds what the actor's scope shows of it: the person's latest entries (at most
ENTRIES, newest first, each linked to its own page where it has one) and how many there are.
Two queries a section, whatever the person's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


def dossier_for(actor: Actor, person: Person) -> list[DossierSection]:
    sections = (import_string(path)(actor, person) for path in SECTION_PROVIDERS)
    return [section for section in sections if section is not None]
