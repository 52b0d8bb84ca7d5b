"""Reading an .xlsx sheet row by row, straight from the compressed package.

calamine (the fast native reader) loads a whole sheet before its first row is read: 930 MB for
a million rows of eight columns, and more for wider sheets. Here the sheet's XML is inflated a
quarter of a megabyte at a time and cut into pieces of whole rows, each read on its own (by
the import's worker processes), so a sheet of any length is read in the same memory, apart
from the workbook's shared strings (each distinct text once, packed). See docs/decisions/0032.

The cells come out as calamine gives them, so either reader serves the importers:
- numbers as float; a number under a date or time format as a date, datetime, time or
  timedelta (elapsed time, such as [h]:mm);
- texts (shared, inline or a formula's result) as str, booleans as bool, errors as their text
  (#N/A);
- each row from the sheet's first column (its `dimension`) to its last cell, a missing cell
  as "".

The package is read as SpreadsheetML writers produce it (Excel, WPS, LibreOffice, openpyxl,
xlsxwriter): elements with or without a namespace prefix, attributes in any order, a cell's
or a row's reference optional. `open_sheet` returns None for a package it does not recognise;
calamine reads that one instead.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import threading
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from .errors import FileRefused

# Read from the package at a time: about 500 rows of a list's eight columns.
CHUNK_BYTES = 256 * 1024
# Rows in a piece of a sheet read at once (at least).
PIECE_ROWS = 10_000
# Shared strings packed together (see SharedStrings).
STRINGS_BLOCK = 1 << 16
EPOCH_1900 = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)
LAST_SERIAL = 2_958_466  # 10000-01-01
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Built-in number formats that show a date or time (ECMA-376 18.8.30, with the ids East
# Asian versions of Excel use for their dates, as calamine counts them).
DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
ELAPSED_FORMAT_IDS = frozenset([46])

# A cell as sheets write most: its reference, then its other attributes and <v> or a plain
# inline string; or else any other cell, whole (a formula, rich text, an empty element, ...).
_CELL = re.compile(
    r'<c r="([A-Z]+)(\d+)"([^>]*)>(?:<v>|<is><t>)([^<]*)</(?:v>|t></is>)</c>'
    r"|(<(?:\w+:)?c\b[^>]*?(?:/>|>.*?</(?:\w+:)?c>))",
    re.S,
)
INLINE = ' t="inlineStr"'
_REFERENCE = re.compile(r"\$?([A-Z]+)\$?(\d+)")
# A row's start, or a whole cell: its reference, style and type where writers put them (first,
# in that order), any other attributes, and its value as <v> or a plain inline string, or else
# its whole content (a formula, rich text, a preserved space), read by _Cells.content().
_ROW_OR_CELL = re.compile(
    r"<(?:\w+:)?(?:(row)\b([^>]*?)/?>"
    r"|c(?=[\s/>])(?:\s+r=\"([^\"]*)\")?(?:\s+s=\"([^\"]*)\")?(?:\s+t=\"([^\"]*)\")?([^>]*?)"
    r"(?:/>|>(?:(<(?:\w+:)?v>)([^<]*)</(?:\w+:)?v>"
    r"|(<(?:\w+:)?is><(?:\w+:)?t>)([^<]*)</(?:\w+:)?t></(?:\w+:)?is>"
    r"|(.*?))</(?:\w+:)?c>))",
    re.S,
)
_END_TAG_OPENING = re.compile(rb"</(?:\w+:)?$")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")
_ROW_START = re.compile(rb"<(?:\w+:)?row\b([^>]*?)/?>")
_VALUE = re.compile(r"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_TEXT = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SHARED_END = re.compile(rb"</(?:\w+:)?si>|<(?:\w+:)?si\s*/>")
# A string item of one plain text (most are), or any other item, whole.
_SHARED = re.compile(
    r"<si><t>([^<]*)</t></si>|(<(?:\w+:)?si\b[^>]*?(?:/>|>.*?</(?:\w+:)?si>))", re.S
)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"\$?([A-Z]+)", re.S)
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_QUOTED_OR_ESCAPED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKETED = re.compile(r"\[[^\]]*\]")


class NotRecognised(Exception):
    """The package is not laid out as this reader expects."""


@dataclass(frozen=True)
class Sheet:
    path: str
    member: str  # the sheet's XML in the package
    strings_member: str | None
    date_styles: dict[str, str]  # cell style (its index, as written) → "date" or "elapsed"
    epoch: dt.datetime

    def rows(self) -> Iterator[tuple[int, list]]:
        """(sheet row number, cells) of each row that holds a cell, read a thousand rows at a
        time (finding a header reads no further)."""
        try:
            for piece in self.pieces(rows=1_000):
                yield from piece.rows()
        finally:
            forget_strings()

    def pieces(self, rows: int | None = None) -> Iterator[Piece]:
        """The sheet's XML in pieces of at least `rows` rows (PIECE_ROWS) and at most a read's
        more, each ending after a whole row, each read on its own by Piece.rows() (in another
        process, if need be)."""
        rows = rows or PIECE_ROWS
        first_column: int | None = None
        before = 0
        chunks: list[bytes] = []
        ends = 0  # row ends in the chunks, about (a row's end tag may span two reads)
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as stream:
            while chunk := _read(stream, chunks, before):
                chunks.append(chunk)
                ends += chunk.count(b"row>")
                if ends < rows:
                    continue
                pending = b"".join(chunks)
                end = _last_row_end(pending)
                if end is None:
                    chunks = [pending]
                    continue
                data, rest = pending[:end], pending[end:]
                chunks, ends = [rest], rest.count(b"row>")
                if first_column is None:
                    first_column = _first_column(data)
                yield Piece(self, first_column, before, data)
                before = _last_row_number(data, before)
        pending = b"".join(chunks)
        if done := _SHEET_DATA_END.search(pending):
            pending = pending[: done.start()]
        if pending:
            if first_column is None:
                first_column = _first_column(pending)
            yield Piece(self, first_column, before, pending)

    def strings(self) -> SharedStrings:
        """The workbook's shared strings, read once per thread for the sheet in hand (a
        thread's own: their reading goes on as pieces need it, one reader at a time)."""
        key = (self.path, self.strings_member, os.stat(self.path).st_mtime_ns)
        held = getattr(_held, "strings", None)
        if held is None or held[0] != key:
            held = _held.strings = (key, SharedStrings(self.path, self.strings_member))
        return held[1]


