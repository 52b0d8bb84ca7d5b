"""The check's writes in as few round trips as the database allows.

An ORM insert spends most of its time compiling SQL in Python, so the hot path writes with
prepared statement text built once from the models' metadata. On PostgreSQL a check that
opens an arrival writes the record, the arrival and its obligations in one statement (data-
modifying CTEs: atomic by themselves, one round trip); elsewhere (SQLite in development and
tests) the same rows are written with the ORM inside a transaction.
"""

from __future__ import annotations

import json
from functools import cache

from django.db import connection, transaction
from django.utils import timezone

from fangkong.arrivals.models import Arrival, ArrivalObligation
from fangkong.people.models import Person

from .models import CheckRecord


@cache
def _person_sql() -> str:
    table = connection.ops.quote_name(Person._meta.db_table)
    return f"SELECT id FROM {table} WHERE document_type = %s AND document_index = %s LIMIT 1"


def person_id_by_index(document_type: str, index: str) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(_person_sql(), [document_type, index])
        row = cursor.fetchone()
    return row[0] if row else None


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


def insert_check(row: dict) -> int:
    """One check record, one statement, autocommit."""
    with connection.cursor() as cursor:
        cursor.execute(_sql_check(), _values(CheckRecord, row))
        return cursor.fetchone()[0]


@cache
def _sql_check() -> str:
    return _insert_sql(CheckRecord)


@cache
def _sql_check_arrival(obligations: int) -> str:
    """record → arrival (source_ref names the record) → n obligations, in one statement."""
    q = connection.ops.quote_name
    check_fields = _columns(CheckRecord)
    arrival_fields = [f for f in _columns(Arrival) if f.attname != "source_ref"]
    obligation_fields = [f for f in _columns(ArrivalObligation) if f.attname != "arrival_id"]

    def names(fields):
        return ", ".join(q(f.column) for f in fields)

    def marks(fields):
        return ", ".join(["%s"] * len(fields))

    def typed(fields):
        # Parameters in SELECT and VALUES lists need their types spelled out.
        return ", ".join(f"CAST(%s AS {_db_type(f)})" for f in fields)

    rows = ", ".join(f"({typed(obligation_fields)})" for _ in range(obligations))
    return (
        f"WITH rec AS (INSERT INTO {q(CheckRecord._meta.db_table)} ({names(check_fields)}) "
        f"VALUES ({marks(check_fields)}) RETURNING id), "
        f"arr AS (INSERT INTO {q(Arrival._meta.db_table)} ({names(arrival_fields)}, source_ref) "
        f"SELECT {typed(arrival_fields)}, 'check:' || rec.id FROM rec RETURNING id), "
        f"obl AS (INSERT INTO {q(ArrivalObligation._meta.db_table)} "
        f"({names(obligation_fields)}, arrival_id) "
        f"SELECT v.*, arr.id FROM (VALUES {rows}) AS v, arr) "
        f"SELECT rec.id, arr.id FROM rec, arr"
    )


def _db_type(field) -> str:
    if field.get_internal_type() == "ForeignKey":
        return field.target_field.rel_db_type(connection)
    return field.db_type(connection)


def insert_check_with_arrival(record: dict, arrival: dict, obligations: list[dict]):
    """(record id, arrival id) for a check that opens an arrival with its obligations."""
    if connection.vendor != "postgresql" or not obligations:
        return _orm_check_with_arrival(record, arrival, obligations)
    now = timezone.now()
    arrival = {"created_at": now, "updated_at": now, **arrival}
    params = _values(CheckRecord, record)
    params += [
        _adapt(f, arrival.get(f.attname, _default(f)))
        for f in _columns(Arrival)
        if f.attname != "source_ref"
    ]
    for obligation in obligations:
        params += [
            _adapt(f, obligation.get(f.attname, _default(f)))
            for f in _columns(ArrivalObligation)
            if f.attname != "arrival_id"
        ]
    with connection.cursor() as cursor:
        cursor.execute(_sql_check_arrival(len(obligations)), params)
        return cursor.fetchone()


def _orm_check_with_arrival(record: dict, arrival: dict, obligations: list[dict]):
    with transaction.atomic():
        record_id = insert_check(record)
        created = Arrival.objects.create(**{**arrival, "source_ref": f"check:{record_id}"})
        ArrivalObligation.objects.bulk_create(
            [ArrivalObligation(arrival=created, **o) for o in obligations]
        )
    return record_id, created.pk
