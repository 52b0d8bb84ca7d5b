"""The person's page: the person's control measures (quarantine, monitoring)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.people.dossier import DossierEntry, DossierSection, section_of
from fangkong.people.models import Person

from .access import measures_for
from .models import Measure


def person_section(actor: Actor, person: Person) -> DossierSection | None:
    return section_of(
        actor, person, permission=Perm.MEASURES_VIEW, readable=lambda: measures_for(actor),
        order=("-started_at", "-id"), related=("site",), entry=_entry,
        title=gettext_lazy("管控措施"), empty=gettext_lazy("没有管控措施"),
    )  # fmt: skip


def _entry(measure: Measure) -> DossierEntry:
    parts = (measure.get_category_display(), measure.get_measure_type_display(), measure.site)
    return DossierEntry(
        when=measure.started_at,
        text=" · ".join(str(part) for part in parts if part),
        badge=measure.get_status_display(),
        badge_class=f"badge-{measure.badge}",
        url=reverse("measures:detail", args=[measure.pk]),
    )
