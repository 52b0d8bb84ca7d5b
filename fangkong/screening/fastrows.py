"""Validating a part of a list as column expressions, with the row reader for the rest.

Most rows of a pushed list are plain: an 18-character resident ID, an 11-digit mobile, a
date in one of the usual spellings, a name in Chinese characters. Those are checked for a
whole part at once with polars expressions (check digit, birth date, mobile segment, date)
and turned into staged rows without a Python call per cell. Every row the expressions do not
accept as plainly valid (an error, an unusual spelling, a non-text cell) goes through
rows.RowReader exactly as before, so messages and normalisation are those of the reader.

Identifiers are encrypted and blind-indexed per value; addresses are matched once per
distinct spelling (digits do not name places, see matching.AddressMatcher.cached_match).
The part comes back as a frame of STAGE_SCHEMA, which screening.writer resolves and writes.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from fangkong.core import crypto
from fangkong.core.identity import DocumentType

from .rows import RowReader, _segment_verdict, staged_values

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = dict(enumerate("10X98765432"))
_FULL_WIDTH = [chr(0xFF10 + i) for i in range(10)] + ["\uff38", "\uff58"]
_HALF_WIDTH = [str(i) for i in range(10)] + ["X", "x"]
# Cells holding control characters (JSON escapes, Python's and polars' notions of white space
# differ there) or cells that are not text take the row reader's path.
_CONTROL = r"[\x00-\x1f\x7f]"
_NAME = r"^[\u4e00-\u9fff]{1,60}$"
_DOCUMENT_CHARS = r"^[0-9xX \-_\u3000\uff10-\uff19\uff38\uff58]*$"
_RESIDENT_ID = r"^[1-9][0-9]{16}[0-9X]$"
_MOBILE = r"^1[3-9][0-9]{9}$"
_DATE = r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?(?: ([0-9]{1,2}):([0-9]{2}))?$"
# Asia/Shanghai kept +08:00 all year from 1992 on (summer time ran 1986–1991).
_PLAIN_YEARS = (1992, 2099)

STAGE_SCHEMA = pl.Schema(
    {
        "row_number": pl.Int64,
        "raw": pl.String,
        "secret": pl.String,
        "name": pl.String,
        "doc_type": pl.String,
        "doc_number": pl.String,
        "doc_index": pl.String,
        "phone": pl.String,
        "phone_index": pl.String,
        "sex": pl.String,
        "birth_date": pl.String,
        "address": pl.String,
        "source_place": pl.String,
        "arrived_at": pl.String,
        "health_code": pl.String,
        "note": pl.String,
        "region_id": pl.String,
        "level": pl.Int64,
        "invalid": pl.Boolean,
        "errors": pl.String,
    }
)


def stage_part(
    reader: RowReader, matcher, part: list[tuple[int, list]]
) -> tuple[pl.DataFrame, list[dict], int]:
    """(the part's staged rows as a frame of STAGE_SCHEMA, its errors in row order, row count)."""
    plain, cells, others = _split(reader, part)
    frames = []
    if cells is not None:
        frame, rejected = _plain_frame(reader, matcher, plain, cells)
        frames.append(frame)
        others.extend(rejected)
    errors: list[dict] = []
    if others:
        others.sort(key=lambda row: row[0])
        staged = []
        for number, row_cells in others:
            row = reader.read(number, row_cells)
            errors.extend(row.errors)
            staged.append(staged_values(row, matcher.cached_match(row.address)))
        frames.append(pl.DataFrame(staged, schema=STAGE_SCHEMA, orient="row"))
    frame = pl.concat(frames) if len(frames) > 1 else frames[0]
    return frame, errors, frame.height


def _split(reader: RowReader, part) -> tuple[list, pl.DataFrame | None, list]:
    """(rows of text cells only, as wide as the header, when the list has no document-type
    column; their cells as a frame of columns c0, c1, …; the rest). The rest, and every row of
    a list with a document-type column, go through the row reader. A part of text rows only
    (any CSV) is taken whole, its cells' types checked as its columns are built."""
    if "document_type" in reader.index or reader.width == 0:
        return [], None, list(part)
    width = reader.width
    if all(len(cells) >= width for _, cells in part):
        cells = _text_columns(part, width)
        if cells is not None:
            return list(part), cells, []
    plain, others = [], []
    for number, cells in part:
        if len(cells) >= width and all(type(c) is str for c in cells[:width]):
            plain.append((number, cells))
        else:
            others.append((number, cells))
    return plain, _text_columns(plain, width) if plain else None, others


def _text_columns(rows: list, width: int) -> pl.DataFrame | None:
    """The rows' first `width` cells as text columns; None if a cell is not text."""
    if all(len(cells) == width for _, cells in rows):
        columns = zip(*(cells for _, cells in rows), strict=True)
    else:
        columns = zip(*(cells[:width] for _, cells in rows), strict=True)
    try:
        frame = pl.DataFrame(
            [pl.Series(f"c{i}", column, dtype=pl.String) for i, column in enumerate(columns)]
        )
    except TypeError:
        return None
    return frame if not any(frame.null_count().row(0)) else None


def _plain_frame(
    reader: RowReader, matcher, rows: list, cells: pl.DataFrame
) -> tuple[pl.DataFrame, list]:
    width = reader.width
    frame = pl.DataFrame({"n": [number for number, _ in rows]}).hstack(cells)
    text = {i: pl.col(f"c{i}").str.strip_chars() for i in range(width)}
    blank = pl.lit("")

    def field(name: str) -> pl.Expr:
        i = reader.index.get(name)
        return text[i] if i is not None else blank

    control = pl.any_horizontal([pl.col(f"c{i}").str.contains(_CONTROL) for i in range(width)])
    document = field("document_number")
    document_plain = document.str.contains(_DOCUMENT_CHARS)
    number = (
        document.str.replace_many(_FULL_WIDTH, _HALF_WIDTH)
        .str.replace_all(r"[ \-_\u3000]", "")
        .str.to_uppercase()
    )
    phone = field("phone")
    arrived = field("arrived_at")
    arrived_index = reader.index.get("arrived_at")
    arrived_cell = pl.col(f"c{arrived_index}") if arrived_index is not None else blank
    code = field("health_code")
    frame = frame.with_columns(
        control.alias("control"),
        document_plain.alias("document_plain"),
        number.alias("number"),
        document.alias("document_text"),
        arrived_cell.alias("arrived_cell"),
        phone.alias("phone"),
        arrived.alias("arrived"),
        field("name").alias("name"),
        field("address").str.slice(0, 300).alias("address"),
        field("source_place").str.slice(0, 200).alias("source_place"),
        field("note").str.slice(0, 300).alias("note"),
        pl.when(code.str.contains("红", literal=True))
        .then(pl.lit("red"))
        .when(code.str.contains("黄", literal=True))
        .then(pl.lit("yellow"))
        .otherwise(blank)
        .alias("health_code"),
        _raw_json(reader, text).alias("raw"),
    )
    digits = [pl.col("number").str.slice(i, 1).cast(pl.Int64, strict=False) for i in range(17)]
    weighted = pl.sum_horizontal([d * w for d, w in zip(digits, _WEIGHTS, strict=True)])
    born = pl.col("number").str.slice(6, 8).str.strptime(pl.Date, "%Y%m%d", strict=False)
    today = dt.date.today()
    resident = (
        pl.col("document_plain")
        & pl.col("number").str.contains(_RESIDENT_ID)
        & (
            (weighted % 11).replace_strict(_CHECK, default=None, return_dtype=pl.String)
            == pl.col("number").str.slice(17, 1)
        )
        & born.is_between(dt.date(1880, 1, 1), today)
    )
    segments = pl.col("phone").str.slice(0, 5)
    verdicts = {s: _segment_verdict(s) for s in _distinct(frame, "phone", _MOBILE)}
    mobile = pl.col("phone").str.contains(_MOBILE) & (
        segments.replace_strict(verdicts, default=False, return_dtype=pl.Boolean).fill_null(False)
    )
    parts = pl.col("arrived").str.extract_groups(_DATE)
    year = parts.struct.field("1").cast(pl.Int64, strict=False)
    stamp = pl.format(
        "{}-{}-{} {}:{}",
        parts.struct.field("1"),
        parts.struct.field("2").str.zfill(2),
        parts.struct.field("3").str.zfill(2),
        parts.struct.field("4").fill_null("0").str.zfill(2),
        parts.struct.field("5").fill_null("00"),
    ).str.strptime(pl.Datetime, "%Y-%m-%d %H:%M", strict=False)
    frame = frame.with_columns(
        resident.fill_null(False).alias("resident"),
        mobile.fill_null(False).alias("mobile"),
        born.alias("born"),
        stamp.alias("stamp"),
        year.alias("year"),
    )
    date_ok = (pl.col("arrived_cell") == "") | (
        pl.col("stamp").is_not_null() & pl.col("year").is_between(*_PLAIN_YEARS)
    )
    accepted = (
        ~pl.col("control")
        & pl.col("name").str.contains(_NAME)
        & (pl.col("resident") | (pl.col("document_text") == ""))
        & (pl.col("mobile") | (pl.col("phone") == ""))
        & (pl.col("resident") | pl.col("mobile"))
        & date_ok
    ).fill_null(False)
    frame = frame.with_columns(accepted.alias("accepted"))
    rejected_numbers = set(frame.filter(~pl.col("accepted"))["n"].to_list())
    frame = frame.filter(pl.col("accepted"))
    rejected = [row for row in rows if row[0] in rejected_numbers]
    frame = frame.with_columns(
        pl.when(pl.col("resident")).then(pl.col("number")).otherwise(blank).alias("document"),
        pl.when(pl.col("mobile")).then(pl.col("phone")).otherwise(blank).alias("mobile_number"),
    )
    documents = frame["document"].to_list()
    mobiles = frame["mobile_number"].to_list()
    resident_type = str(DocumentType.RESIDENT_ID)
    addresses = frame["address"].to_list()
    regions = [matcher.cached_match(a) for a in addresses]
    staged = frame.select(
        pl.col("n").alias("row_number"),
        pl.col("raw"),
        blank.alias("secret"),
        pl.col("name"),
        pl.when(pl.col("resident")).then(pl.lit(resident_type)).otherwise(blank).alias("doc_type"),
        pl.Series("doc_number", crypto.encrypt_many(documents)),
        pl.Series("doc_index", crypto.blind_index_many(resident_type, documents)),
        pl.Series("phone", crypto.encrypt_many(mobiles)),
        pl.Series("phone_index", crypto.blind_index_many("mobile", mobiles)),
        pl.when(pl.col("resident"))
        .then(
            pl.when(pl.col("number").str.slice(16, 1).cast(pl.Int64) % 2 == 1)
            .then(pl.lit("M"))
            .otherwise(pl.lit("F"))
        )
        .otherwise(blank)
        .alias("sex"),
        pl.when(pl.col("resident"))
        .then(pl.col("born").dt.strftime("%Y-%m-%d"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("birth_date"),
        pl.col("address"),
        pl.col("source_place"),
        pl.when(pl.col("arrived") == "")
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col("stamp").dt.strftime("%Y-%m-%dT%H:%M:%S+08:00"))
        .alias("arrived_at"),
        pl.col("health_code"),
        pl.col("note"),
        pl.Series("region_id", regions, dtype=pl.String),
        pl.Series("level", [len(code) for code in regions], dtype=pl.Int64),
        pl.lit(False).alias("invalid"),
        pl.lit("[]").alias("errors"),
    )
    return staged.cast(STAGE_SCHEMA), rejected


def _raw_json(reader: RowReader, text: dict[int, pl.Expr]) -> pl.Expr:
    """json.dumps(texts, ensure_ascii=False) of the row's cells, identifiers left empty (the
    row is valid, so they live encrypted in their own columns only)."""
    hidden = {reader.index.get(name) for name in ("document_number", "phone")}
    cells = []
    for i in range(len(text)):
        if i in hidden:
            cells.append(pl.lit(""))
        else:
            cells.append(
                text[i]
                .str.replace_all("\\", "\\\\", literal=True)
                .str.replace_all('"', '\\"', literal=True)
            )
    return pl.concat_str([pl.lit('["'), pl.concat_str(cells, separator='", "'), pl.lit('"]')])


def _distinct(frame: pl.DataFrame, column: str, pattern: str) -> list[str]:
    values = frame.filter(pl.col(column).str.contains(pattern))[column].str.slice(0, 5)
    return values.unique().to_list()
