"""Recognising header rows: title rows above, Chinese header variants, remembered mappings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .readers import SourceRow

HEADER_SCAN_ROWS = 15
_NOISE = re.compile(r"[\s*＊:：()（）\[\]【】<>《》\"'“”‘’、/\\_\-]+")


def normalize_header(text: object) -> str:
    """'公民身份号码（必填）*' → '公民身份号码必填'; full-width folded, spaces and marks dropped."""
    value = unicodedata.normalize("NFKC", str(text or "")).lower()
    return _NOISE.sub("", value)


@dataclass
class HeaderMatch:
    row: SourceRow
    # column index → canonical field name
    columns: dict[int, str]
    # column index → header text exactly as in the file
    labels: dict[int, str]
    unknown: list[str] = field(default_factory=list)

    def label_of(self, field_name: str) -> str:
        for index, name in self.columns.items():
            if name == field_name:
                return self.labels[index]
        return field_name


def _match_field(header: str, synonyms: dict[str, list[str]]) -> str | None:
    normalized = normalize_header(header)
    if not normalized:
        return None
    for field_name, variants in synonyms.items():
        if normalized in (normalize_header(v) for v in variants):
            return field_name
    # '身份证号码必填' or '现住址详细到门牌': a known variant at the start of the header.
    for field_name, variants in synonyms.items():
        if any(normalized.startswith(normalize_header(v)) for v in variants if len(v) >= 2):
            return field_name
    return None


def match_header_row(
    row: SourceRow, synonyms: dict[str, list[str]], remembered: dict[str, str] | None = None
) -> HeaderMatch:
    remembered = {normalize_header(k): v for k, v in (remembered or {}).items()}
    columns: dict[int, str] = {}
    labels: dict[int, str] = {}
    unknown: list[str] = []
    for index, cell in enumerate(row.cells):
        label = str(cell).strip() if cell is not None else ""
        if not label:
            continue
        labels[index] = label
        field_name = remembered.get(normalize_header(label)) or _match_field(label, synonyms)
        if field_name and field_name not in columns.values():
            columns[index] = field_name
        elif field_name is None:
            unknown.append(label)
    return HeaderMatch(row=row, columns=columns, labels=labels, unknown=unknown)


def find_header(
    rows: Iterator[SourceRow],
    synonyms: dict[str, list[str]],
    remembered: dict[str, str] | None = None,
    minimum: int = 2,
) -> tuple[HeaderMatch | None, list[SourceRow]]:
    """Scan the first rows for the one naming the most known fields (title rows are skipped).

    Returns the match (or None) and the rows consumed after the header, which the caller
    processes before continuing with the iterator.
    """
    scanned: list[SourceRow] = []
    for row in rows:
        scanned.append(row)
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    best: HeaderMatch | None = None
    for row in scanned:
        candidate = match_header_row(row, synonyms, remembered)
        if len(candidate.columns) >= minimum and (
            best is None or len(candidate.columns) > len(best.columns)
        ):
            best = candidate
    if best is None:
        return None, []
    after = [r for r in scanned if r.number > best.row.number]
    return best, after


def is_blank(cells: Iterable) -> bool:
    # A loop, not all() over a generator: asked of every row of a list, and a row's first
    # cell usually answers (0.1 s a million rows; all() over a generator took 0.4 s).
    for cell in cells:  # noqa: SIM110 - the loop is the point, see above
        if cell is not None and str(cell).strip() != "":
            return False
    return True
