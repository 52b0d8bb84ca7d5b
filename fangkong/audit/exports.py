"""Lists of people downloaded as sheets: identifiers masked as on the page, at most
DIRECT_ROWS rows written while the user waits, and each download written to the access log."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from fangkong.core.actor import Actor
from fangkong.core.downloads import DIRECT_ROWS, streamed_workbook
from fangkong.core.errors import ValidationFailed
from fangkong.imports.reports import safe_cell

from .models import AccessKind
from .services import access_record

MASKED_FIELDS = ["name", "document_number", "phone"]
M = TypeVar("M", bound=Model)


def too_many_to_export(total: int) -> ValidationFailed | None:
    """The refusal of a list longer than one download holds, or None when it fits."""
    if total <= DIRECT_ROWS:
        return None
    return ValidationFailed(
        _("共 %(n)s 行，超过一次导出的 %(limit)s 行：请缩小筛选范围后再导出")
        % {"n": f"{total:,}", "limit": f"{DIRECT_ROWS:,}"}
    )


def logged_list_sheet(
    *,
    actor: Actor,
    listed: QuerySet[M],
    values: Callable[[M], list[str]],
    title: str,
    columns: list[str],
    subject: str,
    purpose: str,
    region_code: str,
) -> str:
    """Write `values` of each listed object under `columns` to a temporary .xlsx file, log
    the download and return the file's path. A list longer than one download holds is
    refused (ValidationFailed). Cells that start like a formula are neutralised."""
    refusal = too_many_to_export(listed.count())
    if refusal is not None:
        raise refusal
    path, workbook, sheet = streamed_workbook(title, columns)
    count = 0
    for count, item in enumerate(listed.iterator(chunk_size=2000), start=1):
        for col, value in enumerate(values(item)):
            if value:
                sheet.write_string(count, col, str(safe_cell(value)))
    sheet.freeze_panes(1, 0)
    workbook.close()
    access_record(
        actor=actor, kind=AccessKind.EXPORT, purpose=purpose, region_code=region_code,
        subject=subject, fields=MASKED_FIELDS, row_count=count,
    )  # fmt: skip
    return path
