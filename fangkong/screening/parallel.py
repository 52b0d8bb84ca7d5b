"""Reading rows ahead of the writing: validation, encryption and address matching are
CPU-bound, so a thread reads the file and validates its parts (big files: hands them to worker
processes) while the importing thread writes the parts before into the database.

Workers are started fresh ("spawn", not "fork": the column library's thread pool does not
survive a fork of a process that has used it, and a long-running process may have imported
a small list in-process before). Each worker sets Django up from the inherited environment,
receives the row reader, the address matcher, the field key and the active language, and
never touches the database. At most IN_FLIGHT parts are queued, so memory stays flat
whatever the file's size.

The reading thread never touches the database either: the importing thread's connection and
its transaction stay its own.
"""

from __future__ import annotations

import csv
import gc
import io
import multiprocessing
import os
import pickle
import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice

import polars as pl
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from fangkong.imports import xlsx
from fangkong.imports.headers import is_blank
from fangkong.imports.readers import CsvLines

from .fastrows import STAGE_SCHEMA, stage_part
from .rows import RowReader

# Parts of 10,000 rows, at most 3 read ahead: the writing is slower than the reading, so parts
# read further ahead only wait in memory (docs/decisions/0031).
PART_ROWS = 10_000
IN_FLIGHT = 3
# Each worker sets Django up and loads its libraries (about 2 CPU seconds) before its first
# part: on two cores, measured with this module's lists (130 bytes a row in CSV), 60,000 rows
# took 1.6–2.1 s in one process and 3.7–4.7 s with two workers, 400,000 rows 7.0–7.6 s and
# 7.3–7.7 s, a million 15.3 s with two workers.
PARALLEL_FROM_BYTES = 48 * 1024 * 1024
# The reading thread validates the parts itself until a worker is up (tests turn it off to
# send every part to the workers).
VALIDATE_WHILE_WORKERS_START = True

_reader: RowReader | None = None
_matcher = None

Part = tuple[pl.DataFrame, list[dict], int]
Rows = list[tuple[int, list]]


@dataclass(frozen=True)
class TextPart:
    """Lines of a CSV file with no quote character among them, so each line is one row,
    numbered from `first`: split into cells where the part is validated (in a worker, the
    reading process only cuts the file into parts)."""

    first: int
    text: str
    delimiter: str

    def rows(self) -> Rows:
        """(row number, cells) of the rows holding anything."""
        lines = io.StringIO(self.text, newline="")
        numbered = enumerate(csv.reader(lines, delimiter=self.delimiter), start=self.first)
        return [(number, cells) for number, cells in numbered if not is_blank(cells)]


@dataclass(frozen=True)
class SheetPart:
    """A piece of an .xlsx sheet's XML, cut after a whole row: read into rows where the part
    is validated (the reading process only inflates the sheet and cuts it)."""

    piece: xlsx.Piece
    after: int  # the header's row: the rows up to it are not the list's

    def rows(self) -> Rows:
        """(row number, cells) of the list's rows holding anything."""
        return [
            (number, cells)
            for number, cells in self.piece.rows()
            if number > self.after and not is_blank(cells)
        ]


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

    reader, matcher, field_key, language = pickle.loads(state)
    settings.FIELD_KEY = field_key
    crypto.clear_key_cache()
    if language:
        translation.activate(language)
    global _reader, _matcher
    _reader, _matcher = reader, matcher


def validate_part(part: Rows | TextPart | SheetPart) -> Part:
    assert _reader is not None  # set by staged_parts, or by _start_worker in a worker
    with collector_paused():
        rows = part.rows() if isinstance(part, TextPart | SheetPart) else part
        if not rows:
            return STAGE_SCHEMA.to_frame(), [], 0
        return stage_part(_reader, _matcher, rows)


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
    reader: RowReader, matcher, parts: Iterable[Rows | TextPart | SheetPart], workers: int
) -> Generator[Part, None, None]:
    """(staged rows as a frame of fastrows.STAGE_SCHEMA, errors, row count) per part of
    the list (row_parts or text_parts), in file order, read and validated ahead by a thread
    of their own (and worker processes when `workers` > 1); parts of blank rows only are left
    out. An error while reading is raised here; leaving the loop early stops the reading."""
    for part in _staged(reader, matcher, parts, workers):
        if part[2]:
            yield part


def _staged(reader, matcher, parts: Iterable, workers: int) -> Generator[Part, None, None]:
    global _reader, _matcher
    if workers <= 1:
        _reader, _matcher = reader, matcher
        yield from _read_ahead(lambda: map(validate_part, parts))
        return
    matcher.cache.clear()
    state = pickle.dumps((reader, matcher, settings.FIELD_KEY, translation.get_language()))
    _reader, _matcher = reader, matcher  # for the parts validated before a worker is up
    pool = _Workers(workers, state)
    try:
        submitted = _read_ahead(lambda: map(pool.submit, parts))
        try:
            for pending in submitted:
                yield pending.result()
        finally:
            submitted.close()  # the reading thread stops before the pool does
    finally:
        pool.close()


class WorkersFailed(RuntimeError):
    """The worker processes could not start."""


