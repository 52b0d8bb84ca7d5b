"""The check's writes in as few round trips as the database allows.

An ORM insert spends most of its time compiling SQL in Python, so the hot path writes with
statement text built once from the models' metadata. On PostgreSQL a check is one statement:
the person's lookup by blind index is a CTE of the insert of the record, or of the record, the
arrival and its obligations (data-modifying CTEs: atomic by themselves, one round trip); the
record travels as typed parameters, the arrival and its obligations as JSON rows. Elsewhere
(SQLite in development and tests) the person is looked up first and the rows are written with
plain parameters and the ORM inside a transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache

import psycopg
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from fangkong.arrivals.models import Arrival, ArrivalObligation
from fangkong.people.models import Person

from .models import CheckRecord


@cache
def _person_sql() -> str:
    table = connection.ops.quote_name(Person._meta.db_table)
    # The unique index on (document_type, document_index) is partial (non-empty index); the
    # repeated condition lets the plan of the prepared statement use it whatever the value.
    return (
        f"SELECT id FROM {table} WHERE document_type = %s AND document_index = %s "
        "AND document_index <> '' LIMIT 1"
    )


def person_id_by_index(document_type: str, index: str) -> int | None:
    """The person's id by blind index: the first statement of a check.

    On PostgreSQL it runs on the driver's cursor, without the health check Django makes
    before the first query of each request (a `SELECT 1` round trip, as dear as this lookup).
    The lookup itself serves as the check: when a persistent connection turns out to be dead,
    it is closed and the lookup, being read-only, runs once more on a new one.
    """
    params = [document_type, index]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_person_sql(), params)
            row = cursor.fetchone()
        return row[0] if row else None
    try:
        row = _fetchone(_person_sql(), params)
    except OperationalError:
        if connection.in_atomic_block:
            raise
        connection.close()
        row = _fetchone(_person_sql(), params)
    return row[0] if row else None


def _fetchone(sql: str, params: list):
    """One statement on the driver's cursor; errors are Django's, and a connection error marks
    the connection for closing at the end of the request, as Django's own cursors do."""
    connection.ensure_connection()
    # Django checks the connection's health before the first query of a request; the
    # statement run here is that check, so later queries need not make their own.
    connection.health_check_done = True  # type: ignore[attr-defined]  # Django's; not in the stubs
    # A server-side binding cursor, prepared: PostgreSQL parses and plans each of the few hot
    # statements once per connection (persistent connections keep them), where Django's
    # client-side binding cursors send new statement text every time.
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()


def _adapt(field, value):
    if value is None:
        return None
    internal = field.get_internal_type()
    if internal == "JSONField":
        return json.dumps(value, ensure_ascii=False)
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value(value)
    if internal == "DecimalField":
        return connection.ops.adapt_decimalfield_value(value, field.max_digits,
                                                       field.decimal_places)  # fmt: skip
    return value


@cache
def _columns(model) -> tuple:
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


def _insert_sql(model, returning: bool = True) -> str:
    fields = _columns(model)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    returning_id = " RETURNING id" if returning else ""
    return f"INSERT INTO {table} ({names}) VALUES ({marks}){returning_id}"


def _values(model, row: dict) -> list:
    return [_adapt(f, row.get(f.attname, _default(f))) for f in _columns(model)]


def _default(field):
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    return None


