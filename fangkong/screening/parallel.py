"""Reading rows in parallel for big files: validation, encryption and address matching are
pure Python and CPU-bound, so worker processes share them while the main process reads the
file and streams the results into the staging table.

Workers are forked after the row reader and the address matcher are built, inherit them,
and never touch the database (the inherited connection stays referenced and unused; forked
workers leave through os._exit, so nothing is closed behind the parent's back). At most
IN_FLIGHT chunks are queued, so memory stays flat whatever the file's size.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator

from django.conf import settings

from .rows import RowReader, staged_values

PART_ROWS = 5_000
IN_FLIGHT = 8
PARALLEL_FROM_BYTES = 4 * 1024 * 1024

_reader: RowReader | None = None
_matcher = None


def worker_count(file_size: int) -> int:
    configured = getattr(settings, "SCREENING_IMPORT_WORKERS", None)
    if configured is None:
        configured = int(os.environ.get("FANGKONG_IMPORT_WORKERS", os.cpu_count() or 1))
    if file_size < PARALLEL_FROM_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, configured)


def validate_part(part: list[tuple[int, list]]) -> tuple[list[tuple], list[dict]]:
    staged, errors = [], []
    for number, cells in part:
        row = _reader.read(number, cells)
        errors.extend(row.errors)
        staged.append(staged_values(row, _matcher.match(row.address)))
    return staged, errors


def staged_parts(
    reader: RowReader, matcher, rows: Iterable, workers: int
) -> Iterator[tuple[list[tuple], list[dict]]]:
    """(staged rows, errors) per part of PART_ROWS rows, in file order."""
    global _reader, _matcher
    _reader, _matcher = reader, matcher
    parts = _parts(rows)
    if workers <= 1:
        yield from map(validate_part, parts)
        return
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        pending: deque = deque()
        for part in parts:
            pending.append(pool.apply_async(validate_part, (part,)))
            if len(pending) >= IN_FLIGHT:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        pool.terminate()
        pool.join()


def _parts(rows: Iterable) -> Iterator[list[tuple[int, list]]]:
    part: list[tuple[int, list]] = []
    for row in rows:
        part.append((row.number, row.cells))
        if len(part) >= PART_ROWS:
            yield part
            part = []
    if part:
        yield part


__all__ = ["staged_parts", "validate_part", "worker_count"]
