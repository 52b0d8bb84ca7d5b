"""Reading rows in parallel for big files: validation, encryption and address matching are
CPU-bound, so worker processes share them while the main process reads the file and streams
the results into the staging table.

Workers are started fresh ("spawn", not "fork": the column library's thread pool does not
survive a fork of a process that has used it, and a long-running process may have imported
a small list in-process before). Each worker sets Django up from the inherited environment,
receives the row reader, the address matcher, the field key and the active language, and
never touches the database. At most IN_FLIGHT parts are queued, so memory stays flat
whatever the file's size.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from .fastrows import stage_part
from .rows import RowReader

PART_ROWS = 20_000
IN_FLIGHT = 6
# Each worker sets Django up and loads its libraries (about 2 CPU seconds) before its first
# part: on two cores, measured with this module's lists (130 bytes a row in CSV), 60,000 rows
# took 1.6–2.1 s in one process and 3.7–4.7 s with two workers, 400,000 rows 7.0–7.6 s and
# 7.3–7.7 s, a million 15.3 s with two workers.
PARALLEL_FROM_BYTES = 48 * 1024 * 1024
START_TIMEOUT = 120

_reader: RowReader | None = None
_matcher = None
_as_csv = False


def worker_count(file_size: int) -> int:
    configured = getattr(settings, "SCREENING_IMPORT_WORKERS", None)
    if configured is None:
        configured = int(os.environ.get("FANGKONG_IMPORT_WORKERS", os.cpu_count() or 1))
    if file_size < PARALLEL_FROM_BYTES:
        return 1
    return max(1, configured)


def _start_worker(state: bytes) -> None:
    """Set Django up, then unpickle what the worker needs (the matcher's module needs the
    app registry, so it travels pickled inside bytes)."""
    import django

    django.setup(set_prefix=False)
    from fangkong.core import crypto

    reader, matcher, as_csv, field_key, language = pickle.loads(state)
    settings.FIELD_KEY = field_key
    crypto.clear_key_cache()
    if language:
        translation.activate(language)
    global _reader, _matcher, _as_csv
    _reader, _matcher, _as_csv = reader, matcher, as_csv


def validate_part(part: list[tuple[int, list]]) -> tuple[bytes | list[tuple], list[dict], int]:
    assert _reader is not None  # set by staged_parts, or by _start_worker in a worker
    with collector_paused():
        return stage_part(_reader, _matcher, part, _as_csv)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block that allocates masses of objects
    that never form cycles (cells, tuples, strings: reference counting frees them). Each
    automatic collection walked every object alive, the process's modules and the part in
    hand included: on a million rows, a tenth of the workers' time and more than a quarter of
    the reading process's."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def staged_parts(
    reader: RowReader, matcher, rows: Iterable, workers: int, as_csv: bool = False
) -> Iterator[tuple[bytes | list[tuple], list[dict], int]]:
    """(staged rows as COPY CSV or tuples, errors, row count) per part of PART_ROWS rows,
    in file order."""
    global _reader, _matcher, _as_csv
    parts = _parts(rows)
    if workers <= 1:
        _reader, _matcher, _as_csv = reader, matcher, as_csv
        yield from map(validate_part, parts)
        return
    matcher.cache.clear()
    pool = multiprocessing.get_context("spawn").Pool(
        workers,
        initializer=_start_worker,
        initargs=(
            pickle.dumps((reader, matcher, as_csv, settings.FIELD_KEY, translation.get_language())),
        ),
    )
    try:
        # A worker that cannot start is replaced by the pool again and again: fail instead.
        pool.apply_async(os.getpid).get(timeout=START_TIMEOUT)
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


__all__ = ["collector_paused", "staged_parts", "validate_part", "worker_count"]
