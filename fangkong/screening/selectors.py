"""Reads for screening pages and the API. Every list runs a fixed number of queries.

Progress figures are aggregates over one covering index (region, batch, status, four_clear,
merge_kind, invalid, deadline): across batches, records merged into another are left out (a
person is counted once); a batch's figures, its regions' included, leave out only the repeats
within its file (see _counted). Filters use merge_kind, not merged_into, so that PostgreSQL
can answer from the index alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.roles import Perm
from fangkong.regions.models import CODE_LENGTHS, Region

from .models import MergeKind, ScreeningBatch, ScreeningRecord, Status

PAGE_SIZE = 50
CHILD_CODE_LENGTH = {2: 4, 4: 6, 6: 9, 9: 12}


OPEN_FILTERS = ("pushed", "received", "checking", "overdue")


def _status_filters(now: dt.datetime) -> dict[str, Q]:
    """The records each progress figure counts (besides the total), and each record list's
    tab lists."""
    return {
        "pushed": Q(status=Status.PUSHED),
        "received": Q(status=Status.RECEIVED),
        "checking": Q(status=Status.CHECKING),
        "closed": Q(status=Status.CLOSED),
        "overdue": ~Q(status=Status.CLOSED) & Q(deadline__lt=now),
        "four_clear": Q(four_clear=True),
        "invalid": Q(invalid=True),
    }


RECORD_FILTERS = tuple(_status_filters(dt.datetime.min))


def _tallies(now: dt.datetime) -> dict[str, Count]:
    # Count("*") for the total, Count("status") (a column of the covering index, never
    # NULL) where a filter is needed: Django allows no filter on "*", and counting "id"
    # would send PostgreSQL to the table instead of the index.
    counts = {key: Count("status", filter=q) for key, q in _status_filters(now).items()}
    return {"total": Count("*"), **counts}


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    total = row.get("total") or 0
    row["four_clear_rate"] = round(100 * row["four_clear"] / total, 1) if total else 0.0
    row["closed_rate"] = round(100 * row["closed"] / total, 1) if total else 0.0
    return row


def records_visible(actor: Actor) -> QuerySet[ScreeningRecord]:
    actor.require(Perm.SCREENING_VIEW)
    return ScreeningRecord.objects.visible_to(actor)


def batch_page(*, actor: Actor, category: str = "", page: int = 1) -> dict[str, Any]:
    """The lists received, newest first, of one category or all, a page at a time; two
    queries."""
    actor.require(Perm.SCREENING_VIEW)
    batches = ScreeningBatch.objects.visible_to(actor)
    if category:
        batches = batches.filter(category=category)
    count = batches.count()
    start = (max(page, 1) - 1) * PAGE_SIZE
    return {
        "batches": list(batches.order_by("-received_at", "-id")[start : start + PAGE_SIZE]),
        "count": count,
        "page": page,
        "has_next": start + PAGE_SIZE < count,
    }


def batch_get(*, actor: Actor, pk: int | str) -> ScreeningBatch:
    actor.require(Perm.SCREENING_VIEW)
    try:
        return ScreeningBatch.objects.visible_to(actor).get(pk=pk)
    except (ScreeningBatch.DoesNotExist, ValueError, TypeError):
        raise NotFound(ScreeningBatch._meta.verbose_name) from None


def _counted(actor: Actor, batch: ScreeningBatch | None) -> QuerySet[ScreeningRecord]:
    """The records the figures count: a batch's people once each (repeats in its file left
    out, a person merged with another list's open record kept: that person is on this list
    too); across batches each person once (every merged record left out)."""
    if batch is not None:
        return records_visible(actor).filter(batch=batch).exclude(merge_kind=MergeKind.FILE)
    return records_visible(actor).filter(merge_kind=MergeKind.NONE)


def batch_progress(
    *, actor: Actor, batch: ScreeningBatch, region: Region | None = None
) -> dict[str, Any]:
    """The batch's figures within the actor's scope, or within one region of it."""
    records = _counted(actor, batch)
    if region is not None:
        records = records.filter(region__code__startswith=region.code)
    return _with_rates(records.aggregate(**_tallies(timezone.now())))


def progress_page(
    *, actor: Actor, batch: ScreeningBatch | None = None, region: Region | None = None
) -> dict[str, Any]:
    """Per batch and per child region of the actor's region, or of a region below it (the
    caller has checked that the actor sees it): one pass over the records (grouped by batch
    and child region together, summed both ways here), the batches and the regions' names."""
    actor.require(Perm.SCREENING_VIEW)
    now = timezone.now()
    tallies = _tallies(now)
    records = _counted(actor, batch)
    if region is not None:
        records = records.filter(region__code__startswith=region.code)
    within = region or actor.region
    length = CHILD_CODE_LENGTH.get(len(within.code))
    if length:
        records = records.annotate(child=Substr("region_id", 1, length))
    per_batch: dict[int, dict[str, Any]] = {}
    by_child: dict[str, dict[str, Any]] = {}
    grouped = records.values("batch_id", *(["child"] if length else [])).annotate(**tallies)
    for row in grouped.order_by():
        _add_figures(per_batch.setdefault(row["batch_id"], dict.fromkeys(tallies, 0)), row)
        if length:
            _add_figures(by_child.setdefault(row["child"], dict.fromkeys(tallies, 0)), row)
    for figures in (*per_batch.values(), *by_child.values()):
        _with_rates(figures)
    batches = list(
        ScreeningBatch.objects.filter(pk__in=list(per_batch)).order_by("-received_at", "-id")
    )
    for b in batches:
        b.progress = per_batch[b.pk]
    total: dict[str, Any] = dict.fromkeys(tallies, 0)
    for figures in per_batch.values():
        _add_figures(total, figures)
    return {
        "batches": batches,
        "regions": _child_rows(within, by_child, length) if length else [],
        "total": _with_rates(total),
    }


