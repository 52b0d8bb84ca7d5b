"""Writes: verifying records to the four clears, reassigning them, escalating the overdue.

Every change is audited with a dotted action code; records merged into the one changed
(repeats, and the same person on other open lists) are brought into line in one statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.roles import Perm
from fangkong.regions.models import Region

from .alerts import records_escalated
from .batch_status import close_finished_batches
from .merge import mirror_into_merged
from .models import Outcome, OutgoingRepush, ScreeningRecord, Status
from .sql import table

PARENT_LENGTH = {12: 9, 9: 6, 6: 4}


def locked_record(actor: Actor, pk: int) -> ScreeningRecord:
    try:
        return ScreeningRecord.objects.visible_to(actor).select_for_update().get(pk=pk)
    except (ScreeningRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound(ScreeningRecord._meta.verbose_name) from None


def _primary(actor: Actor, pk: int) -> ScreeningRecord:
    record = locked_record(actor, pk)
    _check_primary(record)
    return record


def _check_primary(record: ScreeningRecord) -> None:
    if record.merged_into_id is not None:
        raise ValidationFailed(_("这条记录已合并到另一条记录，请在主记录上核查"))
    if record.invalid:
        raise ValidationFailed(_("这条记录信息有误待更正，请先更正后重新导入"))


def _sync_merged(record: ScreeningRecord) -> None:
    r = table(ScreeningRecord)
    mirror_into_merged(f"{r}.merged_into_id = %s", [record.pk])


@transaction.atomic
def record_receive(*, actor: Actor, pk: int) -> ScreeningRecord:
    actor.require(Perm.SCREENING_VERIFY)
    record = _primary(actor, pk)
    if record.status != Status.PUSHED:
        return record
    record.status = Status.RECEIVED
    record.received_at = timezone.now()
    record.received_by = actor.user
    record.save(update_fields=["status", "received_at", "received_by"])
    _sync_merged(record)
    audit_record(
        actor=actor,
        action="screening.record.received",
        obj=record,
        changes={"status": [Status.PUSHED, Status.RECEIVED]},
    )
    return record


@transaction.atomic
def record_start_check(*, actor: Actor, pk: int) -> ScreeningRecord:
    actor.require(Perm.SCREENING_VERIFY)
    record = _primary(actor, pk)
    if record.status == Status.CLOSED:
        raise ValidationFailed(_("记录已闭环"))
    before = record.status
    now = timezone.now()
    if record.received_at is None:
        record.received_at, record.received_by = now, actor.user
    record.status = Status.CHECKING
    record.save(update_fields=["status", "received_at", "received_by"])
    _sync_merged(record)
    audit_record(
        actor=actor,
        action="screening.record.checking",
        obj=record,
        changes={"status": [before, Status.CHECKING]},
    )
    return record


def _clean_outcome(outcome: str, measure: str, place: str, destination: str) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("请选择核查结果")]
    if outcome == Outcome.CONTROLLED and not measure:
        errors["measure"] = [_("已落实管控须填写管控措施")]
    if outcome == Outcome.CONTROLLED and not place:
        errors["place"] = [_("已落实管控须填写管控地点")]
    if outcome in (Outcome.NOT_LOCAL, Outcome.LEFT) and not destination:
        errors["destination"] = [_("请填写所在或去往的地方（到市或县）")]
    if errors:
        raise ValidationFailed(errors)
    return {"measure": measure[:100], "place": place[:200], "destination": destination[:200]}


def four_clears_for(record: ScreeningRecord, outcome: str) -> dict[str, bool]:
    """Which clears a verified outcome establishes.

    人数清: the row is received and checked. 人头清: a real person was verified (not for
    查无此人 or 信息有误). 位置清: located to village level, or known to be elsewhere (re-pushed
    or gone with a destination). 管控清: a measure in place here, or handed on to where the
    person is.
    """
    found = outcome in (Outcome.CONTROLLED, Outcome.NOT_LOCAL, Outcome.LEFT)
    at_village = len(record.region_id) == 12
    return {
        "count_clear": True,
        "identity_clear": found,
        "location_clear": (outcome == Outcome.CONTROLLED and at_village)
        or outcome in (Outcome.NOT_LOCAL, Outcome.LEFT),
        "control_clear": found,
    }


@transaction.atomic
def record_verify(
    *,
    actor: Actor,
    pk: int,
    outcome: str,
    measure: str = "",
    place: str = "",
    destination: str = "",
    note: str = "",
) -> ScreeningRecord:
    """Record the outcome of the check and close the loop (闭环)."""
    actor.require(Perm.SCREENING_VERIFY)
    record = _primary(actor, pk)
    if record.status == Status.CLOSED:
        raise ValidationFailed(_("记录已闭环，不能重复核查"))
    values = _clean_outcome(outcome, measure.strip(), place.strip(), destination.strip())
    now = timezone.now()
    before = {"status": record.status, "outcome": record.outcome}
    clears = four_clears_for(record, outcome)
    for name, value in clears.items():
        setattr(record, name, value)
        setattr(record, f"{name}_by", actor.user if value else None)
        setattr(record, f"{name}_at", now if value else None)
    record.four_clear = all(clears.values())
    for name, text in values.items():
        setattr(record, name, text)
    record.note = note.strip()[:300]
    record.outcome = outcome
    record.status = Status.CLOSED
    if record.received_at is None:
        record.received_at, record.received_by = now, actor.user
    record.checked_at, record.checked_by, record.closed_at = now, actor.user, now
    record.save()
    _sync_merged(record)
    _close_finished_lists(actor, record, now)
    audit_record(
        actor=actor,
        action="screening.record.verified",
        obj=record,
        changes={
            "status": [before["status"], Status.CLOSED],
            "outcome": [before["outcome"], outcome],
            **values,
            **clears,
        },
    )
    if outcome == Outcome.NOT_LOCAL:
        repush = OutgoingRepush.objects.create(
            record=record,
            target_place=values["destination"],
            region_id=record.region_id,
            created_by=actor.user,
        )
        audit_record(
            actor=actor,
            action="screening.record.repushed",
            obj=record,
            changes={"target_place": repush.target_place},
        )
    return record


def _close_finished_lists(actor: Actor, record: ScreeningRecord, now: dt.datetime) -> None:
    """The record's list, and the lists of the records merged into it (closed with it), are
    closed once nothing of theirs is open."""
    merged = ScreeningRecord.objects.filter(merged_into_id=record.pk).values_list(
        "batch_id", flat=True
    )
    close_finished_batches(actor=actor, batch_ids={record.batch_id, *merged}, now=now)


@transaction.atomic
def record_reassign(*, actor: Actor, pk: int, region_code: str) -> ScreeningRecord:
    """Down the tree within the actor's scope, or back up to the parent of its region."""
    actor.require(Perm.SCREENING_VERIFY)
    record = _primary(actor, pk)
    _move(actor, record, _reassign_target(actor, record, region_code))
    return record


