"""Writing audit entries. Every service that changes data calls audit_record."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Set
from typing import TYPE_CHECKING, Any

from django.db import models

from fangkong.core.actor import Actor

if TYPE_CHECKING:
    from fangkong.people.models import Person

from .models import AccessEntry, ChangeEntry

REDACTED = "***"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def diff(
    before: dict[str, Any], after: dict[str, Any], *, secret: Set[str] = frozenset()
) -> dict[str, list[Any]]:
    """{field: [old, new]} for fields that changed; secret fields are recorded as changed only."""
    changed: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changed[key] = (
                [REDACTED, REDACTED] if key in secret else [_jsonable(old), _jsonable(new)]
            )
    return changed


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    region_code: str | None = None,
    changes: dict[str, Any] | None = None,
) -> ChangeEntry:
    """Append a change-log entry; `action` is a dotted code such as people.person.registered."""
    region_id = region_code or getattr(obj, "region_id", None) or actor.region.code
    return ChangeEntry.objects.create(
        action=action,
        user=actor.user,
        role=actor.role,
        api_token_id=actor.api_token_id,
        region_id=region_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
        ip=actor.ip,
    )


def access_record(
    *,
    actor: Actor,
    kind: str,
    purpose: str,
    region_code: str,
    person: Person | None = None,
    subject: str = "",
    fields: list[str] | None = None,
    row_count: int = 1,
) -> AccessEntry:
    return AccessEntry.objects.create(
        kind=kind,
        user=actor.user,
        role=actor.role,
        api_token_id=actor.api_token_id,
        region_id=region_code,
        person=person,
        subject=subject[:200],
        fields=fields or [],
        purpose=purpose[:200],
        row_count=row_count,
        ip=actor.ip,
    )
