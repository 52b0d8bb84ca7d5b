"""Turning spreadsheet cells into text, dates and times the way officials write them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Excel serial numbers between 1982 and 2064: anything else is not a plausible date here.
_SERIAL_RANGE = (30000.0, 60000.0)


class CellError(ValueError):
    """A cell that cannot be read as the field requires; the message says why."""


def cell_text(cell) -> str:
    """Text of a cell; integral floats lose their '.0' (phones typed as numbers)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float):
        if cell.is_integer():
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, dt.datetime | dt.date | dt.time):
        return cell.isoformat(sep=" ") if isinstance(cell, dt.datetime) else cell.isoformat()
    text = str(cell).strip()
    # A broken export's debris, which PostgreSQL cannot store in a text.
    return text.replace("\x00", "").strip() if "\x00" in text else text


def identifier_text(cell) -> str:
    """An identifier cell; refuses numbers Excel has rounded (IDs typed into numeric cells)."""
    if isinstance(cell, float) and cell >= 1e15:
        raise CellError(
            _("证件号被Excel存成了数字，末几位已丢失：请把该列设为“文本”格式后重新填写")
        )
    return cell_text(cell)


_DATE_TIME = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*[T\s]?\s*(?P<H>\d{1,2})\s*[:：时点]\s*(?P<M>\d{1,2})?\s*分?"
    r"(?:\s*[:：]\s*(?P<S>\d{1,2})(?:\.\d+)?\s*秒?)?)?\s*$"
)
_COMPACT = re.compile(
    r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?$"
)


def parse_datetime(cell) -> tuple[dt.datetime, bool]:
    """(aware datetime in Asia/Shanghai, whether a time of day was given).

    Accepts datetime/date cells, Excel serial numbers and text such as 2022-01-09,
    2022/1/9, 2022.1.9, 2022年1月9日, 2022年1月9日14时30分, 20220109 and 2022-01-09 14:30.
    """
    if isinstance(cell, dt.datetime):
        return _aware(cell), cell.time() != dt.time(0)
    if isinstance(cell, dt.date):
        return _aware(dt.datetime.combine(cell, dt.time(0))), False
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _from_serial(float(cell))
    text = unicodedata.normalize("NFKC", cell_text(cell)).strip()
    if not text:
        raise CellError(_("日期为空"))
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text))
    match = _DATE_TIME.match(text) or _COMPACT.match(text)
    if not match:
        raise CellError(
            _("无法识别的日期“%(value)s”：请写成 2022-01-09 或 2022-01-09 14:30") % {"value": text}
        )
    return _build(match.groupdict(), text)


def _build(parts: dict, text: str) -> tuple[dt.datetime, bool]:
    has_time = parts.get("H") is not None
    try:
        value = dt.datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts.get("M") or 0),
            int(parts.get("S") or 0),
        )
    except ValueError:
        raise CellError(_("日期“%(value)s”不存在") % {"value": text}) from None
    return _aware(value), has_time


def _from_serial(serial: float) -> tuple[dt.datetime, bool]:
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
        raise CellError(_("数字“%(value)s”不是日期") % {"value": cell_text(serial)})
    value = EXCEL_EPOCH + dt.timedelta(days=serial)
    value = value.replace(microsecond=0)
    return _aware(value), not float(serial).is_integer()


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def parse_date(cell) -> dt.date:
    return parse_datetime(cell)[0].date()
