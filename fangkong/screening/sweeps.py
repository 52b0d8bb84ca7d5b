"""Pushed checkpoint checks become screening records: `fangkong screening-intake`, run by the
ticker every few minutes.

The check's hot path writes nothing for screening (docs/decisions/0020): a check whose verdict
pushes the arrival to its village (yellow or red code, a medium or high-risk county on the way,
the itinerary asterisk) is only marked `pushed`. This sweep takes the pushed checks of the
last LOOKBACK that have no screening record yet and, in one transaction and a fixed number of
statements whatever their number:

1. makes sure the day's checkpoint batch of each destination county and category exists
   (intake.py), and locks them;
2. snapshots the checks into a temporary table, numbering them after each batch's last row;
3. inserts the records (identity copied, still encrypted, from the person registry), joins
   the records of people already on an open list to that record as an import does, mirrors
   its state, and adds the person's history rows;
4. writes the record's id on each check (the check is then handled; the partial index
   check_screening_pending holds only checks still waiting), and hands the village
   verification of the check's arrival over to the record;
5. recounts the batches and writes one audit entry per batch.

A second run finds nothing to do. Records are dated the day the sweep takes them in, like any
list received that day: a check made a few minutes before midnight may land in the next day's
batch.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from fangkong.arrivals.models import Arrival, ArrivalObligation, ObligationStatus
from fangkong.arrivals.services import HANDED_OVER_NOTE
from fangkong.audit.services import audit_record
from fangkong.checkpoints.models import CheckRecord
from fangkong.checkpoints.verdict import ObligationKind
from fangkong.core.actor import system_actor
from fangkong.core.categories import HealthCode
from fangkong.people.models import Person
from fangkong.regions.models import Region

from .importer import deadline_hours_for
from .intake import (
    PUSH_REASON_LABELS,
    RISK_AREA_REASONS,
    intake_batch_values,
    intake_key,
    recount_batches,
    stored_text,
)
from .merge import mirror_into_merged
from .models import MergeKind, PersonSource, ScreeningBatch, ScreeningRecord, Source, Status
from .sql import db_datetime, insert_select, is_postgres, table

# Pushed checks older than this are left alone: their arrival's monitoring is over.
LOOKBACK = dt.timedelta(days=14)
# Two sweeps never run at once (PostgreSQL advisory lock key; SQLite has one writer anyway).
LOCK_KEY = 7_302_114


def _execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def _fetchall(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _text(expr: str) -> str:
    return f"CAST({expr} AS TEXT)"


def _reasons_like(code: str) -> tuple[str, list[object]]:
    """SQL that is true when the check's reasons (a JSON list of codes) hold `code`."""
    column = "CAST(c.reasons AS TEXT)" if is_postgres() else "c.reasons"
    return f"{column} LIKE %s", [f'%"{code}"%']


def _category_sql() -> tuple[str, list[object]]:
    tests = [_reasons_like(code) for code in sorted(RISK_AREA_REASONS)]
    sql = " OR ".join(t[0] for t in tests)
    params = [p for t in tests for p in t[1]]
    return f"CASE WHEN {sql} THEN %s ELSE %s END", [*params, "risk_area", "other"]


def _pending_sql(since: dt.datetime, now: dt.datetime) -> tuple[str, list[object]]:
    """The checks waiting: the literal conditions are those of the partial index."""
    return (
        "c.pushed AND c.screening_record_id IS NULL AND c.verdict <> 'pass' "
        "AND c.checked_at >= %s AND c.checked_at <= %s",
        [db_datetime(since), db_datetime(now)],
    )


def _serialise() -> None:
    if is_postgres():
        _execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _pending_groups(since: dt.datetime, now: dt.datetime) -> list[tuple[str, str]]:
    category, category_params = _category_sql()
    where, params = _pending_sql(since, now)
    rows = _fetchall(
        f"SELECT DISTINCT SUBSTR(c.destination_code, 1, 6), {category} "
        f"FROM {table(CheckRecord)} c WHERE {where}",
        [*category_params, *params],
    )
    return [(county, group) for county, group in rows]


