"""The feedback sheet: every row of the sender's list in the sender's order, with the result.

Identifier cells are restored from their encrypted copies so the sender can match rows; each
download is written to the access log. Rows are streamed (constant memory) however long the
list is; a long list's sheet is written by the task worker (sheetjobs.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.audit.services import access_record
from fangkong.core.actor import Actor
from fangkong.core.downloads import DIRECT_ROWS, streamed_workbook, temporary_xlsx
from fangkong.imports.reports import ERROR_COLUMN, error_report_to, safe_cell

from .listsheet import Labels, Progress, too_long_to_wait
from .models import MergeKind, ScreeningBatch, ScreeningRecord, SheetKind
from .rows import IDENTIFIER_FIELDS, SYNONYMS
from .selectors import invalid_records, records_visible

# Not translated: the sheet goes back to the sender (the province) beside its own Chinese columns.
RESULT_COLUMNS = [
    "核查状态",
    "核查结果",
    "管控措施",
    "管控地点",
    "去向",
    "四清",
    "责任区划",
    "核查人",
    "核查时间",
    "说明",
]
CHUNK = 2000


def identifier_columns(batch: ScreeningBatch) -> dict[str, int]:
    from fangkong.imports.headers import HeaderMatch, SourceRow, match_header_row

    match: HeaderMatch = match_header_row(SourceRow(0, list(batch.header)), SYNONYMS)
    return {name: i for i, name in match.columns.items() if name in IDENTIFIER_FIELDS}


def original_cells(record: dict, columns: dict[str, int]) -> list[str]:
    """The sender's cells of a record (read as values), identifiers restored from their
    encrypted copies."""
    cells = list(record["values"])
    if record["secret_values"]:
        for index, text in json.loads(record["secret_values"]).items():
            if int(index) < len(cells):
                cells[int(index)] = text
    for name in ("document_number", "phone"):
        i = columns.get(name)
        value = record[name]
        if i is not None and i < len(cells) and value and not cells[i]:
            cells[i] = value
    return cells


RESULT_FIELDS = (
    "row_number",
    "invalid",
    "errors",
    "merge_kind",
    "merged_into__row_number",
    "status",
    "outcome",
    "measure",
    "place",
    "destination",
    "four_clear",
    "region__name",
    "checked_by__display_name",
    "checked_by__username",
    "checked_at",
)
CELL_FIELDS = ("values", "secret_values", "document_number", "phone")
# An API page holds at most this many rows.
PAGE_LIMIT = 5000


def _batch_records(actor: Actor, batch: ScreeningBatch) -> QuerySet[ScreeningRecord]:
    return records_visible(actor).filter(batch=batch).order_by("row_number")


def _note(record: dict) -> str:
    if record["invalid"]:
        return "；".join(e["message"] for e in record["errors"])
    if record["merge_kind"] == MergeKind.FILE:
        return _("与第%(row)s行为同一人") % {"row": record["merged_into__row_number"]}
    if record["merge_kind"] == MergeKind.LIST:
        return _("已在其他名单中核查")
    return ""


def _result(record: dict, labels: Labels) -> dict:
    checked_at = record["checked_at"]
    return {
        "row": record["row_number"],
        "status": labels.invalid
        if record["invalid"]
        else labels.status.get(record["status"], record["status"]),
        "outcome": labels.outcome.get(record["outcome"], ""),
        "measure": record["measure"],
        "place": record["place"],
        "destination": record["destination"],
        "four_clear": labels.yes if record["four_clear"] else labels.no,
        "region": record["region__name"],
        "checker": record["checked_by__display_name"] or record["checked_by__username"] or "",
        "checked_at": timezone.localtime(checked_at).strftime("%Y-%m-%d %H:%M")
        if checked_at
        else "",
        "note": _note(record),
    }


def feedback_rows(*, actor: Actor, batch: ScreeningBatch) -> Iterator[tuple[dict, dict]]:
    """Every record of the batch in the actor's scope, in the sender's row order: (the record
    as values, with its original cells; its result). Read as values, labels translated once."""
    labels = Labels()
    records = _batch_records(actor, batch).values(*RESULT_FIELDS, *CELL_FIELDS)
    for record in records.iterator(chunk_size=CHUNK):
        yield record, _result(record, labels)


def feedback_page(
    *, actor: Actor, batch: ScreeningBatch, offset: int, limit: int, after: int | None = None
) -> dict:
    """One page of results, from `offset` or, faster for walking a long list, from the row
    after row number `after`. From an offset the page starts at the row number found `offset`
    rows into the (batch, row number) index, so a page deep in a million-row list joins the
    names of its own rows only (an OFFSET would join them for every row it skips); from `after`
    it starts there at once, and the total is not counted (null)."""
    limit = max(1, min(limit, PAGE_LIMIT))
    records = _batch_records(actor, batch)
    total = None
    if after is None:
        offset = max(0, offset)
        total = records.count()
        first = list(records.values_list("row_number", flat=True)[offset : offset + 1])
        start = records.filter(row_number__gte=first[0]) if first else records.none()
    else:
        offset, start = 0, records.filter(row_number__gt=after)
    labels = Labels()
    rows = [_result(record, labels) for record in start.values(*RESULT_FIELDS)[:limit]]
    following = offset + len(rows)
    return {
        "total": total,
        "offset": offset if after is None else None,
        "next_offset": following if total is not None and following < total else None,
        "next_after": rows[-1]["row"] if len(rows) == limit else None,
        "rows": rows,
    }


def feedback_count(*, actor: Actor, batch: ScreeningBatch) -> int:
    return _batch_records(actor, batch).count()


def write_feedback(
    *,
    actor: Actor,
    batch: ScreeningBatch,
    path: str | None = None,
    progress: Progress | None = None,
) -> tuple[str, int]:
    """Write the sheet (at `path`, default a temporary file): (path, rows).

    Written in Chinese whatever the page's language: the sender reads it, not the operator."""
    with translation.override(settings.LANGUAGE_CODE):
        return _write_feedback(actor=actor, batch=batch, path=path, progress=progress)


