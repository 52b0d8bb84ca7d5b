"""The staging table an import fills before its one set-based merge, on either database.

PostgreSQL gets the rows with COPY into a temporary table; SQLite with executemany. The
table lives in the session, outside the import's transaction: a process killed while rows
are being staged leaves nothing behind, and the merge itself is one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import connection
from django.db.models import Model

from .fastrows import COPY_NULL, NULLABLE

STAGE_COLUMNS = [
    ("row_number", "integer"),
    ("raw", "text"),
    ("secret", "text"),
    ("name", "text"),
    ("doc_type", "text"),
    ("doc_number", "text"),
    ("doc_index", "text"),
    ("phone", "text"),
    ("phone_index", "text"),
    ("sex", "text"),
    ("birth_date", "date"),
    ("address", "text"),
    ("source_place", "text"),
    ("arrived_at", "text"),
    ("health_code", "text"),
    ("note", "text"),
    ("region_id", "text"),
    ("level", "integer"),
    ("invalid", "boolean"),
    ("errors", "text"),
]
_ARRIVED = [name for name, _ in STAGE_COLUMNS].index("arrived_at")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[Model]) -> str:
    return q(model._meta.db_table)


def json_expr(column: str) -> str:
    return f"{column}::jsonb" if is_postgres() else column


def datetime_expr(column: str) -> str:
    return f"{column}::timestamptz" if is_postgres() else column


def db_datetime(value: dt.datetime):
    """A datetime as a query parameter of this database (SQLite keeps naive UTC text)."""
    if is_postgres():
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


class Stage:
    def __init__(self):
        self.name = f"screening_stage_{uuid.uuid4().hex[:12]}"
        self.temp_tables = [self.name]
        columns = ", ".join(f"{name} {kind}" for name, kind in STAGE_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {self.name} ({columns})")

    def write_csv(self, data: bytes) -> None:
        """COPY rows rendered by fastrows.stage_part (PostgreSQL only)."""
        names = ", ".join(name for name, _ in STAGE_COLUMNS)
        texts = ", ".join(
            name for name, kind in STAGE_COLUMNS if kind == "text" and name not in NULLABLE
        )
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {self.name} ({names}) FROM STDIN WITH (FORMAT csv, NULL '{COPY_NULL}', "
                f"FORCE_NOT_NULL ({texts}))"
            ) as copy,
        ):
            copy.write(data)

    def write(self, rows: list[tuple]) -> None:
        names = ", ".join(name for name, _ in STAGE_COLUMNS)
        with connection.cursor() as cursor:
            if is_postgres():
                with cursor.cursor.copy(f"COPY {self.name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
                cursor.executemany(
                    f"INSERT INTO {self.name} ({names}) VALUES ({marks})",
                    [_sqlite_row(row) for row in rows],
                )

    def temp(self, suffix: str, select_sql: str, params: Iterable = (), index=None) -> str:
        """CREATE TEMP TABLE … AS SELECT, so the merge joins well: analysed on PostgreSQL, whose
        hash joins need no index (building them took 1.3 s of a million-row merge), indexed
        on SQLite, which joins by looking rows up."""
        name = f"{self.name}_{suffix}"
        self.temp_tables.append(name)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {name} AS {select_sql}", list(params))
            if is_postgres():
                cursor.execute(f"ANALYZE {name}")
            elif index:
                cursor.execute(f"CREATE INDEX {name}_ix ON {name} ({', '.join(index)})")
        return name

    def analyze(self) -> None:
        if is_postgres():
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {self.name}")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for name in reversed(self.temp_tables):
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
        self.temp_tables = []


def _sqlite_row(row: tuple) -> tuple:
    arrived = row[_ARRIVED]
    if arrived is None:
        return row
    value = dt.datetime.fromisoformat(arrived).astimezone(dt.UTC).replace(tzinfo=None)
    return (*row[:_ARRIVED], value.isoformat(sep=" "), *row[_ARRIVED + 1 :])


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
        if field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif (
            field.blank
            and not getattr(field, "auto_now", False)
            and not getattr(field, "auto_now_add", False)
        ):
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        selects.append("%s")
        select_params.append(field.get_db_prep_save(value, connection))
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(columns)}) SELECT {', '.join(selects)} {tail_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, select_params + list(params))
        return cursor.rowcount