# Records moved together at most: a page of the record list.
REASSIGN_LIMIT = 200


@transaction.atomic
def records_reassign(*, actor: Actor, pks: Sequence[int], region_code: str) -> int:
    """Several records moved to one region at once, all or none: each must be open, its own
    (not merged into another), complete, and the region must lie below it or be its parent.
    Every refusal is named, with the list and row; every move is audited."""
    actor.require(Perm.SCREENING_VERIFY)
    wanted = set(pks)
    if not wanted:
        raise ValidationFailed({"records": [_("请先勾选要改派的记录")]})
    if len(wanted) > REASSIGN_LIMIT:
        raise ValidationFailed(
            {"records": [_("一次最多改派 %(n)s 条记录") % {"n": REASSIGN_LIMIT}]}
        )
    records = list(
        ScreeningRecord.objects.visible_to(actor)
        .select_for_update()
        .filter(pk__in=wanted)
        .order_by("batch_id", "row_number")
    )
    if len(records) != len(wanted):
        raise NotFound(ScreeningRecord._meta.verbose_name)
    moves, refused = [], []
    for record in records:
        try:
            _check_primary(record)
            moves.append((record, _reassign_target(actor, record, region_code)))
        except ValidationFailed as exc:
            reasons = "；".join(str(m) for ms in exc.errors.values() for m in ms)
            refused.append(
                _("批次 #%(batch)s 第 %(row)s 行（%(name)s）：%(reason)s")
                % {
                    "batch": record.batch_id,
                    "row": record.row_number,
                    "name": record.masked_name or record.masked_phone,
                    "reason": reasons,
                }
            )
    if refused:
        raise ValidationFailed({"records": refused})
    for record, target in moves:
        _move(actor, record, target)
    return len(moves)


def _reassign_target(actor: Actor, record: ScreeningRecord, region_code: str) -> Region:
    if record.status == Status.CLOSED:
        raise ValidationFailed(_("记录已闭环，不能改派"))
    target = Region.objects.filter(code=region_code, code__startswith=actor.region.code[:4]).first()
    parent = record.region_id[: PARENT_LENGTH.get(len(record.region_id), 0)]
    down = (
        target is not None
        and target.code.startswith(record.region_id)
        and (actor.sees_region_code(target.code))
    )
    up = target is not None and target.code == parent
    if target is None or not (down or up) or target.code == record.region_id:
        raise ValidationFailed({"region": [_("只能改派到下级区划，或退回上一级")]})
    return target


def _move(actor: Actor, record: ScreeningRecord, target: Region) -> None:
    before = record.region_id
    record.region = target
    record.assigned_level = len(target.code)
    record.save(update_fields=["region", "assigned_level"])
    audit_record(
        actor=actor,
        action="screening.record.reassigned",
        obj=record,
        region_code=before,
        changes={"region": [before, target.code]},
    )


@transaction.atomic
def escalate_overdue(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Mark open records past their deadline as reported to the level above; one audit
    entry per batch and level reached (not one per record: lists can be very long)."""
    now = now or timezone.now()
    due = (
        ScreeningRecord.objects.visible_to(actor)
        .filter(
            merged_into__isnull=True, escalated_at__isnull=True, invalid=False, deadline__lt=now
        )
        .exclude(status=Status.CLOSED)
    )
    total = 0
    for length, parent_length in PARENT_LENGTH.items():
        level = due.filter(assigned_level=length)
        groups = list(level.values("batch_id", "region_id").annotate(n=Count("*")).order_by())
        if not groups:
            continue
        by_parent: dict[tuple[int, str], int] = {}
        for g in groups:
            key = (g["batch_id"], g["region_id"][:parent_length])
            by_parent[key] = by_parent.get(key, 0) + g["n"]
        for (batch_id, parent), n in by_parent.items():
            level.filter(batch_id=batch_id, region__code__startswith=parent).update(
                escalated_at=now, escalated_to_id=parent
            )
            audit_record(
                actor=actor,
                action="screening.record.escalated",
                region_code=parent,
                changes={"batch": batch_id, "records": n, "to": parent},
            )
            records_escalated(batch_id=batch_id, region_code=parent, records=n)
            total += n
    return total
