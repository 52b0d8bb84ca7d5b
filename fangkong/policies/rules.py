"""The policy as the rest of the platform reads it: immutable, typed and cached in process.

`policy_in_force(at=...)` is on the checkpoint hot path, so policies are loaded once per
process and kept for CACHE_SECONDS; an edit clears this process's cache at once, and other
processes pick the edit up within CACHE_SECONDS.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import TypedDict

from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.errors import ValidationFailed

CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class StagePlan:
    type: str
    days: int
    test_days: tuple[int, ...]


@dataclass(frozen=True)
class ArrivalRules:
    certificate_validity: dt.timedelta
    arrival_test_window: dt.timedelta
    monitoring_days: int
    applies_to: str
    turn_back_enabled: bool
    turn_back_origins: tuple[str, ...]

    def turns_back(self, origin_code: str) -> bool:
        """Whether the policy turns back arrivals from this division (off by default)."""
        return self.turn_back_enabled and any(
            origin_code.startswith(code) for code in self.turn_back_origins
        )


@dataclass(frozen=True)
class PolicySet:
    id: int
    code: str
    name: str
    version: int
    effective_from: dt.date
    stages: dict[str, tuple[StagePlan, ...]]
    arrival: ArrivalRules

    def stages_for(self, category: str, risk_level: str | None = None) -> tuple[StagePlan, ...]:
        """The stage sequence for a person category; empty when the category is not managed."""
        return self.stages.get(stage_key(category, risk_level), ())


def stage_key(category: str, risk_level: str | None) -> str:
    if category == "risk_area":
        return "risk_area_medium" if risk_level == "medium" else "risk_area_high"
    return category


def plans_from(raw: dict) -> dict[str, tuple[StagePlan, ...]]:
    return {
        key: tuple(
            StagePlan(type=s["type"], days=int(s["days"]), test_days=tuple(s["test_days"]))
            for s in stages
        )
        for key, stages in raw.items()
    }


def policy_set_of(policy) -> PolicySet:
    return PolicySet(
        id=policy.pk,
        code=policy.code,
        name=policy.name,
        version=policy.version,
        effective_from=policy.effective_from,
        stages=plans_from(policy.stages),
        arrival=ArrivalRules(
            certificate_validity=dt.timedelta(hours=policy.certificate_validity_hours),
            arrival_test_window=dt.timedelta(hours=policy.arrival_test_window_hours),
            monitoring_days=policy.monitoring_days,
            applies_to=policy.arrival_applies_to,
            turn_back_enabled=policy.turn_back_enabled,
            turn_back_origins=tuple(policy.turn_back_origins or ()),
        ),
    )


_lock = threading.Lock()


class _Cache(TypedDict):
    loaded: float
    active: tuple[PolicySet, ...]


_cache: _Cache = {"loaded": 0.0, "active": ()}


def _active_policies() -> tuple[PolicySet, ...]:
    now = time.monotonic()
    if now - _cache["loaded"] < CACHE_SECONDS and _cache["active"]:
        return _cache["active"]
    from .models import Policy

    with _lock:
        loaded = tuple(
            policy_set_of(p) for p in Policy.objects.filter(active=True).order_by("effective_from")
        )
        _cache.update({"loaded": now, "active": loaded})
    return loaded


def policy_cache_clear() -> None:
    with _lock:
        _cache.update({"loaded": 0.0, "active": ()})


def policy_in_force(*, at: dt.datetime | dt.date | None = None) -> PolicySet:
    """The active policy with the latest effective date on or before `at`."""
    at = at or timezone.now()
    day = timezone.localdate(at) if isinstance(at, dt.datetime) else at
    candidates = [p for p in _active_policies() if p.effective_from <= day]
    if not candidates:
        raise ValidationFailed(_("%(day)s 没有生效的防控政策") % {"day": day.isoformat()})
    return candidates[-1]


def arrival_rules(*, at: dt.datetime | dt.date | None = None) -> ArrivalRules:
    """The arrival rules (48 h certificate, 24 h arrival test, 14-day monitoring) in force."""
    return policy_in_force(at=at).arrival