def _write_feedback(
    *, actor: Actor, batch: ScreeningBatch, path: str | None, progress: Progress | None
) -> tuple[str, int]:
    columns = identifier_columns(batch)
    header = ["原表行号", *batch.header, *RESULT_COLUMNS]
    path, workbook, sheet = streamed_workbook(_("核查反馈"), header, path)
    count = 0
    width = len(batch.header)
    for count, (record, row) in enumerate(feedback_rows(actor=actor, batch=batch), start=1):
        cells = original_cells(record, columns)[:width]
        cells += [""] * (width - len(cells))
        values = [
            str(row["row"]),
            *cells,
            row["status"],
            row["outcome"],
            row["measure"],
            row["place"],
            row["destination"],
            row["four_clear"],
            row["region"],
            row["checker"],
            row["checked_at"],
            row["note"],
        ]
        for col, value in enumerate(values):
            if value:
                sheet.write_string(count, col, str(safe_cell(value)))
        if progress is not None and count % CHUNK == 0:
            progress(count)
    workbook.close()
    return path, count


def errors_count(*, actor: Actor, batch: ScreeningBatch) -> int:
    return invalid_records(actor=actor, batch=batch).count()


def write_errors(
    *,
    actor: Actor,
    batch: ScreeningBatch,
    path: str | None = None,
    progress: Progress | None = None,
) -> tuple[str, int]:
    path = path or temporary_xlsx()
    columns = identifier_columns(batch)
    records = invalid_records(actor=actor, batch=batch).values(*CELL_FIELDS, "errors")
    count = error_report_to(
        path,
        header=list(batch.header),
        rows=(
            (original_cells(r, columns), [f"{e['field']}：{e['message']}" for e in r["errors"]])
            for r in records.iterator(chunk_size=CHUNK)
        ),
        progress=progress,
    )
    return path, count


@dataclass(frozen=True)
class BatchSheet:
    """A sheet of one batch's rows: how many rows it has, how it is written, what its download
    is logged as, and why."""

    count: Callable[..., int]
    write: Callable[..., tuple[str, int]]
    subject: str  # after "screening batch <pk>" in the access log
    purpose: Promise
    filename: str  # formatted with the batch's pk

    def logged(self, *, actor: Actor, batch: ScreeningBatch, rows: int) -> None:
        """A download of the sheet, written to the access log: its identifiers are in plain."""
        access_record(
            actor=actor,
            kind="export",
            purpose=str(self.purpose),
            region_code=actor.region.code,
            subject=f"screening batch {batch.pk} {self.subject}",
            row_count=rows,
            fields=["document_number", "phone"],
        )


BATCH_SHEETS: dict[str, BatchSheet] = {
    SheetKind.FEEDBACK: BatchSheet(
        feedback_count,
        write_feedback,
        "feedback",
        gettext_lazy("向来文单位反馈核查结果"),
        "核查反馈-批次{pk}.xlsx",
    ),
    SheetKind.ERRORS: BatchSheet(
        errors_count,
        write_errors,
        "errors",
        gettext_lazy("更正名单错误后重新导入"),
        "errors-{pk}.xlsx",
    ),
}


def batch_sheet_now(*, actor: Actor, batch: ScreeningBatch, kind: str) -> str:
    """Write a batch's feedback sheet or rows needing correction to a temporary file while the
    user waits and return its path; a longer one is refused here, with its size, and written
    by the task worker (sheetjobs.py)."""
    sheet = BATCH_SHEETS[kind]
    total = sheet.count(actor=actor, batch=batch)
    if total > DIRECT_ROWS:
        raise too_long_to_wait(total)
    path, rows = sheet.write(actor=actor, batch=batch)
    sheet.logged(actor=actor, batch=batch, rows=rows)
    return path


__all__ = ["BATCH_SHEETS", "ERROR_COLUMN", "batch_sheet_now", "feedback_page", "feedback_rows"]
