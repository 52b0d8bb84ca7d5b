"""Reading one row of a pushed list: every problem reported, identifiers normalised.

The result is a staged row: the values the database needs (identifiers already encrypted
and indexed) plus the errors, each with the header as the sender wrote it. A row is valid
with a valid document number, or with no document but a valid mobile number (big-data lists
often carry only phones); a malformed document number makes it invalid even with a phone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _

from fangkong.core import crypto
from fangkong.core.identity import (
    DocumentType,
    InvalidIdentifier,
    clean_text,
    normalize_document,
    normalize_mobile,
    parse_resident_id,
)
from fangkong.imports.cells import CellError, cell_text, identifier_text, parse_datetime
from fangkong.imports.headers import HeaderMatch

SYNONYMS: dict[str, list[str]] = {
    "name": ["姓名", "名字", "人员姓名", "客户姓名", "旅客姓名", "机主姓名"],
    "document_type": ["证件类型", "证件种类"],
    "document_number": [
        "身份证号",
        "身份证号码",
        "证件号码",
        "证件号",
        "公民身份号码",
        "身份证",
        "身份号码",
        "护照号码",
        "证件编号",
    ],
    "phone": [
        "手机号",
        "手机号码",
        "联系电话",
        "电话",
        "电话号码",
        "联系方式",
        "手机",
        "本人电话",
        "移动电话",
    ],
    "address": [
        "现住址",
        "居住地址",
        "现居住地",
        "现居住地址",
        "住址",
        "居住地",
        "详细地址",
        "现住地址",
        "落脚点",
        "落脚地址",
        "在湘住址",
        "目的地址",
        "现居地",
    ],
    "source_place": [
        "来源地",
        "途经地",
        "风险地区",
        "来源地区",
        "旅居地",
        "涉疫地区",
        "出发地",
        "中高风险地区",
        "来自",
        "风险区域",
        "途经地区",
    ],
    "arrived_at": [
        "抵达时间",
        "到达日期",
        "返回时间",
        "抵达日期",
        "到达时间",
        "返回日期",
        "来返时间",
        "入境时间",
        "抵湘时间",
        "抵州时间",
        "返乡时间",
        "到达本地时间",
    ],
    "health_code": ["健康码", "码色", "健康码状态", "健康码颜色", "红黄码", "赋码情况"],
    "note": ["备注", "说明"],
}
FIELDS = list(SYNONYMS)
# Columns lists often carry that screening does not need: never offered for mapping.
IGNORED_HEADERS = {
    "序号",
    "编号",
    "序",
    "性别",
    "年龄",
    "民族",
    "出生日期",
    "国籍",
    "职业",
    "所属县市区",
    "所属地区",
    "推送单位",
    "推送时间",
    "核查情况",
    "工作单位",
}
IDENTIFIER_FIELDS = ("document_number", "phone")

_DOCUMENT_TYPE_WORDS = [
    ("身份证", DocumentType.RESIDENT_ID),
    ("护照", DocumentType.PASSPORT),
    ("港澳", DocumentType.HK_MACAO_TAIWAN_PERMIT),
    ("台湾", DocumentType.HK_MACAO_TAIWAN_PERMIT),
    ("台胞", DocumentType.HK_MACAO_TAIWAN_PERMIT),
    ("居留", DocumentType.FOREIGN_PERMANENT_RESIDENCE),
]
_PHONE_SHAPE = re.compile(r"^1[3-9]\d{9}$")


@dataclass
class StagedRow:
    row_number: int
    values: list[str]
    secret: dict[str, str]
    name: str = ""
    document_type: str = ""
    document_number: str = ""
    phone: str = ""
    sex: str = ""
    birth_date: str | None = None
    address: str = ""
    source_place: str = ""
    arrived_at: str | None = None
    health_code: str = ""
    note: str = ""
    errors: list[dict] = field(default_factory=list)

    @property
    def invalid(self) -> bool:
        return bool(self.errors)


def _normalize_mobile(text: str) -> str:
    try:
        return normalize_mobile(text)
    except InvalidIdentifier:
        raise
    except Exception:  # noqa: BLE001 - phonenumbers' parse errors on odd input
        raise InvalidIdentifier(_("手机号无法识别：%(value)s") % {"value": text}) from None


def _valid(number: str) -> bool:
    try:
        _normalize_mobile(number)
    except InvalidIdentifier:
        return False
    return True


@lru_cache(maxsize=8192)
def _segment_verdict(first5: str) -> bool | None:
    """Whether every number of this 5-digit prefix is allocated (True), none is (False), or
    it depends on later digits (None: check each number). Mainland mobile ranges are
    decided by their first four or five digits, so this spares phonenumbers' full parse
    (about 20 µs) for almost every row."""
    samples = {_valid(first5 + tail) for tail in ("000000", "555555", "999999", "123456")}
    return samples.pop() if len(samples) == 1 else None


def fast_mobile(raw) -> str:
    text = cell_text(raw)
    if len(text) == 11 and _PHONE_SHAPE.match(text):
        verdict = _segment_verdict(text[:5])
        if verdict is True:
            return text
        if verdict is None:
            return _normalize_mobile(text)
    return _normalize_mobile(text)


def document_type_of(text: str, number: str) -> str:
    for word, doc_type in _DOCUMENT_TYPE_WORDS:
        if word in text:
            return doc_type
    compact = clean_text(number).upper()
    if compact[:17].isdigit() and len(compact) in (15, 18):
        return DocumentType.RESIDENT_ID
    if compact and compact[0].isalpha():
        return DocumentType.PASSPORT
    return DocumentType.RESIDENT_ID


class RowReader:
    """Reads rows against a recognised header. Build once per file."""

    def __init__(self, header: HeaderMatch):
        self.header = header
        self.width = max(header.labels) + 1 if header.labels else 0
        self.index = {name: i for i, name in header.columns.items()}
        self.label = {name: header.labels[i] for i, name in header.columns.items()}

    def _cell(self, cells: list, name: str):
        i = self.index.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    def error(self, row: StagedRow, name: str, message: str) -> None:
        row.errors.append(
            {"row": row.row_number, "field": self.label.get(name, name), "message": message}
        )

    def read(self, number: int, cells: list) -> StagedRow:
        texts = [cell_text(c) for c in cells[: self.width]]
        secret = {}
        for name in IDENTIFIER_FIELDS:
            i = self.index.get(name)
            if i is not None and i < len(texts) and texts[i]:
                secret[str(i)] = texts[i]
                texts[i] = ""
        row = StagedRow(row_number=number, values=texts, secret=secret)
        row.name = clean_text(cell_text(self._cell(cells, "name")))[:60]
        if not row.name:
            self.error(row, "name", _("姓名为空"))
        self._identity(row, cells)
        row.address = cell_text(self._cell(cells, "address"))[:300]
        row.source_place = cell_text(self._cell(cells, "source_place"))[:200]
        row.note = cell_text(self._cell(cells, "note"))[:300]
        code = cell_text(self._cell(cells, "health_code"))
        row.health_code = "red" if "红" in code else "yellow" if "黄" in code else ""
        arrived = self._cell(cells, "arrived_at")
        if arrived not in (None, ""):
            try:
                row.arrived_at = parse_datetime(arrived)[0].isoformat()
            except CellError as exc:
                self.error(row, "arrived_at", str(exc))
        return row

    def _identity(self, row: StagedRow, cells: list) -> None:
        identity = read_identity(
            self._cell(cells, "document_number"),
            cell_text(self._cell(cells, "document_type")),
            self._cell(cells, "phone"),
        )
        for name, message in identity.problems:
            self.error(row, name, message)
        row.document_type, row.sex, row.birth_date = (
            identity.document_type,
            identity.sex,
            identity.birth_date,
        )
        if row.errors:
            return
        row.document_number, row.phone = identity.document, identity.phone


@dataclass
class Identity:
    """A row's document and mobile number as read, normalised, or the problems with them."""

    document_type: str = ""
    document: str = ""
    phone: str = ""
    sex: str = ""
    birth_date: str | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)


