"""Error reports: the rows that need correcting, as the sender wrote them, plus why.

The sheet keeps the original header and columns and adds 错误说明 at the end, so the sender
fixes the cells in place and uploads the sheet again: the recogniser ignores the extra column.
Cells that start like a formula are neutralised (a leading apostrophe is not enough in every
program, so a tab is put in front, as OWASP suggests for CSV injection).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter

ERROR_COLUMN = "错误说明"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        # Phone numbers such as "+86 139…" and dates written "-" are kept readable.
        return "'" + value
    return value


def write_sheet(
    *, header: list[str], rows: Iterable[list], sheet_name: str = "Sheet1", widths=None
) -> bytes:
    """An .xlsx with one header row and the rows; every cell written as text."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    for col, label in enumerate(header):
        sheet.write_string(0, col, str(label), bold)
        sheet.set_column(col, col, (widths or {}).get(col, 16), text)
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            sheet.write_string(row_index, col, str(safe_cell(value)))
    workbook.close()
    return buffer.getvalue()


def error_report(*, header: list[str], rows: Iterable[tuple[list, list[str]]]) -> bytes:
    """rows: (original cells, messages) pairs."""
    width = len(header)

    def lines():
        for cells, messages in rows:
            padded = list(cells)[:width] + [""] * (width - len(cells))
            yield padded + ["；".join(messages)]

    return write_sheet(header=[*header, ERROR_COLUMN], rows=lines(), widths={width: 60})
