"""Writes to the risk-area registry. Every change leaves a history line and an audit entry,
and drops the in-process snapshot that level_on() answers from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.categories import RiskLevel
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.regions.models import Region

from .codes import compact_code
from .models import RiskArea, RiskAreaChange
from .selectors import invalidate_snapshot


@dataclass(frozen=True)
class AreaInput:
    code: str
    name: str
    level: str
    effective_from: dt.datetime
    lifted_at: dt.datetime | None = None
    source: str = ""


def clean_code(raw: str) -> str:
    """The compact code of a county, township or village whose county is known, or an error."""
    text = "".join((raw or "").split())
    if not text.isdigit() or len(text) not in (6, 9, 12):
        raise ValueError(_("地区代码应为6、9或12位数字：%(value)s") % {"value": raw})
    code = compact_code(text)
    if len(code) < 6:
        raise ValueError(_("地区代码 %(value)s 不是县级及以下区划") % {"value": raw})
    if not Region.objects.filter(code=code[:6]).exists():
        raise ValueError(_("未知的县级区划代码：%(code)s") % {"code": code[:6]})
    return code


def clean_area(given: AreaInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    try:
        code = clean_code(given.code)
    except ValueError as exc:
        errors["code"] = [str(exc)]
        code = ""
    name = " ".join((given.name or "").split())
    if not name:
        errors["name"] = [_("风险区名称为空")]
    if given.level not in RiskLevel.values:
        errors["level"] = [_("风险等级应为 高、中 或 低")]
    if given.lifted_at is not None and given.lifted_at <= given.effective_from:
        errors["lifted_at"] = [_("解除时间应晚于生效时间")]
    if errors:
        raise ValidationFailed(errors)
    return {
        "code": code,
        "county_code": code[:6],
        "name": name[:200],
        "level": given.level,
        "effective_from": given.effective_from,
        "lifted_at": given.lifted_at,
        "source": (given.source or "")[:200],
    }


def _require(actor: Actor | None) -> None:
    if actor is not None:
        actor.require(Perm.RISKAREAS_MANAGE)


def _changed(
    area: RiskArea, action: str, changes: dict[str, Any], actor: Actor | None, note: str = ""
) -> None:
    RiskAreaChange.objects.create(
        area=area, action=action, changes=changes, note=note[:200],
        changed_by=actor.user if actor else None,
    )  # fmt: skip
    if actor is not None:
        audit_record(
            actor=actor, action=f"riskareas.area.{action}", obj=area,
            region_code=actor.region.code, changes=changes,
        )  # fmt: skip
    invalidate_snapshot()
    transaction.on_commit(invalidate_snapshot)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in values.items()}


@transaction.atomic
def riskarea_save(*, actor: Actor | None, given: AreaInput, note: str = "") -> tuple[RiskArea, str]:
    """Create the area, or update the one with the same code, name and start.

    Answers the area and what happened: "created", "updated" or "unchanged".
    """
    _require(actor)
    values = clean_area(given)
    area = (
        RiskArea.objects.select_for_update()
        .filter(code=values["code"], name=values["name"], effective_from=values["effective_from"])
        .first()
    )
    if area is None:
        area = RiskArea.objects.create(**values)
        _changed(area, "created", _jsonable(values), actor, note)
        return area, "created"
    changes = {
        key: [_jsonable({key: getattr(area, key)})[key], _jsonable({key: value})[key]]
        for key, value in values.items()
        if getattr(area, key) != value
    }
    if not changes:
        return area, "unchanged"
    for key, value in values.items():
        setattr(area, key, value)
    area.save()
    _changed(area, "updated", changes, actor, note)
    return area, "updated"


@transaction.atomic
def riskarea_lift(
    *, actor: Actor | None, area_id: int, lifted_at: dt.datetime | None = None, note: str = ""
) -> RiskArea:
    _require(actor)
    area = RiskArea.objects.select_for_update().get(pk=area_id)
    lifted_at = lifted_at or timezone.now()
    if lifted_at <= area.effective_from:
        raise ValidationFailed({"lifted_at": [_("解除时间应晚于生效时间")]})
    before = area.lifted_at
    area.lifted_at = lifted_at
    area.save(update_fields=["lifted_at", "updated_at"])
    old = before.isoformat() if before else None
    _changed(area, "lifted", {"lifted_at": [old, lifted_at.isoformat()]}, actor, note)
    return area