def _day_batches(groups: list[tuple[str, str]], now: dt.datetime) -> list[ScreeningBatch]:
    """The day's batch of every (county, category), created where missing, locked: three
    statements however many groups."""
    counties = Region.objects.in_bulk([county for county, _c in groups])
    wanted = [(counties[code], category) for code, category in groups if code in counties]
    ScreeningBatch.objects.bulk_create(
        [
            ScreeningBatch(
                **intake_batch_values(
                    source=Source.CHECKPOINT, category=category, county=county, now=now
                )
            )  # fmt: skip
            for county, category in wanted
        ],
        ignore_conflicts=True,
    )
    day = timezone.localdate(now)
    keys = [intake_key(Source.CHECKPOINT, category, c.code, day) for c, category in wanted]
    return list(ScreeningBatch.objects.select_for_update().filter(intake_key__in=keys))


class PendingChecks:
    """The checks taken in by one run, as a temporary table: check, person, batch, row."""

    def __init__(self) -> None:
        self.name = f"screening_intake_{uuid.uuid4().hex[:12]}"

    def fill(self, batches: list[ScreeningBatch], since: dt.datetime, now: dt.datetime) -> int:
        category, category_params = _category_sql()
        where, params = _pending_sql(since, now)
        marks = ", ".join(["%s"] * len(batches))
        day = timezone.localdate(now).isoformat()
        _execute(
            f"CREATE TEMP TABLE {self.name} AS SELECT c.id AS check_id, "
            "c.person_id AS person_id, b.id AS batch_id, "
            "b.rows + ROW_NUMBER() OVER (PARTITION BY b.id ORDER BY c.id) AS row_number "
            f"FROM {table(CheckRecord)} c JOIN {table(ScreeningBatch)} b ON b.id IN ({marks}) "
            f"AND b.intake_key = %s || {category} || ':' || SUBSTR(c.destination_code, 1, 6) "
            f"|| %s WHERE {where}",
            [*(b.pk for b in batches), f"{Source.CHECKPOINT}:", *category_params, f":{day}",
             *params],
        )  # fmt: skip
        if is_postgres():
            _execute(f"ANALYZE {self.name}")
        return self.count()

    def count(self) -> int:
        return _fetchall(f"SELECT COUNT(*) FROM {self.name}")[0][0]

    def per_batch(self) -> dict[int, int]:
        rows = _fetchall(f"SELECT batch_id, COUNT(*) FROM {self.name} GROUP BY batch_id")
        return dict(rows)

    def drop(self) -> None:
        _execute(f"DROP TABLE IF EXISTS {self.name}")

    def records_join(self, alias: str = "r") -> str:
        """Join the records this run inserted (by batch and row: the unique index)."""
        return (
            f"JOIN {table(ScreeningRecord)} {alias} ON {alias}.batch_id = p.batch_id "
            f"AND {alias}.row_number = p.row_number"
        )


def _local_minute_sql(column: str, now: dt.datetime) -> tuple[str, list[object]]:
    """A timestamp as local 'YYYY-MM-DD HH:MM' text (SQLite keeps UTC: shifted by the
    offset in force now; the home time zone keeps no daylight saving)."""
    if is_postgres():
        return f"to_char({column} AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')", [settings.TIME_ZONE]
    offset = timezone.localtime(now).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return f"strftime(%s, {column}, %s)", ["%Y-%m-%d %H:%M", f"{minutes:+d} minutes"]


def _place_sql() -> str:
    """The origin as '湖北省 武汉市 武昌区' from the division tree (its code when unknown)."""
    joined = (
        "COALESCE(rp.name, '') || CASE WHEN rc.name IS NULL THEN '' ELSE ' ' || rc.name END "
        "|| CASE WHEN rk.name IS NULL THEN '' ELSE ' ' || rk.name END"
    )
    return f"SUBSTR(COALESCE(NULLIF(TRIM({joined}), ''), c.origin_code), 1, 200)"


def _place_joins() -> str:
    region = table(Region)
    return (
        f"LEFT JOIN {region} rp ON rp.code = SUBSTR(c.origin_code, 1, 2) "
        f"LEFT JOIN {region} rc ON LENGTH(c.origin_code) >= 4 "
        "AND rc.code = SUBSTR(c.origin_code, 1, 4) "
        f"LEFT JOIN {region} rk ON LENGTH(c.origin_code) >= 6 "
        "AND rk.code = SUBSTR(c.origin_code, 1, 6)"
    )


