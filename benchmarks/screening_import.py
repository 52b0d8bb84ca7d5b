"""Screening import at scale: 1,000,000 rows as CSV and as xlsx into PostgreSQL, end to end.
The xlsx is imported twice: with its texts inline (as written by a program in constant memory)
and with each distinct text once in the workbook's shared strings (as Excel saves it).

    scripts/with-postgres.sh uv run python benchmarks/screening_import.py [--rows N]

Prints, for each format, rows per second and the import process's peak memory, and the
ratio to a raw COPY of the same rows (repeats left out) into a bare table with the same
columns and a unique index on the document column, measured in the same run; the write
floor (the rows the CSV import wrote, COPY'd back alone, with their indexes maintained, then
built after the load), the import's work outside the database alone (reading, validating,
encrypting, matching; nothing written), and the highest ratio each leaves any import. Then,
with the records in the database: how fast the county and city progress figures, overdue
lists and record lists (all records, the batch's in row order, one village's of the batch;
from the city, the county opened; a township's records as a sheet) answer (and how many
queries they run), how long a page of the batch's feedback over the API takes at the start,
middle and end of the list and how long its whole feedback sheet takes to write, how soon a
1,000-row list uploaded through the page and imported by the task worker is visible to its
grid worker, and how long a further 60,000-row list takes.
Needs PostgreSQL (DATABASE_URL); on anything else it says so and exits.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-xlsx", action="store_true")
    parser.add_argument("--client-alone", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--files",
        type=Path,
        default=None,
        help="reuse list.csv, list.xlsx and ref.csv from an earlier run "
        "(generated there and kept when the folder has none)",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("screening_import: needs PostgreSQL; run under scripts/with-postgres.sh")
        return 0
    import django

    django.setup()
    if args.client_alone:
        print(json.dumps(_client_alone(args.client_alone)))
        return 0
    from django.core.management import call_command

    _migrate(call_command)
    if not _regions_loaded():
        call_command("regions-load", verbosity=0, as_json=True, stdout=io.StringIO())
    work = Path(tempfile.mkdtemp(prefix="screening-bench-"))
    if args.files and not (args.files / "list.csv").exists():
        args.files.mkdir(parents=True, exist_ok=True)
        _generate(args.files, args.rows, with_xlsx=not args.skip_xlsx)
    if args.files:
        files = {
            "csv": args.files / "list.csv",
            "xlsx": args.files / "list.xlsx",
            "xlsx_shared": args.files / "list-shared.xlsx",
            "reference": args.files / "ref.csv",
        }
        if not args.skip_xlsx and not files["xlsx_shared"].exists():
            _with_shared_strings(files["xlsx"], files["xlsx_shared"])
        with open(files["reference"], "rb") as handle:
            files["reference_rows"] = sum(1 for _ in handle)
    else:
        files = _generate(work, args.rows, with_xlsx=not args.skip_xlsx)
    results = {"rows": args.rows, "load": os.getloadavg()}
    results["copy"] = _raw_copy(files["reference"], files["reference_rows"])
    _reset()
    results["client"] = _child_client_alone(files["csv"])
    results["csv"] = _child_import(files["csv"], work)
    results["floor"] = _write_floor(work)
    results["pages"] = _page_timings()
    results["feedback"] = _feedback_timings()
    results["visible"] = _visible_after_upload(work)
    results["second"] = _second_list(work)
    _reset()
    if not args.skip_xlsx:
        results["xlsx"] = _child_import(files["xlsx"], work)
        _reset()
        results["xlsx shared"] = _child_import(files["xlsx_shared"], work)
        _reset()
    _report(results)
    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    return 0


def _migrate(call_command) -> None:
    """migrate, tolerating a migration that runs literal '%' through the schema editor with
    empty parameters (PostgreSQL's editor then treats '%' as a placeholder)."""
    from django.db.backends.postgresql.schema import DatabaseSchemaEditor

    original = DatabaseSchemaEditor.execute

    def execute(self, sql, params=()):
        return original(self, sql, None if params == () else params)

    DatabaseSchemaEditor.execute = execute
    try:
        call_command("migrate", verbosity=0)
    finally:
        DatabaseSchemaEditor.execute = original


def _regions_loaded() -> bool:
    from fangkong.regions.models import Region

    return Region.objects.filter(code__startswith="4331", level=5).count() > 1000


def _places():
    from lib.screening_data import Places

    from fangkong.regions.models import Region

    regions = {r.code: r for r in Region.objects.filter(code__startswith="4331")}
    villages = []
    for code, region in regions.items():
        if len(code) == 12:
            township, county = regions[code[:9]], regions[code[:6]]
            villages.append(
                (
                    county.short_name or county.name,
                    township.short_name or township.name,
                    region.short_name or region.name,
                )
            )
    return Places(villages=sorted(villages))


def _generate(work: Path, count: int, *, with_xlsx: bool) -> dict:
    from lib.screening_data import ListGenerator, write_csv, write_reference_csv, write_xlsx

    started = time.perf_counter()
    generator = ListGenerator(_places())
    files = {"csv": work / "list.csv", "xlsx": work / "list.xlsx", "reference": work / "ref.csv"}
    write_csv(files["csv"], generator.rows(count))

    def again():
        with open(files["csv"], encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader), next(reader)
            yield from reader

    files["reference_rows"] = write_reference_csv(
        files["reference"], again(), generator.duplicate_rows
    )
    if with_xlsx:
        write_xlsx(files["xlsx"], again())
        files["xlsx_shared"] = work / "list-shared.xlsx"
        _with_shared_strings(files["xlsx"], files["xlsx_shared"])
    print(
        f"generated {count:,} rows in {time.perf_counter() - started:.0f} s "
        f"({len(generator.duplicate_rows):,} repeats)",
        file=sys.stderr,
    )
    return files


def _with_shared_strings(source: Path, target: Path) -> None:
    from lib.screening_data import with_shared_strings

    started = time.perf_counter()
    with_shared_strings(source, target)
    print(
        f"wrote the xlsx with shared strings in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


def _raw_copy(path: Path, rows: int) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")
        cursor.execute(
            "CREATE TABLE bench_raw_copy (id bigserial PRIMARY KEY, seq integer, name text, "
            "document text, phone text, address text, source_place text, arrived text, "
            "health_code text)"
        )
        cursor.execute("CREATE UNIQUE INDEX bench_raw_copy_doc ON bench_raw_copy (document)")
        started = time.perf_counter()
        with (
            cursor.cursor.copy(
                "COPY bench_raw_copy (seq, name, document, phone, address, source_place, arrived, "
                "health_code) FROM STDIN WITH (FORMAT csv, NULL '')"
            ) as copy,
            open(path, "rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_raw_copy")
    return {"rows": rows, "seconds": seconds, "rate": rows / seconds}


# Run in the import's process: its peak resident memory, or its workers' if higher, said on
# the way out. Not wait4's ru_maxrss: Linux keeps in it the resident size of the process
# image the child was forked from (this script's, a gigabyte once it has generated the
# files) until its exec, so every import would seem at least as big as this script.
PEAK_REPORT = """
import atexit, resource, sys
def _peak():
    with open("/proc/self/status") as status:
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"PEAK_KB {max(own, workers)}", file=sys.stderr)
atexit.register(_peak)
from config.cli import main
main()
"""


def _peak_kb(err_text: str) -> tuple[int, str]:
    """The peak the child reported, and its error output without that line."""
    lines = err_text.splitlines()
    peak = next(int(line.split()[1]) for line in lines if line.startswith("PEAK_KB "))
    return peak, "\n".join(line for line in lines if not line.startswith("PEAK_KB "))


def _child_import(path: Path, work: Path) -> dict:
    """Import in a child process, which reports its own peak memory as it ends."""
    command = [
        sys.executable,
        "-c",
        PEAK_REPORT,
        "screening-import",
        str(path),
        "--category",
        "risk_area",
        "--json",
        "--verbosity",
        "2",
    ]
    out_path, err_path = work / f"{path.stem}.out", work / f"{path.stem}.err"
    started = time.perf_counter()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)
        status = child.wait()
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"import failed: {err_path.read_text()[-2000:]}")
    summary = json.loads(out_path.read_text())
    peak_kb, err_text = _peak_kb(err_path.read_text())
    print(err_text.strip(), file=sys.stderr)
    out_path.unlink()
    err_path.unlink()
    return {
        "rows": summary["rows"],
        "seconds": seconds,
        "rate": summary["rows"] / seconds,
        "peak_mb": peak_kb / 1024,
        "summary": {k: v for k, v in summary.items() if k != "errors"},
        "errors": len(summary["errors"]),
    }


def _child_client_alone(path: Path) -> dict:
    """The import's work outside the database, in a child process as the import runs it."""
    command = [sys.executable, str(Path(__file__).resolve()), "--client-alone", str(path)]
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(output.stdout)


def _client_alone(path: Path) -> dict:
    """Reading, validating, encrypting, blind-indexing and matching a list with the import's
    own functions and worker processes, the validated parts thrown away: the work an import does
    outside the database. Seconds from the file's opening, modules loaded; CPU seconds of this
    process and of its workers."""
    import resource
    from itertools import chain

    from fangkong.imports.headers import find_header
    from fangkong.imports.readers import open_table
    from fangkong.screening.importer import list_parts
    from fangkong.screening.rows import SYNONYMS

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    source = open_table(path, path.name)
    rows = source.rows()
    header, consumed = find_header(rows, SYNONYMS, {})
    workers, parts = list_parts(source, header, chain(consumed, rows))
    count = staged_bytes = 0
    for frame, _errors, rows_in_part in parts:
        count += rows_in_part
        staged_bytes += frame.estimated_size()
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rows": count,
        "seconds": seconds,
        "main_cpu": own.ru_utime + own.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime,
        "workers_cpu": children.ru_utime + children.ru_stime,
        "workers": workers,
        "staged_mb": staged_bytes / 1e6,
    }


