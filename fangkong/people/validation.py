"""Validation of a person's details, shared by registration and update.

Every field is checked and all problems are reported together, each under its own field,
in words that say what to change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.identity import (
    DocumentType,
    InvalidIdentifier,
    normalize_document,
    normalize_mobile,
    parse_resident_id,
)
from fangkong.regions.models import Region

from .ethnic_groups import ETHNIC_GROUP_SET
from .identity import document_index, phone_index
from .models import Person, Sex


def _max_length(field_name: str) -> int:
    field = Person._meta.get_field(field_name)
    assert isinstance(field, models.CharField) and field.max_length is not None, field_name
    return field.max_length


NAME_MAX = _max_length("name")
ADDRESS_MAX = _max_length("current_address")


@dataclass
class PersonInput:
    """A person's details as typed: strings to normalise, a date, a region code."""

    name: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    ethnic_group: str = ""
    document_type: str = ""
    document_number: str = ""
    phone: str = ""
    household_address: str = ""
    current_address: str = ""
    region_code: str = ""

    @classmethod
    def of(cls, person: Person) -> PersonInput:
        values = {f.name: getattr(person, f.name) for f in fields(cls) if f.name != "region_code"}
        return cls(**values, region_code=person.region_id)


def clean_person(*, actor: Actor, given: PersonInput) -> dict:
    """Model field values (identifiers normalised and indexed) or ValidationFailed."""
    errors: dict[str, list[str]] = {}
    values: dict = {}

    def check(field: str, step) -> None:
        try:
            values.update(step())
        except InvalidIdentifier as exc:
            errors.setdefault(field, []).append(str(exc))

    check("name", lambda: {"name": _clean_name(given.name)})
    check("document_number", lambda: _clean_document(given.document_type, given.document_number))
    check("phone", lambda: _clean_phone(given.phone))
    check("ethnic_group", lambda: {"ethnic_group": _clean_ethnic_group(given.ethnic_group)})
    check("household_address", lambda: {"household_address": _address(given.household_address)})
    check("current_address", lambda: {"current_address": _address(given.current_address)})
    check("region", lambda: {"region": _clean_region(actor, given.region_code)})
    if "document_type" in values:
        _clean_sex_and_birth(given, values, errors)
    if given.document_type not in DocumentType.values:
        errors["document_type"] = [_("请选择证件类型")]
        errors.pop("document_number", None)
    if errors:
        raise ValidationFailed(errors)
    return values


def _clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise InvalidIdentifier(_("请填写姓名"))
    if len(name) > NAME_MAX:
        raise InvalidIdentifier(_("姓名不能超过%(max)d个字") % {"max": NAME_MAX})
    return name


def _clean_document(document_type: str, raw: str) -> dict:
    if document_type not in DocumentType.values:
        raise InvalidIdentifier(_("请选择证件类型"))
    if not (raw or "").strip():
        raise InvalidIdentifier(_("请填写证件号码"))
    number = normalize_document(document_type, raw)
    return {
        "document_type": document_type,
        "document_number": number,
        "document_index": document_index(document_type, number),
    }


def _clean_phone(raw: str) -> dict:
    if not (raw or "").strip():
        return {"phone": "", "phone_index": ""}
    phone = normalize_mobile(raw)
    return {"phone": phone, "phone_index": phone_index(phone)}


def _clean_ethnic_group(raw: str) -> str:
    value = (raw or "").strip()
    if value and value not in ETHNIC_GROUP_SET:
        if value + "族" in ETHNIC_GROUP_SET:
            return value + "族"
        raise InvalidIdentifier(_("请从列表中选择民族：%(value)s") % {"value": value})
    return value


def _address(raw: str) -> str:
    value = " ".join((raw or "").split())
    if len(value) > ADDRESS_MAX:
        raise InvalidIdentifier(_("地址不能超过%(max)d个字") % {"max": ADDRESS_MAX})
    return value


def _clean_region(actor: Actor, code: str) -> Region:
    code = (code or "").strip() or actor.region.code
    region = Region.objects.filter(code=code).first() if actor.sees_region_code(code) else None
    if region is None:
        raise InvalidIdentifier(_("请选择本辖区内的现住地区划"))
    return region


def _clean_sex_and_birth(given: PersonInput, values: dict, errors: dict) -> None:
    """Default sex and birth date from a resident ID; when given, they must agree with it."""
    sex, birth_date = given.sex or "", given.birth_date
    if sex not in Sex.values:
        errors["sex"] = [_("性别只能是男或女")]
        return
    if birth_date is not None and birth_date > timezone.localdate():
        errors["birth_date"] = [_("出生日期不能晚于今天")]
        return
    if values["document_type"] == DocumentType.RESIDENT_ID:
        parsed = parse_resident_id(values["document_number"])
        if sex and sex != parsed.sex:
            errors["sex"] = [
                _("性别与身份证号不符：按身份证号应为%(sex)s") % {"sex": Sex(parsed.sex).label}
            ]
        if birth_date is not None and birth_date != parsed.birth_date:
            errors["birth_date"] = [
                _("出生日期与身份证号不符：按身份证号应为%(date)s")
                % {"date": parsed.birth_date.isoformat()}
            ]
        sex, birth_date = parsed.sex, parsed.birth_date
    values["sex"] = sex
    values["birth_date"] = birth_date
