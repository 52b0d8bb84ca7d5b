"""The set-based merge of a staged list into people, records and person histories.

Runs inside the import's transaction. Statements, not rows: a fixed number of queries
whatever the size of the list, the same SQL on PostgreSQL and SQLite.
"""

from __future__ import annotations

import time

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fangkong.core.actor import Actor
from fangkong.people.models import Person

from .matching import LEVEL_NAMES
from .models import MergeKind, PersonSource, ScreeningBatch, ScreeningRecord, Status
from .staging import (
    Stage,
    datetime_expr,
    db_datetime,
    insert_select,
    is_postgres,
    json_expr,
    q,
    table,
)

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


# Memory for the merge's hash joins and grouping (PostgreSQL only, for the import's
# transaction): at the default 4 MB a million-row list spills them to temporary files.
MERGE_WORK_MEM = "128MB"
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


def merge_stage(*, stage: Stage, batch: ScreeningBatch, actor: Actor) -> dict:
    clock = _Clock()
    s = stage.name
    person = table(Person)
    now = timezone.now()
    if is_postgres():
        _execute(f"SET LOCAL work_mem = '{MERGE_WORK_MEM}'")
    firsts = stage.temp(
        "firsts",
        f"SELECT doc_type, doc_index, MIN(row_number) AS first_row FROM {s} "
        "WHERE NOT invalid AND doc_index <> '' GROUP BY doc_type, doc_index",
        index=["doc_index", "doc_type"],
    )
    join_person = (
        f"JOIN {person} p ON p.document_index = f.doc_index AND p.document_type = f.doc_type "
        "AND p.document_index <> ''"
    )
    known = stage.temp(
        "known",
        f"SELECT f.doc_type, f.doc_index, f.first_row, p.id AS person_id FROM {firsts} f "
        f"{join_person}",
        index=["doc_index", "doc_type"],
    )
    matched = _scalar(f"SELECT COUNT(*) FROM {known}")
    newcomers = stage.temp(
        "newcomers",
        f"SELECT f.first_row FROM {firsts} f LEFT JOIN {known} k ON k.doc_index = f.doc_index "
        "AND k.doc_type = f.doc_type WHERE k.person_id IS NULL",
    )
    clock.lap("match")
    created = _create_people(stage, newcomers, actor, now)
    _analyze_if_grown(Person, created)
    clock.lap("people")
    people = stage.temp(
        "people",
        f"SELECT f.doc_type, f.doc_index, f.first_row, p.id AS person_id FROM {firsts} f "
        f"{join_person}",
        index=["doc_index", "doc_type"],
    )
    _insert_records(stage, people, batch, now)
    clock.lap("records")
    _link_open_lists(batch, people)
    _record_sources(batch, known, now)
    clock.lap("links")
    counts = _counts(batch)
    clock.lap("counts")
    return {"matched": matched, "created": created, **counts, "timings": clock.laps}


def _create_people(stage: Stage, newcomers: str, actor: Actor, now) -> int:
    """One person per first row of a document nobody held when the list was matched.

    A plain insert: checking every row for a conflict cost a quarter of it (a million rows).
    Should someone have registered one of these people since the match (a checkpoint, another
    list), the unique index refuses the insert; it is taken back to its savepoint and made
    again leaving out the documents taken meanwhile, and the records join whoever holds them."""
    try:
        with transaction.atomic():
            return _insert_people(stage, newcomers, actor, now, "")
    except IntegrityError:
        return _insert_people(stage, newcomers, actor, now, " ON CONFLICT DO NOTHING")


def _insert_people(stage: Stage, newcomers: str, actor: Actor, now, on_conflict: str) -> int:
    """Joined on the row number: an integer hash join, where joining on the document let the
    planner pick an index probe per staged row (8.5 of 25 s at a million rows)."""
    s = stage.name
    when = db_datetime(now)
    return insert_select(
        Person,
        {
            "name": "s.name",
            "sex": "s.sex",
            "birth_date": "s.birth_date",
            "document_type": "s.doc_type",
            "document_number": "s.doc_number",
            "document_index": "s.doc_index",
            "phone": "s.phone",
            "phone_index": "s.phone_index",
            "current_address": "SUBSTR(s.address, 1, 200)",
            "region": "s.region_id",
            "registered_by": ("%s", [actor.user.pk if actor.user else None]),
            "created_at": ("%s", [when]),
            "updated_at": ("%s", [when]),
        },
        f"FROM {s} s JOIN {newcomers} n ON n.first_row = s.row_number{on_conflict}",
        [],
    )