# What an import writes, in the order it writes it.
WRITTEN_TABLES = ("people_person", "screening_screeningrecord", "screening_personsource")
# What a record repeats of its person's registry entry.
REPEATED_IDENTITY = (
    "name",
    "document_type",
    "document_number",
    "document_index",
    "phone",
    "phone_index",
    "address",
)


def _write_floor(work: Path) -> dict:
    """The server's share alone: the rows the CSV import wrote, copied out, the tables emptied,
    then COPY'd back in binary (no parsing, no client work) into the same tables with the same
    indexes, in one transaction as the import writes them. No import can write these rows
    faster. Measured twice: first with records that do not repeat their person's identity
    (what a leaner data model would write), then as written, which leaves the rows as the
    import left them."""
    from django.db import connection

    dumps = {name: work / f"{name}.bin" for name in WRITTEN_TABLES}
    lean = work / "records-lean.bin"
    rows = {}
    with connection.cursor() as cursor:
        for name, path in dumps.items():
            _dump(cursor, name, path)
            cursor.execute(f"SELECT COUNT(*) FROM {name}")
            rows[name] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "ORDER BY ordinal_position",
            ["screening_screeningrecord"],
        )
        columns = [
            f"CASE WHEN person_id IS NULL THEN \"{c}\" ELSE '' END"
            if c in REPEATED_IDENTITY
            else f'"{c}"'
            for (c,) in cursor.fetchall()
        ]
        _dump(cursor, f"(SELECT {', '.join(columns)} FROM screening_screeningrecord)", lean)
    lean_seconds = _timed_restore({**dumps, "screening_screeningrecord": lean})
    after_load = _timed_restore(dumps, indexes_after_load=True)
    seconds = _timed_restore(dumps)
    with connection.cursor() as cursor:
        # As the import left them: it refreshes the statistics of the tables it has grown.
        cursor.execute("ANALYZE people_person, screening_screeningrecord")
    for path in [*dumps.values(), lean]:
        path.unlink()
    return {
        "rows": rows,
        "seconds": seconds,
        "total": sum(seconds.values()),
        "lean_total": sum(lean_seconds.values()),
        "after_load": after_load,
        "after_load_total": sum(t for name, t in after_load.items() if name != "server CPU"),
    }


