"""Identity documents and mobile numbers: normalise, validate, explain what is wrong.

Resident ID numbers follow GB 11643-1999: six-digit region code, birth date, three-digit
sequence (odd = male) and an ISO 7064 MOD 11-2 check character. Legacy 15-digit numbers are
upgraded by inserting the century and computing the check character.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", gettext_lazy("居民身份证")
    PASSPORT = "passport", gettext_lazy("护照")
    HK_MACAO_TAIWAN_PERMIT = "hk_macao_taiwan_permit", gettext_lazy("港澳台居民居住证/通行证")
    FOREIGN_PERMANENT_RESIDENCE = (
        "foreign_permanent_residence",
        gettext_lazy("外国人永久居留身份证"),
    )


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SPACES = re.compile(r"[\s\u3000\-_]+")


class InvalidIdentifier(ValueError):
    """Raised with a message a field worker can act on."""


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    region_code: str
    upgraded_from_legacy: bool = False


def clean_text(value: object) -> str:
    """Full-width to half-width, drop spaces, dashes and invisible characters."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else ""))
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return _SPACES.sub("", text).strip()


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _birth_date(digits: str) -> dt.date:
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdentifier(
            _("出生日期 %(date)s 不存在") % {"date": f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"}
        ) from None
    if born.year < 1880 or born > dt.date.today():
        raise InvalidIdentifier(_("出生日期 %(date)s 不合理") % {"date": born.isoformat()})
    return born


def parse_resident_id(raw: object) -> ResidentId:
    """Validate a resident ID (18 characters, or a legacy 15-digit one) or explain why not."""
    value = clean_text(raw).upper()
    if not value:
        raise InvalidIdentifier(_("身份证号为空"))
    legacy = len(value) == 15
    if legacy:
        if not value.isdigit():
            raise InvalidIdentifier(_("15位身份证号只能由数字组成"))
        value = value[:6] + "19" + value[6:]
        value += check_character(value)
    elif len(value) != 18:
        raise InvalidIdentifier(_("身份证号应为18位，实际为%(count)d位") % {"count": len(value)})
    if not value[:17].isdigit():
        raise InvalidIdentifier(_("身份证号前17位只能是数字"))
    if not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdentifier(_("身份证号最后一位只能是数字或X"))
    if value[0] == "0":
        raise InvalidIdentifier(_("身份证号地区码 %(code)s 无效") % {"code": value[:6]})
    born = _birth_date(value[6:14])
    expected = check_character(value[:17])
    if value[17] != expected:
        raise InvalidIdentifier(
            _("身份证号校验位错误：最后一位应为 %(expected)s，实际为 %(actual)s")
            % {"expected": expected, "actual": value[17]}
        )
    return ResidentId(
        number=value,
        birth_date=born,
        sex="M" if int(value[16]) % 2 else "F",
        region_code=value[:6],
        upgraded_from_legacy=legacy,
    )


_OTHER_DOCUMENT_PATTERNS: dict[str, re.Pattern[str]] = {
    # Ordinary passports (E/G + digits) and foreign passports: letters and digits, 5–17.
    DocumentType.PASSPORT: re.compile(r"^[A-Z0-9]{5,17}$"),
    # Mainland travel permits (H/M + 8–10 digits) and residence permits (8 + 17 chars).
    DocumentType.HK_MACAO_TAIWAN_PERMIT: re.compile(r"^([HM]\d{8,10}|\d{8,10}|8[123]\d{15}[\dX])$"),
    # Old 15-character card (3 letters + 12 digits) or the 2017 18-character card starting 9.
    DocumentType.FOREIGN_PERMANENT_RESIDENCE: re.compile(r"^([A-Z]{3}\d{12}|9\d{16}[\dX])$"),
}


def normalize_document(document_type: str, raw: object) -> str:
    """Return the canonical document number or raise InvalidIdentifier."""
    if document_type == DocumentType.RESIDENT_ID:
        return parse_resident_id(raw).number
    pattern = _OTHER_DOCUMENT_PATTERNS.get(document_type)
    if pattern is None:
        raise InvalidIdentifier(_("未知的证件类型：%(type)s") % {"type": document_type})
    value = clean_text(raw).upper()
    if not value:
        raise InvalidIdentifier(_("证件号码为空"))
    if not pattern.match(value):
        label = DocumentType(document_type).label
        raise InvalidIdentifier(
            _("%(label)s号码格式不正确：%(value)s") % {"label": label, "value": value}
        )
    return value


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(raw: object) -> str:
    """An 11-digit mainland mobile number (accepts +86, 0086, spaces and dashes)."""
    value = clean_text(raw).replace("(", "").replace(")", "")
    if not value:
        raise InvalidIdentifier(_("手机号为空"))
    for prefix in ("+86", "0086", "86"):
        if value.startswith(prefix) and len(value) == len(prefix) + 11:
            value = value[len(prefix) :]
            break
    if not value.isdigit():
        raise InvalidIdentifier(_("手机号只能包含数字：%(value)s") % {"value": value})
    if not _MOBILE.match(value):
        raise InvalidIdentifier(_("手机号应为以1开头的11位号码：%(value)s") % {"value": value})
    try:
        valid = phonenumbers.is_valid_number(phonenumbers.parse(value, "CN"))
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        raise InvalidIdentifier(_("手机号号段不存在：%(value)s") % {"value": value})
    return value


def mask_document(number: str) -> str:
    """433130********0095: region code and last four digits only."""
    if not number:
        return ""
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    if len(number) <= 4:
        return "*" * len(number)
    keep = 2 if len(number) < 10 else 3
    return number[:keep] + "*" * (len(number) - keep - 4) + number[-4:]


def mask_mobile(number: str) -> str:
    """139****0000."""
    if len(number) != 11:
        return "*" * len(number)
    return number[:3] + "****" + number[-4:]


# A document or mobile number quoted in a message as it was sent (digits, full-width digits,
# a check character X, spaces inside): seven characters or more.
_QUOTED_IDENTIFIER = re.compile(r"[0-9０-９][0-9０-９Xx ]{5,}[0-9０-９Xx]")


def mask_identifiers_in(text: str) -> str:
    """A row error as shown on screen: any identifier it quotes masked, as the record's own
    are (a document 433130********0095, a mobile 139****0000, anything else all but its
    first and last quarter)."""

    def masked(match: re.Match[str]) -> str:
        value = match.group()
        if len(value) == 18:
            return mask_document(value)
        if len(value) == 11:
            return mask_mobile(value)
        keep = len(value) // 4
        return value[:keep] + "*" * (len(value) - 2 * keep) + value[len(value) - keep :]

    return _QUOTED_IDENTIFIER.sub(masked, text)


def mask_name(name: str) -> str:
    """张*明; two-character names keep the surname: 李*."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
