"""The person's page: the lists that named the person, and what came of each."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.people.dossier import DossierEntry, DossierSection, section_of
from fangkong.people.models import Person

from .display import badge
from .models import ScreeningRecord
from .selectors import records_visible


def person_section(actor: Actor, person: Person) -> DossierSection | None:
    return section_of(
        actor, person, permission=Perm.SCREENING_VIEW, readable=lambda: records_visible(actor),
        order=("-created_at", "-id"), related=("batch",), entry=_entry,
        title=gettext_lazy("排查记录"), empty=gettext_lazy("没有排查名单提到此人"),
    )  # fmt: skip


def _entry(record: ScreeningRecord) -> DossierEntry:
    css, label = badge(record)
    batch = record.batch
    text = _("#%(batch)s %(category)s · %(source)s · 第 %(row)s 行") % {
        "batch": batch.pk,
        "category": batch.get_category_display(),
        "source": batch.source,
        "row": record.row_number,
    }
    return DossierEntry(
        when=record.created_at,
        text=text,
        badge=label,
        badge_class=css,
        url=reverse("screening:record", args=[record.pk]),
    )
