"""Reading the spreadsheets officials really send: .xlsx, .xls and .csv in UTF-8 or GBK.

`open_table(path, filename)` inspects the bytes (never trusting the extension), refuses
what is not a readable table with a message that says what to do, and returns a TableSource
whose `rows()` yields each row as a list of cells with the sheet row number a user sees.
CSV and .xlsx are streamed (an .xlsx sheet by imports.xlsx); .xls and .ods workbooks are read
with calamine (a fast native reader), which loads the sheet (an .xls holds at most 65,536 rows).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from django.utils.translation import gettext as _

from . import xlsx
from .errors import FileRefused

__all__ = ["FileRefused", "SourceRow", "TableSource", "csv_lines", "open_table"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024

Cell = str | float | int | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


@dataclass(frozen=True)
class SourceRow:
    number: int  # the row number as the user sees it in the sheet (1-based)
    cells: list[Cell]


@dataclass
class TableSource:
    kind: str  # "csv", "xlsx", "xls"
    path: Path
    encoding: str | None = None
    sheet_name: str | None = None
    # An .xlsx sheet to stream, opened once, if the package is laid out as imports.xlsx
    # reads it; else calamine reads the sheet named.
    sheet: xlsx.Sheet | None = None

    def rows(self) -> Iterator[SourceRow]:
        if self.kind == "csv":
            return _csv_rows(self.path, self.encoding or "utf-8")
        if self.sheet is not None:
            return (SourceRow(number, cells) for number, cells in self.sheet.rows())
        return _workbook_rows(self.path, self.sheet_name)

    @property
    def sheet_member(self) -> str | None:
        """The streamed sheet's XML in the package."""
        return self.sheet.member if self.sheet else None


def open_table(path: str | Path, filename: str | None = None) -> TableSource:
    path = Path(path)
    label = filename or path.name
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        raise FileRefused(_("文件“%(name)s”是空的") % {"name": label})
    if head.startswith(ZIP_MAGIC):
        return _open_zip(path, label)
    if head.startswith(OLE2_MAGIC):
        return _open_ole2(path, label)
    if head.startswith(b"%PDF"):
        raise FileRefused(
            _("文件“%(name)s”是PDF，不是表格：请上传Excel或CSV文件") % {"name": label}
        )
    return TableSource(kind="csv", path=path, encoding=_detect_text_encoding(head, label))


def _open_zip(path: Path, label: str) -> TableSource:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise FileRefused(_("文件“%(name)s”已损坏，无法打开") % {"name": label}) from None
    if "xl/workbook.xml" in names:
        return _first_sheet(TableSource(kind="xlsx", path=path), label)
    if "word/document.xml" in names:
        raise FileRefused(
            _("文件“%(name)s”是Word文档，不是Excel表格：请把名单另存为.xlsx或.csv后上传")
            % {"name": label}
        )
    if "content.xml" in names:
        return _first_sheet(TableSource(kind="ods", path=path), label)
    raise FileRefused(_("文件“%(name)s”不是Excel表格") % {"name": label})


def _open_ole2(path: Path, label: str) -> TableSource:
    with path.open("rb") as handle:
        content = handle.read()
    if "EncryptedPackage".encode("utf-16-le") in content:
        raise FileRefused(_("文件“%(name)s”设置了打开密码：请取消密码后重新上传") % {"name": label})
    if "WordDocument".encode("utf-16-le") in content:
        raise FileRefused(_("文件“%(name)s”是Word文档，不是Excel表格") % {"name": label})
    return _first_sheet(TableSource(kind="xls", path=path), label)


def _first_sheet(source: TableSource, label: str) -> TableSource:
    if source.kind == "xlsx" and (with_values := _xlsx_sheets_with_values(source.path)):
        return _first_xlsx_sheet(source, with_values, label)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(source.path))
    except Exception as exc:  # noqa: BLE001 - calamine raises several error types
        message = str(exc).lower()
        if "password" in message or "encrypt" in message:
            raise FileRefused(
                _("文件“%(name)s”设置了打开密码：请取消密码后重新上传") % {"name": label}
            ) from None
        raise FileRefused(
            _("无法读取表格“%(name)s”：%(reason)s") % {"name": label, "reason": exc}
        ) from None
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            if sheet.total_height > 0 and sheet.height > 0:
                source.sheet_name = name
                return source
    finally:
        workbook.close()
    raise FileRefused(_("表格“%(name)s”中没有任何数据") % {"name": label})


def _first_xlsx_sheet(
    source: TableSource, with_values: dict[str, tuple[str, bool]], label: str
) -> TableSource:
    """The first sheet whose XML holds a value, found without loading any (calamine would read
    the workbook's shared strings to open it: 1.2 s and 226 MB for a million-row list)."""
    for name, (member, has_value) in with_values.items():
        if has_value:
            source.sheet_name = name
            source.sheet = xlsx.open_sheet(str(source.path), member)
            return source
    raise FileRefused(_("表格“%(name)s”中没有任何数据") % {"name": label})


