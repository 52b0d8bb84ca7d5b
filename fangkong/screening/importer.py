"""Importing a pushed list: read and validate every row, write it as it comes, then merge.

1. The file is opened (anything that is not a readable table is refused) and hashed; a file
   already imported is refused unless a repeat is asked for.
2. The header row is found among the first rows (title rows above it are skipped), with the
   synonyms in rows.SYNONYMS and the mappings users remembered for this source.
3. A thread reads, validates and assigns the rows part by part (constant memory), identifiers
   normalised, encrypted and indexed on the way; each part is de-duplicated against the parts
   before by blind index, matched against the registry and written (screening.writer) while
   the next is read.
4. The list's people already on an open list join it there, the people's histories gain the
   list, and the batch is counted (screening.merge). All of it is one transaction: nothing is
   stored if anything fails.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.categories import PersonCategory
from fangkong.core.roles import Perm
from fangkong.imports.headers import find_header, is_blank
from fangkong.imports.jobs import file_sha256, remembered_mappings
from fangkong.imports.readers import FileRefused, TableSource, csv_lines, open_table

from .alerts import list_arrived
from .matching import AddressMatcher, level_name
from .merge import finish_list
from .models import ScreeningBatch
from .parallel import Part, row_parts, sheet_parts, staged_parts, text_parts, worker_count
from .rows import IGNORED_HEADERS, SYNONYMS, RowReader
from .sql import is_postgres
from .writer import CopySink, ListWriter, TempSink

MAPPING_KIND = "screening"
# An import whose new people or ids were taken by another writer meanwhile runs again (once).
ATTEMPTS = 2
DEADLOCK_DETECTED = "40P01"


@dataclass
class ImportOptions:
    category: str
    source: str = ""
    deadline_hours: int | None = None
    allow_duplicate: bool = False
    received_at: dt.datetime | None = None
    expected_rows: int | None = None


REFUSED_NO_HEADER = "no_header"
REFUSED_REPEATED = "repeated"


@dataclass
class ImportResult:
    batch: ScreeningBatch | None = None
    refused: str = ""
    # Why, where the user can answer on the upload's page: REFUSED_NO_HEADER, REFUSED_REPEATED.
    refused_reason: str = ""
    refused_details: dict = field(default_factory=dict)
    unknown_headers: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    @property
    def stored(self) -> bool:
        return self.batch is not None


DEFAULT_DEADLINE_HOURS: dict[str, int] = {
    PersonCategory.CLOSE_CONTACT: 12,
    PersonCategory.SECONDARY_CONTACT: 24,
    PersonCategory.SPATIOTEMPORAL: 24,
    PersonCategory.RISK_AREA: 24,
    PersonCategory.INBOUND: 24,
    PersonCategory.OTHER: 24,
}


def deadline_hours_for(category: str, given: int | None) -> int:
    return given if given else DEFAULT_DEADLINE_HOURS.get(category, 24)


def screening_import(
    *,
    actor: Actor,
    path: str | Path,
    filename: str | None = None,
    options: ImportOptions,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one file; a refusal comes back as ImportResult.refused with nothing stored."""
    actor.require(Perm.SCREENING_IMPORT)
    filename = filename or Path(path).name
    if options.category not in PersonCategory.values:
        return ImportResult(refused=_("未知的人员类别：%(c)s") % {"c": options.category})
    try:
        result = _import(actor, Path(path), filename, options, progress)
    except FileRefused as exc:
        return ImportResult(
            refused=str(exc), refused_reason=exc.reason, refused_details=exc.details
        )
    if result.batch is not None:
        list_arrived(result.batch)
    return result