@dataclass(frozen=True)
class Piece:
    sheet: Sheet
    first_column: int  # the sheet's first column: a row's cells start there
    before: int  # the number of the row before the piece's first one
    data: bytes

    def rows(self) -> list[tuple[int, list]]:
        """(sheet row number, cells) of each row in the piece."""
        sheet = self.sheet
        try:
            cells = _Cells(sheet.strings(), sheet.date_styles, sheet.epoch)
            return list(cells.rows(self.data.decode("utf-8"), self.before, self.first_column))
        except UnicodeDecodeError as error:
            raise damaged(_last_row_number(self.data[: error.start], self.before)) from error
        except (*UNREADABLE, ValueError, IndexError) as error:
            raise damaged(self.before) from error


def _read(stream, chunks: list[bytes], before: int) -> bytes:
    """The next bytes of the sheet; damage names the last row begun before it, except a bad
    checksum, found at the sheet's end, which says nothing of where."""
    try:
        return stream.read(CHUNK_BYTES)
    except zipfile.BadZipFile as error:
        raise damaged(0) from error
    except UNREADABLE as error:
        raise damaged(_last_row_number(b"".join(chunks), before)) from error


def damaged(row: int) -> FileRefused:
    """The file refused as damaged after `row` (0: somewhere)."""
    if not row:
        return FileRefused(_("表格已损坏，无法读取：请用Excel打开、另存为.xlsx后重新上传"))
    return FileRefused(
        _("表格第%(row)d行之后的内容已损坏，无法读取：请用Excel打开、另存为.xlsx后重新上传")
        % {"row": row}
    )


def forget_strings() -> None:
    """Let the shared strings of the last sheet this thread read go."""
    _held.strings = None


_held = threading.local()
# What a damaged package raises while it is inflated (a bad CRC is found at a member's end).
UNREADABLE = (zlib.error, zipfile.BadZipFile, EOFError, OSError)


