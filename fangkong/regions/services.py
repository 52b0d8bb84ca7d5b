"""Writes to the division tree: loading it from the maintained source."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby, islice
from pathlib import Path
from typing import TextIO

from django.db import transaction

from .models import CODE_LENGTHS, CodeSystem, Level, Region
from .sources import NATIONWIDE_LEVELS, RegionRow, division_rows

BATCH_SIZE = 500
_SYNCED_FIELDS = ["name", "short_name", "level", "parent", "path", "code_system"]
_SYNCED_ATTNAMES = ["name", "short_name", "level", "parent_id", "path", "code_system"]
_DEEP_PREFIX_LENGTHS = {CODE_LENGTHS[level] for level in NATIONWIDE_LEVELS}


class UnknownDeepRegion(ValueError):
    """A code asked to be loaded deep is not a province, city or county of the source."""


def regions_load(
    *, data_dir: Path, deep_city_codes: Iterable[str], stdout: TextIO | None = None
) -> dict[str, dict[str, int]]:
    """Load every province, city and county, and the townships and villages of the deep cities.

    Idempotent: rows are matched on their code; changed names are updated, missing rows
    created, and nothing is deleted (a code that leaves the source may still be referenced).
    Everything happens in one transaction, in batches, parents before children. Returns, per
    level, the rows read and how many were created, updated or skipped (parent missing).
    """
    deep = sorted(set(deep_city_codes))
    _check_deep_codes(Path(data_dir), deep)
    counts = {level_key(level): _zero_counts() for level in Level}
    with transaction.atomic():
        loaded: set[str] = set()
        for level, rows in groupby(division_rows(Path(data_dir), deep), key=lambda r: r.level):
            counts[level_key(level)] = _load_level(rows, loaded)
            _report(stdout, Level(level), counts[level_key(level)])
    return counts


def level_key(level: int) -> str:
    """ "province", "city", "county", "township" or "village"."""
    return Level(level).name.lower()


def _zero_counts() -> dict[str, int]:
    return {"rows": 0, "created": 0, "updated": 0, "skipped": 0}


def _check_deep_codes(data_dir: Path, deep: list[str]) -> None:
    bad_form = [code for code in deep if len(code) not in _DEEP_PREFIX_LENGTHS]
    if bad_form:
        raise UnknownDeepRegion(", ".join(bad_form))
    known = {row.code for row in division_rows(data_dir)}
    unknown = [code for code in deep if code not in known]
    if unknown:
        raise UnknownDeepRegion(", ".join(unknown))


def _load_level(rows: Iterator[RegionRow], loaded: set[str]) -> dict[str, int]:
    counts = _zero_counts()
    while batch := list(islice(rows, BATCH_SIZE)):
        counts["rows"] += len(batch)
        placeable = [r for r in batch if r.parent_code is None or r.parent_code in loaded]
        counts["skipped"] += len(batch) - len(placeable)
        created, updated = _write_batch(placeable)
        counts["created"] += created
        counts["updated"] += updated
        loaded.update(r.code for r in placeable)
    return counts


def _write_batch(rows: list[RegionRow]) -> tuple[int, int]:
    existing = Region.objects.in_bulk([r.code for r in rows])
    to_create: list[Region] = []
    to_update: list[Region] = []
    for row in rows:
        wanted = _region_from_row(row)
        current = existing.get(row.code)
        if current is None:
            to_create.append(wanted)
        elif _differs(current, wanted):
            to_update.append(wanted)
    Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Region.objects.bulk_update(to_update, _SYNCED_FIELDS, batch_size=BATCH_SIZE)
    return len(to_create), len(to_update)


def _region_from_row(row: RegionRow) -> Region:
    return Region(
        code=row.code,
        name=row.name,
        short_name=row.short_name,
        level=row.level,
        parent_id=row.parent_code,
        path=row.path,
        code_system=CodeSystem.NBS_2023,
    )


def _differs(current: Region, wanted: Region) -> bool:
    return any(getattr(current, name) != getattr(wanted, name) for name in _SYNCED_ATTNAMES)


def _report(stdout: TextIO | None, level: Level, counts: dict[str, int]) -> None:
    if stdout is None:
        return
    stdout.write(
        f"{level_key(level):<9} {counts['rows']:>7} rows: {counts['created']} created, "
        f"{counts['updated']} updated, {counts['skipped']} skipped\n"
    )
