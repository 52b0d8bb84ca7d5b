"""Reading a risk-area list: 地区代码, 风险区名称, 风险等级, 生效时间, 解除时间.

Every row is validated first and every bad row reported with its sheet row number, the
header as written in the file and the reason; the good rows are then saved in one
transaction, so re-importing a corrected sheet completes the list without duplicates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.text import list_text
from fangkong.imports.cells import CellError, cell_text, identifier_text, parse_datetime
from fangkong.imports.headers import find_header, is_blank
from fangkong.imports.readers import FileRefused, open_table

from .services import AreaInput, clean_area, riskarea_save

SYNONYMS: dict[str, list[str]] = {
    "code": ["地区代码", "区划代码", "行政区划代码", "地区编码", "代码"],
    "name": ["风险区名称", "风险地区名称", "风险区域", "风险地区", "名称", "地区名称"],
    "level": ["风险等级", "等级", "风险级别"],
    "effective_from": ["生效时间", "生效日期", "划定时间", "开始时间"],
    "lifted_at": ["解除时间", "解除日期", "降级时间"],
}
REQUIRED = ("code", "name", "level", "effective_from")
LEVELS = {
    "高": "high", "高风险": "high", "高风险地区": "high", "high": "high",
    "中": "medium", "中风险": "medium", "中风险地区": "medium", "medium": "medium",
    "低": "low", "低风险": "low", "低风险地区": "low", "low": "low",
}  # fmt: skip


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def invalid(self) -> int:
        return len({e["row"] for e in self.errors})

    def as_dict(self) -> dict:
        return {
            "rows": self.rows, "valid": self.rows - self.invalid, "invalid": self.invalid,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "errors": self.errors,
        }  # fmt: skip


def _read_row(cells, columns) -> tuple[AreaInput | None, dict[str, str]]:
    values = {name: cells[i] if i < len(cells) else None for i, name in columns.items()}
    problems: dict[str, str] = {}
    code = name = level = ""
    starts: dt.datetime | None = None
    lifted: dt.datetime | None = None
    try:
        code = identifier_text(values.get("code"))
    except CellError as exc:
        problems["code"] = str(exc)
    name = cell_text(values.get("name"))
    level_text = cell_text(values.get("level")).replace(" ", "").lower()
    level = LEVELS.get(level_text, "")
    if not level:
        problems["level"] = _("风险等级“%(value)s”无法识别：请填 高、中 或 低") % {
            "value": level_text
        }
    try:
        starts = parse_datetime(values.get("effective_from"))[0]
    except CellError as exc:
        problems["effective_from"] = str(exc)
    if cell_text(values.get("lifted_at")):
        try:
            lifted = parse_datetime(values.get("lifted_at"))[0]
        except CellError as exc:
            problems["lifted_at"] = str(exc)
    if problems:
        return None, problems
    assert starts is not None  # parse_datetime returns a time or raises CellError
    given = AreaInput(code=code, name=name, level=level, effective_from=starts, lifted_at=lifted)
    try:
        clean_area(given)
    except ValidationFailed as exc:
        return None, {k: " ".join(map(str, v)) for k, v in exc.errors.items()}
    return given, {}


def riskareas_import(
    *, actor: Actor | None, path: str | Path, filename: str | None = None, source: str = ""
) -> ImportReport:
    """Import a sheet; raises FileRefused when the file as a whole cannot be read."""
    table = open_table(path, filename)
    rows = table.rows()
    header, pending = find_header(rows, SYNONYMS)
    if header is None:
        raise FileRefused(
            _("找不到表头：第一行（或标题行下方）应有 地区代码、风险区名称、风险等级、生效时间 列")
        )
    missing = [f for f in REQUIRED if f not in header.columns.values()]
    if missing:
        names = list_text(SYNONYMS[f][0] for f in missing)
        raise FileRefused(_("缺少必需的列：%(names)s") % {"names": names})
    report = ImportReport()
    good: list[tuple[int, AreaInput]] = []

    def all_rows():
        yield from pending
        yield from rows

    for row in all_rows():
        if is_blank(row.cells):
            continue
        report.rows += 1
        given, problems = _read_row(row.cells, header.columns)
        for field_name, message in problems.items():
            report.errors.append(
                {"row": row.number, "field": header.label_of(field_name), "message": message}
            )
        if given is not None:
            good.append((row.number, given))
    label = source or (filename or Path(path).name)
    with transaction.atomic():
        for _number, given in good:
            given = AreaInput(**{**given.__dict__, "source": label})
            _area, outcome = riskarea_save(actor=actor, given=given, note=_("表格导入"))
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report
