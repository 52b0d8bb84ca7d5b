"""Reading the division tree from the china-division CSV files, one row at a time.

The files (provinces, cities, areas, streets, villages) carry the statistics bureau's 2023
codes: `code,name` followed by the codes of the ancestors. Rows come out parents first, so a
loader can check every parent before it writes a child. villages.csv (37 MB, 620,000 rows)
is streamed and filtered by code prefix, never read whole.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .models import CODE_LENGTHS, Level
from .names import short_name_for

# (level, file, the column naming the parent's code)
DIVISION_FILES: tuple[tuple[Level, str, str | None], ...] = (
    (Level.PROVINCE, "provinces.csv", None),
    (Level.CITY, "cities.csv", "provinceCode"),
    (Level.COUNTY, "areas.csv", "cityCode"),
    (Level.TOWNSHIP, "streets.csv", "areaCode"),
    (Level.VILLAGE, "villages.csv", "streetCode"),
)
# Levels loaded for the whole country; the deeper ones only under the chosen prefixes.
NATIONWIDE_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)


class DivisionDataMissing(FileNotFoundError):
    """The data folder or one of its files is absent (the npm packages are not installed)."""


class DivisionDataError(ValueError):
    """A row breaks the code rules; the source is pinned, so this means a wrong file."""


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    name: str
    short_name: str
    level: int
    parent_code: str | None

    @property
    def path(self) -> str:
        return path_for(self.code)


def path_for(code: str) -> str:
    """ "433130101" → "43/4331/433130/433130101": each ancestor's code is a prefix."""
    return "/".join(code[:n] for n in CODE_LENGTHS.values() if n <= len(code))


def parent_code_for(code: str) -> str | None:
    shorter = [n for n in CODE_LENGTHS.values() if n < len(code)]
    return code[: shorter[-1]] if shorter else None


def check_data_dir(data_dir: Path) -> None:
    if not data_dir.is_dir():
        raise DivisionDataMissing(f"no folder {data_dir}")
    missing = [name for _, name, _ in DIVISION_FILES if not (data_dir / name).is_file()]
    if missing:
        raise DivisionDataMissing(f"{data_dir}: missing {', '.join(missing)}")


def division_rows(data_dir: Path, deep_prefixes: Iterable[str] = ()) -> Iterator[RegionRow]:
    """Every province, city and county, then townships and villages under deep_prefixes.

    Raises DivisionDataMissing for an absent file and DivisionDataError for a malformed row.
    """
    data_dir = Path(data_dir)
    check_data_dir(data_dir)
    prefixes = tuple(deep_prefixes)
    for level, filename, parent_column in DIVISION_FILES:
        if level in NATIONWIDE_LEVELS:
            yield from _read_level(data_dir / filename, level, parent_column, None)
        elif prefixes:
            yield from _read_level(data_dir / filename, level, parent_column, prefixes)


def _read_level(
    path: Path, level: Level, parent_column: str | None, prefixes: tuple[str, ...] | None
) -> Iterator[RegionRow]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        code_at, name_at = header.index("code"), header.index("name")
        parent_at = header.index(parent_column) if parent_column else None
        for line_number, record in enumerate(reader, start=2):
            code = record[code_at].strip()
            if prefixes is not None and not code.startswith(prefixes):
                continue
            listed_parent = record[parent_at].strip() if parent_at is not None else None
            _check_code(path, line_number, code, level, listed_parent)
            name = record[name_at].strip()
            yield RegionRow(code, name, short_name_for(name, level), level, listed_parent)


def _check_code(path: Path, line: int, code: str, level: Level, listed_parent: str | None) -> None:
    if len(code) != CODE_LENGTHS[level] or not code.isdigit():
        raise DivisionDataError(f"{path.name} line {line}: {code!r} is not a level-{level} code")
    if listed_parent != parent_code_for(code):
        raise DivisionDataError(
            f"{path.name} line {line}: {code} does not start with its parent {listed_parent}"
        )