def read_identity(raw_document, document_type_text: str, raw_phone) -> Identity:
    """The rule of a list row, for the import and for a row corrected on screen: a valid
    document number, or none and a valid mobile number; a malformed document number is a
    problem even with a phone."""
    found = Identity()
    document = phone = ""
    document_problem = phone_problem = ""
    try:
        document_text = identifier_text(raw_document)
    except CellError as exc:
        document_text, document_problem = "", str(exc)
    if document_text:
        doc_type = document_type_of(document_type_text, document_text)
        try:
            if doc_type == DocumentType.RESIDENT_ID:
                parsed = parse_resident_id(document_text)
                document = parsed.number
                found.sex, found.birth_date = parsed.sex, parsed.birth_date.isoformat()
            else:
                document = normalize_document(doc_type, document_text)
            found.document_type = doc_type
        except InvalidIdentifier as exc:
            document_problem = str(exc)
    phone_text = cell_text(raw_phone)
    if phone_text:
        try:
            phone = fast_mobile(phone_text)
        except InvalidIdentifier as exc:
            phone_problem = str(exc)
    if document_problem:
        found.problems.append(("document_number", document_problem))
    if not document and not phone:
        if phone_problem:
            found.problems.append(("phone", phone_problem))
        elif not document_problem:
            found.problems.append(("document_number", _("证件号码和手机号都为空，至少填写一项")))
    elif phone_problem and document_problem:
        found.problems.append(("phone", phone_problem))
    if not found.problems:
        found.document, found.phone = document, phone
    return found


def staged_values(row: StagedRow, region_code: str) -> tuple:
    """The row as the columns of fastrows.STAGE_SCHEMA."""
    document, phone = row.document_number, row.phone
    return (
        row.row_number,
        json.dumps(row.values, ensure_ascii=False),
        crypto.encrypt(json.dumps(row.secret, ensure_ascii=False))
        if row.invalid and row.secret
        else "",
        row.name,
        row.document_type,
        crypto.encrypt(document) if document else "",
        crypto.blind_index(row.document_type, document) if document else "",
        crypto.encrypt(phone) if phone else "",
        crypto.blind_index("mobile", phone) if phone else "",
        row.sex,
        row.birth_date,
        row.address,
        row.source_place,
        row.arrived_at,
        row.health_code,
        row.note,
        region_code,
        len(region_code),
        row.invalid,
        json.dumps(row.errors, ensure_ascii=False) if row.errors else "[]",
    )