def _import(actor, path, filename, options, progress) -> ImportResult:
    """Someone may register one of the list's people (a checkpoint, another list) after the
    part naming them was matched against the registry: the document's unique index then
    refuses the new person, nothing of the import stays, and it runs again, finding them.
    Two lists naming the same new people in different orders may wait for each other; the
    server then rolls one back, and it runs again too."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _import_once(actor, path, filename, options, progress)
        except (IntegrityError, OperationalError) as exc:
            if attempt == ATTEMPTS or not _run_again_after(exc):
                raise
    raise AssertionError("unreachable")


def _run_again_after(error: Exception) -> bool:
    if isinstance(error, IntegrityError):
        return True
    return getattr(error.__cause__, "sqlstate", None) == DEADLOCK_DETECTED


def _import_once(actor, path, filename, options, progress) -> ImportResult:
    source = open_table(path, filename)
    sha = file_sha256(path)
    if not options.allow_duplicate:
        _refuse_repeated_file(filename, sha)
    rows = source.rows()
    remembered = remembered_mappings(kind=MAPPING_KIND, source=options.source)
    header, consumed = find_header(rows, SYNONYMS, remembered)
    if header is None or not _usable(header):
        raise FileRefused(
            _("文件“%(name)s”前15行中没有找到可识别的表头：至少需要“姓名”和“身份证号”或“手机号”列")
            % {"name": filename},
            reason=REFUSED_NO_HEADER,
        )
    workers, parts_read = list_parts(source, header, chain(consumed, rows))
    store = _store_on_postgres if is_postgres() else _store_on_sqlite
    # Closed on the way out whatever happens: the reading thread and the workers stop.
    with closing(parts_read) as parts:
        batch, summary = store(parts, actor, options, filename, sha, header, progress)
    summary["timings"]["workers"] = workers
    unknown = [label for label in header.unknown if label not in IGNORED_HEADERS]
    return ImportResult(batch=batch, unknown_headers=unknown, summary=summary)


def _refuse_repeated_file(filename: str, sha: str) -> None:
    earlier = ScreeningBatch.objects.filter(file_sha256=sha).order_by("id").first()
    if earlier is not None:
        raise FileRefused(
            _(
                "文件“%(name)s”已于%(at)s导入过（批次 %(id)s），未重复导入；确需再次导入请选择“允许重复导入”"  # noqa: E501
            )
            % {
                "name": filename,
                "at": timezone.localtime(earlier.created_at).strftime("%Y-%m-%d %H:%M"),
                "id": earlier.pk,
            },
            reason=REFUSED_REPEATED,
            batch=earlier.pk,
        )


def _store_on_postgres(parts, actor, options, filename, sha, header, progress):
    """The batch first, then every part COPY'd as it comes, in the one transaction."""
    with transaction.atomic(), CopySink() as sink:
        batch = _create_batch(actor, options, filename, sha, header)
        writer = _writer(sink, batch.pk, actor, options, batch.deadline)
        stats = _write_parts(parts, writer, progress, filename)
        return batch, _finish(batch, writer, stats, actor)


def _store_on_sqlite(parts, actor, options, filename, sha, header, progress):
    """Every part into temporary tables as it comes, then the batch and the move in the one
    transaction (SQLite has one writer: progress is written while the parts are read)."""
    sink = TempSink()
    try:
        received = options.received_at or timezone.now()
        writer = _writer(sink, 0, actor, options, _deadline(options, received))
        stats = _write_parts(parts, writer, progress, filename)
        with transaction.atomic():
            batch = _create_batch(actor, options, filename, sha, header, received)
            sink.move(batch.pk)
            return batch, _finish(batch, writer, stats, actor)
    finally:
        sink.drop()


def _writer(sink, batch_id: int, actor: Actor, options, deadline: dt.datetime) -> ListWriter:
    registrar = actor.user.pk if actor.user else None
    return ListWriter(
        sink=sink,
        batch_id=batch_id,
        history=(_source(options), options.category),
        registrar=registrar,
        now=timezone.now(),
        deadline=deadline,
    )


def _source(options: ImportOptions) -> str:
    return options.source or _("省级推送")


