"""Writing a list into the people registry and its records part by part, as it is read.

A thread reads and validates the list ahead (screening.parallel); each part it hands over is
resolved here and written at once: on PostgreSQL with COPY into the tables, inside the
import's one transaction, so the server writes one part while the next is being validated;
on SQLite into temporary tables, moved into the tables in one transaction at the end.

Resolving a part, in file order:
- A row with a valid document is keyed by its blind index, held as two 64-bit halves per
  document type (32 bytes a document: a million documents take about 30 MB).
- A document the list named before makes the row a repeat of that first row: same person,
  merged into its record (merge_kind "file").
- The documents new to the list are looked up in the registry (one query per part and
  document type): a known person is matched, an unknown one is created from the first row.
- A repeat, and a row naming a person the registry knew, adds the list to the person's
  history (PersonSource), written with the part's records.
- New people and records take their ids from the tables' sequences before anything is
  written, so a record names its person and its first row's record as it is written.

On PostgreSQL the COPYs run on a thread of their own, in order, on the import's connection
(its lock keeps them apart from the importing thread's queries): the server writes one part
while the importing thread resolves the next. Ids come from a connection of their own, as the
sequences are outside any transaction; the registry is asked on the import's connection,
which sees what the transaction holds.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import queue
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import polars as pl
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import NOT_PROVIDED, JSONField, Model

from fangkong.people.models import Person

from .models import MergeKind, PersonSource, ScreeningRecord, Status
from .sql import db_datetime, field_default, q, table

KEY = ["hi", "lo"]
# Blind indexes are 32 hex characters: two halves of 16.
HALF = 16
LINKS = pl.Schema({"row_number": pl.Int64, "person_id": pl.Int64, "first_record": pl.Int64})
# Documents asked of the registry's index per query: with a part's 20,000 at once the planner
# scans the registry instead (0.2 s a part).
LOOKUP_KEYS = 1_000
# Bytes a person takes in the registry's table, about (identifiers encrypted, address).
PERSON_ROW_BYTES = 300
# SQLite binds each document as a variable: well below the oldest limit of 999.
SQLITE_LOOKUP_KEYS = 500
# COPYs handed to the copying thread and not yet done: the people and records of two parts.
COPIES_AHEAD = 4
TEXT_SPECIALS = ["\\", "\t", "\n", "\r"]
TEXT_ESCAPES = ["\\\\", "\\t", "\\n", "\\r"]
TEXT_SPECIAL = r"[\\\t\n\r]"
FOUND = pl.Schema({"doc_index": pl.String, "person_id": pl.Int64})
SEEN = pl.Schema(
    {"hi": pl.UInt64, "lo": pl.UInt64, "person_id": pl.Int64, "first_record": pl.Int64}
)


class ListWriter:
    def __init__(
        self,
        *,
        sink: CopySink | TempSink,
        batch_id: int,
        history: tuple[str, str],
        registrar: int | None,
        now,
        deadline,
    ) -> None:
        self.sink = sink
        self.batch_id = batch_id
        self.source, self.category = history
        self.registrar = registrar
        self.now = sink.timestamp(now)
        self.deadline = sink.timestamp(deadline)
        self.seen: dict[str, pl.DataFrame] = {}
        self.known: list[int] = []
        self.created = 0
        self.written = 0
        # What the batch's counts are made of, tallied as the parts are written.
        self.invalid = 0
        self.repeats = 0
        self.by_level: Counter[int] = Counter()

    def add(self, part: pl.DataFrame) -> None:
        part = part.sort("row_number").with_columns(
            pl.Series("id", self.sink.next_ids(ScreeningRecord, part.height), dtype=pl.Int64),
            pl.when(~pl.col("invalid") & (pl.col("doc_index") != ""))
            .then(pl.col("doc_type"))
            .alias("key_type"),
            _half(0).alias("hi"),
            _half(1).alias("lo"),
        )
        doc_types = part["key_type"].drop_nulls().unique().sort().to_list()
        matched = len(self.known)
        links = [self._resolve(part, doc_type) for doc_type in doc_types]
        part = part.join(pl.concat(links) if links else LINKS.to_frame(), "row_number", "left")
        # A repeat names a document an earlier row of the list named: merged into that row.
        part = part.with_columns(
            (pl.col("first_record").is_not_null() & (pl.col("first_record") != pl.col("id"))).alias(
                "repeat"
            )
        )
        self.sink.write(ScreeningRecord, self._records(part))
        sources = part.filter(pl.col("repeat") | pl.col("person_id").is_in(self.known[matched:]))
        if sources.height:
            self.sink.write(PersonSource, self._sources(sources))
        self._tally(part)

    def _tally(self, part: pl.DataFrame) -> None:
        self.written += part.height
        self.invalid += part.select(pl.col("invalid").sum()).item()
        self.repeats += part.select(pl.col("repeat").sum()).item()
        levels = part.filter(~pl.col("invalid") & ~pl.col("repeat")).group_by("level").len()
        self.by_level.update(dict(levels.iter_rows()))

    def flush(self) -> None:
        """Every part handed over is written (an error writing one is raised here)."""
        self.sink.flush()

    def _resolve(self, part: pl.DataFrame, doc_type: str) -> pl.DataFrame:
        """(row_number, person_id, first_record) of the part's rows with this document type."""
        rows = part.filter(pl.col("key_type") == doc_type).select(
            "row_number", "id", "doc_index", *KEY
        )
        seen = self.seen.get(doc_type, SEEN.to_frame())
        earlier = seen.join(rows.select(KEY), on=KEY, how="semi")
        firsts = (
            rows.join(earlier, on=KEY, how="anti")
            .unique(subset=KEY, keep="first", maintain_order=True)
            .select("row_number", "id", "doc_index", *KEY)
        )
        found = self.sink.registry(doc_type, firsts["doc_index"].to_list())
        firsts = firsts.join(found, on="doc_index", how="left")
        known = firsts.filter(pl.col("person_id").is_not_null())
        newcomers = firsts.filter(pl.col("person_id").is_null())
        newcomers = newcomers.with_columns(
            pl.Series("person_id", self.sink.next_ids(Person, newcomers.height), dtype=pl.Int64)
        )
        firsts = pl.concat([known, newcomers])
        self.known.extend(known["person_id"].to_list())
        if newcomers.height:
            people = part.join(newcomers.select("row_number", "person_id"), "row_number")
            self.sink.write(Person, self._people(people))
            self.created += newcomers.height
        added = firsts.select(*KEY, "person_id", pl.col("id").alias("first_record"))
        self.seen[doc_type] = pl.concat([seen, added], rechunk=False)
        return rows.join(pl.concat([earlier, added]), on=KEY, how="left").select(LINKS.names())

    def _people(self, rows: pl.DataFrame) -> pl.DataFrame:
        return model_frame(
            Person,
            rows,
            {
                "id": pl.col("person_id"),
                "name": pl.col("name"),
                "sex": pl.col("sex"),
                "birth_date": pl.col("birth_date"),
                "document_type": pl.col("doc_type"),
                "document_number": pl.col("doc_number"),
                "document_index": pl.col("doc_index"),
                "phone": pl.col("phone"),
                "phone_index": pl.col("phone_index"),
                "current_address": pl.col("address").str.slice(0, 200),
                "region": pl.col("region_id"),
                "registered_by": pl.lit(self.registrar, dtype=pl.Int64),
                "created_at": pl.lit(self.now),
                "updated_at": pl.lit(self.now),
            },
        )

    def _sources(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The histories of the people the list names again: a repeat of an earlier row, or a
        person the registry knew."""
        return model_frame(
            PersonSource,
            rows,
            {
                "person": pl.col("person_id"),
                "batch": pl.lit(self.batch_id, dtype=pl.Int64),
                "record": pl.col("id"),
                "source": pl.lit(self.source),
                "category": pl.lit(self.category),
                "row_number": pl.col("row_number"),
                "at": pl.lit(self.now),
            },
        )

    def _records(self, part: pl.DataFrame) -> pl.DataFrame:
        repeat = pl.col("repeat")
        return model_frame(
            ScreeningRecord,
            part,
            {
                "id": pl.col("id"),
                "batch": pl.lit(self.batch_id, dtype=pl.Int64),
                "row_number": pl.col("row_number"),
                "values": pl.col("raw"),
                "secret_values": pl.col("secret"),
                "person": pl.col("person_id"),
                "name": pl.col("name"),
                "document_type": pl.col("doc_type"),
                "document_number": pl.col("doc_number"),
                "document_index": pl.col("doc_index"),
                "phone": pl.col("phone"),
                "phone_index": pl.col("phone_index"),
                "address": pl.col("address"),
                "source_place": pl.col("source_place"),
                "arrived_at": pl.col("arrived_at"),
                "health_code": pl.col("health_code"),
                "note": pl.col("note"),
                "region": pl.col("region_id"),
                "assigned_level": pl.col("level"),
                "status": pl.lit(str(Status.PUSHED)),
                "invalid": pl.col("invalid"),
                "errors": pl.col("errors"),
                "merged_into": pl.when(repeat).then(pl.col("first_record")),
                "merge_kind": pl.when(repeat)
                .then(pl.lit(str(MergeKind.FILE)))
                .otherwise(pl.lit("")),
                "deadline": pl.lit(self.deadline),
                "created_at": pl.lit(self.now),
            },
        )


def _half(n: int) -> pl.Expr:
    return (
        pl.col("doc_index")
        .str.slice(n * HALF, HALF)
        .str.to_integer(base=16, dtype=pl.UInt64, strict=False)
    )


def model_frame(model: type[Model], rows: pl.DataFrame, exprs: dict[str, pl.Expr]) -> pl.DataFrame:
    """The model's table columns, in order, from the given expressions; every other concrete
    field takes its default, so a new nullable or defaulted field needs no change here. A
    column left NULL is left out (the table has no default for it to take instead): each
    column written costs the server's COPY a field to parse per row, and 15 of the records'
    are NULL on every row of a list."""
    columns = []
    for field in model._meta.concrete_fields:
        assert field.column is not None  # every concrete field has a column
        expr = exprs.get(field.name)
        if expr is None and field.primary_key:
            continue  # the table's sequence numbers the rows
        if expr is None:
            default = _default(field)
            if default is None and field.db_default is NOT_PROVIDED:
                continue
            expr = pl.lit(default)
        columns.append(expr.alias(field.column))
    return rows.select(columns)


def _default(field):
    """sql.field_default() as a COPY writes it."""
    value = field_default(field)
    if value is None:
        return None
    if isinstance(field, JSONField):
        return json.dumps(value)
    return str(value) if isinstance(value, str) else value  # choices are str subclasses


class CopySink:
    """PostgreSQL: parts are COPY'd into the tables inside the import's transaction, by a
    thread of their own. Used in a `with` block inside that transaction: leaving it stops the
    thread before the transaction ends, so no COPY can run after a rollback."""

    def __init__(self) -> None:
        self.sequences: dict[type[Model], str] = {}
        self.snapshot: pl.DataFrame | None = None
        self.registry_size: float | None = None
        self.probed = 0
        self.copier = _Copier(connections[DEFAULT_DB_ALIAS])
        self.ids: BaseDatabaseWrapper | None = None

    def __enter__(self) -> CopySink:
        return self

    def __exit__(self, *exc) -> None:
        self.copier.stop()
        if self.ids is not None:
            self.ids.close()

    def timestamp(self, value: dt.datetime) -> str:
        return value.isoformat()

    def next_ids(self, model: type[Model], count: int) -> Sequence[int]:
        """The sequence is named once: pg_get_serial_sequence() per row cost 3.5 µs a value,
        nextval() of a constant name 0.5 µs. Ids taken in one run, as they are unless another
        writer took some meanwhile, come back as their range, not one by one."""
        if not count:
            return []
        if self.ids is None:
            self.ids = connections.create_connection(DEFAULT_DB_ALIAS)
        with self.ids.cursor() as cursor:
            if model not in self.sequences:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
                self.sequences[model] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT min(id), max(id), CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL "
                "ELSE array_agg(id) END FROM (SELECT nextval(%s::regclass) AS id "
                "FROM generate_series(1, %s)) AS taken",
                [self.sequences[model], count],
            )
            low, high, scattered = cursor.fetchone()
            return range(low, high + 1) if scattered is None else scattered

    def registry(self, doc_type: str, indexes: list[str]) -> pl.DataFrame:
        """(doc_index, person_id) of the documents the registry holds (FOUND). Looked up in
        the registry's index while a list has asked fewer than a tenth of the registry's
        size; from then on the registry's documents are read once (a scan and its transfer
        take about a tenth of a look-up per person) and matched in memory."""
        with self.copier.errors_first():
            if self.snapshot is None and self.probed + len(indexes) > self._registry_size() / 10:
                self.snapshot = self._read_registry()
            if self.snapshot is not None:
                return self._matched(doc_type, indexes)
            self.probed += len(indexes)
            return self._probed(doc_type, indexes)

    def _matched(self, doc_type: str, indexes: list[str]) -> pl.DataFrame:
        assert self.snapshot is not None
        asked = pl.DataFrame(
            {"document_type": [doc_type] * len(indexes), "doc_index": indexes},
            schema={"document_type": pl.String, "doc_index": pl.String},
        )
        return asked.join(self.snapshot, on=["document_type", "doc_index"]).select(FOUND.names())

    def _probed(self, doc_type: str, indexes: list[str]) -> pl.DataFrame:
        found = []
        with connection.cursor() as cursor:
            for start in range(0, len(indexes), LOOKUP_KEYS):
                cursor.execute(
                    f"SELECT document_index, id FROM {table(Person)} WHERE document_type = %s "
                    "AND document_index = ANY(%s) AND document_index <> ''",
                    [doc_type, indexes[start : start + LOOKUP_KEYS]],
                )
                found.extend(cursor.fetchall())
        return pl.DataFrame(found, schema=FOUND, orient="row")

    def _registry_size(self) -> float:
        """About how many people the registry holds, from its size on disk (its statistics
        may be missing or stale)."""
        if self.registry_size is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_relation_size(%s::regclass)", [Person._meta.db_table])
                self.registry_size = cursor.fetchone()[0] / PERSON_ROW_BYTES
        return self.registry_size

    def _read_registry(self) -> pl.DataFrame:
        buffer = io.BytesIO()
        with connection.cursor() as cursor:
            sql = (
                f"COPY (SELECT document_type, document_index, id FROM {table(Person)} "
                "WHERE document_index <> '') TO STDOUT WITH (FORMAT csv)"
            )
            with cursor.cursor.copy(sql) as copy:
                for data in copy:
                    buffer.write(data)
        schema = {"document_type": pl.String, "doc_index": pl.String, "person_id": pl.Int64}
        if not buffer.tell():
            return pl.DataFrame(schema=schema)
        return pl.read_csv(buffer.getvalue(), has_header=False, schema=schema)

    def write(self, model: type[Model], frame: pl.DataFrame) -> None:
        self.copier.put(model, frame)

    def flush(self) -> None:
        self.copier.finish()


class _Copier:
    """Runs the COPYs handed over, in order, on the import's connection, from a thread of its
    own (the server's writing is half of an import's time; the importing thread resolves the
    next part meanwhile). The first error stops the writing and is raised to the importing
    thread at its next hand-over, at finish(), or instead of the error it then meets on the
    aborted transaction."""

    def __init__(self, database: BaseDatabaseWrapper) -> None:
        self.database = database
        self.jobs: queue.Queue = queue.Queue(maxsize=COPIES_AHEAD)
        self.error: BaseException | None = None
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="import-copier", daemon=True)

    def put(self, model: type[Model], frame: pl.DataFrame) -> None:
        self._raise()
        if self.thread.ident is None:
            self.thread.start()
        # Rendered here: the copying thread goes from one COPY to the next without the server
        # waiting for it.
        names = ", ".join(q(name) for name in frame.columns)
        self.jobs.put((f"COPY {table(model)} ({names}) FROM STDIN", copy_text(frame)))

    def finish(self) -> None:
        """Wait for every COPY handed over; raise the first error."""
        self._end()
        self._raise()

    def stop(self) -> None:
        """Drop what is not written yet and end the thread (an error stays unraised)."""
        self.stopping = True
        self._end()

    def _end(self) -> None:
        if self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join()

    @contextmanager
    def errors_first(self) -> Iterator[None]:
        """A query that fails after a COPY did raises the COPY's error. The COPYs still
        queued are dropped first: run on a transaction the query's own error aborted, they
        would fail too and hide it."""
        try:
            yield
        except DatabaseError:
            self.stop()
            self._raise()
            raise

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None and not self.stopping:
                try:
                    self._copy(*job)
                except BaseException as error:  # noqa: BLE001 - raised in the importing thread
                    self.error = error

    def _copy(self, statement: str, data: bytes) -> None:
        with (
            self.database.wrap_database_errors,
            self.database.connection.cursor() as cursor,
            cursor.copy(statement) as copy,
        ):
            copy.write(data)


def copy_text(frame: pl.DataFrame) -> bytes:
    """The frame in COPY's text format (the server parses it faster than CSV, about 2 s a
    million records): tab-separated, \\N for NULL, and the four characters the format gives
    a meaning escaped with a backslash wherever a text holds them. Only the columns holding
    any are rewritten: most hold none (identifiers encrypted, codes, times), and rewriting
    every text took two thirds of the rendering's CPU time."""
    buffer = io.BytesIO()
    _escaped(frame).write_csv(
        buffer, include_header=False, separator="\t", quote_style="never", null_value=r"\N"
    )
    return buffer.getvalue()