def _insert_check(row: dict) -> int:
    """One check record of a person whose id the row holds (databases other than
    PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(_sql_check(), _values(CheckRecord, row))
        return cursor.fetchone()[0]


@cache
def _sql_check() -> str:
    return _insert_sql(CheckRecord)


def check_known(document_type: str, index: str, record: dict) -> tuple[int, int] | None:
    """(record id, person id) of a check of a registered person, or None (nothing written)
    when the registry does not know the document: the common case in one statement that
    finds the person and writes the record (PostgreSQL), in two elsewhere."""
    if connection.vendor != "postgresql":
        person_id = person_id_by_index(document_type, index)
        if person_id is None:
            return None
        return _insert_check({**record, "person_id": person_id}), person_id
    # A write, so unlike the lookup alone it is not retried on a connection found dead (it
    # may have been carried out): Django closes that connection at the end of the request.
    params = [document_type, index, *_typed_values(CheckRecord, record, _PERSON_SKIP)]
    return _fetchone(_pg_known_check(), params)


def check_known_with_arrival(
    document_type: str, index: str, record: dict, arrival: dict, obligations: list[dict]
) -> tuple[int, int, int] | None:
    """(record id, arrival id, person id) of a check of a registered person that opens an
    arrival with its obligations, or None (nothing written) for an unknown document."""
    if connection.vendor != "postgresql" or not obligations:
        person_id = person_id_by_index(document_type, index)
        if person_id is None:
            return None
        record_id, arrival_id = _orm_check_with_arrival(
            {**record, "person_id": person_id},
            {**arrival, "person_id": person_id},
            [{**o, "person_id": person_id} for o in obligations],
        )
        return record_id, arrival_id, person_id
    now = timezone.now()
    arrival = {"created_at": now, "updated_at": now, **arrival}
    rows = [_row_dict(ArrivalObligation, o, _KNOWN_OBLIGATION_SKIP) for o in obligations]
    params = [
        document_type,
        index,
        *_typed_values(CheckRecord, record, _PERSON_SKIP),
        _json_row(Arrival, arrival, _KNOWN_ARRIVAL_SKIP),
        json.dumps(rows, ensure_ascii=False, default=_json_value),
    ]
    return _fetchone(_pg_known_check_arrival(), params)


# The arrival and its obligations travel as one JSON parameter each, expanded by
# json_populate_record(set): with the record's typed parameters the statement stays under the
# 4 KB and 50 parameters up to which psycopg caches its parsing, and Python serialises a row
# with one json.dumps instead of adapting every value.


@cache
def _row_plan(model, skip: tuple[str, ...] = ()) -> tuple[tuple[str, str, object], ...]:
    """(column, attname, default) of the columns written, defaults resolved once."""
    return tuple((column, attname, default) for column, attname, _how, default in
                 _typed_plan(model, skip))  # fmt: skip


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _row_dict(model, row: dict, skip: tuple[str, ...] = ()) -> dict:
    return {column: row.get(attname, default) for column, attname, default in
            _row_plan(model, skip)}  # fmt: skip


def _json_row(model, row: dict, skip: tuple[str, ...] = ()) -> str:
    return json.dumps(_row_dict(model, row, skip), ensure_ascii=False, default=_json_value)


def _select_from_json(model, skip: tuple[str, ...] = ()) -> tuple[str, str]:
    """(column list, the same columns read from the JSON row aliased r)."""
    q = connection.ops.quote_name
    columns = [column for column, _a, _d in _row_plan(model, skip)]
    return ", ".join(q(c) for c in columns), ", ".join(f"r.{q(c)}" for c in columns)


_PERSON_SKIP = ("person_id",)


# The check record itself travels as typed parameters, one per column: the server then reads
# each value in binary or as plain text, which cost it about a quarter less than expanding a
# JSON row (measured: 0.13 against 0.18 ms of server CPU per insert); with the two lookup
# parameters the statement stays under the 50 parameters whose conversion psycopg caches.


@cache
def _typed_plan(model, skip: tuple[str, ...]) -> tuple[tuple[str, str, str, object], ...]:
    """(column, attname, how to adapt, default) of the columns written."""
    plan = []
    for field in _columns(model):
        if field.attname in skip:
            continue
        internal = field.get_internal_type()
        how = "json" if internal == "JSONField" else ""
        plan.append((field.column, field.attname, how, _default(field)))
    return tuple(plan)


@cache
def _typed_marks(model, skip: tuple[str, ...]) -> tuple[str, str]:
    """(column list, a placeholder cast to each column's type)."""
    q = connection.ops.quote_name
    fields = {f.column: f for f in _columns(model)}
    plan = _typed_plan(model, skip)
    names = ", ".join(q(column) for column, *_rest in plan)
    marks = ", ".join(f"%s::{fields[column].db_type(connection)}" for column, *_rest in plan)
    return names, marks


def _typed_values(model, row: dict, skip: tuple[str, ...]) -> list:
    values = []
    for _column, attname, how, default in _typed_plan(model, skip):
        value = row.get(attname, default)
        if how == "json" and value is not None:
            value = json.dumps(value, ensure_ascii=False)
        values.append(value)
    return values


_KNOWN_ARRIVAL_SKIP = ("source_ref", "person_id")
_KNOWN_OBLIGATION_SKIP = ("arrival_id", "person_id")


def _person_cte() -> str:
    return f"WITH p AS ({_person_sql()})"


@cache
def _pg_known_check() -> str:
    """The person by blind index and the record written for them, in one statement: no row
    comes back (and nothing is written) when the document is not registered."""
    table = connection.ops.quote_name(CheckRecord._meta.db_table)
    names, marks = _typed_marks(CheckRecord, _PERSON_SKIP)
    return (
        f"{_person_cte()} INSERT INTO {table} ({names}, person_id) SELECT {marks}, p.id "
        f"FROM p RETURNING id, person_id"
    )


@cache
def _pg_known_check_arrival() -> str:
    """person → record → arrival → obligations in one statement, as _pg_check_arrival."""
    q = connection.ops.quote_name
    check, arrival, obligation = (
        q(m._meta.db_table) for m in (CheckRecord, Arrival, ArrivalObligation)
    )
    check_names, check_marks = _typed_marks(CheckRecord, _PERSON_SKIP)
    arr_names, arr_picked = _select_from_json(Arrival, _KNOWN_ARRIVAL_SKIP)
    obl_names, obl_picked = _select_from_json(ArrivalObligation, _KNOWN_OBLIGATION_SKIP)
    return (
        f"{_person_cte()}, "
        f"rec AS (INSERT INTO {check} ({check_names}, person_id) SELECT {check_marks}, p.id "
        f"FROM p RETURNING id, person_id), "
        f"arr AS (INSERT INTO {arrival} ({arr_names}, source_ref, person_id) "
        f"SELECT {arr_picked}, 'check:' || rec.id, rec.person_id "
        f"FROM json_populate_record(NULL::{arrival}, %s::json) AS r, rec "
        f"RETURNING id, person_id), "
        f"obl AS (INSERT INTO {obligation} ({obl_names}, arrival_id, person_id) "
        f"SELECT {obl_picked}, arr.id, arr.person_id "
        f"FROM json_populate_recordset(NULL::{obligation}, %s::json) AS r, arr) "
        f"SELECT rec.id, arr.id, rec.person_id FROM rec, arr"
    )


def _orm_check_with_arrival(record: dict, arrival: dict, obligations: list[dict]):
    with transaction.atomic():
        record_id = _insert_check(record)
        created = Arrival.objects.create(**{**arrival, "source_ref": f"check:{record_id}"})
        ArrivalObligation.objects.bulk_create(
            [ArrivalObligation(arrival=created, **o) for o in obligations]
        )
    return record_id, created.pk
