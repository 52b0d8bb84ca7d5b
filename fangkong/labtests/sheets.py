"""Importing a lab's result sheet: every row is checked first, then all are recorded in one
transaction, or none are. Rows are matched to people by document number."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core import crypto
from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.identity import DocumentType, InvalidIdentifier, normalize_document
from fangkong.core.roles import Perm
from fangkong.imports.cells import CellError, cell_text, identifier_text, parse_datetime
from fangkong.imports.headers import find_header, is_blank
from fangkong.imports.readers import FileRefused, open_table
from fangkong.people.models import Person

from .models import NatTest, Purpose, Result
from .services import nat_result_record, person_regions, recording_region, validate_result

SYNONYMS = {
    "document_number": ["证件号码", "身份证号", "身份证号码", "公民身份号码", "证件号"],
    "document_type": ["证件类型"],
    "name": ["姓名", "受检者姓名"],
    "sampled_at": ["采样时间", "采样日期"],
    "result": ["检测结果", "核酸结果", "结果"],
    "lab": ["检测机构", "检测单位", "实验室"],
    "reported_at": ["报告时间", "报告日期", "出结果时间"],
    "purpose": ["检测目的", "检测类别"],
}
REQUIRED = ("document_number", "sampled_at", "result")
RESULTS = {
    "阴性": Result.NEGATIVE,
    "阴": Result.NEGATIVE,
    "-": Result.NEGATIVE,
    "negative": Result.NEGATIVE,
    "阳性": Result.POSITIVE,
    "阳": Result.POSITIVE,
    "+": Result.POSITIVE,
    "positive": Result.POSITIVE,
    "待检": Result.PENDING,
    "待出结果": Result.PENDING,
    "pending": Result.PENDING,
}
DOCUMENT_TYPES = {str(label): value for value, label in DocumentType.choices} | {
    "身份证": DocumentType.RESIDENT_ID,
    "": DocumentType.RESIDENT_ID,
}
PURPOSES = {str(label): value for value, label in Purpose.choices} | {
    value: value for value in Purpose.values
}


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass
class SheetReport:
    rows: int = 0
    recorded: int = 0
    positives: int = 0
    errors: list[RowError] = field(default_factory=list)
    # The sheet's own header and the cells of every refused row, for the error sheet.
    header: list[str] = field(default_factory=list)
    refused_cells: dict[int, list] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_sheet(self) -> bytes:
        """The refused rows as sent, with 错误说明 added: fix in place and upload again."""
        from fangkong.imports.reports import error_report

        messages: dict[int, list[str]] = {}
        for e in self.errors:
            messages.setdefault(e.row, []).append(
                f"{e.field}：{e.message}" if e.field else e.message
            )
        rows = [
            (self.refused_cells.get(number, []), texts)
            for number, texts in sorted(messages.items())
        ]
        return error_report(header=self.header or ["行号"], rows=rows)


@dataclass
class _Row:
    number: int
    values: dict
    person: Person | None = None
    cells: list = field(default_factory=list)


def _read(path: Path, filename: str, report: SheetReport) -> tuple[list[_Row], dict]:
    try:
        source = open_table(path, filename)
    except FileRefused as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return [], {}
    rows = source.rows()
    header, consumed = find_header(rows, SYNONYMS)
    if header is None:
        report.errors.append(
            RowError(0, "", _("找不到表头：至少需要“证件号码”“采样时间”“检测结果”列"))
        )
        return [], {}
    missing = [f for f in REQUIRED if f not in header.columns.values()]
    for f in missing:
        report.errors.append(
            RowError(header.row.number, f, _("缺少“%(col)s”列") % {"col": SYNONYMS[f][0]})
        )
    if missing:
        return [], {}
    parsed: list[_Row] = []
    for source_row in [*consumed, *rows]:
        if is_blank(source_row.cells):
            continue
        values = {
            name: (source_row.cells[i] if i < len(source_row.cells) else None)
            for i, name in header.columns.items()
        }
        parsed.append(
            _Row(source_row.number, values, cells=[cell_text(c) for c in source_row.cells])
        )
    report.header = [cell_text(c) for c in header.row.cells]
    return parsed, {name: header.label_of(name) for name in SYNONYMS}


def _validate(row: _Row, labels: dict, report: SheetReport, default_lab: str) -> dict | None:
    errors_before = len(report.errors)

    def error(name: str, message: str) -> None:
        report.errors.append(RowError(row.number, labels.get(name, name), message))

    v = row.values
    clean: dict = {"lab": cell_text(v.get("lab")) or default_lab}
    doc_type = DOCUMENT_TYPES.get(cell_text(v.get("document_type")))
    if doc_type is None:
        error(
            "document_type", _("未知的证件类型“%(v)s”") % {"v": cell_text(v.get("document_type"))}
        )
    else:
        try:
            number = normalize_document(doc_type, identifier_text(v.get("document_number")))
            clean["index"] = (doc_type, crypto.blind_index(doc_type, number))
        except (InvalidIdentifier, CellError) as exc:
            error("document_number", str(exc))
    for name in ("sampled_at", "reported_at"):
        if name == "reported_at" and not cell_text(v.get(name)):
            clean[name] = None
            continue
        try:
            clean[name] = parse_datetime(v.get(name))[0]
        except CellError as exc:
            error(name, str(exc))
    result = RESULTS.get(cell_text(v.get("result")).lower())
    if result is None:
        error(
            "result",
            _("检测结果应为“阴性”或“阳性”，实际为“%(v)s”") % {"v": cell_text(v.get("result"))},
        )
    clean["result"] = result
    purpose = PURPOSES.get(cell_text(v.get("purpose")) or Purpose.SCHEDULED)
    if purpose is None:
        error("purpose", _("未知的检测目的“%(v)s”") % {"v": cell_text(v.get("purpose"))})
    clean["purpose"] = purpose
    if "sampled_at" in clean and result and purpose:
        for name, messages in validate_result(
            sampled_at=clean["sampled_at"],
            result=result,
            reported_at=clean.get("reported_at"),
            purpose=purpose,
        ).items():
            for message in messages:
                error(name, message)
    clean["name"] = cell_text(v.get("name"))
    return clean if len(report.errors) == errors_before else None


def _match_people(
    actor: Actor, rows: list[tuple[_Row, dict]], labels: dict, report: SheetReport
) -> None:
    indexes = {c["index"] for _r, c in rows}
    people: dict[tuple[str, str], Person] = {}
    by_index: dict[str, list[str]] = {}
    for dtype, index in indexes:
        by_index.setdefault(dtype, []).append(index)
    for dtype, values in by_index.items():
        for start in range(0, len(values), 500):
            for p in Person.objects.filter(
                document_type=dtype, document_index__in=values[start : start + 500]
            ):
                people[(p.document_type, p.document_index)] = p
    extra = person_regions([p.pk for p in people.values()])
    seen: set[tuple[int, object]] = set()
    for row, clean in rows:
        person = people.get(clean["index"])
        label = labels.get("document_number", "document_number")
        try:
            if person is None:
                raise NotFound()
            clean["region"] = recording_region(actor, person, extra.get(person.pk, []))
        except NotFound:
            report.errors.append(RowError(row.number, label, _("辖区内没有登记该证件号的人员")))
            continue
        if clean["name"] and clean["name"] != person.name:
            report.errors.append(
                RowError(row.number, labels.get("name", "name"), _("姓名与登记信息不符"))
            )
            continue
        key = (person.pk, clean["sampled_at"])
        if key in seen:
            report.errors.append(
                RowError(row.number, label, _("与上文某行重复（同一人同一采样时间）"))
            )
            continue
        seen.add(key)
        if NatTest.objects.filter(person=person, sampled_at=clean["sampled_at"]).exists():
            report.errors.append(RowError(row.number, label, _("该次采样已录入过结果")))
            continue
        row.person = person


def nat_sheet_import(
    *, actor: Actor, path: str | Path, filename: str = "", lab: str = ""
) -> SheetReport:
    """Check every row; record all of them in one transaction only if none has an error."""
    actor.require(Perm.LABTESTS_RECORD)
    report = SheetReport()
    parsed, labels = _read(Path(path), filename or Path(path).name, report)
    report.rows = len(parsed)
    valid = [
        (row, clean) for row in parsed if (clean := _validate(row, labels, report, lab)) is not None
    ]
    _match_people(actor, valid, labels, report)
    report.errors.sort(key=lambda e: (e.row, e.field))
    refused = {e.row for e in report.errors}
    report.refused_cells = {row.number: row.cells for row in parsed if row.number in refused}
    if report.errors or not parsed:
        if not parsed and not report.errors:
            report.errors.append(RowError(0, "", _("表格中没有数据行")))
        return report
    with transaction.atomic():
        for row, clean in valid:
            assert row.person is not None  # a row _match_people could not match is an error
            nat_result_record(
                actor=actor,
                person=row.person,
                sampled_at=clean["sampled_at"],
                result=clean["result"],
                lab=clean["lab"],
                reported_at=clean["reported_at"],
                purpose=clean["purpose"],
                audit=False,
            )
            report.recorded += 1
            report.positives += clean["result"] == Result.POSITIVE
        audit_record(
            actor=actor,
            action="labtests.sheet.imported",
            changes={
                "file": filename,
                "rows": report.recorded,
                "positives": report.positives,
                "at": timezone.now(),
            },
        )
    return report
