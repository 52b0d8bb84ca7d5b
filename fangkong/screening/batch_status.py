"""A list is closed (已闭环) when every one of its records is: the HQ's question "is this
list cleared, and when?", answered with an alert to the region that received it. The
services that close records close their lists with them; a system batch that takes in a new
record opens again (intake.recount_batches)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor

from .alerts import list_cleared
from .models import BatchStatus, ScreeningBatch, ScreeningRecord, Status


def close_finished_batches(*, actor: Actor, batch_ids: Iterable[int], now: dt.datetime) -> int:
    """Close those of these open batches that have no open record left; audited each."""
    closed = 0
    candidates = ScreeningBatch.objects.filter(pk__in=set(batch_ids), status=BatchStatus.OPEN)
    fields = ("pk", "deadline", "region_id", "intake_key", "received_at", "category", "source")
    for batch in candidates.select_for_update().only(*fields):
        if has_open_records(batch):
            continue
        ScreeningBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.DONE, closed_at=now)
        audit_record(
            actor=actor,
            action="screening.batch.closed",
            obj=batch,
            changes={"status": [BatchStatus.OPEN, BatchStatus.DONE]},
        )
        list_cleared(batch, now)
        closed += 1
    return closed


def has_open_records(batch: ScreeningBatch) -> bool:
    # A list's records keep its deadline: the open records' (deadline, id) index finds one
    # at once. Only when none is left there is the whole batch read, once, near its end.
    open_records = ScreeningRecord.objects.filter(batch_id=batch.pk).exclude(status=Status.CLOSED)
    return open_records.filter(deadline=batch.deadline).exists() or open_records.exists()