def _add_figures(into: dict[str, Any], row: dict[str, Any]) -> None:
    """Add the row's tallies to the totals in `into` (whose keys are the tallies)."""
    for key in into:
        into[key] += row[key]


def _child_rows(
    within: Region, by_child: dict[str, dict[str, Any]], length: int
) -> list[dict[str, Any]]:
    names = dict(
        Region.objects.filter(code__in=[c for c in by_child if len(c) == length]).values_list(
            "code", "name"
        )
    )
    regions: list[dict[str, Any]] = []
    for code, row in sorted(by_child.items()):
        row["code"] = code
        row["name"] = names.get(code) or _unplaced_label(within)
        row["is_region"] = code in names
        regions.append(row)
    return regions


def _unplaced_label(region: Region) -> str:
    from django.utils.translation import gettext as _

    return _("%(region)s本级（地址未能细化）") % {"region": region.name}


def overdue_page(*, actor: Actor, page: int = 1) -> dict[str, Any]:
    """Open records past their deadline, oldest deadline first; two queries."""
    now = timezone.now()
    base = (
        records_visible(actor)
        .filter(merge_kind=MergeKind.NONE, deadline__lt=now)
        .exclude(status=Status.CLOSED)
    )
    count = base.aggregate(n=Count("*"))["n"]
    start = (max(page, 1) - 1) * PAGE_SIZE
    items = list(
        base.select_related("region", "batch", "escalated_to").order_by("deadline", "id")[
            start : start + PAGE_SIZE
        ]
    )
    return {
        "records": items,
        "count": count,
        "page": page,
        "has_next": start + PAGE_SIZE < count,
        "now": now,
    }


def record_page(
    *,
    actor: Actor,
    batch: ScreeningBatch | None = None,
    region: Region | None = None,
    here: bool = False,
    status: str = "",
    page: int = 1,
) -> dict[str, Any]:
    """The records behind a progress figure: of one batch or all, in the actor's scope or
    one region's subtree (`here`: placed on that region itself, not below it), with one
    status or all; the counts of every status come with them. Two queries.

    The records are those the figures count (see _counted). A batch's come in the sender's
    row order; others, when the status is an open one, nearest deadline first, otherwise
    newest first."""
    actor.require(Perm.SCREENING_VIEW)
    now = timezone.now()

    def rows(status: str = "") -> QuerySet[ScreeningRecord]:
        return record_rows(
            actor=actor, batch=batch, region=region, here=here, status=status, now=now
        )

    counts = rows().aggregate(**_tallies(now))
    status = status if status in RECORD_FILTERS else ""
    count = counts[status] if status else counts["total"]
    start = (max(page, 1) - 1) * PAGE_SIZE
    listed = rows(status).select_related("region", "batch")
    return {
        "records": list(listed[start : start + PAGE_SIZE]),
        "counts": counts,
        "count": count,
        "status": status,
        "page": page,
        "has_next": start + PAGE_SIZE < count,
        "now": now,
    }


