"""Writes to the person registry: register, update, reveal. Each is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.audit.models import AccessKind
from fangkong.audit.services import access_record, audit_record, diff
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.core.text import list_text

from .models import Person
from .validation import PersonInput, clean_person

# Identifying details: recorded as changed in the audit log, never with their values.
SECRET_FIELDS = frozenset(
    {"name", "document_number", "phone", "household_address", "current_address"}
)
AUDITED_FIELDS = (
    "name", "sex", "birth_date", "ethnic_group", "document_type", "document_number", "phone",
    "household_address", "current_address", "region_id",
)  # fmt: skip
REVEALABLE_FIELDS = ("name", "document_number", "phone", "household_address", "current_address")
DEFAULT_REVEAL_FIELDS = ("document_number", "phone")
PURPOSE_MIN, PURPOSE_MAX = 2, 200


class RegisteredElsewhere(ValidationFailed):
    """The document is registered to a person outside the actor's region. Nothing about that
    person may be disclosed; moving them is the HQ's decision."""

    def __init__(self) -> None:
        super().__init__(
            {
                "document_number": [
                    _(
                        "该证件已在其他地区登记，不能重复登记。"
                        "如此人现住本辖区，请联系指挥部办理人员转移。"
                    )
                ]
            }
        )


@dataclass(frozen=True)
class Registration:
    person: Person
    created: bool


@transaction.atomic
def person_register(
    *,
    actor: Actor,
    name: str,
    document_type: str,
    document_number: str,
    sex: str = "",
    birth_date: dt.date | None = None,
    ethnic_group: str = "",
    phone: str = "",
    household_address: str = "",
    current_address: str = "",
    region_code: str = "",
) -> Registration:
    """Register a person, or find the one already registered with the same document."""
    actor.require(Perm.PEOPLE_REGISTER)
    given = PersonInput(
        name=name, sex=sex, birth_date=birth_date, ethnic_group=ethnic_group,
        document_type=document_type, document_number=document_number, phone=phone,
        household_address=household_address, current_address=current_address,
        region_code=region_code,
    )  # fmt: skip
    values = clean_person(actor=actor, given=given)
    existing = person_with_document(values["document_type"], values["document_index"])
    if existing is not None:
        return _found(actor, existing)
    try:
        with transaction.atomic():
            person = Person.objects.create(**values, registered_by=actor.user)
    except IntegrityError:
        # Registered by someone else between our check and our insert.
        existing = person_with_document(values["document_type"], values["document_index"])
        if existing is None:
            raise
        return _found(actor, existing)
    audit_record(
        actor=actor,
        action="people.person.registered",
        obj=person,
        changes=diff({}, _audited(person), secret=SECRET_FIELDS),
    )
    return Registration(person=person, created=True)


def person_with_document(document_type: str, index: str) -> Person | None:
    """Unscoped on purpose: de-duplication must see the whole registry. Never returned to an
    actor who cannot see the person (see _found)."""
    return Person.objects.filter(document_type=document_type, document_index=index).first()


def _found(actor: Actor, existing: Person) -> Registration:
    if not actor.sees_region_code(existing.region_id):
        raise RegisteredElsewhere()
    return Registration(person=existing, created=False)


def _audited(person: Person) -> dict[str, Any]:
    return {field: getattr(person, field) for field in AUDITED_FIELDS}


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person_id: int,
    name: str | None = None,
    sex: str | None = None,
    birth_date: dt.date | None = None,
    ethnic_group: str | None = None,
    document_type: str | None = None,
    document_number: str | None = None,
    phone: str | None = None,
    household_address: str | None = None,
    current_address: str | None = None,
    region_code: str | None = None,
) -> Person:
    """Change the given details (None leaves a detail as it is) within the actor's region.

    A new resident ID number re-derives sex and birth date unless they are given too.
    """
    actor.require(Perm.PEOPLE_REGISTER)
    person = Person.objects.select_for_update().get_visible(actor, pk=person_id)
    before = _audited(person)
    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "name": name, "sex": sex, "birth_date": birth_date, "ethnic_group": ethnic_group,
            "document_type": document_type, "document_number": document_number,
            "phone": phone, "household_address": household_address,
            "current_address": current_address, "region_code": region_code,
        }.items()
        if value is not None
    }  # fmt: skip
    if {"document_type", "document_number"} & changes.keys():
        changes.setdefault("sex", "")
        changes.setdefault("birth_date", None)
    values = clean_person(actor=actor, given=replace(PersonInput.of(person), **changes))
    _refuse_taken_document(actor, person, values)
    for field, value in values.items():
        setattr(person, field, value)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        _refuse_taken_document(actor, person, values)
        raise
    changed = diff(before, _audited(person), secret=SECRET_FIELDS)
    if changed:
        audit_record(actor=actor, action="people.person.updated", obj=person, changes=changed)
    return person


def _refuse_taken_document(actor: Actor, person: Person, values: dict[str, Any]) -> None:
    other = person_with_document(values["document_type"], values["document_index"])
    if other is None or other.pk == person.pk:
        return
    if not actor.sees_region_code(other.region_id):
        raise RegisteredElsewhere()
    raise ValidationFailed(
        {"document_number": [_("该证件已登记为另一人员（编号 %(id)d）") % {"id": other.pk}]}
    )


@transaction.atomic
def person_reveal(
    *, actor: Actor, person_id: int, purpose: str, fields: list[str] | None = None
) -> dict[str, str]:
    """Plain values of a person's identifying details, logged with the stated purpose."""
    actor.require(Perm.PEOPLE_REVEAL)
    person = Person.objects.get_visible(actor, pk=person_id)
    purpose = " ".join((purpose or "").split())
    wanted = list(dict.fromkeys(fields or DEFAULT_REVEAL_FIELDS))
    _check_reveal_request(purpose, wanted)
    access_record(
        actor=actor,
        kind=AccessKind.REVEAL,
        purpose=purpose,
        region_code=person.region_id,
        person=person,
        subject=person.masked_name,
        fields=wanted,
    )
    return {field: getattr(person, field) for field in wanted}


def purpose_errors(purpose: str) -> list[str]:
    """What is wrong with the purpose stated for seeing personal details in plain (none: [])."""
    if len(purpose) < PURPOSE_MIN:
        return [_("请说明查看用途，如“电话核实行程”")]
    if len(purpose) > PURPOSE_MAX:
        return [_("用途不能超过%(max)d个字") % {"max": PURPOSE_MAX}]
    return []


def _check_reveal_request(purpose: str, wanted: list[str]) -> None:
    errors = {}
    if problems := purpose_errors(purpose):
        errors["purpose"] = problems
    unknown = [field for field in wanted if field not in REVEALABLE_FIELDS]
    if unknown:
        errors["fields"] = [_("不能查看这些字段：%(fields)s") % {"fields": list_text(unknown)}]
    if errors:
        raise ValidationFailed(errors)
