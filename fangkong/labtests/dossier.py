"""The person's page: the person's test results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.people.dossier import ENTRIES, DossierEntry, DossierSection
from fangkong.people.models import Person

from .models import NatTest


def person_section(actor: Actor, person: Person) -> DossierSection | None:
    if not actor.can(Perm.LABTESTS_VIEW):
        return None
    tests = NatTest.objects.visible_to(actor).filter(person_id=person.pk)
    latest = tests.order_by("-sampled_at", "-id")[:ENTRIES]
    return DossierSection(
        title=gettext_lazy("核酸检测"),
        count=tests.count(),
        entries=[
            DossierEntry(
                when=t.sampled_at,
                text=" · ".join(part for part in (str(t.get_purpose_display()), t.lab) if part),
                badge=t.get_result_display(),
                badge_class=f"badge-{t.badge}",
            )
            for t in latest
        ],
        empty=gettext_lazy("没有检测结果"),
    )