def sheets(path: str) -> dict[str, str]:
    """Sheet name → its XML member, in workbook order. Raises NotRecognised."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ValueError, OSError, EOFError, zlib.error, zipfile.BadZipFile,
            ElementTree.ParseError) as error:  # fmt: skip
        raise NotRecognised(str(error)) from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    found = {}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(RELATIONSHIP_ID), "")
        if not target:
            raise NotRecognised("a sheet without its part")
        found[sheet.get("name", "")] = _member(target)
    if not found:
        raise NotRecognised("no sheet")
    return found


def open_sheet(path: str, member: str) -> Sheet | None:
    """The sheet ready to be read, or None if the package is not laid out as expected."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if member not in names:
                return None
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            parts = {
                r.get("Type", "").rsplit("/", 1)[-1]: _member(r.get("Target", "")) for r in rels
            }
            styles = parts.get("styles")
            strings = parts.get("sharedStrings")
            date_styles = (
                _date_styles(ElementTree.fromstring(archive.read(styles)))
                if styles in names
                else {}
            )
    except (KeyError, ValueError, OSError, EOFError, zlib.error, zipfile.BadZipFile,
            ElementTree.ParseError):  # fmt: skip
        return None
    properties = workbook.find(f"{MAIN}workbookPr")
    uses_1904 = properties is not None and properties.get("date1904") in ("1", "true")
    return Sheet(
        path=str(path),
        member=member,
        strings_member=strings if strings in names else None,
        date_styles=date_styles,
        epoch=EPOCH_1904 if uses_1904 else EPOCH_1900,
    )


def _member(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _date_styles(styles: ElementTree.Element) -> dict[str, str]:
    custom = {
        int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in styles.iter(f"{MAIN}numFmt")
    }
    cell_formats = styles.find(f"{MAIN}cellXfs")
    found: dict[str, str] = {}
    for index, xf in enumerate(cell_formats if cell_formats is not None else []):
        kind = _format_kind(int(xf.get("numFmtId", "0")), custom)
        if kind:
            found[str(index)] = kind
    return found


def _format_kind(format_id: int, custom: dict[int, str]) -> str | None:
    if format_id in custom:
        code = custom[format_id]
        if re.search(r"\[(h+|m+|s+)\]", code, re.I):
            return "elapsed"
        shown = _BRACKETED.sub("", _QUOTED_OR_ESCAPED.sub("", code.split(";", 1)[0]))
        return "date" if re.search(r"[ymdhs]", shown, re.I) else None
    if format_id in ELAPSED_FORMAT_IDS:
        return "elapsed"
    return "date" if format_id in DATE_FORMAT_IDS else None


def _first_column(data: bytes) -> int:
    """The sheet's first column (0 for A) from its dimension, which precedes its rows."""
    rows_start = data.find(b"sheetData")
    match = _DIMENSION.search(data, 0, rows_start if rows_start >= 0 else len(data))
    return _column_index(match.group(1).decode()) if match else 0


def _last_row_number(data: bytes, before: int) -> int:
    """The number of the last row in `data`; `before` that of the row before it."""
    position = len(data)
    while (found := data.rfind(b"row", 0, position)) > 0:
        opening = data.rfind(b"<", max(0, found - 40), found)
        start = _ROW_START.match(data, opening) if opening >= 0 else None
        if start is not None:
            reference = _attribute(start.group(1).decode(), "r")
            if reference:
                return int(reference)
            break  # rows without their numbers: counted
        position = found
    number = before
    for attributes in _ROW_START.findall(data):
        reference = _attribute(attributes.decode(), "r")
        number = int(reference) if reference else number + 1
    return number


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _last_row_end(data: bytes) -> int | None:
    """Where the last complete row of `data` ends (after its `</row>`), if one does. A row
    written as an empty element stays for the next piece."""
    position = len(data)
    while (found := data.rfind(b"row>", 0, position)) >= 0:
        if _END_TAG_OPENING.search(data, max(0, found - 40), found):
            return found + 4
        position = found
    return None


class SharedStrings:
    """The workbook's shared strings, read from the package as far as the cells asked for
    need (the header's rows need the first few; a sheet's last rows, all of them), and kept
    packed: each block of STRINGS_BLOCK strings as one text and where each ends (a million
    rows hold three to four million distinct texts: 370 MB as separate strings, about 90 MB
    packed)."""

    def __init__(self, path: str, member: str | None) -> None:
        self.blocks: list[tuple[str, array]] = []
        self.unpacked: list[str] = []  # read, after the blocks
        self.more = _shared_string_parts(path, member) if member else iter(())

    def __len__(self) -> int:
        """How many strings are read so far."""
        return len(self.blocks) * STRINGS_BLOCK + len(self.unpacked)

    def get(self, index: int) -> str:
        """The string at `index`, reading on until it is there."""
        block, at = divmod(index, STRINGS_BLOCK)
        if block < len(self.blocks):
            text, ends = self.blocks[block]
            return text[ends[at] : ends[at + 1]]
        while index >= len(self):
            part = next(self.more, None)
            if part is None:
                raise IndexError(f"shared string {index} of {len(self)}")
            self._add(part)
        return self.get(index) if block < len(self.blocks) else self.unpacked[at]

    def _add(self, strings: list[str]) -> None:
        self.unpacked.extend(strings)
        while len(self.unpacked) >= STRINGS_BLOCK:
            block, self.unpacked = (
                self.unpacked[:STRINGS_BLOCK],
                self.unpacked[STRINGS_BLOCK:],
            )
            self.blocks.append(("".join(block), array("I", [0, *accumulate(map(len, block))])))


def _shared_string_parts(path: str, member: str) -> Iterator[list[str]]:
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            data = tail + chunk
            cut = data.rfind(b"</si>")
            cut = cut + 5 if cut >= 0 else _last_shared_end(data)
            yield [
                _texts(other)
                if other
                else _unescaped(plain)
                if "&" in plain or "_x" in plain
                else plain
                for plain, other in _SHARED.findall(data[:cut].decode())
            ]
            tail = data[cut:]


def _last_shared_end(data: bytes) -> int:
    """After the last string item that ends in `data` (its elements prefixed, or empty)."""
    ends = list(_SHARED_END.finditer(data))
    return ends[-1].end() if ends else 0


def _texts(body: str) -> str:
    """The text of a string item: its <t> elements, phonetic runs left out."""
    if "<" not in body:
        return ""
    if "rPh" in body:
        body = _PHONETIC.sub("", body)
    return _unescaped("".join(_TEXT.findall(body)))


def _unescaped(text: str) -> str:
    """XML's character references, then OOXML's _xHHHH_ for characters XML cannot hold."""
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda found: chr(int(found.group(1), 16)), text)
    return text


