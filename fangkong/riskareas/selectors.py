"""Reads of the risk-area registry, and the hot-path question "what level applied here then?".

level_on() is asked by every checkpoint check, so it answers from an in-process snapshot of
all areas (a few hundred rows, a few thousand with history) rather than the database. The
snapshot is dropped at once in the process that changes an area (services call
invalidate_snapshot) and is refreshed in every other worker process after at most
SNAPSHOT_TTL seconds; see docs/decisions/0020-checkpoint-hot-path.md.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from fangkong.core.categories import RiskLevel

from .codes import compact_code, county_scope, overlaps
from .models import LEVEL_RANK, RiskArea, RiskAreaChange

if TYPE_CHECKING:
    from fangkong.regions.models import Region

SNAPSHOT_TTL = 30.0
_LEVEL_BY_RANK = {rank: level for level, rank in LEVEL_RANK.items()}


@dataclass(frozen=True)
class _Entry:
    code: str
    rank: int
    starts: dt.datetime
    ends: dt.datetime | None


_lock = threading.Lock()
# (loaded at, every entry, the entries by the county they lie in)
_snapshot: tuple[float, tuple[_Entry, ...], dict[str, tuple[_Entry, ...]]] | None = None


def invalidate_snapshot() -> None:
    global _snapshot
    with _lock:
        _snapshot = None


def _load() -> tuple[float, tuple[_Entry, ...], dict[str, tuple[_Entry, ...]]]:
    global _snapshot
    current = _snapshot
    if current is not None and time.monotonic() - current[0] < SNAPSHOT_TTL:
        return current
    rows = RiskArea.objects.values_list("code", "level", "effective_from", "lifted_at")
    entries = tuple(_Entry(code, LEVEL_RANK[level], s, e) for code, level, s, e in rows)
    grouped: dict[str, list[_Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.code[:6], []).append(entry)
    loaded = (time.monotonic(), entries, {k: tuple(v) for k, v in grouped.items()})
    with _lock:
        _snapshot = loaded
    return loaded


def _entries() -> tuple[_Entry, ...]:
    return _load()[1]


def _entries_for(scope: str) -> tuple[_Entry, ...]:
    """The entries that may concern a scope: those of its county straight from the index (areas
    are recorded at county level or below); a city or province scope scans them all."""
    _, entries, by_county = _load()
    if len(scope) == 6:
        return by_county.get(scope, ())
    return entries


def _bounds(at: dt.datetime | dt.date) -> tuple[dt.datetime, dt.datetime]:
    """An instant, or a whole day (Asia/Shanghai) when a date is given."""
    if isinstance(at, dt.datetime):
        return at, at
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(at, dt.time(0), tzinfo=tz)
    return start, start + dt.timedelta(days=1) - dt.timedelta(microseconds=1)


def level_on(region: Region | str, at: dt.datetime | dt.date) -> str | None:
    """The highest risk level in force at `at` in the county of `region`, or None.

    `region` is a Region or a division code in any form. A county counts as affected when any
    risk area inside it was in force; a township or village is judged by its county, as the
    rules of January 2022 did. Given a date, an area in force at any moment of that day counts;
    an area lifted the day before does not.
    """
    code = region if isinstance(region, str) else region.code
    scope = county_scope(compact_code(code))
    if not scope:
        return None
    first, last = _bounds(at)
    best = 0
    for entry in _entries_for(scope):
        if entry.rank <= best or not overlaps(entry.code, scope):
            continue
        if entry.starts <= last and (entry.ends is None or entry.ends > first):
            best = entry.rank
    return _LEVEL_BY_RANK.get(best)


def levels_lookup() -> Callable[[Region | str, dt.datetime | dt.date], str | None]:
    """The lookup the verdict function takes: (code, instant) → level or None."""
    return level_on


def riskarea_list(
    *, level: str | None = None, in_force_at: dt.datetime | None = None, query: str = ""
) -> QuerySet[RiskArea]:
    areas = RiskArea.objects.all()
    if level:
        areas = areas.filter(level=level)
    if in_force_at is not None:
        areas = areas.filter(effective_from__lte=in_force_at).filter(
            Q(lifted_at__isnull=True) | Q(lifted_at__gt=in_force_at)
        )
    if query:
        areas = areas.filter(Q(name__contains=query) | Q(code__startswith=query))
    return areas


def riskarea_counts(*, at: dt.datetime) -> dict[str, int]:
    counts: dict[str, int] = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 0, RiskLevel.LOW: 0}
    for level in riskarea_list(in_force_at=at).values_list("level", flat=True):
        counts[level] += 1
    return {str(k): v for k, v in counts.items()}


def riskarea_history(*, area: RiskArea) -> QuerySet[RiskAreaChange]:
    return area.changes.select_related("changed_by")