def _escaped(frame: pl.DataFrame) -> pl.DataFrame:
    held = frame.select(pl.col(pl.String).str.contains(TEXT_SPECIAL).any())
    if not held.width:
        return frame
    columns = [name for name, holds in zip(held.columns, held.row(0), strict=True) if holds]
    if not columns:
        return frame
    return frame.with_columns(pl.col(columns).str.replace_many(TEXT_SPECIALS, TEXT_ESCAPES))


class TempSink:
    """SQLite: parts go to temporary tables, which do not hold the database's write lock
    (the upload page's progress is written meanwhile), and are moved into the tables in the
    import's transaction. Ids continue each table's sequence; should another writer take one
    of them in between, the move fails on the primary key and the import runs again."""

    def __init__(self) -> None:
        self.tables: dict[type[Model], str] = {}
        self.next: dict[type[Model], int] = {}

    def timestamp(self, value: dt.datetime) -> str:
        return db_datetime(value)

    def next_ids(self, model: type[Model], count: int) -> Sequence[int]:
        if model not in self.next:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT MAX(id) FROM {table(model)} UNION ALL "
                    "SELECT MAX(seq) FROM sqlite_sequence WHERE name = %s",
                    [model._meta.db_table],
                )
                self.next[model] = max(value or 0 for (value,) in cursor.fetchall()) + 1
        start = self.next[model]
        self.next[model] += count
        return range(start, start + count)

    def registry(self, doc_type: str, indexes: list[str]) -> pl.DataFrame:
        found = []
        with connection.cursor() as cursor:
            for start in range(0, len(indexes), SQLITE_LOOKUP_KEYS):
                chunk = indexes[start : start + SQLITE_LOOKUP_KEYS]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT document_index, id FROM {table(Person)} WHERE document_type = %s "
                    f"AND document_index IN ({marks}) AND document_index <> ''",
                    [doc_type, *chunk],
                )
                found.extend(cursor.fetchall())
        return pl.DataFrame(found, schema=FOUND, orient="row")

    def write(self, model: type[Model], frame: pl.DataFrame) -> None:
        name = self.tables.get(model)
        with connection.cursor() as cursor:
            if name is None:
                name = self.tables[model] = f"fangkong_import_{model._meta.db_table}"
                cursor.execute(f"DROP TABLE IF EXISTS temp.{name}")
                cursor.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {table(model)} WHERE 0")
            rows = frame.rows()
            if model is ScreeningRecord:
                at = frame.columns.index("arrived_at")
                rows = [(*r[:at], _utc_text(r[at]), *r[at + 1 :]) for r in rows]
            names = ", ".join(q(c) for c in frame.columns)
            marks = ", ".join(["%s"] * len(frame.columns))
            cursor.executemany(f"INSERT INTO {name} ({names}) VALUES ({marks})", rows)

    def flush(self) -> None:
        """Nothing to wait for: each part was written as it was handed over."""

    def move(self, batch_id: int) -> None:
        with connection.cursor() as cursor:
            for model, name in self.tables.items():
                columns = [f.column for f in model._meta.concrete_fields if f.column]
                selects = ["%s" if c == "batch_id" else q(c) for c in columns]
                cursor.execute(
                    f"INSERT INTO {table(model)} ({', '.join(q(c) for c in columns)}) "
                    f"SELECT {', '.join(selects)} FROM {name} ORDER BY id",
                    [batch_id] * selects.count("%s"),
                )

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for name in self.tables.values():
                cursor.execute(f"DROP TABLE IF EXISTS temp.{name}")
        self.tables = {}


def _utc_text(value: str | None) -> str | None:
    """An ISO timestamp with its offset as SQLite's naive UTC text."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value).astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ")