class _Cells:
    def __init__(self, strings: SharedStrings, date_styles: dict[str, str], epoch: dt.datetime):
        self.strings = strings
        self.date_styles = date_styles
        self.epoch = epoch
        self.plans: dict[str, tuple[str, str]] = {}

    def rows(self, text: str, number: int, first_column: int) -> list[tuple[int, list]]:
        """(row number, cells) of the rows in `text` that hold a cell; `number` is the row
        before them. Every cell names its row as sheets are written, so the rows are taken
        from the cells (a third of the time); a cell without its reference has the rows
        read in order."""
        rows = self.referenced_rows(text, first_column)
        if rows is None:
            rows = list(self.rows_in_order(text, number, first_column))
        return rows

    def referenced_rows(self, text: str, first_column: int) -> list[tuple[int, list]] | None:
        rows: list[tuple[int, list]] = []
        cells: list = []
        current = ""
        columns: dict[str, int] = {}  # letters → the cell's index in its row
        for letters, digits, attributes, raw, other in _CELL.findall(text):
            if other:
                read = self.other_cell(other)
                if read is None:
                    return None
                letters, digits, value = read
                if value is None:
                    continue  # an empty element: an empty cell
            elif attributes == INLINE:
                value = _unescaped(raw) if "&" in raw or "_x" in raw else raw
            elif not attributes:
                value = _number(raw)
            else:
                value = self.plain(attributes, raw)
            if digits != current:
                current = digits
                cells = []
                rows.append((int(digits), cells))
            column = columns.get(letters)
            if column is None:
                column = columns[letters] = _column_index(letters) - first_column
            if column == len(cells):
                cells.append(value)
            elif column > len(cells):
                cells.extend([""] * (column - len(cells)))
                cells.append(value)
            elif column >= 0:
                cells[column] = value
        return rows

    def plain(self, attributes: str, raw: str):
        """The value of a cell written plainly (<v>, or an inline string of one text)."""
        plan = self.plans.get(attributes)
        if plan is None:
            plan = self.plans[attributes] = (
                _attribute(attributes, "t"),
                _attribute(attributes, "s"),
            )
        kind, style = plan
        if kind == "inlineStr":
            return _unescaped(raw)
        return self.value(kind, style, raw) if raw else ""

    def other_cell(self, element: str) -> tuple[str, str, object] | None:
        """(column letters, row digits, value or None if empty) of any other cell; None if
        it does not name its place."""
        opening = element.find(">")
        attributes = element[element.find("c") + 1 : opening]
        place = _REFERENCE.fullmatch(_attribute(attributes, "r"))
        if place is None:
            return None
        letters, digits = place.groups()
        if attributes.endswith("/"):
            return letters, digits, None
        body = element[opening + 1 : element.rfind("<")]
        return (
            letters,
            digits,
            self.content(_attribute(attributes, "t"), _attribute(attributes, "s"), body),
        )

    def rows_in_order(
        self, text: str, number: int, first_column: int
    ) -> Iterator[tuple[int, list]]:
        """(row number, cells) of the rows in `text`, numbered in order where they do not
        name their number."""
        cells: list | None = None
        columns: dict[str, int] = {}  # letters → column index
        for row, row_attributes, reference, style, kind, others, value_tag, value, inline_tag, \
                inline, content in _ROW_OR_CELL.findall(text):  # fmt: skip
            if row:
                if cells is not None:
                    yield number, cells
                found = _attribute(row_attributes, "r")
                number = int(found) if found else number + 1
                cells = []
                continue
            if cells is None:
                continue  # a cell outside any row: not in a sheet's data
            if others and "=" in others:
                reference = reference or _attribute(others, "r")
                style = style or _attribute(others, "s")
                kind = kind or _attribute(others, "t")
            if reference:
                letters = reference.rstrip("0123456789").lstrip("$")
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = _column_index(letters.rstrip("$"))
                column -= first_column
                if column < 0:
                    continue
            else:
                column = len(cells)
            if value_tag:
                cell = self.value(kind, style, value)
            elif inline_tag:
                cell = _unescaped(inline)
            elif content:
                cell = self.content(kind, style, content)
            else:
                cell = ""
            if column == len(cells):
                cells.append(cell)
            elif column > len(cells):
                cells.extend([""] * (column - len(cells)))
                cells.append(cell)
            else:
                cells[column] = cell
        if cells is not None:
            yield number, cells

    def content(self, kind: str, style: str, content: str):
        """A cell's value from its whole content."""
        if kind == "inlineStr":
            return _texts(content)
        found = _VALUE.search(content)
        return self.value(kind, style, found.group(1)) if found else ""

    def value(self, kind: str, style: str, raw: str):
        """A cell's value from its <v>."""
        if not kind or kind == "n":
            number = _number(raw)
            if not isinstance(number, float):
                return number
            date_kind = self.date_styles.get(style) if style else None
            return _date_value(number, date_kind, self.epoch) if date_kind else number
        if kind == "s":
            return self.strings.get(int(raw))
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            return dt.datetime.fromisoformat(raw.strip().rstrip("Z"))
        return _unescaped(raw)  # "str" (a formula's text), "e" (an error: #N/A), "inlineStr"


def _number(raw: str) -> float | str:
    try:
        return float(raw)
    except ValueError:
        return raw.strip()


def _attribute(attributes: str, name: str) -> str:
    """An attribute's value in a start tag's attribute text ('' if it has none)."""
    start = attributes.find(f" {name}=")
    if start < 0:
        start = attributes.find(f"\n{name}=")
        if start < 0:
            return ""
    start += len(name) + 2
    quote = attributes[start]
    end = attributes.find(quote, start + 1)
    return attributes[start + 1 : end]


def _date_value(number: float, kind: str, epoch: dt.datetime):
    """A number shown as a date or time, as calamine gives it; a number no date can be (before
    1900, after 9999) stays a number."""
    if not 0 <= number < LAST_SERIAL:
        return number
    if kind == "elapsed":
        return dt.timedelta(milliseconds=round(number * 86_400_000))
    if number < 1:
        return (epoch + dt.timedelta(milliseconds=round(number * 86_400_000))).time()
    if epoch == EPOCH_1900 and number < 60:
        number += 1  # Excel counts a 29 February 1900 that never was
    moment = epoch + dt.timedelta(milliseconds=round(number * 86_400_000))
    if moment.time() == dt.time(0):
        return moment.date()
    return moment
