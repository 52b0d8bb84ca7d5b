"""The person's page: the person's control measures (quarantine, monitoring)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.people.dossier import ENTRIES, DossierEntry, DossierSection
from fangkong.people.models import Person

from .models import Measure


def person_section(actor: Actor, person: Person) -> DossierSection | None:
    if not actor.can(Perm.MEASURES_VIEW):
        return None
    measures = Measure.objects.visible_to(actor).filter(person_id=person.pk)
    latest = measures.select_related("site").order_by("-started_at", "-id")[:ENTRIES]
    return DossierSection(
        title=gettext_lazy("管控措施"),
        count=measures.count(),
        entries=[
            DossierEntry(
                when=m.started_at,
                text=" · ".join(
                    str(part)
                    for part in (m.get_category_display(), m.get_measure_type_display(), m.site)
                    if part
                ),
                badge=m.get_status_display(),
                badge_class=f"badge-{m.badge}",
                url=reverse("measures:detail", args=[m.pk]),
            )
            for m in latest
        ],
        empty=gettext_lazy("没有管控措施"),
    )
