"""What follows the writing of a list (screening.writer), inside the import's transaction:
the tables' statistics, the list's people already on another open list, and the batch's
counts from the writer's tally (the writer also wrote the people's histories). Statements,
not rows: a fixed number of queries whatever the size of the list, the same SQL on
PostgreSQL and SQLite.
"""

from __future__ import annotations

import time

from django.db import connection

from fangkong.people.models import Person

from .matching import LEVEL_NAMES
from .models import MergeKind, ScreeningBatch, ScreeningRecord, Status
from .sql import is_postgres, q, table
from .writer import ListWriter

# Columns a merged record copies from its primary so both read the same.
MIRRORED = [
    "status",
    "outcome",
    "measure",
    "place",
    "destination",
    "count_clear",
    "count_clear_by_id",
    "count_clear_at",
    "identity_clear",
    "identity_clear_by_id",
    "identity_clear_at",
    "location_clear",
    "location_clear_by_id",
    "location_clear_at",
    "control_clear",
    "control_clear_by_id",
    "control_clear_at",
    "four_clear",
    "received_at",
    "received_by_id",
    "checked_at",
    "checked_by_id",
    "closed_at",
]


# A list that adds more than this share of a table's rows, or more rows than
# ANALYZE_FROM_ROWS, has the table's statistics refreshed before the joins that follow. Planned
# on statistics that have never seen the new batch, they expect one row and nest loops over it:
# 60,000 rows into a million took 131 s to link their repeats. Below ANALYZE_FROM_ROWS such a
# plan stays cheap, and the ANALYZE (most of a second on a million records) would not.
ANALYZE_SHARE = 0.1
ANALYZE_FROM_ROWS = 2_000


def _execute(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def _scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchone()[0]


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 2)
        self.last = now


def finish_list(*, batch: ScreeningBatch, writer: ListWriter) -> dict:
    """After the list's rows are written: statistics and open lists; the counts are the
    writer's tally of the rows it wrote."""
    clock = _Clock()
    _analyze_if_grown(Person, writer.created)
    _analyze_if_grown(ScreeningRecord, writer.written)
    # Made inside the import's transaction: should anything fail, it goes with the rest.
    people = _known_people(batch, writer.known)
    _link_open_lists(batch, people)
    _execute(f"DROP TABLE {people}")
    clock.lap("links")
    return {
        "matched": len(writer.known),
        "created": writer.created,
        **_counts(writer),
        "timings": clock.laps,
    }


def _known_people(batch: ScreeningBatch, known: list[int]) -> str:
    """A temporary table of the people the list matched in the registry."""
    name = f"screening_known_{batch.pk}"
    _execute(f"CREATE TEMP TABLE {name} (person_id bigint)")
    with connection.cursor() as cursor:
        if is_postgres():
            with cursor.cursor.copy(f"COPY {name} (person_id) FROM STDIN") as copy:
                for person in known:
                    copy.write_row((person,))
            cursor.execute(f"ANALYZE {name}")
        else:
            cursor.executemany(f"INSERT INTO {name} VALUES (%s)", [(p,) for p in known])
            cursor.execute(f"CREATE INDEX {name}_ix ON {name} (person_id)")
    return name


def _analyze_if_grown(model: type[Person] | type[ScreeningRecord], added: int) -> None:
    """Refresh the planner's statistics of a table the list has grown by more than
    ANALYZE_FROM_ROWS rows or ANALYZE_SHARE of its rows (PostgreSQL): the statements that
    follow, and the next import's, are planned on them. A list of a few hundred rows into a big
    table leaves them be (ANALYZE of a million records takes longer than the rest of a
    1,000-row import)."""
    if not is_postgres():
        return
    rows = _scalar(
        "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
    )
    if added > ANALYZE_FROM_ROWS or added > ANALYZE_SHARE * max(rows, 0):
        _execute(f"ANALYZE {table(model)}")


def _link_open_lists(batch: ScreeningBatch, people: str) -> None:
    """The list's people who are on another open list join its record there, their repeats in
    this list with them. Joins, not correlated subqueries: the same statements take seconds on
    a million rows."""
    r = table(ScreeningRecord)
    b = batch.pk
    # A person already on an open list: this list's record joins the open one.
    linked = _execute(
        f"UPDATE {r} SET merge_kind = %s, merged_into_id = o.id FROM ("
        f"SELECT x.person_id, MIN(x.id) AS id FROM {r} x JOIN {people} m "
        "ON x.person_id = m.person_id WHERE x.batch_id <> %s AND x.merged_into_id IS NULL "
        f"AND x.status <> %s GROUP BY x.person_id) o WHERE {r}.batch_id = %s "
        f"AND {r}.merge_kind = '' AND {r}.person_id = o.person_id",
        [MergeKind.LIST, b, Status.CLOSED, b],
    )
    if not linked:
        return
    _execute(
        f"UPDATE {r} SET merged_into_id = m.merged_into_id FROM {r} m "
        f"WHERE {r}.batch_id = %s AND {r}.merge_kind = %s AND m.id = {r}.merged_into_id "
        "AND m.merge_kind = %s",
        [b, MergeKind.FILE, MergeKind.LIST],
    )
    mirror_into_merged(f"{r}.batch_id = %s", [b])


def mirror_into_merged(where: str, params: list) -> int:
    """Copy the primary's verification state into the records merged into it (those of
    other lists; repeats within a file mirror their primary the same way)."""
    r = table(ScreeningRecord)
    sets = ", ".join(f"{q(c)} = o.{q(c)}" for c in MIRRORED)
    return _execute(
        f"UPDATE {r} SET {sets} FROM {r} o WHERE o.id = {r}.merged_into_id AND {where}", params
    )


def _counts(writer: ListWriter) -> dict:
    assigned = dict.fromkeys([*LEVEL_NAMES.values(), "unassigned"], 0)
    for level, n in writer.by_level.items():
        assigned[LEVEL_NAMES.get(level, "unassigned")] += n
    return {
        "valid": writer.written - writer.invalid,
        "invalid": writer.invalid,
        "duplicates_in_file": writer.repeats,
        "assigned": assigned,
    }
