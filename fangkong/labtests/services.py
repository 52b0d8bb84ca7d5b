"""Recording test results: one at a time, or a whole lab sheet (see sheets.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.roles import Perm
from fangkong.notifications.models import Level
from fangkong.notifications.services import notify
from fangkong.people.models import Person

from . import handlers
from .models import NatTest, Purpose, Result


@cache
def _handler(path: str) -> Callable[..., Any]:
    handler: Callable[..., Any] = import_string(path)
    return handler


def result_handlers() -> list[Callable[..., Any]]:
    return [_handler(path) for path in handlers.RESULT_HANDLERS]


def person_regions(person_ids: list[int]) -> dict[int, list[str]]:
    """Regions a result for each person may be recorded under: home plus providers' ones."""
    regions: dict[int, list[str]] = {}
    for path in handlers.PERSON_REGION_PROVIDERS:
        for pid, codes in _handler(path)(person_ids=person_ids).items():
            regions.setdefault(pid, []).extend(codes)
    return regions


def recording_region(actor: Actor, person: Person, extra: list[str] | None = None) -> str:
    """The region a result is filed under: the person's own if the actor sees it, else the
    first region where the person is looked after that the actor sees; NotFound otherwise."""
    candidates = [person.region_id]
    candidates += extra if extra is not None else person_regions([person.pk]).get(person.pk, [])
    for code in candidates:
        if actor.sees_region_code(code):
            return code
    raise NotFound(Person._meta.verbose_name)


def _city_code(region_code: str) -> str:
    return region_code[:4]


@transaction.atomic
def nat_result_record(
    *,
    actor: Actor,
    person: Person,
    sampled_at: dt.datetime,
    result: str,
    lab: str = "",
    reported_at: dt.datetime | None = None,
    purpose: str = Purpose.OTHER,
    audit: bool = True,
) -> NatTest:
    """Record a sample and its result; a positive alerts the HQ; handlers react to it."""
    actor.require(Perm.LABTESTS_RECORD)
    region_code = recording_region(actor, person)
    errors = validate_result(
        sampled_at=sampled_at, result=result, reported_at=reported_at, purpose=purpose
    )
    if errors:
        raise ValidationFailed(errors)
    if result != Result.PENDING and reported_at is None:
        reported_at = timezone.now()
    test = NatTest.objects.create(
        person=person,
        region_id=region_code,
        sampled_at=sampled_at,
        result=result,
        lab=lab[:100],
        reported_at=reported_at,
        purpose=purpose,
        recorded_by=actor.user,
    )
    if audit:
        audit_record(
            actor=actor,
            action="labtests.result.recorded",
            obj=test,
            changes={"result": result, "sampled_at": sampled_at, "purpose": purpose},
        )
    if result == Result.POSITIVE:
        notify(
            region_code=_city_code(person.region_id),
            kind="labtests.positive",
            level=Level.DANGER,
            message=_("核酸阳性：%(name)s，采样于 %(at)s，请立即转运并启动流调")
            % {
                "name": person.masked_name,
                "at": timezone.localtime(sampled_at).strftime("%Y-%m-%d %H:%M"),
            },
            link=f"/people/{person.pk}/",
        )
    for handler in result_handlers():
        handler(test=test, actor=actor)
    return test


def validate_result(
    *,
    sampled_at: dt.datetime | None,
    result: str,
    reported_at: dt.datetime | None,
    purpose: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if sampled_at is None:
        errors["sampled_at"] = [_("请填写采样时间")]
    elif sampled_at > now + dt.timedelta(minutes=5):
        errors["sampled_at"] = [_("采样时间不能晚于现在")]
    if result not in Result.values:
        errors["result"] = [_("检测结果应为阴性、阳性或待出结果")]
    if reported_at is not None and sampled_at is not None and reported_at < sampled_at:
        errors["reported_at"] = [_("报告时间不能早于采样时间")]
    if purpose not in Purpose.values:
        errors["purpose"] = [_("检测目的无效")]
    return errors


def person_for_result(*, actor: Actor, document_type: str, number: str) -> Person:
    """The person a result is for, found by document: registered anywhere, but only someone
    the actor may record for (their region, or a site of theirs holding them)."""
    from fangkong.core.identity import InvalidIdentifier, normalize_document
    from fangkong.people.identity import document_index

    actor.require(Perm.LABTESTS_RECORD)
    try:
        normalized = normalize_document(document_type, number)
    except InvalidIdentifier as exc:
        raise ValidationFailed({"document_number": [str(exc)]}) from None
    person = Person.objects.filter(
        document_type=document_type, document_index=document_index(document_type, normalized)
    ).first()
    if person is None:
        raise NotFound(Person._meta.verbose_name)
    recording_region(actor, person)
    return person
