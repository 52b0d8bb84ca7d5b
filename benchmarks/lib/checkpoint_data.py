"""Data for the checkpoint benchmark: the world, 1,000,000 people and 1,000,000 past checks
loaded with COPY, and a realistic mix of check requests about those people."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from contextlib import contextmanager
from pathlib import Path

CHECKPOINT_CODE = "bench-jishou-east"
HOME_COUNTIES = ("433101", "433122", "433123", "433124", "433125", "433126", "433127", "433130")
BIRTH_BASE = dt.date(1960, 1, 1)


def _migrate() -> None:
    """migrate, tolerating a migration that runs literal '%' with empty parameters."""
    from django.core.management import call_command
    from django.db.backends.postgresql.schema import DatabaseSchemaEditor

    original = DatabaseSchemaEditor.execute

    def execute(self, sql, params=()):
        return original(self, sql, None if params == () else params)

    DatabaseSchemaEditor.execute = execute
    try:
        call_command("migrate", verbosity=0)
    finally:
        DatabaseSchemaEditor.execute = original


def prepare_world() -> tuple[str, list[str]]:
    """Regions, one checkpoint, a token for its staff, the speech's 18 + 84 risk areas."""
    import os

    from django.core.management import call_command

    from fangkong.accounts.tokens import api_token_create
    from fangkong.checkpoints.models import Checkpoint
    from fangkong.regions.models import Level, Region
    from fangkong.riskareas.models import RiskArea

    _migrate()
    if Region.objects.filter(level=Level.COUNTY).count() < 2000:
        with open(os.devnull, "w") as devnull:
            call_command("regions-load", verbosity=0, as_json=True, stdout=devnull)
    county = Region.objects.get(code="433101")
    Checkpoint.objects.get_or_create(
        code=CHECKPOINT_CODE,
        defaults={"name": "吉首东站（压测）", "type": "high_speed_rail", "region": county},
    )
    _, token = api_token_create(actor=None, name="checkpoint-bench", region=county,
                                role="checkpoint_staff")  # fmt: skip
    rng = random.Random(20220110)
    if not RiskArea.objects.exists():
        counties = list(
            Region.objects.filter(level=Level.COUNTY, code__regex=r"^(44|33|41|61|12)").values_list(
                "code", "name"
            )
        )
        start = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
        areas = [
            RiskArea(
                code=code,
                county_code=code,
                name=f"{name}某小区",
                level=level,
                effective_from=start,
                source="benchmark",
            )  # fmt: skip
            for level, n in (("high", 18), ("medium", 84))
            for code, name in rng.sample(counties, n)
        ]
        RiskArea.objects.bulk_create(areas, ignore_conflicts=True)
    villages = list(
        Region.objects.filter(code__startswith="433101", level=Level.VILLAGE).values_list(
            "code", flat=True
        )
    )
    return token, villages


