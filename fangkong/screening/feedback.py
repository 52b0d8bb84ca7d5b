"""The feedback sheet: every row of the sender's list in the sender's order, with the result.

Identifier cells are restored from their encrypted copies so the sender can match rows; the
export is written to the access log. Rows are streamed (constant memory) however long the
list is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangkong.audit.services import access_record
from fangkong.core.actor import Actor
from fangkong.imports.reports import ERROR_COLUMN, error_report, safe_cell

from .models import MergeKind, ScreeningBatch, ScreeningRecord
from .rows import IDENTIFIER_FIELDS, SYNONYMS
from .selectors import invalid_records, records_visible
from .sheets import streamed_workbook

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


def _identifier_columns(batch: ScreeningBatch) -> dict[str, int]:
    from fangkong.imports.headers import HeaderMatch, SourceRow, match_header_row

    match: HeaderMatch = match_header_row(SourceRow(0, list(batch.header)), SYNONYMS)
    return {name: i for i, name in match.columns.items() if name in IDENTIFIER_FIELDS}


def original_cells(record: ScreeningRecord, columns: dict[str, int]) -> list[str]:
    cells = list(record.values)
    if record.secret_values:
        for index, text in json.loads(record.secret_values).items():
            if int(index) < len(cells):
                cells[int(index)] = text
    for name, attr in (("document_number", "document_number"), ("phone", "phone")):
        i = columns.get(name)
        value = getattr(record, attr)
        if i is not None and i < len(cells) and value and not cells[i]:
            cells[i] = value
    return cells


def feedback_rows(*, actor: Actor, batch: ScreeningBatch) -> Iterator[dict]:
    records = (
        records_visible(actor)
        .filter(batch=batch)
        .select_related("region", "checked_by", "merged_into")
        .order_by("row_number")
    )
    for r in records.iterator(chunk_size=CHUNK):
        note = ""
        if r.invalid:
            note = "；".join(e["message"] for e in r.errors)
        elif r.merge_kind == MergeKind.FILE:
            assert r.merged_into is not None  # a repeat within the file points at its first row
            note = _("与第%(row)s行为同一人") % {"row": r.merged_into.row_number}
        elif r.merge_kind == MergeKind.LIST:
            note = _("已在其他名单中核查")
        yield {
            "record": r,
            "row": r.row_number,
            "status": _("待更正") if r.invalid else r.get_status_display(),
            "outcome": r.get_outcome_display() if r.outcome else "",
            "measure": r.measure,
            "place": r.place,
            "destination": r.destination,
            "four_clear": _("是") if r.four_clear else _("否"),
            "region": r.region.name,
            "checker": (r.checked_by.display_name or r.checked_by.username) if r.checked_by else "",
            "checked_at": timezone.localtime(r.checked_at).strftime("%Y-%m-%d %H:%M")
            if r.checked_at
            else "",
            "note": note,
        }


def feedback_sheet(*, actor: Actor, batch: ScreeningBatch, purpose: str) -> str:
    """Write the sheet to a temporary file and return its path.

    Written in Chinese whatever the page's language: the sender reads it, not the operator."""
    with translation.override(settings.LANGUAGE_CODE):
        return _feedback_sheet(actor=actor, batch=batch, purpose=purpose)


def _feedback_sheet(*, actor: Actor, batch: ScreeningBatch, purpose: str) -> str:
    columns = _identifier_columns(batch)
    header = ["原表行号", *batch.header, *RESULT_COLUMNS]
    path, workbook, sheet = streamed_workbook(_("核查反馈"), header)
    count = 0
    width = len(batch.header)
    for count, row in enumerate(feedback_rows(actor=actor, batch=batch), start=1):
        cells = original_cells(row["record"], columns)[:width]
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
    workbook.close()
    access_record(
        actor=actor,
        kind="export",
        purpose=purpose,
        region_code=actor.region.code,
        subject=f"screening batch {batch.pk} feedback",
        row_count=count,
        fields=["document_number", "phone"],
    )
    return path


def errors_sheet(*, actor: Actor, batch: ScreeningBatch, purpose: str) -> bytes:
    """The rows needing correction with the original columns plus 错误说明: fix and re-import."""
    columns = _identifier_columns(batch)
    records = list(invalid_records(actor=actor, batch=batch))
    data = error_report(
        header=list(batch.header),
        rows=(
            (original_cells(r, columns), [f"{e['field']}：{e['message']}" for e in r.errors])
            for r in records
        ),
    )
    access_record(
        actor=actor,
        kind="export",
        purpose=purpose,
        region_code=actor.region.code,
        subject=f"screening batch {batch.pk} errors",
        row_count=len(records),
        fields=["document_number", "phone"],
    )
    return data


__all__ = ["ERROR_COLUMN", "errors_sheet", "feedback_rows", "feedback_sheet"]
