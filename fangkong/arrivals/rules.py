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
    # Whom the rules apply to: out_of_province (origin outside home_province), outside_city
    # (origin outside home_city), all, or none.
    applies_to: str = "out_of_province"
    home_province: str = "43"
    home_city: str = "4331"
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
    """The rules of the policy in force (fangkong.policies), or the defaults without one."""
    try:
        from fangkong.policies.rules import arrival_rules
    except ImportError:
        return DEFAULT_RULES
    from fangkong.core.errors import ValidationFailed

    try:
        given = arrival_rules(at=at)
    except ValidationFailed:
        return DEFAULT_RULES
    return replace(
        DEFAULT_RULES,
        certificate_validity=given.certificate_validity,
        arrival_test_window=given.arrival_test_window,
        monitoring_days=given.monitoring_days,
        applies_to=given.applies_to,
        turn_back_origins=given.turn_back_origins if given.turn_back_enabled else (),
        version=_policy_name(at),
    )


def _policy_name(at: dt.datetime) -> str:
    from fangkong.policies.rules import policy_in_force

    policy = policy_in_force(at=at)
    return f"{policy.name} v{policy.version}"[:100]


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
    from django.conf import settings

    rules = _from_policy(at)
    city = getattr(settings, "HOME_CITY_CODE", rules.home_city)
    if city != rules.home_city:
        rules = replace(rules, home_city=city, home_province=city[:2])
    with _lock:
        if len(_cached) > 64:
            _cached.clear()
        _cached[key] = (now, rules)
    return rules


def forget_rules() -> None:
    with _lock:
        _cached.clear()