def _note_sql() -> tuple[str, list[object]]:
    parts: list[str] = []
    params: list[object] = []
    for code, label in PUSH_REASON_LABELS.items():
        test, test_params = _reasons_like(code)
        parts.append(f"CASE WHEN {test} THEN %s ELSE '' END")
        params += [*test_params, "；" + stored_text(label)]
    return f"SUBSTR({' || '.join(parts)}, 2)", params


def _health_label_sql() -> tuple[str, list[object]]:
    labels = [(code.value, stored_text(code.label)) for code in HealthCode]
    whens = " ".join("WHEN %s THEN %s" for _code in labels)
    return f"CASE c.health_code {whens} ELSE '' END", [v for pair in labels for v in pair]


def _deadline_sql(batches: list[ScreeningBatch], now: dt.datetime) -> tuple[str, list[object]]:
    """Each record is due its category's hours after it is taken in."""
    whens: list[str] = []
    params: list[object] = []
    for category in sorted({b.category for b in batches}):
        whens.append("WHEN %s THEN %s")
        due = now + dt.timedelta(hours=deadline_hours_for(category, None))
        params += [category, db_datetime(due)]
    return f"CASE b.category {' '.join(whens)} END", params


def _values_sql(now: dt.datetime) -> tuple[str, list[object]]:
    """The record's cells under intake.INTAKE_HEADER (identifiers blank, as on imports)."""
    arrived, arrived_params = _local_minute_sql("c.arrival_at", now)
    code, code_params = _health_label_sql()
    note, note_params = _note_sql()
    cells = ["pe.name", "''", "''", "''", _place_sql(), arrived, code, note,
             "'check:' || CAST(p.check_id AS TEXT)"]  # fmt: skip
    build = "jsonb_build_array" if is_postgres() else "json_array"
    return (
        f"{build}({', '.join(_text(c) for c in cells)})",
        [*arrived_params, *code_params, *note_params],
    )


def _insert_records(pending: PendingChecks, batches: list[ScreeningBatch], now: dt.datetime):
    values, values_params = _values_sql(now)
    note, note_params = _note_sql()
    deadline, deadline_params = _deadline_sql(batches, now)
    insert_select(
        ScreeningRecord,
        {
            "batch": "p.batch_id",
            "row_number": "p.row_number",
            "values": (values, values_params),
            "person": "p.person_id",
            "name": "pe.name",
            "document_type": "pe.document_type",
            "document_number": "pe.document_number",
            "document_index": "pe.document_index",
            "phone": "pe.phone",
            "phone_index": "pe.phone_index",
            "source_place": _place_sql(),
            "arrived_at": "c.arrival_at",
            "health_code": (
                "CASE WHEN c.health_code IN (%s, %s) THEN c.health_code ELSE '' END",
                [HealthCode.YELLOW.value, HealthCode.RED.value],
            ),
            "note": (note, note_params),
            "region": "c.destination_code",
            "assigned_level": "LENGTH(c.destination_code)",
            "status": ("%s", [Status.PUSHED.value]),
            "source_ref": "'check:' || CAST(p.check_id AS TEXT)",
            "deadline": (deadline, deadline_params),
            "created_at": ("%s", [db_datetime(now)]),
        },
        f"FROM {pending.name} p JOIN {table(CheckRecord)} c ON c.id = p.check_id "
        f"JOIN {table(Person)} pe ON pe.id = p.person_id "
        # In check order, so that the record ids follow it too: when one run takes in the
        # same person twice, the earlier check's record is the one the other joins.
        f"JOIN {table(ScreeningBatch)} b ON b.id = p.batch_id {_place_joins()} "
        "ORDER BY p.check_id",
        [],
    )