def _write_parts(parts, writer: ListWriter, progress, filename: str) -> dict:
    started = time.perf_counter()
    count = 0
    errors: list[dict] = []
    for frame, part_errors, rows_in_part in parts:
        writer.add(frame)
        errors.extend(part_errors)
        count += rows_in_part
        if progress is not None:
            progress(count)
    writer.flush()
    if count == 0:
        raise FileRefused(_("文件“%(name)s”只有表头，没有数据行") % {"name": filename})
    return {"rows": count, "errors": errors, "seconds": round(time.perf_counter() - started, 2)}


def _finish(batch: ScreeningBatch, writer: ListWriter, stats: dict, actor: Actor) -> dict:
    summary = finish_list(batch=batch, writer=writer)
    summary.update(rows=stats["rows"], errors=stats["errors"])
    summary["timings"] = {"read_validate_write": stats["seconds"], **summary["timings"]}
    _finish_batch(batch, summary)
    audit_record(
        actor=actor,
        action="screening.batch.imported",
        obj=batch,
        changes={k: v for k, v in summary.items() if k not in ("errors", "timings")},
    )
    return summary


def list_parts(
    source: TableSource, header, rows: Iterable
) -> tuple[int, Generator[Part, None, None]]:
    """(worker processes, the validated parts) of the rows below the header that hold
    anything, read ahead as parallel.staged_parts does. A CSV file's rows are read again from
    below the header as lines, an .xlsx sheet's as pieces of its XML (`rows` are left);
    other sheets' are taken from `rows`."""
    parts: Iterator
    if source.kind == "csv":
        parts = text_parts(csv_lines(source, after_rows=header.row.number))
    elif source.sheet is not None:
        parts = sheet_parts(source.sheet, after=header.row.number)
    else:
        data = (r for r in rows if r.number > header.row.number and not is_blank(r.cells))
        parts = row_parts(data)
    workers = worker_count(source.path.stat().st_size)
    return workers, staged_parts(RowReader(header), AddressMatcher(), parts, workers)


def _usable(header) -> bool:
    fields = set(header.columns.values())
    return "name" in fields and bool(fields & {"document_number", "phone"})


def _deadline(options: ImportOptions, received: dt.datetime) -> dt.datetime:
    return received + dt.timedelta(
        hours=deadline_hours_for(options.category, options.deadline_hours)
    )


def _create_batch(actor, options, filename, sha, header, received=None) -> ScreeningBatch:
    received = received or options.received_at or timezone.now()
    hours = deadline_hours_for(options.category, options.deadline_hours)
    return ScreeningBatch.objects.create(
        source=_source(options),
        category=options.category,
        received_at=received,
        expected_rows=options.expected_rows,
        deadline_hours=hours,
        deadline=_deadline(options, received),
        filename=filename[:255],
        file_sha256=sha,
        header=[header.labels.get(i, "") for i in range(max(header.labels) + 1)],
        region=actor.region,
        created_by=actor.user,
    )


def _finish_batch(batch: ScreeningBatch, summary: dict) -> None:
    batch.rows = summary["rows"]
    batch.valid = summary["valid"]
    batch.invalid = summary["invalid"]
    batch.created_people = summary["created"]
    batch.matched_people = summary["matched"]
    batch.duplicates_in_file = summary["duplicates_in_file"]
    batch.assigned = summary["assigned"]
    batch.save(
        update_fields=[
            "rows",
            "valid",
            "invalid",
            "created_people",
            "matched_people",
            "duplicates_in_file",
            "assigned",
        ]
    )


def result_json(result: ImportResult) -> dict:
    """The CLI's and the API's summary, keys exactly as documented."""
    s = result.summary
    return {
        "batch": result.batch.pk if result.batch else None,
        "rows": s.get("rows", 0),
        "valid": s.get("valid", 0),
        "invalid": s.get("invalid", 0),
        "created": s.get("created", 0),
        "matched": s.get("matched", 0),
        "duplicates_in_file": s.get("duplicates_in_file", 0),
        "assigned": s.get(
            "assigned", {k: 0 for k in ("village", "township", "county", "unassigned")}
        ),
        "errors": s.get("errors", []),
    }


__all__ = ["ImportOptions", "ImportResult", "level_name", "result_json", "screening_import"]