_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)[\s>]")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")


def _xlsx_sheets_with_values(path: Path) -> dict[str, tuple[str, bool]]:
    """Sheet name → (its XML member, whether it holds a cell value), reading each sheet only
    up to its first value. Empty when the package does not look as expected (the caller then
    loads the sheets to see)."""
    try:
        members = xlsx.sheets(str(path))
        with zipfile.ZipFile(path) as archive:
            return {name: (member, _has_value(archive, member)) for name, member in members.items()}
    except (xlsx.NotRecognised, KeyError, OSError, EOFError, zlib.error, zipfile.BadZipFile):
        return {}


def _has_value(archive: zipfile.ZipFile, member: str) -> bool:
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(SNIFF_BYTES):
            text = tail + chunk
            value, end = _VALUE.search(text), _SHEET_DATA_END.search(text)
            if value and (not end or value.start() < end.start()):
                return True
            if end:
                return False
            tail = text[-32:]
    return False


def _detect_text_encoding(head: bytes, label: str) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise FileRefused(_("文件“%(name)s”不是表格或文本文件") % {"name": label})
    for encoding in ("utf-8", "gb18030"):
        try:
            # The sniffed block may end inside a multi-byte character: decode incrementally.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise FileRefused(
        _("无法识别文件“%(name)s”的文字编码：请另存为UTF-8或GBK编码的CSV") % {"name": label}
    )


def _csv_rows(path: Path, encoding: str) -> Iterator[SourceRow]:
    with path.open("r", encoding=encoding, newline="", errors="strict") as handle:
        reader = csv.reader(handle, delimiter=_delimiter(handle))
        try:
            for number, cells in enumerate(reader, start=1):
                yield SourceRow(number, cast(list[Cell], cells))
        except UnicodeDecodeError as exc:
            raise _undecodable(reader.line_num, encoding) from exc


@dataclass(frozen=True)
class CsvLines:
    """A CSV file's text after its first rows, as lines not yet split into cells (for worker
    processes to split): splitting `lines` with csv.reader(…, delimiter=delimiter) gives the
    file's rows from row number `first` on."""

    delimiter: str
    first: int
    lines: Iterator[str]


def csv_lines(source: TableSource, after_rows: int) -> CsvLines:
    """The CSV source's lines after its first `after_rows` rows (a quoted cell may hold line
    breaks: the rows are read to find where they end). An undecodable line is refused as
    rows() refuses it."""
    assert source.kind == "csv"
    encoding = source.encoding or "utf-8"
    with source.path.open("r", encoding=encoding, newline="", errors="strict") as handle:
        delimiter = _delimiter(handle)
    lines = _text_lines(source.path, encoding)
    reader = csv.reader(lines, delimiter=delimiter)
    for _row in zip(range(after_rows), reader, strict=False):
        pass
    return CsvLines(delimiter=delimiter, first=after_rows + 1, lines=lines)


def _text_lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines (split where csv.reader splits them)."""
    with path.open("r", encoding=encoding, newline="", errors="strict") as handle:
        number = 0
        try:
            for number, line in enumerate(handle, start=1):  # noqa: B007 - read in except
                yield line
        except UnicodeDecodeError as exc:
            raise _undecodable(number + 1, encoding) from exc


def _delimiter(handle) -> str:
    sample = handle.read(SNIFF_BYTES)
    handle.seek(0)
    return _guess_delimiter(sample)


def _undecodable(line: int, encoding: str) -> FileRefused:
    return FileRefused(
        _("文件第%(row)d行附近有无法识别的字符（%(encoding)s编码）")
        % {"row": line, "encoding": encoding}
    )


def _guess_delimiter(sample: str) -> str:
    first_lines = sample.splitlines()[:20]
    counts = {d: sum(line.count(d) for line in first_lines) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _workbook_rows(path: Path, sheet_name: str | None) -> Iterator[SourceRow]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        sheet = (
            workbook.get_sheet_by_name(sheet_name) if sheet_name else workbook.get_sheet_by_index(0)
        )
        # calamine starts at the first non-empty cell; keep the row numbers the user sees.
        first_row = sheet.start[0] if sheet.start else 0
        for offset, cells in enumerate(sheet.iter_rows()):
            yield SourceRow(first_row + offset + 1, list(cells))
    finally:
        workbook.close()


def read_bytes_to_temp(data: bytes, suffix: str = "") -> Path:
    """Store uploaded bytes in a private temporary file (for tests and small uploads)."""
    import tempfile

    with tempfile.NamedTemporaryFile(delete=False, suffix=suffix) as handle:
        handle.write(data)
    return Path(handle.name)


def csv_text(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    """Render rows as CSV bytes (used by tests and by error-report downloads)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)