def record_rows(
    *,
    actor: Actor,
    batch: ScreeningBatch | None = None,
    region: Region | None = None,
    here: bool = False,
    status: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[ScreeningRecord]:
    """Every record of a record page's list (all its pages), in its order: those the figures
    count (see _counted), in the region or placed on it (`here`), with the status if it is
    one of RECORD_FILTERS."""
    actor.require(Perm.SCREENING_VIEW)
    records = _counted(actor, batch)
    if region is not None:
        placed = Q(region_id=region.code) if here else Q(region__code__startswith=region.code)
        records = records.filter(placed)
    if status in RECORD_FILTERS:
        records = records.filter(_status_filters(now or timezone.now())[status])
    order = ("row_number",) if batch is not None else _record_order(status)
    return records.order_by(*order)


def _record_order(status: str) -> tuple[str, ...]:
    # Sorting a city's million records by deadline took 1.2 s; open records are served in
    # deadline order by the screening_open_deadline index, the others by the primary key.
    return ("deadline", "id") if status in OPEN_FILTERS else ("-id",)


def my_records(
    *, actor: Actor, closed: bool = False, page: int = 1, limit: int = PAGE_SIZE
) -> list[ScreeningRecord]:
    """A grid worker's (or anyone's) records to act on, nearest deadline first (closed ones
    newest first), from the page's first."""
    records = records_visible(actor).filter(merge_kind=MergeKind.NONE, invalid=False)
    records = (
        records.filter(status=Status.CLOSED) if closed else records.exclude(status=Status.CLOSED)
    )
    order = ("-closed_at", "-id") if closed else ("deadline", "id")
    start = (max(page, 1) - 1) * PAGE_SIZE
    return list(records.select_related("region", "batch").order_by(*order)[start : start + limit])


def my_page(*, actor: Actor, closed: bool = False, page: int = 1) -> dict[str, Any]:
    """One page of `my_records` and whether another follows. One query."""
    page = max(page, 1)
    rows = my_records(actor=actor, closed=closed, page=page, limit=PAGE_SIZE + 1)
    return {"records": rows[:PAGE_SIZE], "page": page, "has_next": len(rows) > PAGE_SIZE}


def my_counts(*, actor: Actor) -> dict[str, Any]:
    """The actor's open, closed and overdue records, and the open ones placed on its region
    itself (`unplaced`: their address named nothing finer). One query."""
    base = records_visible(actor).filter(merge_kind=MergeKind.NONE, invalid=False)
    is_open = ~Q(status=Status.CLOSED)
    return base.aggregate(
        open=Count("status", filter=is_open),
        closed=Count("status", filter=Q(status=Status.CLOSED)),
        overdue=Count("status", filter=is_open & Q(deadline__lt=timezone.now())),
        unplaced=Count("status", filter=is_open & Q(region_id=actor.region.code)),
    )


def record_get(*, actor: Actor, pk: int) -> ScreeningRecord:
    actor.require(Perm.SCREENING_VIEW)
    try:
        return (
            ScreeningRecord.objects.visible_to(actor)
            .select_related(
                "region",
                "batch",
                "person",
                "received_by",
                "checked_by",
                "count_clear_by",
                "identity_clear_by",
                "location_clear_by",
                "control_clear_by",
                "merged_into",
                "escalated_to",
            )
            .get(pk=pk)
        )
    except (ScreeningRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound(ScreeningRecord._meta.verbose_name) from None


def invalid_records(*, actor: Actor, batch: ScreeningBatch) -> QuerySet[ScreeningRecord]:
    return records_visible(actor).filter(batch=batch, invalid=True).order_by("row_number")


def invalid_rows_first(
    *, actor: Actor, batch: ScreeningBatch, region: Region | None = None, limit: int = 20
) -> list[Mapping[str, Any]]:
    """The first rows needing correction, in the sender's order: row number, errors, record."""
    records = invalid_records(actor=actor, batch=batch)
    if region is not None:
        records = records.filter(region__code__startswith=region.code)
    return list(records.values("pk", "row_number", "errors")[:limit])


def reassign_targets(*, actor: Actor, record: ScreeningRecord) -> list[Region]:
    """Where a record may go: the regions just below its own (down), and its parent
    (back up, 退回: a grid worker returns a record that is not its village's to the township,
    which then sees it as placed on itself)."""
    return region_targets(actor=actor, region=record.region)


def region_targets(*, actor: Actor, region: Region) -> list[Region]:
    """Where records placed on this region may go: its children, and first its parent (the
    city at the highest, never the province), as the services accept."""
    length = CHILD_CODE_LENGTH.get(len(region.code))
    targets = []
    if length:
        targets = list(Region.objects.filter(parent_id=region.code).order_by("code"))
    parent = region.parent_id
    if parent and len(parent) >= CODE_LENGTHS[2]:
        targets.insert(0, Region.objects.get(code=parent))
    return targets
