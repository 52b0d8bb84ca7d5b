"""Sheets written for download: row by row in constant memory to a temporary file, sent and
removed; or, when too long to write while the user waits, by the task worker to private
storage (screening/sheetjobs.py)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

import xlsxwriter
from django.http import FileResponse, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils import timezone
from xlsxwriter.worksheet import Worksheet

from .errors import ValidationFailed
from .flash import flash_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A sheet of up to this many rows is written while the user waits (about two seconds here); a
# longer one by the task worker.
DIRECT_ROWS = 20_000
# One worksheet holds 1,048,576 rows, the header included.
MAX_ROWS = 1_048_575


def local_minute(moment: dt.datetime | None) -> str:
    """A moment as a sheet's cell shows it: local time to the minute, blank when unknown."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def temporary_xlsx() -> str:
    """The path of a new empty temporary file for a sheet; whoever sends it removes it."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    return handle.name


def streamed_workbook(
    title: str, header: list[str], path: str | None = None
) -> tuple[str, xlsxwriter.Workbook, Worksheet]:
    """A new workbook at `path` (default: a temporary file), its one sheet headed by `header`
    in bold; the caller writes the rows from row 1, closes the workbook and sends the path."""
    path = path or temporary_xlsx()
    workbook = xlsxwriter.Workbook(
        path,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = workbook.add_worksheet(title)
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for col, label in enumerate(header):
        sheet.write_string(0, col, str(label), bold)
    return path, workbook, sheet


def sheet_download(path: str, filename: str, *, keep: bool = False) -> FileResponse:
    """Send the sheet; a temporary one is removed (keep=False) once its handle is open."""
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115
        as_attachment=True,
        filename=filename,
        content_type=XLSX,
    )
    if not keep:
        Path(path).unlink(missing_ok=True)  # the open handle keeps the data until sent
    return response


def sheet_or_back(
    request: HttpRequest, write: Callable[[], str], *, filename: str, back: str
) -> HttpResponseBase:
    """Send the sheet `write` makes; when it refuses (a list too long, say), go back to the
    list at `back`, its query kept, with the reason shown."""
    try:
        path = write()
    except ValidationFailed as exc:
        flash_errors(request, exc)
        query = request.GET.urlencode()
        return HttpResponseRedirect(back + (f"?{query}" if query else ""))
    return sheet_download(path, filename)
