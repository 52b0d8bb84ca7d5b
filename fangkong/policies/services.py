"""Editing a policy: every change is a new version with a reason, audited, cache cleared."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import PermissionDenied, ValidationFailed
from fangkong.core.roles import Perm
from fangkong.regions.models import Level

from .models import ArrivalScope, MeasureType, Policy, PolicyVersion, StageKey
from .rules import policy_cache_clear

EDITABLE = (
    "name", "effective_from", "active", "stages", "certificate_validity_hours",
    "arrival_test_window_hours", "monitoring_days", "arrival_applies_to", "turn_back_enabled",
    "turn_back_origins", "notes",
)  # fmt: skip


def snapshot(policy: Policy) -> dict[str, Any]:
    data = {field: getattr(policy, field) for field in EDITABLE}
    data["effective_from"] = policy.effective_from.isoformat()
    return data


def validate_stages(stages: dict[str, Any]) -> dict[str, Any]:
    errors: list[str] = []
    clean: dict[str, list[dict[str, Any]]] = {}
    for key, sequence in (stages or {}).items():
        if key not in StageKey.values:
            errors.append(_("未知的人员类别：%(key)s") % {"key": key})
            continue
        clean[key] = []
        for n, stage in enumerate(sequence, start=1):
            label = _("%(label)s 第%(n)s阶段") % {"label": StageKey(key).label, "n": n}
            kind, days = stage.get("type"), stage.get("days")
            tests = sorted(set(stage.get("test_days") or []))
            if kind not in MeasureType.values:
                errors.append(_("%(label)s：管控方式无效") % {"label": label})
            if not isinstance(days, int) or not 1 <= days <= 60:
                errors.append(_("%(label)s：天数应为1到60") % {"label": label})
                continue
            if any(not isinstance(d, int) or not 1 <= d <= days for d in tests):
                errors.append(
                    _("%(label)s：检测日应在第1天到第%(days)d天之间")
                    % {"label": label, "days": days}
                )
            clean[key].append({"type": kind, "days": days, "test_days": tests})
    if errors:
        raise ValidationFailed({"stages": errors})
    return clean


@transaction.atomic
def policy_update(*, actor: Actor, policy_id: int, reason: str, **changes: Any) -> Policy:
    """Change a policy; running measures keep their plan until someone re-plans them."""
    actor.require(Perm.POLICIES_MANAGE)
    # A policy is city-wide: only an actor whose region covers the whole city may change it.
    if actor.region.level > Level.CITY:
        raise PermissionDenied(Perm.POLICIES_MANAGE)
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise ValidationFailed({"reason": [_("请说明修改原因")]})
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed({f: [_("不可修改")] for f in unknown})
    policy = Policy.objects.select_for_update().get(pk=policy_id)
    if "stages" in changes:
        changes["stages"] = validate_stages(changes["stages"])
    if "effective_from" in changes and isinstance(changes["effective_from"], str):
        try:
            changes["effective_from"] = dt.date.fromisoformat(changes["effective_from"])
        except ValueError:
            raise ValidationFailed({"effective_from": [_("生效日期格式应为 2022-01-01")]}) from None
    if changes.get("arrival_applies_to", policy.arrival_applies_to) not in ArrivalScope.values:
        raise ValidationFailed({"arrival_applies_to": [_("适用范围无效")]})
    before = snapshot(policy)
    for field, value in changes.items():
        setattr(policy, field, value)
    after = snapshot(policy)
    if after == before:
        return policy
    policy.version += 1
    policy.updated_by = actor.user
    policy.save()
    PolicyVersion.objects.create(
        policy=policy,
        version=policy.version,
        snapshot=after,
        reason=reason,
        created_by=actor.user,
    )
    audit_record(
        actor=actor,
        action="policies.policy.updated",
        obj=policy,
        region_code=actor.region.code,
        changes={
            "version": [policy.version - 1, policy.version],
            "reason": reason,
            **{k: [before[k], after[k]] for k in after if before[k] != after[k]},
        },
    )
    policy_cache_clear()
    transaction.on_commit(policy_cache_clear)
    return policy
