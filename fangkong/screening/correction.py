"""Correcting a row that came in needing correction (待更正), on screen.

A list's row with a malformed document number, no usable identifier, no name or an arrival
time that cannot be read is kept in the batch as a record needing correction (it counts for
人数清) and nobody can verify it. Whoever manages screening in its region corrects it here:
the row is read again by the import's own rules (`rows.read_identity`), and once valid it is
what the import would have made of it: the person found in the registry by the document's
blind index or registered, the record merged into the person's open record when there is one
(a repeat of an earlier row of the same list, or a record of another open list), the person's
history extended, and the batch's counts moved from 待更正 to 有效. A row that will not be
corrected here (the list was corrected in a sheet and imported again, or the person cannot be
established) is closed as 信息有误 with the reason, so that the batch can be closed too.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.crypto import blind_index
from fangkong.core.errors import ValidationFailed
from fangkong.core.identity import clean_text
from fangkong.core.roles import Perm
from fangkong.people.models import Person
from fangkong.people.services import person_with_document

from .batch_status import close_finished_batches
from .feedback import identifier_columns
from .intake import open_primary
from .matching import level_name
from .merge import MIRRORED
from .models import MergeKind, Outcome, PersonSource, ScreeningBatch, ScreeningRecord, Status
from .rows import Identity, read_identity
from .services import locked_record


@dataclass(frozen=True)
class Correction:
    name: str = ""
    document_number: str = ""
    phone: str = ""
    arrived_at: dt.datetime | None = None


@transaction.atomic
def record_correct(*, actor: Actor, pk: int, correction: Correction) -> ScreeningRecord:
    actor.require(Perm.SCREENING_MANAGE)
    record = locked_record(actor, pk)
    if not record.invalid or record.status == Status.CLOSED:
        raise ValidationFailed({"record": [_("只有待更正且未闭环的记录可以更正")]})
    correction = _completed(record, correction)
    identity = _checked(correction)
    batch = ScreeningBatch.objects.select_for_update().get(pk=record.batch_id)
    before = {"name": record.name, "errors": record.errors}
    _apply(record, correction, identity)
    person, known = _person(actor, record, identity)
    record.person = person
    _join(record, batch)
    record.save()
    if person is not None and (known or record.merge_kind):
        PersonSource.objects.create(
            person=person, batch=batch, record=record, source=batch.source,
            category=batch.category, row_number=record.row_number, at=timezone.now(),
        )  # fmt: skip
    _recount(batch, record, created=person is not None and not known, known=known)
    audit_record(
        actor=actor, action="screening.record.corrected", obj=record,
        changes={"name": [before["name"], record.name], "document_number": ["***", "***"],
                 "phone": ["***", "***"], "errors": [before["errors"], []],
                 "merged_into": record.merged_into_id},
    )  # fmt: skip
    return record


@transaction.atomic
def record_close_invalid(*, actor: Actor, pk: int, note: str) -> ScreeningRecord:
    """Close a row needing correction that will not be corrected here (imported again from a
    corrected sheet, or the person cannot be established) as 信息有误, saying why."""
    actor.require(Perm.SCREENING_MANAGE)
    record = locked_record(actor, pk)
    if not record.invalid or record.status == Status.CLOSED:
        raise ValidationFailed({"record": [_("只有待更正且未闭环的记录可以这样闭环")]})
    note = " ".join(note.split())[:300]
    if not note:
        raise ValidationFailed({"note": [_("请说明原因，例如已更正后重新导入的批次")]})
    now, before = timezone.now(), record.status
    record.status, record.outcome, record.note = Status.CLOSED, Outcome.WRONG_INFO, note
    # 人数清 only: the row is accounted for, nobody was identified or located.
    record.count_clear, record.count_clear_by, record.count_clear_at = True, actor.user, now
    record.checked_at, record.checked_by, record.closed_at = now, actor.user, now
    if record.received_at is None:
        record.received_at, record.received_by = now, actor.user
    record.save()
    audit_record(
        actor=actor, action="screening.record.closed_invalid", obj=record,
        changes={"status": [before, Status.CLOSED], "outcome": ["", Outcome.WRONG_INFO],
                 "note": note},
    )  # fmt: skip
    close_finished_batches(actor=actor, batch_ids=[record.batch_id], now=now)
    return record


def sent_identifiers(record: ScreeningRecord) -> dict[str, str]:
    """The document and mobile number of a row needing correction as the sender wrote them
    (kept encrypted, apart from the row's other cells)."""
    if not record.secret_values:
        return {}
    cells = json.loads(record.secret_values)
    columns = identifier_columns(record.batch)
    return {name: cells.get(str(i), "") for name, i in columns.items()}


def _completed(record: ScreeningRecord, correction: Correction) -> Correction:
    """A field left blank keeps what the sender wrote: only what is wrong is typed again."""
    sent = sent_identifiers(record)
    return Correction(
        name=correction.name.strip() or record.name,
        document_number=correction.document_number.strip() or sent.get("document_number", ""),
        phone=correction.phone.strip() or sent.get("phone", ""),
        arrived_at=correction.arrived_at,
    )


def _checked(correction: Correction) -> Identity:
    """The corrected row by the import's rules; every problem named by its field."""
    identity = read_identity(correction.document_number, "", correction.phone)
    problems: dict[str, list[str]] = {}
    if not clean_text(correction.name):
        problems["name"] = [_("姓名为空")]
    for field, message in identity.problems:
        problems.setdefault(field, []).append(message)
    if problems:
        raise ValidationFailed(problems)
    return identity


def _apply(record: ScreeningRecord, correction: Correction, identity: Identity) -> None:
    record.name = clean_text(correction.name)[:60]
    record.document_type = identity.document_type
    record.document_number = identity.document
    record.document_index = (
        blind_index(identity.document_type, identity.document) if identity.document else ""
    )
    record.phone = identity.phone
    record.phone_index = blind_index("mobile", identity.phone) if identity.phone else ""
    if correction.arrived_at is not None:
        record.arrived_at = correction.arrived_at
    record.invalid, record.errors, record.secret_values = False, [], ""


def _person(
    actor: Actor, record: ScreeningRecord, identity: Identity
) -> tuple[Person | None, bool]:
    """(the person, whether the registry knew them). As on import, a row with only a phone
    names nobody yet: its person is established when it is verified."""
    if not identity.document:
        return None, False
    known = person_with_document(identity.document_type, record.document_index)
    if known is not None:
        return known, True
    person = Person.objects.create(
        name=record.name, sex=identity.sex,
        birth_date=dt.date.fromisoformat(identity.birth_date) if identity.birth_date else None,
        document_type=identity.document_type, document_number=identity.document,
        document_index=record.document_index, phone=identity.phone,
        phone_index=record.phone_index, current_address=record.address[:200],
        region_id=record.region_id, registered_by=actor.user,
    )  # fmt: skip
    return person, False


def _join(record: ScreeningRecord, batch: ScreeningBatch) -> None:
    """Merged into the person's open record, as the import merges: a repeat within the list
    (file) or a record of another open list (list)."""
    primary = open_primary(record.person_id) if record.person_id else None
    if primary is None or primary.pk == record.pk:
        return
    record.merge_kind = MergeKind.FILE if primary.batch_id == batch.pk else MergeKind.LIST
    record.merged_into = primary
    for column in MIRRORED:
        setattr(record, column, getattr(primary, column))


def _recount(batch: ScreeningBatch, record: ScreeningRecord, *, created: bool, known: bool):
    batch.invalid -= 1
    batch.valid += 1
    batch.created_people += int(created)
    if record.merge_kind == MergeKind.FILE:
        # As on import: a repeat of an earlier row is counted as such, not as a match.
        batch.duplicates_in_file += 1
    else:
        batch.matched_people += int(known)
        level = level_name(record.region_id)
        batch.assigned = {**batch.assigned, level: batch.assigned.get(level, 0) + 1}
    batch.save(
        update_fields=[
            "invalid", "valid", "created_people", "matched_people", "duplicates_in_file",
            "assigned",
        ]
    )  # fmt: skip
