"""Self-report (来返报备): a public form, no login, reached from a county's or a checkpoint's QR.

The report runs the same verdict as a checkpoint (without a temperature), creates or finds the
person, and opens an arrival with its obligations, or revises the person's open self-reported
arrival when they report again. An arrival the verdict pushes to its village also becomes a
key-population screening record there (push_to_screening). Abuse is held off by a per-address
limit counted in the database (every worker sees the same count), a honeypot field and CSRF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import crypto
from fangkong.core.errors import ValidationFailed
from fangkong.riskareas.selectors import level_on

from .followup import transfer_arrange
from .models import Arrival, ArrivalSource, ArrivalStatus, ReportAttempt, TravelMode
from .places import place_name
from .rules import arrival_rules_at
from .services import arrival_open, arrival_revise, verification_hand_over

if TYPE_CHECKING:
    from fangkong.checkpoints.verdict import Decision

RATE_LIMIT = 5  # reports per address
RATE_WINDOW = dt.timedelta(hours=1)
RECEIPT_SALT = "arrivals.receipt"
RECEIPT_MAX_AGE = 15 * 24 * 3600


class RateLimited(Exception):
    """Too many reports from one address: answered with 429."""


@dataclass(frozen=True)
class Report:
    arrival: Arrival
    decision: object
    revised: bool


def _address_key(ip: str | None) -> str:
    return crypto.blind_index("report-ip", ip or "unknown")


def rate_limit_check(*, ip: str | None, now: dt.datetime) -> None:
    key = _address_key(ip)
    recent = ReportAttempt.objects.filter(key=key, at__gt=now - RATE_WINDOW).count()
    if recent >= RATE_LIMIT:
        raise RateLimited()
    ReportAttempt.objects.create(key=key, at=now)
    # Old attempts are of no use to the limit; drop them now and then.
    if recent == 0:
        ReportAttempt.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()


def _details(data: dict) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    mode = data.get("travel_mode") or ""
    if mode not in TravelMode.values:
        errors["travel_mode"] = [_("请选择交通方式")]
    number = " ".join(str(data.get("travel_number") or "").split())[:30]
    doses_raw = str(data.get("vaccine_doses") or "").strip()
    doses = None
    if doses_raw:
        if not doses_raw.isdigit() or int(doses_raw) > 4:
            errors["vaccine_doses"] = [_("疫苗接种剂次应为 0 到 4")]
        else:
            doses = int(doses_raw)
    address = " ".join(str(data.get("address") or "").split())[:200]
    details = {"travel_mode": mode, "travel_number": number, "vaccine_doses": doses,
               "address": address}  # fmt: skip
    return details, errors


def self_report_submit(*, data: dict, county_code: str, ip: str | None) -> Report:
    """Validate and record a self-report for an arrival in `county_code`."""
    from fangkong.checkpoints.checks import clean_check
    from fangkong.checkpoints.services import _create_person, _facts, _find_person
    from fangkong.checkpoints.verdict import decide

    now = timezone.now()
    details, errors = _details(data)
    try:
        given = clean_check(data, now=now, temperature_required=False)
    except ValidationFailed as exc:
        errors = {**exc.errors, **errors}
        given = None
    if given is not None and not given.destination.startswith(county_code):
        errors["destination"] = [_("目的地应在本县（市）内，请选择乡镇和村（社区）")]
    if errors:
        raise ValidationFailed(errors)
    assert given is not None  # clean_check's errors were raised above
    rate_limit_check(ip=ip, now=now)
    rules = arrival_rules_at(given.arrival_at)
    facts = _facts(given)
    decision = decide(facts, rules, level_on)
    with transaction.atomic():
        person_id, index = _find_person(given)
        if person_id is None:
            person_id = _create_person(given, index, _SelfReporter())
        existing = (
            Arrival.objects.select_for_update()
            .filter(
                person_id=person_id, source=ArrivalSource.SELF_REPORT, status=ArrivalStatus.OPEN
            )  # fmt: skip
            .order_by("-arrived_at")
            .first()
        )
        if existing is not None:
            existing.region_id = given.destination
            arrival = arrival_revise(arrival=existing, facts=facts, decision=decision, **details)
        else:
            arrival = arrival_open(
                person_id=person_id, region_id=given.destination,
                source=ArrivalSource.SELF_REPORT, facts=facts, decision=decision, **details,
            )  # fmt: skip
        if decision.verdict == "transfer":
            transfer_arrange(arrival_id=arrival.pk, person_id=person_id,
                             region_id=given.destination, source="arrival",
                             ref=f"arrival:{arrival.pk}")  # fmt: skip
        if decision.push_to_village:
            push_to_screening(arrival=arrival, decision=decision, now=now)
    return Report(arrival, decision, revised=existing is not None)


def push_to_screening(*, arrival: Arrival, decision: Decision, now: dt.datetime) -> int | None:
    """An arrival the verdict pushes to its village (origin or itinerary in a county with a
    medium or high-risk area, a yellow or red code, the itinerary asterisk: the checkpoint's
    reasons) is verified in key-population screening: one record in the destination village,
    kept up to date when the report is revised, and the arrival's village verification handed
    over to it. Answers the record's id (None on a platform without screening)."""
    try:
        from fangkong.screening.intake import IntakeFacts, category_for, record_from_arrival
        from fangkong.screening.models import Source
    except ImportError:  # without screening the village verification stays the grid worker's
        return None
    reasons = decision.reason_codes
    facts = IntakeFacts(
        arrived_at=arrival.arrived_at, source_place=place_name(arrival.origin_code),
        address=arrival.address, health_code=arrival.health_code, reasons=reasons,
    )  # fmt: skip
    record = record_from_arrival(
        actor=None, person_id=arrival.person_id, region_id=arrival.region_id,
        source=Source.SELF_REPORT, category=category_for(reasons),
        reference=f"arrival:{arrival.pk}", facts=facts, now=now,
    )  # fmt: skip
    verification_hand_over(arrival_id=arrival.pk, record_id=record.pk, now=now)
    return record.pk


class _SelfReporter:
    """The reporter has no account: people created from a self-report have no registrar."""

    user = None


def receipt_token(arrival: Arrival) -> str:
    return signing.dumps({"a": arrival.pk}, salt=RECEIPT_SALT, compress=True)


def receipt_arrival(token: str) -> Arrival | None:
    try:
        data = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        return None
    return Arrival.objects.filter(pk=data.get("a")).first()