def resident_number(i: int) -> str:
    from fangkong.core.identity import check_character

    county = HOME_COUNTIES[i % len(HOME_COUNTIES)]
    k = i // len(HOME_COUNTIES)
    born = BIRTH_BASE + dt.timedelta(days=k // 999)
    first17 = f"{county}{born:%Y%m%d}{k % 999 + 1:03d}"
    return first17 + check_character(first17)


def resident_numbers(count: int):
    """resident_number(0 … count-1) in order, from cached partial weight sums: the check
    character of a number is that of its county-and-date prefix plus its sequence."""
    from fangkong.core.identity import _CHECK, _WEIGHTS

    def partial(text: str, offset: int) -> int:
        return sum(int(d) * w for d, w in zip(text, _WEIGHTS[offset:], strict=False))

    sequences = [(f"{n:03d}", partial(f"{n:03d}", 14)) for n in range(1, 1000)]
    prefixes: dict[tuple[int, int], tuple[str, int]] = {}
    per_county = len(HOME_COUNTIES)
    for i in range(count):
        c, k = i % per_county, i // per_county
        key = (c, k // 999)
        prefix = prefixes.get(key)
        if prefix is None:
            born = BIRTH_BASE + dt.timedelta(days=k // 999)
            text = f"{HOME_COUNTIES[c]}{born:%Y%m%d}"
            prefix = prefixes[key] = (text, partial(text, 0))
        seq, weight = sequences[k % 999]
        yield prefix[0] + seq + _CHECK[(prefix[1] + weight) % 11]


@contextmanager
def _indexes_after(cursor, table: str):
    """Drop the table's indexes and constraints other than its primary key, run the load,
    then build them again (one sort per index instead of 1,000,000 insertions each, and no
    per-row foreign-key trigger)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), conindid FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND i.indexrelid NOT IN "
        "(SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    for name, _definition, _index in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    cursor.execute("SET maintenance_work_mem = '512MB'")
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition, _index in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(f"ANALYZE {table}")


def _copy_lines(cursor, table: str, columns: list[str], lines) -> None:
    """COPY pre-formatted tab-separated lines (values hold no tab, backslash or newline)."""
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) == 5000:
                copy.write("".join(batch))
                batch.clear()
        if batch:
            copy.write("".join(batch))


def load_people(count: int) -> None:
    """`count` people of the home city, ids 1 … count, in one COPY; indexes built after."""
    from django.db import connection
    from django.utils import timezone

    from fangkong.core import crypto
    from fangkong.people.identity import document_index, phone_index
    from fangkong.people.models import Person

    if Person.objects.count() >= count:
        return
    table = Person._meta.db_table
    fields = [f for f in Person._meta.concrete_fields]
    now = timezone.now().isoformat()
    rng = random.Random(1)
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗彭田向龙", "明华英芳军伟秀兰强平"
    template = {f.attname: _default(f) for f in fields}
    template.update(document_type="resident_id", created_at=now, updated_at=now)

    def rows():
        for i, number in enumerate(resident_numbers(count)):
            phone = f"139{i:08d}"
            row = dict(template)
            row.update(
                id=i + 1,
                name=rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                sex="M" if int(number[16]) % 2 else "F",
                birth_date=f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
                document_number=crypto.encrypt(number),
                document_index=document_index("resident_id", number),
                phone=crypto.encrypt(phone),
                phone_index=phone_index(phone),
                region_id=number[:6],
            )  # fmt: skip
            yield _line([row[f.attname] for f in fields])

    with connection.cursor() as cursor, _indexes_after(cursor, table):
        _copy_lines(cursor, table, [f.column for f in fields], rows())
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [count])


def _default(field):
    if field.null:
        return None
    default = field.get_default()
    if isinstance(default, list | dict):
        return json.dumps(default)
    if isinstance(default, bool):
        return "t" if default else "f"
    return default


# Of the past checks, the share of arrivals from outside the province with a valid certificate
# (pass_with_arrival_test): each opened an arrival with its arrival test and 14 days of
# monitoring, so the arrival tables hold what a month of such checks leaves behind.
PAST_ARRIVAL_SHARE = 0.3


def load_checks(count: int, people: int) -> None:
    """`count` past checks at the benchmark checkpoint over 30 days, about people 1 …
    `people`, in one COPY (indexes and foreign keys built after): in-province passes, and
    PAST_ARRIVAL_SHARE of arrivals with a certificate, whose arrivals and obligations follow."""
    from django.db import connection
    from django.utils import timezone

    from fangkong.checkpoints.models import Checkpoint, CheckRecord

    if CheckRecord.objects.count() >= count:
        return
    checkpoint = Checkpoint.objects.get(code=CHECKPOINT_CODE)
    table = CheckRecord._meta.db_table
    fields = [f for f in CheckRecord._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    rng = random.Random(2)
    passed = {
        "checkpoint_id": checkpoint.pk, "region_id": "433101", "health_code": "green",
        "itinerary": "[]", "itinerary_star": "f", "nat_result": "", "temperature": "36.5",
        "origin_code": "433130", "destination_code": "433101", "verdict": "pass",
        "reasons": '["pass"]', "obligations": "[]", "rules_version": "", "pushed": "f",
    }  # fmt: skip
    arrived = {
        **passed, "origin_code": "420106", "nat_result": "negative",
        "verdict": "pass_with_arrival_test", "reasons": '["arrival_test_due"]',
        "obligations": '["arrival_test", "health_monitoring"]',
    }  # fmt: skip
    varying = ("checked_at", "arrival_at", "nat_sampled_at", "person_id")

    # Everything but the times and the person is the same on every row: format it once.
    def cells_of(fixed: dict) -> list:
        return [None if f.attname in varying else
                ("\\N" if (v := fixed.get(f.attname, _default(f))) is None else str(v))
                for f in fields]  # fmt: skip

    templates = (cells_of(passed), cells_of(arrived))
    slots = {f.attname: n for n, f in enumerate(fields)}
    opened: list[tuple[int, int, dt.datetime]] = []

    def rows():
        span = 30 * 86400
        for check_id in range(1, count + 1):
            when = now - dt.timedelta(seconds=rng.randrange(span))
            person = rng.randint(1, people)
            opens = rng.random() < PAST_ARRIVAL_SHARE
            cells = templates[opens]
            cells[slots["checked_at"]] = cells[slots["arrival_at"]] = when.isoformat()
            cells[slots["person_id"]] = str(person)
            if opens:
                cells[slots["nat_sampled_at"]] = (when - dt.timedelta(hours=30)).isoformat()
                opened.append((check_id, person, when))
            else:
                cells[slots["nat_sampled_at"]] = "\\N"
            yield "\t".join(cells) + "\n"

    with connection.cursor() as cursor, _indexes_after(cursor, table):
        _copy_lines(cursor, table, [f.column for f in fields], rows())
    _load_arrivals(opened, now)


def _rows_of(model, values: dict) -> tuple[list, list[str]]:
    """(fields, the template's cells) of a model's COPY rows; `values` fills the fixed ones."""
    fields = [f for f in model._meta.concrete_fields]
    template = {f.attname: _default(f) for f in fields}
    template.update(values)
    return fields, [template[f.attname] for f in fields]


def _line(cells: list) -> str:
    return "\t".join("\\N" if c is None else str(c) for c in cells) + "\n"


def _load_arrivals(opened: list[tuple[int, int, dt.datetime]], now: dt.datetime) -> None:
    """The arrivals the past checks opened (ids 1 …), each with its arrival test (done a day
    after arrival) and its monitoring (closed after 14 days), in two COPYs."""
    from django.db import connection

    from fangkong.arrivals.models import Arrival, ArrivalObligation

    stamp = now.isoformat()
    a_fields, a_cells = _rows_of(Arrival, {
        "region_id": "433101", "source": "checkpoint", "origin_code": "420106",
        "health_code": "green", "nat_result": "negative", "verdict": "pass_with_arrival_test",
        "reasons": '["arrival_test_due"]', "reports": 1, "created_at": stamp,
        "updated_at": stamp,
    })  # fmt: skip
    o_fields, o_cells = _rows_of(ArrivalObligation, {"region_id": "433101"})
    a_slot = {f.attname: n for n, f in enumerate(a_fields)}
    o_slot = {f.attname: n for n, f in enumerate(o_fields)}

    def arrivals():
        for arrival_id, (check_id, person, when) in enumerate(opened, start=1):
            settled = when + dt.timedelta(days=14) <= now
            values = {
                "id": arrival_id, "person_id": person, "source_ref": f"check:{check_id}",
                "arrived_at": when.isoformat(),
                "nat_sampled_at": (when - dt.timedelta(hours=30)).isoformat(),
                "status": "closed" if settled else "open",
            }  # fmt: skip
            for name, value in values.items():
                a_cells[a_slot[name]] = value
            yield _line(a_cells)

    def obligations():
        ids = itertools.count(1)
        for arrival_id, (_check, person, when) in enumerate(opened, start=1):
            tested = when + dt.timedelta(days=1) <= now
            ends = when + dt.timedelta(days=14)
            for kind, due, end, status, done in (
                ("arrival_test", when + dt.timedelta(hours=24), None,
                 "done" if tested else "open", when + dt.timedelta(hours=12) if tested else None),
                ("health_monitoring", when, ends, "closed" if ends <= now else "open", None),
            ):  # fmt: skip
                values = {
                    "id": next(ids), "arrival_id": arrival_id, "person_id": person, "kind": kind,
                    "due_at": due.isoformat(), "ends_at": end.isoformat() if end else None,
                    "status": status, "done_at": done.isoformat() if done else None,
                    "done_ref": "nattest:past" if done else "",
                }  # fmt: skip
                for name, value in values.items():
                    o_cells[o_slot[name]] = value
                yield _line(o_cells)

    with connection.cursor() as cursor:
        for model, fields, lines in (
            (Arrival, a_fields, arrivals()),
            (ArrivalObligation, o_fields, obligations()),
        ):
            table = model._meta.db_table
            with _indexes_after(cursor, table):
                _copy_lines(cursor, table, [f.column for f in fields], lines)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )


MIX = (
    ("pass: in province, green", 55),
    ("pass_with_arrival_test: out of province, valid certificate", 30),
    ("sample_on_site: yellow code or itinerary asterisk", 8),
    ("sample_on_site: out of province, no certificate", 5),
    ("transfer: red code", 2),
)


def request_bodies(path: Path, *, people: int, destinations: list[str], count: int) -> dict:
    """`count` request bodies, one JSON object a line, about people already registered."""
    from django.utils import timezone

    rng = random.Random(3)
    now = timezone.localtime()
    arrival = (now - dt.timedelta(minutes=20)).isoformat()
    sampled = (now - dt.timedelta(hours=30)).isoformat()
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    with path.open("w") as out:
        for _ in range(count):
            kind = rng.choice(kinds)
            body = {
                "document_type": "resident_id",
                "document_number": resident_number(rng.randrange(people)),
                "name": "压测人员", "phone": "13907430000", "health_code": "green",
                "itinerary": [], "itinerary_star": False, "nat_sampled_at": None,
                "nat_result": None, "temperature": 36.4, "arrival_at": arrival,
                "origin": "433130", "destination": rng.choice(destinations),
            }  # fmt: skip
            if kind.startswith("pass_with"):
                body.update(origin="420106", itinerary=["420106"], nat_sampled_at=sampled,
                            nat_result="negative")  # fmt: skip
            elif kind.startswith("sample_on_site: yellow"):
                body.update(health_code="yellow", itinerary_star=rng.random() < 0.5)
            elif kind.startswith("sample_on_site: out"):
                body.update(origin="510104", itinerary=["510104"])
            elif kind.startswith("transfer"):
                body.update(health_code="red")
            out.write(json.dumps(body, ensure_ascii=False) + "\n")
    return {kind: f"{weight}%" for kind, weight in MIX}
