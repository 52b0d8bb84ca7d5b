"""Error reports: the rows that need correcting, as the sender wrote them, plus why.

The sheet keeps the original header and columns and adds 错误说明 at the end, so the sender
fixes the cells in place and uploads the sheet again: the recogniser ignores the extra column.
Cells that start like a formula are neutralised (a leading apostrophe is not enough in every
program, so a tab is put in front, as OWASP suggests for CSV injection).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

import xlsxwriter

ERROR_COLUMN = "错误说明"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 2000


def safe_cell(value) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        # Phone numbers such as "+86 139…" and dates written "-" are kept readable.
        return "'" + value
    return value


def write_sheet_to(
    target: str | BinaryIO,
    *,
    header: list[str],
    rows: Iterable[list],
    sheet_name: str = "Sheet1",
    widths=None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """An .xlsx with one header row and the rows, every cell written as text, to a path or a
    binary stream, in constant memory; returns the number of rows. `progress` hears the count
    every PROGRESS_EVERY rows."""
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    for col, label in enumerate(header):
        sheet.write_string(0, col, str(label), bold)
        sheet.set_column(col, col, (widths or {}).get(col, 16), text)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            sheet.write_string(count, col, str(safe_cell(value)))
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    workbook.close()
    return count


def write_sheet(
    *, header: list[str], rows: Iterable[list], sheet_name: str = "Sheet1", widths=None
) -> bytes:
    """The same sheet, in memory: for short ones."""
    buffer = io.BytesIO()
    write_sheet_to(buffer, header=header, rows=rows, sheet_name=sheet_name, widths=widths)
    return buffer.getvalue()


def _error_lines(width: int, rows: Iterable[tuple[list, list[str]]]) -> Iterator[list]:
    for cells, messages in rows:
        padded = list(cells)[:width] + [""] * (width - len(cells))
        yield padded + ["；".join(messages)]


def error_report(*, header: list[str], rows: Iterable[tuple[list, list[str]]]) -> bytes:
    """rows: (original cells, messages) pairs."""
    width = len(header)
    return write_sheet(
        header=[*header, ERROR_COLUMN], rows=_error_lines(width, rows), widths={width: 60}
    )


def error_report_to(
    target: str,
    *,
    header: list[str],
    rows: Iterable[tuple[list, list[str]]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """The same report written to a file as the rows come (a long one): the number of rows."""
    width = len(header)
    return write_sheet_to(
        target,
        header=[*header, ERROR_COLUMN],
        rows=_error_lines(width, rows),
        widths={width: 60},
        progress=progress,
    )