def _join_open_records(pending: PendingChecks) -> int:
    """A person with an open record (on another list, or taken in twice by this run) is
    verified once: the new record joins the oldest open one, as an import's rows do."""
    r = table(ScreeningRecord)
    linked = _execute(
        f"UPDATE {r} SET merge_kind = %s, merged_into_id = o.id FROM {pending.name} p, ("
        f"SELECT x.person_id, MIN(x.id) AS id FROM {r} x JOIN {pending.name} q "
        "ON x.person_id = q.person_id WHERE x.merged_into_id IS NULL AND x.status <> %s "
        f"AND NOT x.invalid GROUP BY x.person_id) o WHERE {r}.batch_id = p.batch_id "
        f"AND {r}.row_number = p.row_number AND {r}.person_id = o.person_id AND o.id <> {r}.id",
        [MergeKind.LIST.value, Status.CLOSED.value],
    )
    mirror_into_merged(
        f"{r}.merged_into_id IS NOT NULL AND EXISTS (SELECT 1 FROM {pending.name} p "
        f"WHERE p.batch_id = {r}.batch_id AND p.row_number = {r}.row_number)",
        [],
    )
    return linked


def _record_sources(pending: PendingChecks, now: dt.datetime) -> None:
    insert_select(
        PersonSource,
        {
            "person": "p.person_id",
            "batch": "p.batch_id",
            "record": "r.id",
            "source": "b.source",
            "category": "b.category",
            "row_number": "p.row_number",
            "at": ("%s", [db_datetime(now)]),
        },
        f"FROM {pending.name} p {pending.records_join()} "
        f"JOIN {table(ScreeningBatch)} b ON b.id = p.batch_id",
        [],
    )


def _mark_checks(pending: PendingChecks) -> int:
    check = table(CheckRecord)
    return _execute(
        f"UPDATE {check} SET screening_record_id = r.id FROM {pending.name} p "
        f"{pending.records_join()} WHERE {check}.id = p.check_id"
    )


def _hand_over_verifications(pending: PendingChecks, now: dt.datetime) -> int:
    """The village verification of each check's arrival is now the record's to do: closed
    with the record as its reference (arrivals.services.verification_hand_over does the
    same for a self-report). The arrival is found through its person (indexed) and its
    source_ref."""
    obligation, arrival = table(ArrivalObligation), table(Arrival)
    return _execute(
        f"UPDATE {obligation} SET status = %s, done_at = %s, "
        "done_ref = 'screening:' || CAST(r.id AS TEXT), note = %s "
        f"FROM {arrival} a, {pending.name} p {pending.records_join()} "
        f"WHERE {obligation}.arrival_id = a.id AND a.person_id = p.person_id "
        "AND a.source_ref = 'check:' || CAST(p.check_id AS TEXT) "
        f"AND {obligation}.kind = %s AND {obligation}.status = %s",
        [ObligationStatus.CLOSED.value, db_datetime(now), stored_text(HANDED_OVER_NOTE),
         ObligationKind.VILLAGE_VERIFICATION.value, ObligationStatus.OPEN.value],
    )  # fmt: skip


def _audit(batches: list[ScreeningBatch], per_batch: dict[int, int]) -> None:
    """One entry per batch and run (not per record), as escalation does."""
    actor = system_actor()
    for batch in batches:
        if per_batch.get(batch.pk):
            audit_record(
                actor=actor, action="screening.batch.checks_taken_in", obj=batch,
                changes={"records": per_batch[batch.pk], "rows": batch.rows},
            )  # fmt: skip


def screening_from_checks(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Turn the pushed checks waiting into screening records; counts of what was done."""
    now = now or timezone.now()
    since = now - LOOKBACK
    counts = {"checks": 0, "joined_open_records": 0, "verifications_handed_over": 0}
    pending = PendingChecks()
    try:
        with transaction.atomic():
            _serialise()
            groups = _pending_groups(since, now)
            if not groups:
                return counts
            batches = _day_batches(groups, now)
            counts["checks"] = pending.fill(batches, since, now)
            _insert_records(pending, batches, now)
            counts["joined_open_records"] = _join_open_records(pending)
            _record_sources(pending, now)
            _mark_checks(pending)
            counts["verifications_handed_over"] = _hand_over_verifications(pending, now)
            recount_batches(batches)
            _audit(batches, pending.per_batch())
    finally:
        pending.drop()
    return counts
