"""The person's page: the person's arrivals, where from and what the verdict was."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.people.dossier import ENTRIES, DossierEntry, DossierSection
from fangkong.people.models import Person

from .models import Arrival
from .places import place_name


def person_section(actor: Actor, person: Person) -> DossierSection | None:
    if not actor.can(Perm.ARRIVALS_VIEW):
        return None
    arrivals = Arrival.objects.visible_to(actor).filter(person_id=person.pk)
    latest = arrivals.select_related("region").order_by("-arrived_at", "-id")[:ENTRIES]
    return DossierSection(
        title=gettext_lazy("来返记录"),
        count=arrivals.count(),
        entries=[
            DossierEntry(
                when=a.arrived_at,
                text=f"{place_name(a.origin_code)} → {a.region.name} · {a.get_source_display()}",
                badge=a.get_verdict_display(),
                badge_class=f"badge-{a.verdict_badge}",
                url=reverse("arrivals:detail", args=[a.pk]),
            )
            for a in latest
        ],
        empty=gettext_lazy("没有来返记录"),
    )
