"""The arrival rules as data: how long a certificate is valid, when the arrival test is due,
how long monitoring lasts, which origins they apply to, and which origins are turned back.

The versioned policy (fangkong.policies) carries these values; arrival_rules_at() reads the
policy in force and falls back to DEFAULT_RULES (Hunan, 1 January – 15 March 2022) where no
policy says otherwise. The result is cached in process for RULES_TTL seconds: every
checkpoint check needs it, and a policy changes a few times a year.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal

RULES_TTL = 30.0


@dataclass(frozen=True)
class ArrivalRules:
    certificate_validity: dt.timedelta = dt.timedelta(hours=48)
    arrival_test_window: dt.timedelta = dt.timedelta(hours=24)
    monitoring_days: int = 14
    fever_threshold: Decimal = Decimal("37.3")
    # The province whose border counts: an origin outside it is an out-of-province arrival.
    home_province: str = "43"
    # Empty: the rules apply to every origin outside the home province; otherwise only to
    # origins under these division-code prefixes.
    origin_prefixes: tuple[str, ...] = ()
    # Off by default; a policy may name origins whose travellers are turned back (劝返).
    turn_back_origins: tuple[str, ...] = field(default=())
    version: str = "湖南省2022年1月1日—3月15日外省来返规定"


DEFAULT_RULES = ArrivalRules()

_lock = threading.Lock()
_cached: dict[str, tuple[float, ArrivalRules]] = {}


def _from_policy(at: dt.datetime) -> ArrivalRules:
    try:
        from fangkong.policies.selectors import policy_in_force
    except ImportError:
        return DEFAULT_RULES
    policy = policy_in_force(at=at)
    if policy is None:
        return DEFAULT_RULES
    values = getattr(policy, "arrival_rules", None)
    if callable(values):
        values = values()
    if isinstance(values, ArrivalRules):
        return values
    if not isinstance(values, dict):
        return DEFAULT_RULES
    return rules_from_mapping(values, version=str(policy))


def rules_from_mapping(values: dict, *, version: str = "") -> ArrivalRules:
    """ArrivalRules from plain data such as a policy's JSON: hours, days and code lists."""
    known = {f.name for f in fields(ArrivalRules)}
    changes: dict = {}
    hours = {"certificate_validity_hours": "certificate_validity",
             "arrival_test_window_hours": "arrival_test_window"}  # fmt: skip
    for key, value in values.items():
        if key in hours:
            changes[hours[key]] = dt.timedelta(hours=float(value))
        elif key in ("origin_prefixes", "turn_back_origins"):
            changes[key] = tuple(str(v) for v in value or ())
        elif key == "fever_threshold":
            changes[key] = Decimal(str(value))
        elif key == "monitoring_days":
            changes[key] = int(value)
        elif key in known and key not in ("version",):
            changes[key] = value
    if version:
        changes["version"] = version
    return replace(DEFAULT_RULES, **changes)


def arrival_rules_at(at: dt.datetime) -> ArrivalRules:
    """The rules in force at `at` (cached per day in process)."""
    key = at.date().isoformat()
    hit = _cached.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < RULES_TTL:
        return hit[1]
    rules = _from_policy(at)
    with _lock:
        if len(_cached) > 64:
            _cached.clear()
        _cached[key] = (now, rules)
    return rules


def forget_rules() -> None:
    with _lock:
        _cached.clear()
