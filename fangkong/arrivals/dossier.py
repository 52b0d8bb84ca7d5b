"""The person's page: the person's arrivals, where from and what the verdict was."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.people.dossier import DossierEntry, DossierSection, section_of
from fangkong.people.models import Person

from .models import Arrival
from .places import place_name
from .selectors import arrival_list


def person_section(actor: Actor, person: Person) -> DossierSection | None:
    return section_of(
        actor, person, permission=Perm.ARRIVALS_VIEW, readable=lambda: arrival_list(actor=actor),
        order=("-arrived_at", "-id"), related=("region",), entry=_entry,
        title=gettext_lazy("来返记录"), empty=gettext_lazy("没有来返记录"),
    )  # fmt: skip


def _entry(arrival: Arrival) -> DossierEntry:
    return DossierEntry(
        when=arrival.arrived_at,
        text=f"{place_name(arrival.origin_code)} → {arrival.region.name} · "
        f"{arrival.get_source_display()}",
        badge=arrival.get_verdict_display(),
        badge_class=f"badge-{arrival.verdict_badge}",
        url=reverse("arrivals:detail", args=[arrival.pk]),
    )