def _dump(cursor, source: str, path: Path) -> None:
    with (
        cursor.cursor.copy(f"COPY {source} TO STDOUT (FORMAT binary)") as copy,
        open(path, "wb") as handle,
    ):
        for block in copy:
            handle.write(block)


def _timed_restore(dumps: dict[str, Path], indexes_after_load: bool = False) -> dict[str, float]:
    """Seconds per table (and, with indexes_after_load, for building the indexes): the people
    and records tables' secondary indexes are dropped inside the transaction and built again
    after the COPY, as a bulk load into tables nobody else may use meanwhile would do (their
    primary keys stay: other tables' foreign keys hang on them)."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(dumps)} CASCADE")
        cursor.execute("CHECKPOINT")
    seconds = {}
    with transaction.atomic(), connection.cursor() as cursor:
        rebuild = []
        if indexes_after_load:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
            cpu_before = _process_cpu(backend)
            # One process builds each index, so that the server's CPU is this backend's.
            cursor.execute("SET LOCAL max_parallel_maintenance_workers = 0")
            rebuild = _drop_secondary_indexes(cursor, WRITTEN_TABLES[:2])
        for name, path in dumps.items():
            started = time.perf_counter()
            with (
                cursor.cursor.copy(f"COPY {name} FROM STDIN (FORMAT binary)") as copy,
                open(path, "rb") as handle,
            ):
                while block := handle.read(1 << 20):
                    copy.write(block)
            seconds[name] = time.perf_counter() - started
        if indexes_after_load:
            started = time.perf_counter()
            for statement in rebuild:
                cursor.execute(statement)
            seconds["index builds"] = time.perf_counter() - started
            seconds["server CPU"] = _process_cpu(backend) - cpu_before
    return seconds


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of a process on this machine (the server's backend)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _drop_secondary_indexes(cursor, tables: tuple[str, ...]) -> list[str]:
    """Drop every index of the tables but their primary keys; the statements that build them
    again, unique constraints included."""
    cursor.execute(
        "SELECT t.relname, i.relname, pg_get_indexdef(i.oid), c.conname FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.conrelid = t.oid "
        "WHERE t.relname = ANY(%s) AND NOT x.indisprimary",
        [list(tables)],
    )
    rebuild = []
    for table, index, definition, constraint in cursor.fetchall():
        rebuild.append(definition)
        if constraint:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
            rebuild.append(
                f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" UNIQUE USING INDEX "{index}"'
            )
        else:
            cursor.execute(f'DROP INDEX "{index}"')
    return rebuild


def _reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE screening_personsource, screening_outgoingrepush, screening_screeningrecord,"
            " screening_screeningbatch RESTART IDENTITY CASCADE"
        )
        # The benchmark database holds nothing else: TRUNCATE … CASCADE empties the tables
        # that point at people too, far faster than deleting a million rows.
        cursor.execute("TRUNCATE people_person RESTART IDENTITY CASCADE")


def _page_timings() -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from fangkong.core.actor import Actor
    from fangkong.core.roles import Role
    from fangkong.regions.models import Region
    from fangkong.screening import selectors
    from fangkong.screening.models import ScreeningBatch, ScreeningRecord

    with connection.cursor() as cursor:
        cursor.execute("UPDATE screening_screeningrecord SET deadline = now() - interval '1 hour'")
        cursor.execute("VACUUM ANALYZE screening_screeningrecord")
    county = Region.objects.get(code="433101")
    city = Region.objects.get(code="4331")
    batch = ScreeningBatch.objects.get()
    # The list's smallest village of the county: opened from the city, in the sender's row
    # order, its few records are spread over the whole batch.
    village = Region.objects.get(
        code=ScreeningRecord.objects.filter(region__code__startswith="433101", assigned_level=12)
        .values("region_id")
        .annotate(n=Count("*"))
        .order_by("n", "region_id")
        .values_list("region_id", flat=True)[:1]
        .get()
    )
    timings = {}
    for label, region in (("county", county), ("city", city)):
        actor = Actor.build(user=None, region=region, role=Role.OPERATOR)
        for page, call in (
            ("progress", lambda a=actor: selectors.progress_page(actor=a)),
            ("overdue", lambda a=actor: selectors.overdue_page(actor=a, page=1)),
            ("records", lambda a=actor: selectors.record_page(actor=a)),
            ("batch records", lambda a=actor: selectors.record_page(actor=a, batch=batch)),
            (
                "village records",
                lambda a=actor: selectors.record_page(actor=a, batch=batch, region=village),
            ),
            *(
                [("county opened", lambda a=actor: selectors.progress_page(actor=a, region=county))]
                if region == city
                else []
            ),
        ):
            call()
            runs = []
            for _ in range(5):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    call()
                    runs.append(time.perf_counter() - started)
            timings[f"{label}_{page}"] = {
                "ms": statistics.median(runs) * 1000,
                "queries": len(queries),
            }
    timings["township sheet"] = _sheet_timing(county)
    return timings


def _sheet_timing(county) -> dict:
    """A record list downloaded as a sheet: the county's most populous township, every record
    (the page's "全部" tab), written while the user waits."""
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import Substr
    from django.test.utils import CaptureQueriesContext

    from fangkong.core.actor import Actor
    from fangkong.core.roles import Role
    from fangkong.regions.models import Region
    from fangkong.screening import selectors
    from fangkong.screening.listsheet import record_list_sheet
    from fangkong.screening.models import ScreeningRecord

    busiest = (
        ScreeningRecord.objects.filter(region__code__startswith=county.code)
        .annotate(township=Substr("region_id", 1, 9))
        .values("township")
        .annotate(n=Count("*"))
        .order_by("-n")
        .values_list("township", flat=True)[:1]
        .get()
    )
    township = Region.objects.get(code=busiest)
    actor = Actor.build(user=None, region=county, role=Role.OPERATOR)
    runs, rows = [], 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            records = selectors.record_rows(actor=actor, region=township)
            path = record_list_sheet(
                actor=actor, records=records, region_code=township.code, purpose="benchmark"
            )
            runs.append(time.perf_counter() - started)
        rows = records.count()
        os.unlink(path)
    return {"ms": statistics.median(runs) * 1000, "queries": len(queries), "rows": rows}


def _feedback_timings() -> dict:
    """The million-row batch's feedback: a page of 1,000 rows over the API at its start, middle
    and end by offset, and the last again by row number (`after`), for the city and for the
    county (median of 3); and the whole sheet, as the sheets worker writes it (once)."""
    from fangkong.core.actor import Actor
    from fangkong.core.roles import Role
    from fangkong.regions.models import Region
    from fangkong.screening.feedback import feedback_count, feedback_page, write_feedback
    from fangkong.screening.models import ScreeningBatch

    batch = ScreeningBatch.objects.get()
    timings: dict = {"pages": {}}
    for code in ("4331", "433101"):
        actor = Actor.build(user=None, region=Region.objects.get(code=code), role=Role.OPERATOR)
        total = feedback_count(actor=actor, batch=batch)
        for where, offset in (("first", 0), ("middle", total // 2), ("last", total - 1000)):
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                page = feedback_page(actor=actor, batch=batch, offset=offset, limit=1000)
                runs.append(time.perf_counter() - started)
            assert len(page["rows"]) == 1000
            timings["pages"][f"{code} {where} ({offset:,})"] = statistics.median(runs) * 1000
        # The last page again, walked to by row number (`after`) as a client reading it all would.
        after = page["rows"][0]["row"] - 1
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            page = feedback_page(actor=actor, batch=batch, offset=0, limit=1000, after=after)
            runs.append(time.perf_counter() - started)
        assert len(page["rows"]) == 1000
        timings["pages"][f"{code} last by row number"] = statistics.median(runs) * 1000
    city = Actor.build(user=None, region=Region.objects.get(code="4331"), role=Role.OPERATOR)
    started = time.perf_counter()
    path, rows = write_feedback(actor=city, batch=batch)
    timings["sheet"] = {
        "seconds": time.perf_counter() - started,
        "rows": rows,
        "mb": os.path.getsize(path) / 1e6,
    }
    os.unlink(path)
    return timings


UPLOADS = 6
WORKER_INTERVAL = "0.25"  # seconds between looks at the queue, as scripts/serve.sh
WORKER_START_SECONDS = 8
VISIBLE_TIMEOUT_SECONDS = 60


def _visible_after_upload(work: Path) -> dict:
    """From the upload page's POST to the village's grid worker seeing the list's records, with
    the import run by a task worker (`fangkong db_worker --interval 0.25`, as `make demo` and
    the README's deployment run it) and the million-row list in the database. Six different
    1,000-row lists, each watched in the village that holds most of its rows; the first also
    pays for the task worker's first import of the modules involved."""
    from django.test import Client
    from lib.screening_data import ListGenerator, write_xlsx

    import config.wsgi  # noqa: F401 (the web process as gunicorn starts it: views imported)
    from fangkong.accounts.models import RoleAssignment, User
    from fangkong.core.roles import Role
    from fangkong.regions.models import Region

    places = _places()
    hq = User.objects.create_user(username="bench-hq")
    RoleAssignment.objects.create(
        user=hq, region=Region.objects.get(code="4331"), role=Role.COMPREHENSIVE_STAFF
    )
    client = Client()
    client.force_login(hq)
    with open(work / "worker.log", "wb") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from config.cli import main; main()",
                "db_worker",
                "--no-reload",
                "--interval",
                WORKER_INTERVAL,
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            time.sleep(WORKER_START_SECONDS)
            if worker.poll() is not None:
                raise SystemExit(f"task worker exited: {(work / 'worker.log').read_text()[-2000:]}")
            runs = []
            for i in range(UPLOADS):
                rows = list(ListGenerator(places, seed=7 + i).rows(1000))
                path = work / f"small-{i}.xlsx"
                write_xlsx(path, rows)
                runs.append(_upload_and_wait(client, path, _grid_worker_for(rows)))
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    (work / "worker.log").unlink()
    return {"runs": runs}


def _grid_worker_for(rows):
    """A grid worker of the village most rows of the list are assigned to."""
    from collections import Counter

    from fangkong.accounts.models import RoleAssignment, User
    from fangkong.core.actor import Actor
    from fangkong.core.roles import Role
    from fangkong.regions.models import Region
    from fangkong.screening.matching import AddressMatcher

    matcher = AddressMatcher()
    codes = Counter(matcher.cached_match(row[4]) for row in rows if row[2])
    code = next(c for c, _ in codes.most_common() if len(c) == 12)
    village = Region.objects.get(code=code)
    user, _ = User.objects.get_or_create(username=f"bench-grid-{code}")
    RoleAssignment.objects.get_or_create(user=user, region=village, role=Role.GRID_WORKER)
    return Actor.build(user=user, region=village, role=Role.GRID_WORKER)


def _upload_and_wait(client, path: Path, worker_actor) -> dict:
    """Seconds from the POST to the records being visible, and where they went: the upload
    request, the wait for the task worker, the import, and the rest."""
    from django.urls import reverse
    from django.utils import timezone

    from fangkong.imports.models import ImportJob
    from fangkong.screening import selectors
    from fangkong.screening.models import MergeKind, ScreeningBatch

    last = ScreeningBatch.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # The worker's own records (scoped to the village, neither merged nor invalid) of this list.
    arrived = selectors.records_visible(worker_actor).filter(
        batch_id__gt=last, merge_kind=MergeKind.NONE, invalid=False
    )
    posted_at = timezone.now()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        response = client.post(
            reverse("screening:batches"),
            {"file": handle, "category": "risk_area", "source": "province"},
        )
    if response.status_code != 302:
        raise SystemExit(f"upload answered {response.status_code}")
    upload = time.perf_counter() - started
    while not arrived.exists():
        if time.perf_counter() - started > VISIBLE_TIMEOUT_SECONDS:
            raise SystemExit(f"{path.name}: not visible to its grid worker after 60 s")
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    job = ImportJob.objects.order_by("-id").first()
    while job.finished_at is None and time.perf_counter() - started < VISIBLE_TIMEOUT_SECONDS:
        time.sleep(0.02)  # the records are committed just before the job is marked finished
        job.refresh_from_db()
    return {
        "seconds": seconds,
        "upload": upload,
        "queued": (job.started_at - posted_at).total_seconds() - upload,
        "import": (job.finished_at - job.started_at).total_seconds(),
    }


SECOND_LIST_ROWS = 60_000


def _second_list(work: Path) -> dict:
    """A further list of 60,000 new rows imported with the million in the database: big enough
    for a plan made on statistics that have never seen its batch to go quadratic."""
    from lib.screening_data import ListGenerator, write_csv

    path = work / "second.csv"
    write_csv(path, ListGenerator(_places(), seed=99).rows(SECOND_LIST_ROWS))
    result = _child_import(path, work)
    path.unlink()
    return result


def _report(results: dict) -> None:
    copy = results["copy"]
    print(
        f"\nscreening import, {results['rows']:,} rows (PostgreSQL); load average at start "
        f"{results['load'][0]:.1f}, at end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"  raw COPY reference   {copy['rate']:>10,.0f} rows/s  ({copy['rows']:,} rows, "
        f"{copy['seconds']:.1f} s)"
    )
    for kind in ("csv", "xlsx", "xlsx shared"):
        if kind in results:
            r = results[kind]
            print(
                f"  {kind:<11} import   {r['rate']:>10,.0f} rows/s  ({r['seconds']:.1f} s, "
                f"peak {r['peak_mb']:.0f} MB, ratio to COPY {r['rate'] / copy['rate']:.2f})"
            )
            print(
                f"       summary {json.dumps(r['summary'], ensure_ascii=False)}, "
                f"{r['errors']} row errors"
            )
    floor = results.get("floor")
    if floor:
        rows = results["csv"]["rows"]
        parts = ", ".join(
            f"{name} {floor['rows'][name]:,} rows {floor['seconds'][name]:.1f} s"
            for name in WRITTEN_TABLES
        )
        print(
            f"  write floor          {rows / floor['total']:>10,.0f} rows/s  "
            f"({floor['total']:.1f} s: the import's rows COPY'd back alone; {parts}); "
            f"highest ratio any import could reach: {rows / floor['total'] / copy['rate']:.2f}"
        )
        print(
            f"  write floor, lean    {rows / floor['lean_total']:>10,.0f} rows/s  "
            f"({floor['lean_total']:.1f} s with records not repeating their person's identity); "
            f"highest ratio: {rows / floor['lean_total'] / copy['rate']:.2f}"
        )
    if floor:
        after = floor["after_load"]
        print(
            f"  write floor, indexes built after the load {rows / floor['after_load_total']:,.0f} "
            f"rows/s ({floor['after_load_total']:.1f} s: "
            + ", ".join(f"{name} {t:.1f} s" for name, t in after.items())
            + f"); highest ratio: {rows / floor['after_load_total'] / copy['rate']:.2f}"
        )
    client = results.get("client")
    if client:
        cpu = client["main_cpu"] + client["workers_cpu"]
        print(
            f"  work outside the database {client['rows'] / client['seconds']:,.0f} rows/s "
            f"({client['seconds']:.1f} s reading, validating, encrypting and matching, nothing "
            f"written; CPU: main process {client['main_cpu']:.1f} s, {client['workers']} workers "
            f"{client['workers_cpu']:.1f} s); highest ratio with no database at all: "
            f"{client['rows'] / client['seconds'] / copy['rate']:.2f}"
        )
        if floor:
            cores = os.cpu_count() or 1
            bound = (cpu + floor["after_load"]["server CPU"]) / cores
            print(
                f"  both, perfectly overlapped on {cores} cores: at least {bound:.1f} s (CPU "
                f"outside the database plus the server's CPU for the write floor with indexes "
                f"built after the load, over the cores); highest ratio: "
                f"{rows / bound / copy['rate']:.2f}"
            )
    for name, t in results.get("pages", {}).items():
        rows = f" ({t['rows']:,} rows)" if "rows" in t else ""
        print(f"  {name:<22} {t['ms']:>8.1f} ms  {t['queries']} queries{rows}")
    feedback = results.get("feedback")
    if feedback:
        print(
            "  feedback over the API, 1,000 rows a page: "
            + "; ".join(f"{where} {ms:.0f} ms" for where, ms in feedback["pages"].items())
        )
        sheet = feedback["sheet"]
        print(
            f"  feedback sheet of the whole batch (sheets worker): {sheet['seconds']:.1f} s, "
            f"{sheet['rows']:,} rows, {sheet['mb']:.0f} MB"
        )
    second = results["second"]
    print(
        f"  a further {second['rows']:,}-row list into the million: {second['seconds']:.1f} s "
        f"({second['rate']:,.0f} rows/s)"
    )
    first, *then = (run["seconds"] for run in results["visible"]["runs"])
    print(
        f"  1,000-row xlsx, upload to its grid worker's list (task worker): first list after the "
        f"worker started {first:.2f} s; the {len(then)} next: median "
        f"{statistics.median(then):.2f} s, slowest {max(then):.2f} s "
        f"({', '.join(f'{x:.2f}' for x in then)})"
    )
    for run in results["visible"]["runs"]:
        print(
            f"       {run['seconds']:.2f} s: upload request {run['upload']:.2f} s, waiting for the "
            f"task worker {run['queued']:.2f} s, import {run['import']:.2f} s"
        )


if __name__ == "__main__":
    raise SystemExit(main())
