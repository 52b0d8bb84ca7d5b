"""Screening records opened outside a file import: arrivals that a self-report or a checkpoint
check pushes to the destination village (主动报备, 卡口推送) become records of the key-population
screening, so the grid worker verifies them where every other list is verified.

- **Batches.** The records of one source, category and county received on one local day share
  a system batch, created on first use and named "卡口推送 · 吉首市 · 2026-11-29". Its
  intake_key is unique, so two writers racing to create it end up with the same batch. Its
  counters (rows, valid, assigned by level, deadline) are recounted from its records after
  every addition, as an import counts its list.
- **One record per reference.** A record remembers what opened it (source_ref "arrival:12",
  "check:34", unique). Opening again for the same reference (a self-report that revises its
  arrival) updates the open record instead of adding one; a closed record is left as it was.
- **A person already under verification.** When the person has an open record on another
  list, the new record joins it as an import does (merge_kind "list", merged_into, the primary's
  state mirrored): the grid worker verifies the person once, on the open record, and is not
  handed the same person twice; the new record keeps who pushed the person and when, and the
  person's history gains a PersonSource row either way.

record_from_arrival() opens one record (the self-report, inside its transaction);
fangkong.screening.sweeps.screening_from_checks() turns pushed checks into records set-based.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from fangkong.audit.services import audit_record, diff
from fangkong.core.actor import Actor, system_actor
from fangkong.core.categories import HealthCode, PersonCategory
from fangkong.people.models import Person
from fangkong.regions.models import Region

from .importer import deadline_hours_for
from .matching import LEVEL_NAMES
from .merge import MIRRORED
from .models import (
    BatchStatus,
    MergeKind,
    PersonSource,
    ScreeningBatch,
    ScreeningRecord,
    Source,
    Status,
)

# The columns of an intake batch, as a sender's header would name them (rows.SYNONYMS), so
# the feedback sheet restores identifiers into them as it does for imported lists.
INTAKE_HEADER = [
    "姓名",
    "证件号码",
    "手机号",
    "现住址",
    "来源地",
    "抵达时间",
    "健康码",
    "备注",
    "来源记录",
]
INTAKE_SOURCES = (Source.SELF_REPORT, Source.CHECKPOINT)

# The verdict's reasons that push an arrival to its village (checkpoints.verdict), as the
# record's note names them, in this order.
PUSH_REASON_LABELS = {
    "high_risk_area": _("来源地或行程所在县有高风险地区"),
    "medium_risk_area": _("来源地或行程所在县有中风险地区"),
    "itinerary_star": _("行程卡带星号"),
    "red_code": _("红码"),
    "yellow_code": _("黄码"),
}
# Reasons that make the arrival one from a medium or high-risk area (the star marks a stay in
# a city that has such an area); a red or yellow code alone says nothing of the place.
RISK_AREA_REASONS = frozenset({"high_risk_area", "medium_risk_area", "itinerary_star"})


@dataclass(frozen=True)
class IntakeFacts:
    """What the arrival tells the record beyond the person's identity (read from the registry)."""

    arrived_at: dt.datetime | None
    source_place: str = ""
    address: str = ""
    health_code: str = ""  # green | yellow | red
    reasons: Sequence[str] = ()  # the verdict's reason codes


def category_for(reasons: Iterable[str]) -> str:
    return PersonCategory.RISK_AREA if RISK_AREA_REASONS & set(reasons) else PersonCategory.OTHER


