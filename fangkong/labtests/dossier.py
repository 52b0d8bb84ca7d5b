"""The person's page: the person's test results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.people.dossier import DossierEntry, DossierSection, section_of
from fangkong.people.models import Person

from .models import NatTest
from .selectors import nat_test_list


def person_section(actor: Actor, person: Person) -> DossierSection | None:
    return section_of(
        actor, person, permission=Perm.LABTESTS_VIEW, readable=lambda: nat_test_list(actor=actor),
        order=("-sampled_at", "-id"), entry=_entry,
        title=gettext_lazy("核酸检测"), empty=gettext_lazy("没有检测结果"),
    )  # fmt: skip


def _entry(test: NatTest) -> DossierEntry:
    return DossierEntry(
        when=test.sampled_at,
        text=" · ".join(part for part in (str(test.get_purpose_display()), test.lab) if part),
        badge=test.get_result_display(),
        badge_class=f"badge-{test.badge}",
    )
