"""The facts of one check (or one self-report), cleaned from a form or JSON, every bad field
reported at once under its API name, in words that say what to change."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from phonenumbers import NumberParseException

from fangkong.arrivals.places import home_code, known_code
from fangkong.core.errors import ValidationFailed
from fangkong.core.identity import (
    DocumentType,
    InvalidIdentifier,
    normalize_document,
    normalize_mobile,
)
from fangkong.core.text import list_text

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)
HEALTH_CODES = ("green", "yellow", "red")
NAT_RESULTS = ("negative", "positive")
MAX_ITINERARY = 30
DOCUMENT_TYPES = frozenset(DocumentType.values)


_PLAIN_MOBILE = re.compile(r"^1[3-9]\d{9}$")


@lru_cache(maxsize=65536)
def _segment_exists(first7: str) -> bool:
    """Whether a mobile number segment (号段) exists: the numbering plan decides validity by
    the first seven digits, so the answer for one number holds for its whole segment."""
    try:
        normalize_mobile(first7 + "0000")
    except (InvalidIdentifier, NumberParseException):
        return False
    return True


def _mobile(raw) -> str:
    """normalize_mobile, with the plain 11-digit form (what phones and scanners send) checked
    against a per-segment cache instead of parsing every number again."""
    if isinstance(raw, str) and _PLAIN_MOBILE.match(raw):
        if _segment_exists(raw[:7]):
            return raw
        raise InvalidIdentifier(_("手机号号段不存在：%(value)s") % {"value": raw})
    return normalize_mobile(raw)


@dataclass(frozen=True)
class CheckInput:
    document_type: str
    document_number: str
    name: str
    phone: str
    health_code: str
    arrival_at: dt.datetime
    origin: str
    destination: str
    itinerary: tuple[str, ...] = ()
    itinerary_star: bool = False
    nat_sampled_at: dt.datetime | None = None
    nat_result: str | None = None
    temperature: Decimal | None = None


def _when(value, field: str, errors: dict, *, required: bool) -> dt.datetime | None:
    if value in (None, ""):
        if required:
            errors[field] = [_("请填写时间")]
        return None
    parsed: dt.datetime | None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(str(value).strip().replace(" ", "T", 1))
        except ValueError:
            parsed = None
    if parsed is None:
        errors[field] = [_("时间格式应为 2022-01-10T14:30:00+08:00")]
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def clean_check(
    data: dict, *, now: dt.datetime | None = None, temperature_required: bool = True
) -> CheckInput:
    """CheckInput from plain values, or ValidationFailed naming every bad field."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    document_type = data.get("document_type") or ""
    number = ""
    if document_type not in DOCUMENT_TYPES:
        errors["document_type"] = [
            _(
                "证件类型应为 resident_id、passport、"
                "hk_macao_taiwan_permit 或 foreign_permanent_residence"
            )
        ]
    else:
        try:
            number = normalize_document(document_type, data.get("document_number"))
        except InvalidIdentifier as exc:
            errors["document_number"] = [str(exc)]
    name = " ".join(str(data.get("name") or "").split())
    if not name or len(name) > 60:
        errors["name"] = [_("请填写姓名（不超过60个字）")]
    phone = ""
    if data.get("phone"):
        try:
            phone = _mobile(data.get("phone"))
        except InvalidIdentifier as exc:
            errors["phone"] = [str(exc)]
    health_code = data.get("health_code", "")
    if health_code not in HEALTH_CODES:
        errors["health_code"] = [_("健康码应为 green、yellow 或 red")]
    arrival_at = _when(data.get("arrival_at"), "arrival_at", errors, required=True)
    if arrival_at is not None and arrival_at > now + CLOCK_SKEW:
        errors["arrival_at"] = [_("抵达时间不能晚于现在")]
    sampled = _when(data.get("nat_sampled_at"), "nat_sampled_at", errors, required=False)
    if sampled is not None and sampled > now + CLOCK_SKEW:
        errors["nat_sampled_at"] = [_("采样时间不能晚于现在")]
    result = data.get("nat_result") or None
    if result is not None and result not in NAT_RESULTS:
        errors["nat_result"] = [_("核酸结果应为 negative、positive 或留空")]
    if result is not None and sampled is None and "nat_sampled_at" not in errors:
        errors["nat_sampled_at"] = [_("填写了核酸结果，请同时填写采样时间")]
    temperature = _temperature(data.get("temperature"), errors, temperature_required)
    origin = known_code(str(data.get("origin") or ""))
    if origin is None:
        errors["origin"] = [_("来源地应为已知的行政区划代码，如 420106")]
    destination = home_code(str(data.get("destination") or ""))
    if destination is None:
        errors["destination"] = [_("目的地应为本市的县、乡镇或村（社区）区划代码")]
    itinerary = _itinerary(data.get("itinerary"), errors)
    star = data.get("itinerary_star", False)
    if not isinstance(star, bool):
        errors["itinerary_star"] = [_("应为 true 或 false")]
    if errors:
        raise ValidationFailed(errors)
    # Each of these is None only when an error was recorded above.
    assert arrival_at is not None and origin is not None and destination is not None
    return CheckInput(
        document_type=document_type, document_number=number, name=name, phone=phone,
        health_code=health_code, arrival_at=arrival_at, origin=origin, destination=destination,
        itinerary=itinerary, itinerary_star=star, nat_sampled_at=sampled, nat_result=result,
        temperature=temperature,
    )  # fmt: skip


def _temperature(raw, errors: dict, required: bool) -> Decimal | None:
    if raw in (None, ""):
        if required:
            errors["temperature"] = [_("请填写体温")]
        return None
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        errors["temperature"] = [_("体温应为数字，如 36.5")]
        return None
    if not Decimal("34") <= value <= Decimal("43"):
        errors["temperature"] = [_("体温 %(t)s ℃ 不合理，请复测") % {"t": value}]
        return None
    return value


def _itinerary(raw, errors: dict) -> tuple[str, ...]:
    if raw in (None, ""):
        return ()
    if isinstance(raw, str):
        raw = [p for p in raw.replace("，", ",").replace(" ", ",").split(",") if p]
    if not isinstance(raw, list | tuple) or len(raw) > MAX_ITINERARY:
        errors["itinerary"] = [_("行程应为区划代码列表")]
        return ()
    codes: list[str] = []
    unknown: list[str] = []
    for item in raw:
        code = known_code(str(item))
        (codes if code else unknown).append(code or str(item))
    if unknown:
        errors["itinerary"] = [_("未知的行政区划代码：%(codes)s") % {"codes": list_text(unknown)}]
    return tuple(dict.fromkeys(codes))
