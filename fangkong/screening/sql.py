"""SQL helpers the import's merge and the sweeps share, on either database."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Field, Model


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[Model]) -> str:
    return q(model._meta.db_table)


def db_datetime(value: dt.datetime):
    """A datetime as a query parameter of this database (SQLite keeps naive UTC text)."""
    if is_postgres():
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def insert_select(
    model: type[Model], exprs: dict[str, str | tuple[str, list]], tail_sql: str, params: list
) -> int:
    """INSERT INTO model's table SELECT the given column expressions (SQL text, or SQL with
    its parameters); every other concrete field takes its default as a parameter, so a new
    nullable or defaulted field needs no change here. Returns the number of rows inserted."""
    columns: list[str] = []
    selects: list[str] = []
    select_params: list = []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.name not in exprs:
            continue
        assert field.column is not None  # every concrete field has a column
        columns.append(q(field.column))
        if field.name in exprs:
            expr = exprs[field.name]
            sql, extra = (expr, []) if isinstance(expr, str) else expr
            selects.append(sql)
            select_params.extend(extra)
            continue
        selects.append("%s")
        select_params.append(field.get_db_prep_save(field_default(field), connection))
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(columns)}) SELECT {', '.join(selects)} {tail_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, select_params + list(params))
        return cursor.rowcount


def field_default(field: Field):
    """What a bulk insert that does not name the field writes: its default, else NULL, else
    '' for a blank field; any other field must be named."""
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if (
        field.blank
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")
