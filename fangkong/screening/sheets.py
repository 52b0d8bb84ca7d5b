"""The .xlsx files screening writes for download (the feedback sheet, record lists): written
row by row to a temporary file in constant memory, then sent and removed."""

from __future__ import annotations

import tempfile
from pathlib import Path

import xlsxwriter
from django.http import FileResponse
from xlsxwriter.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def streamed_workbook(title: str, header: list[str]) -> tuple[str, xlsxwriter.Workbook, Worksheet]:
    """A new workbook in a temporary file, its one sheet headed by `header` in bold; the
    caller writes the rows from row 1, closes the workbook and sends the path."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook = xlsxwriter.Workbook(
        handle.name,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = workbook.add_worksheet(title)
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for col, label in enumerate(header):
        sheet.write_string(0, col, str(label), bold)
    return handle.name, workbook, sheet


def sheet_download(path: str, filename: str) -> FileResponse:
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115
        as_attachment=True,
        filename=filename,
        content_type=XLSX,
    )
    Path(path).unlink(missing_ok=True)  # the open handle keeps the data until sent
    return response
