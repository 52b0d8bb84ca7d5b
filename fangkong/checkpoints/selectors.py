"""Reads of the checkpoint registry and its check records, scoped to the actor's region."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm

from .models import Checkpoint, CheckRecord


def checkpoint_list(*, actor: Actor, include_closed: bool = True) -> QuerySet[Checkpoint]:
    actor.require(Perm.CHECKPOINTS_VIEW)
    checkpoints = Checkpoint.objects.visible_to(actor).select_related("region")
    if not include_closed:
        checkpoints = checkpoints.exclude(status="closed")
    return checkpoints


def checkpoint_get(*, actor: Actor, code: str) -> Checkpoint:
    actor.require(Perm.CHECKPOINTS_VIEW)
    return Checkpoint.objects.select_related("region").get_visible(actor, code=code)


def shift_bounds(day: dt.date, *, shift: str = "day") -> tuple[dt.datetime, dt.datetime]:
    """A shift is a calendar day (Asia/Shanghai), or its half: 'am' 00–12, 'pm' 12–24."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    if shift == "am":
        return start, start + dt.timedelta(hours=12)
    if shift == "pm":
        return start + dt.timedelta(hours=12), start + dt.timedelta(days=1)
    return start, start + dt.timedelta(days=1)


TALLY_FIELDS = ("checked", "green", "yellow", "red", "sampled", "transferred", "pushed",
                "turned_back", "arrival_tests", "passed")  # fmt: skip


def _tally_aggregates() -> dict[str, Count]:
    return {
        "checked": Count("*"),
        "green": Count("pk", filter=Q(health_code="green")),
        "yellow": Count("pk", filter=Q(health_code="yellow")),
        "red": Count("pk", filter=Q(health_code="red")),
        "sampled": Count("pk", filter=Q(verdict="sample_on_site")),
        "transferred": Count("pk", filter=Q(verdict="transfer")),
        "pushed": Count("pk", filter=Q(pushed=True)),
        "turned_back": Count("pk", filter=Q(verdict="turn_back")),
        "arrival_tests": Count("pk", filter=Q(verdict="pass_with_arrival_test")),
        "passed": Count("pk", filter=Q(verdict="pass")),
    }


def checkpoint_tally(
    *, actor: Actor, checkpoint: Checkpoint, start: dt.datetime, end: dt.datetime
) -> dict[str, int]:
    """Counts for one checkpoint and shift: one aggregate query."""
    records = CheckRecord.objects.visible_to(actor).filter(
        checkpoint=checkpoint, checked_at__gte=start, checked_at__lt=end
    )
    return records.aggregate(**_tally_aggregates())


def tallies_by_checkpoint(
    *, actor: Actor, start: dt.datetime, end: dt.datetime
) -> dict[int, dict[str, int]]:
    """The same counts for every checkpoint the actor sees: one grouped query."""
    actor.require(Perm.CHECKPOINTS_VIEW)
    rows = (
        CheckRecord.objects.visible_to(actor)
        .filter(checked_at__gte=start, checked_at__lt=end)
        .values("checkpoint_id")
        .annotate(**_tally_aggregates())
        .order_by()
    )
    tallies: dict[int, dict[str, int]] = {}
    for row in rows:
        counts: dict[str, Any] = dict(row)
        tallies[counts.pop("checkpoint_id")] = counts
    return tallies


def recent_checks(
    *, actor: Actor, checkpoint: Checkpoint, limit: int = 20
) -> QuerySet[CheckRecord]:
    return (
        CheckRecord.objects.visible_to(actor)
        .filter(checkpoint=checkpoint)
        .select_related("person")
        .order_by("-checked_at")[:limit]
    )