def _insert_records(stage: Stage, people: str, batch: ScreeningBatch, now) -> None:
    """Every row but the repeats first, then the repeats, each pointing at the record of its
    person's first row, found by (batch, row) once written: updating the repeats afterwards
    rewrote each of them through all the record's indexes (2.5 s at a million rows)."""
    s = stage.name
    r = table(ScreeningRecord)
    person = (
        f"JOIN {people} m ON m.doc_index = s.doc_index AND m.doc_type = s.doc_type "
        "AND NOT s.invalid"
    )
    written = _insert_record_rows(
        stage,
        batch,
        now,
        {"merge_kind": "''"},
        f"FROM {s} s LEFT {person} WHERE m.first_row IS NULL OR m.first_row = s.row_number",
        [],
    )
    # The statistics must know the batch before the repeats are joined to its records.
    _analyze_if_grown(ScreeningRecord, written)
    _insert_record_rows(
        stage,
        batch,
        now,
        {"merge_kind": ("%s", [MergeKind.FILE]), "merged_into": "p.id"},
        f"FROM {s} s {person} AND m.first_row <> s.row_number "
        f"JOIN {r} p ON p.batch_id = %s AND p.row_number = m.first_row",
        [batch.pk],
    )


def _insert_record_rows(
    stage: Stage, batch: ScreeningBatch, now, merging: dict, tail_sql: str, params: list
) -> int:
    return insert_select(
        ScreeningRecord,
        {
            "batch": ("%s", [batch.pk]),
            "row_number": "s.row_number",
            "values": json_expr("s.raw"),
            "secret_values": "s.secret",
            "person": "m.person_id",
            "name": "s.name",
            "document_type": "s.doc_type",
            "document_number": "s.doc_number",
            "document_index": "s.doc_index",
            "phone": "s.phone",
            "phone_index": "s.phone_index",
            "address": "s.address",
            "source_place": "s.source_place",
            "arrived_at": datetime_expr("s.arrived_at"),
            "health_code": "s.health_code",
            "note": "s.note",
            "region": "s.region_id",
            "assigned_level": "s.level",
            "status": ("%s", [Status.PUSHED]),
            "invalid": "s.invalid",
            "errors": json_expr("s.errors"),
            **merging,
            "deadline": ("%s", [db_datetime(batch.deadline)]),
            "created_at": ("%s", [db_datetime(now)]),
        },
        tail_sql,
        params,
    )


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


def _record_sources(batch: ScreeningBatch, known: str, now) -> None:
    r = table(ScreeningRecord)
    insert_select(
        PersonSource,
        {
            "person": "r.person_id",
            "batch": "r.batch_id",
            "record": "r.id",
            "source": ("%s", [batch.source]),
            "category": ("%s", [batch.category]),
            "row_number": "r.row_number",
            "at": ("%s", [db_datetime(now)]),
        },
        f"FROM {r} r WHERE r.batch_id = %s AND r.person_id IS NOT NULL AND "
        f"(r.merge_kind <> '' OR r.person_id IN (SELECT person_id FROM {known}))",
        [batch.pk],
    )


def _counts(batch: ScreeningBatch) -> dict:
    r = table(ScreeningRecord)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), SUM(CASE WHEN invalid THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN merge_kind = %s THEN 1 ELSE 0 END) FROM {r} WHERE batch_id = %s",
            [MergeKind.FILE, batch.pk],
        )
        total, invalid, repeats = cursor.fetchone()
        cursor.execute(
            f"SELECT assigned_level, COUNT(*) FROM {r} WHERE batch_id = %s AND NOT invalid "
            f"AND merge_kind <> %s GROUP BY assigned_level",
            [batch.pk, MergeKind.FILE],
        )
        by_level = dict(cursor.fetchall())
    assigned = dict.fromkeys([*LEVEL_NAMES.values(), "unassigned"], 0)
    for level, n in by_level.items():
        assigned[LEVEL_NAMES.get(level, "unassigned")] += n
    return {
        "valid": (total or 0) - (invalid or 0),
        "invalid": invalid or 0,
        "duplicates_in_file": repeats or 0,
        "assigned": assigned,
    }