class _Workers:
    """The worker processes, started by a thread of their own: starting one blocks until it
    has read what it is handed (the address matcher's names), and each sets Django up, about
    2 s in all. Until the first is up, the reading thread validates the parts itself, so the
    database starts writing that much sooner.

    concurrent.futures' pool rather than multiprocessing's: a worker that fails to start
    breaks it at once (multiprocessing's replaces the worker again and again), and its
    managing thread reads each answer itself (multiprocessing's worker-handling thread also
    waits on the answers' pipe, and while another thread reads a part from it, megabytes, it
    wakes and waits again thousands of times a part: 1.0–2.4 CPU seconds a million rows)."""

    def __init__(self, count: int, state: bytes) -> None:
        self.executor: ProcessPoolExecutor | None = None
        self.error: BaseException | None = None
        self.up = threading.Event()
        self.closing = threading.Event()
        self.thread = threading.Thread(
            target=self._start, args=(count, state), name="import-workers", daemon=True
        )
        self.thread.start()

    def submit(self, part: Rows | TextPart | SheetPart) -> Future | _Validated:
        """The part's validation under way, or a part validated here."""
        if not self.up.is_set() and VALIDATE_WHILE_WORKERS_START:
            return _Validated(validate_part(part))
        self.up.wait()
        if self.error is not None:
            raise self.error
        assert self.executor is not None  # set before up, unless an error is
        return self.executor.submit(validate_part, part)

    def close(self) -> None:
        """Parts not started are dropped; the workers end after the part in hand."""
        self.closing.set()
        self.thread.join()
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def _start(self, count: int, state: bytes) -> None:
        try:
            self.executor = ProcessPoolExecutor(
                count,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(state,),
            )
            # Each submission starts a worker until there are `count`: here, not in the
            # reading thread.
            answers = {self.executor.submit(os.getpid) for _ in range(count)}
            while answers and not self.closing.is_set():
                done, answers = wait(answers, timeout=0.1, return_when=FIRST_COMPLETED)
                if done:
                    done.pop().result()
                    break
        except BrokenProcessPool as error:
            self.error = WorkersFailed(_("导入的工作进程未能启动"))
            self.error.__cause__ = error
        except BaseException as error:  # noqa: BLE001 - raised in the reading thread
            self.error = error
        finally:
            self.up.set()


class _Validated:
    """A part validated in this process, handed on like a worker's answer."""

    def __init__(self, part: Part) -> None:
        self.part = part

    def result(self) -> Part:
        return self.part


_DONE = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


def _read_ahead(produce: Callable[[], Iterator]) -> Generator:
    """The items of produce(), made by a thread of their own at most IN_FLIGHT ahead of the
    consumer: the file is read (and validated) while the consumer waits for the database,
    which releases the interpreter lock. The thread ends with the items, on an error (raised
    to the consumer) or when the consumer stops."""
    items: queue.Queue = queue.Queue(maxsize=IN_FLIGHT)
    stop = threading.Event()
    language = translation.get_language()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        if language:
            translation.activate(language)
        try:
            with collector_paused():
                for item in produce():
                    if not put(item):
                        return
        except BaseException as error:  # noqa: BLE001 - handed to the consumer and re-raised
            put(_Failed(error))
            return
        put(_DONE)

    thread = threading.Thread(target=run, name="import-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()


def row_parts(rows: Iterable) -> Iterator[Rows]:
    """The rows (each with .number and .cells) in parts of PART_ROWS."""
    part: Rows = []
    for row in rows:
        part.append((row.number, row.cells))
        if len(part) >= PART_ROWS:
            yield part
            part = []
    if part:
        yield part


def sheet_parts(sheet: xlsx.Sheet, after: int) -> Iterator[SheetPart]:
    """The sheet's rows below row `after`, in pieces of its XML."""
    try:
        for piece in sheet.pieces(rows=PART_ROWS):
            yield SheetPart(piece, after)
    finally:
        xlsx.forget_strings()  # read by the parts validated in this process


def text_parts(source: CsvLines) -> Iterator[Rows | TextPart]:
    """The lines in parts of PART_ROWS: as text where no quote character is among them (each
    line a row), else split into rows here, where the part's last row may go on past its
    last line (a quoted cell may hold line breaks). Parts as text cost the reading process
    a join, not a split into cells and the pickling of each cell for a worker."""
    lines = source.lines
    number = source.first
    while chunk := list(islice(lines, PART_ROWS)):
        text = "".join(chunk)
        if '"' not in text:
            yield TextPart(number, text, source.delimiter)
            number += len(chunk)
            continue
        rows, number = _split_rows(chunk, lines, number, source.delimiter)
        if rows:
            yield rows


def _split_rows(chunk: list[str], lines: Iterator[str], number: int, delimiter: str):
    """(the rows holding anything that start in the chunk's lines, the next row's number);
    the lines the last row takes past the chunk are taken from `lines`."""
    taken = 0

    def counted() -> Iterator[str]:
        nonlocal taken
        for line in chain(chunk, lines):
            taken += 1
            yield line

    reader = csv.reader(counted(), delimiter=delimiter)
    rows: Rows = []
    while taken < len(chunk):
        cells = next(reader)
        if not is_blank(cells):
            rows.append((number, cells))
        number += 1
    return rows, number


__all__ = [
    "SheetPart",
    "TextPart",
    "WorkersFailed",
    "collector_paused",
    "row_parts",
    "sheet_parts",
    "text_parts",
    "staged_parts",
    "validate_part",
    "worker_count",
]
