"""Seeing a screening record's name, document and phone in plain, as the sender gave them: the
grid worker calls the person to verify. Like a person's, it needs a stated purpose and writes
an access-log entry."""

from __future__ import annotations

from fangkong.audit.models import AccessKind
from fangkong.audit.services import access_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.people.services import purpose_errors

from .correction import sent_identifiers
from .models import ScreeningRecord

REVEAL_FIELDS = ("name", "document_number", "phone")


def record_reveal(*, actor: Actor, pk: int, purpose: str) -> dict[str, str]:
    actor.require(Perm.SCREENING_VIEW)
    actor.require(Perm.PEOPLE_REVEAL)
    record = ScreeningRecord.objects.get_visible(actor, pk=pk)
    purpose = " ".join((purpose or "").split())
    if problems := purpose_errors(purpose):
        raise ValidationFailed({"purpose": problems})
    access_record(
        actor=actor,
        kind=AccessKind.REVEAL,
        purpose=purpose,
        region_code=record.region_id,
        person=record.person,
        subject=record.masked_name,
        fields=list(REVEAL_FIELDS),
    )
    shown = {field: getattr(record, field) for field in REVEAL_FIELDS}
    if record.invalid:
        # A row needing correction keeps the identifiers as the sender wrote them apart.
        shown.update({name: text for name, text in sent_identifiers(record).items() if text})
    return shown