def stored_text(label: object) -> str:
    """A label as stored data (batch names, a record's cells): in the platform's language,
    whoever's request or command writes it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def reasons_note(reasons: Iterable[str]) -> str:
    given = set(reasons)
    return "；".join(
        stored_text(text) for code, text in PUSH_REASON_LABELS.items() if code in given
    )


def health_code_flag(health_code: str) -> str:
    return health_code if health_code in (HealthCode.YELLOW, HealthCode.RED) else ""


def intake_key(source: str, category: str, county_code: str, day: dt.date) -> str:
    return f"{source}:{category}:{county_code}:{day.isoformat()}"


def intake_batch_values(
    *, source: str, category: str, county: Region, now: dt.datetime
) -> dict[str, object]:
    """The fields of the system batch of (source, category, county, now's local day)."""
    day = timezone.localdate(now)
    label = stored_text(Source(source).label)
    hours = deadline_hours_for(category, None)
    return {
        "intake_key": intake_key(source, category, county.code, day),
        "source": label,
        "category": category,
        "received_at": now,
        "deadline_hours": hours,
        "deadline": now + dt.timedelta(hours=hours),
        "filename": f"{label} · {county.name} · {day.isoformat()}",
        "header": INTAKE_HEADER,
        "region": county,
    }


def intake_batch(
    *, source: str, category: str, county_code: str, now: dt.datetime
) -> ScreeningBatch:
    """The day's system batch, locked for the caller's transaction; created when missing."""
    key = intake_key(source, category, county_code, timezone.localdate(now))
    batch = ScreeningBatch.objects.select_for_update().filter(intake_key=key).first()
    if batch is not None:
        return batch
    county = Region.objects.get(code=county_code)
    values = intake_batch_values(source=source, category=category, county=county, now=now)
    try:
        with transaction.atomic():
            return ScreeningBatch.objects.create(**values)
    except IntegrityError:
        # Created meanwhile by another report or by the sweep: theirs is the day's batch.
        return ScreeningBatch.objects.select_for_update().get(intake_key=key)


def recount_batches(batches: Sequence[ScreeningBatch]) -> None:
    """Rows, valid rows, people matched, assignment by level, the latest deadline and whether
    it is closed, of each batch, from its records: two statements whatever their number."""
    rows = (
        ScreeningRecord.objects.filter(batch__in=batches)
        .values("batch_id", "assigned_level")
        .annotate(
            n=Count("*"),
            invalid=Count("id", filter=Q(invalid=True)),
            open=Count("id", filter=~Q(status=Status.CLOSED)),
            closed_at=Max("closed_at"),
            deadline=Max("deadline"),
        )
        .order_by()
    )
    by_batch: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_batch.setdefault(row["batch_id"], []).append(dict(row))
    for batch in batches:
        _apply_counts(batch, by_batch.get(batch.pk, []))
    ScreeningBatch.objects.bulk_update(
        batches,
        [
            "rows",
            "valid",
            "invalid",
            "matched_people",
            "assigned",
            "deadline",
            "status",
            "closed_at",
        ],
    )


def _apply_counts(batch: ScreeningBatch, rows: list[dict[str, Any]]) -> None:
    total = sum(r["n"] for r in rows)
    invalid = sum(r["invalid"] for r in rows)
    assigned = dict.fromkeys([*LEVEL_NAMES.values(), "unassigned"], 0)
    for r in rows:
        assigned[LEVEL_NAMES.get(r["assigned_level"], "unassigned")] += r["n"] - r["invalid"]
    batch.rows, batch.invalid, batch.valid = total, invalid, total - invalid
    # Every record of an intake batch names a person already in the registry.
    batch.matched_people = total - invalid
    batch.assigned = assigned
    batch.deadline = max([batch.deadline, *(r["deadline"] for r in rows)])
    # A record taken in opens the day's batch again; one whose records are all closed is.
    still_open = any(r["open"] for r in rows)
    batch.status = BatchStatus.OPEN if still_open or not rows else BatchStatus.DONE
    closed = [r["closed_at"] for r in rows if r["closed_at"]]
    batch.closed_at = None if batch.status == BatchStatus.OPEN else max(closed, default=None)


def open_primary(person_id: int) -> ScreeningRecord | None:
    """The person's open record that others join (the oldest, as the import picks it)."""
    return (
        ScreeningRecord.objects.filter(person_id=person_id, merged_into__isnull=True, invalid=False)
        .exclude(status=Status.CLOSED)
        .order_by("id")
        .first()
    )


def _cells(person: Person, facts: IntakeFacts, note: str, reference: str) -> list[str]:
    arrived = (
        timezone.localtime(facts.arrived_at).strftime("%Y-%m-%d %H:%M") if facts.arrived_at else ""
    )
    code = stored_text(HealthCode(facts.health_code).label) if facts.health_code else ""
    # Identifier cells stay blank: the record's encrypted columns hold them.
    return [person.name, "", "", facts.address, facts.source_place, arrived, code, note, reference]


def _fact_fields(
    person: Person, region_id: str, facts: IntakeFacts, reference: str
) -> dict[str, Any]:
    note = reasons_note(facts.reasons)
    return {
        "values": _cells(person, facts, note, reference),
        "address": facts.address[:300],
        "source_place": facts.source_place[:200],
        "arrived_at": facts.arrived_at,
        "health_code": health_code_flag(facts.health_code),
        "note": note[:300],
        "region_id": region_id,
        "assigned_level": len(region_id),
    }


def _join_open_record(record: ScreeningRecord) -> None:
    primary = open_primary(record.person_id) if record.person_id else None
    if primary is None:
        return
    record.merge_kind = MergeKind.LIST
    record.merged_into = primary
    for column in MIRRORED:
        setattr(record, column, getattr(primary, column))


def _check_kind(source: str, category: str) -> None:
    if source not in INTAKE_SOURCES:
        raise ValueError(f"not an intake source: {source!r}")
    if category not in PersonCategory.values:
        raise ValueError(f"unknown category: {category!r}")


def _acting(actor: Actor | None) -> Actor:
    return actor if actor is not None else system_actor()


@transaction.atomic
def record_from_arrival(
    *,
    actor: Actor | None,
    person_id: int,
    region_id: str,
    source: str,
    category: str,
    reference: str,
    facts: IntakeFacts,
    now: dt.datetime | None = None,
) -> ScreeningRecord:
    """Open (or bring up to date) the screening record of one pushed arrival.

    `actor` is None when nobody signs in (the public self-report form): the platform is then
    named in the audit. `region_id` is the destination (the village where known); the batch is
    its county's. `reference` says what opened the record ("arrival:12"): a second call with it
    updates the record while open and otherwise returns it unchanged.
    """
    _check_kind(source, category)
    now = now or timezone.now()
    existing = ScreeningRecord.objects.select_for_update().filter(source_ref=reference).first()
    if existing is not None:
        return _revise(existing, _acting(actor), region_id, facts)
    person = Person.objects.get(pk=person_id)
    batch = intake_batch(source=source, category=category, county_code=region_id[:6], now=now)
    hours = deadline_hours_for(category, None)
    record = ScreeningRecord(
        batch=batch, row_number=batch.rows + 1, person_id=person.pk, name=person.name,
        document_type=person.document_type, document_number=person.document_number,
        document_index=person.document_index, phone=person.phone,
        phone_index=person.phone_index, source_ref=reference,
        deadline=now + dt.timedelta(hours=hours), created_at=now,
        **_fact_fields(person, region_id, facts, reference),
    )  # fmt: skip
    _join_open_record(record)
    record.save()
    PersonSource.objects.create(
        person_id=person.pk, batch=batch, record=record, source=batch.source,
        category=batch.category, row_number=record.row_number, at=now,
    )  # fmt: skip
    recount_batches([batch])
    audit_record(
        actor=_acting(actor), action="screening.record.opened", obj=record,
        changes={"source": source, "reference": reference, "batch": batch.pk,
                 "merged_into": record.merged_into_id},
    )  # fmt: skip
    return record


def _revise(
    record: ScreeningRecord, actor: Actor, region_id: str, facts: IntakeFacts
) -> ScreeningRecord:
    if record.status == Status.CLOSED or record.person is None:
        return record
    changes = _fact_fields(record.person, region_id, facts, record.source_ref)
    before = {name: getattr(record, name) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    record.save(update_fields=list(changes))
    if before["region_id"] != region_id:
        recount_batches([record.batch])
    changed = diff(before, changes)
    changed.pop("values", None)  # the same facts again, as cells
    audit_record(actor=actor, action="screening.record.revised", obj=record, changes=changed)
    return record
