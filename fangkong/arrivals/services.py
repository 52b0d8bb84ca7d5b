"""Writes for arrivals: open an arrival with its obligations, follow them up, close them.

An arrival comes from a checkpoint check or a self-report; both go through the same verdict
(fangkong.checkpoints.verdict.decide) and arrival_open() turns the decision into obligations:
the arrival test, 14 days of monitoring, the village's verification (the grid worker's task),
a transfer. A transfer also alerts the city HQ.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm

from .followup import transfers_retry
from .models import (
    Arrival,
    ArrivalObligation,
    ArrivalStatus,
    MonitoringDay,
    ObligationStatus,
)

if TYPE_CHECKING:
    from fangkong.checkpoints.verdict import CheckFacts, Decision
    from fangkong.labtests.models import NatTest

TESTS = ("arrival_test", "sample_on_site")
TRANSFERS = ("hospital_transfer", "centralised_quarantine")
VILLAGE_VERIFICATION = "village_verification"
# The note of a village verification whose work a screening record has taken over.
HANDED_OVER_NOTE = gettext_lazy("已转入重点人群排查")


def arrival_values(
    *,
    person_id: int | None,
    region_id: str,
    source: str,
    facts: CheckFacts,
    decision: Decision,
    source_ref: str = "",
    travel_mode: str = "",
    travel_number: str = "",
    address: str = "",
    vaccine_doses: int | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The field values of an arrival and of its obligations, as a decision implies them."""
    arrival = {
        "person_id": person_id, "region_id": region_id, "source": source,
        "source_ref": source_ref, "origin_code": facts.origin, "itinerary": list(facts.itinerary),
        "travel_mode": travel_mode, "travel_number": travel_number,
        "arrived_at": facts.arrival_at, "health_code": facts.health_code,
        "nat_sampled_at": facts.nat_sampled_at, "nat_result": facts.nat_result or "",
        "vaccine_doses": vaccine_doses, "verdict": decision.verdict, "address": address,
        "reasons": [r.code for r in decision.reasons], "status": ArrivalStatus.OPEN,
        "reports": 1,
    }  # fmt: skip
    obligations = [
        {"person_id": person_id, "region_id": region_id, "kind": o.kind, "due_at": o.due_at,
         "ends_at": o.ends_at, "status": ObligationStatus.OPEN, "done_ref": "", "note": ""}
        for o in decision.obligations
    ]  # fmt: skip
    return arrival, obligations


def _obligation_rows(arrival: Arrival, decision: Decision) -> list[ArrivalObligation]:
    return [
        ArrivalObligation(
            arrival=arrival,
            person_id=arrival.person_id,
            region_id=arrival.region_id,
            kind=o.kind,
            due_at=o.due_at,
            ends_at=o.ends_at,
        )  # fmt: skip
        for o in decision.obligations
    ]


def alert_hq(*, arrival_id: int, region_id: str, decision: Decision) -> None:
    """Tell the city HQ about a transfer (through the notifications module)."""
    try:
        from fangkong.notifications.services import notify
    except ImportError:
        return
    reasons = "；".join(r.message for r in decision.reasons[:2])
    notify(
        region_code=settings.HOME_CITY_CODE,
        kind="arrivals.transfer",
        message=_("来返人员需转运（目的地 %(region)s）：%(reasons)s")
        % {"region": region_id, "reasons": reasons},
        link=f"/arrivals/{arrival_id}/",
        level="danger",
    )


def arrival_open(
    *,
    person_id: int,
    region_id: str,
    source: str,
    facts: CheckFacts,
    decision: Decision,
    source_ref: str = "",
    travel_mode: str = "",
    travel_number: str = "",
    address: str = "",
    vaccine_doses: int | None = None,
) -> Arrival:
    """A new arrival with the obligations its decision implies (the caller holds a transaction
    or accepts the inserts one by one)."""
    values, _obligations = arrival_values(
        person_id=person_id, region_id=region_id, source=source, facts=facts,
        decision=decision, source_ref=source_ref, travel_mode=travel_mode,
        travel_number=travel_number, address=address, vaccine_doses=vaccine_doses,
    )  # fmt: skip
    arrival = Arrival.objects.create(**values)
    ArrivalObligation.objects.bulk_create(_obligation_rows(arrival, decision))
    if decision.alert_hq:
        alert_hq(arrival_id=arrival.pk, region_id=region_id, decision=decision)
    return arrival


def arrival_revise(
    *, arrival: Arrival, facts: CheckFacts, decision: Decision, **details: Any
) -> Arrival:
    """A second report of the same journey: new facts replace the old, obligations still
    open are planned again from the new decision, those already done stay done."""
    for key, value in {
        "origin_code": facts.origin, "itinerary": list(facts.itinerary),
        "arrived_at": facts.arrival_at, "health_code": facts.health_code,
        "nat_sampled_at": facts.nat_sampled_at, "nat_result": facts.nat_result or "",
        "verdict": decision.verdict, "reasons": [r.code for r in decision.reasons], **details,
    }.items():  # fmt: skip
        setattr(arrival, key, value)
    arrival.reports += 1
    arrival.status = ArrivalStatus.OPEN
    arrival.save()
    done = set(
        arrival.obligations.exclude(status=ObligationStatus.OPEN).values_list("kind", flat=True)
    )
    arrival.obligations.filter(status=ObligationStatus.OPEN).delete()
    rows = [o for o in _obligation_rows(arrival, decision) if o.kind not in done]
    ArrivalObligation.objects.bulk_create(rows)
    if decision.alert_hq:
        alert_hq(arrival_id=arrival.pk, region_id=arrival.region_id, decision=decision)
    return arrival


@transaction.atomic
def obligation_complete(*, actor: Actor, obligation_id: int, note: str = "") -> ArrivalObligation:
    """The grid worker (or the county) marks a task done: verified, transferred, clinic seen."""
    actor.require(Perm.ARRIVALS_FOLLOW_UP)
    obligation = ArrivalObligation.objects.select_for_update().get_visible(actor, pk=obligation_id)
    if obligation.status != ObligationStatus.OPEN:
        raise ValidationFailed(_("该事项已完成或已结束"))
    obligation.status = ObligationStatus.DONE
    obligation.done_at = timezone.now()
    obligation.done_ref = f"user:{actor.user.pk}" if actor.user else "api"
    obligation.note = note[:200]
    obligation.save()
    audit_record(
        actor=actor, action="arrivals.obligation.completed", obj=obligation,
        changes={"kind": obligation.kind, "note": obligation.note},
    )  # fmt: skip
    _close_if_settled(obligation.arrival_id)
    return obligation


@transaction.atomic
def monitoring_record(
    *,
    actor: Actor,
    obligation_id: int,
    day: dt.date,
    temperature: Decimal | None,
    symptoms: str = "",
) -> MonitoringDay:
    actor.require(Perm.ARRIVALS_FOLLOW_UP)
    obligation = ArrivalObligation.objects.get_visible(
        actor, pk=obligation_id, kind="health_monitoring"
    )
    starts = timezone.localdate(obligation.due_at)
    ends = timezone.localdate(obligation.ends_at)
    if not starts <= day <= ends or day > timezone.localdate():
        raise ValidationFailed({"day": [_("日期不在监测期内")]})
    entry, _created = MonitoringDay.objects.update_or_create(
        obligation=obligation, day=day,
        defaults={"temperature": temperature, "symptoms": symptoms[:100],
                  "recorded_by": actor.user},
    )  # fmt: skip
    audit_record(
        actor=actor, action="arrivals.monitoring.recorded", obj=obligation,
        changes={"day": day.isoformat(), "temperature": str(temperature or ""),
                 "symptoms": symptoms[:100]},
    )  # fmt: skip
    if (temperature is not None and temperature >= FEVER) or symptoms.strip():
        _alert_fever(obligation, day, temperature, symptoms)
    return entry


FEVER = Decimal("37.3")


def _alert_fever(
    obligation: ArrivalObligation, day: dt.date, temperature: Decimal | None, symptoms: str
) -> None:
    """A fever or a symptom during monitoring: the county is told at once (fever clinic)."""
    try:
        from fangkong.notifications.services import notify
    except ImportError:
        return
    notify(
        region_code=obligation.region_id[:6], kind="arrivals.fever", level="danger",
        message=_("健康监测异常（%(region)s，%(day)s）：体温 %(t)s ℃ %(symptoms)s")
        % {"region": obligation.region_id, "day": day.isoformat(),
           "t": temperature if temperature is not None else "—", "symptoms": symptoms[:60]},
        link=f"/arrivals/{obligation.arrival_id}/",
    )  # fmt: skip


def verification_hand_over(*, arrival_id: int, record_id: int, now: dt.datetime) -> int:
    """The arrival's open village verification becomes the work of screening record
    `record_id`: closed (not done: the grid worker verifies on the record), with the record as
    its reference. The checkpoint sweep does the same set-based
    (fangkong.screening.sweeps). Answers the number of obligations handed over."""
    with translation.override(settings.LANGUAGE_CODE):
        note = str(HANDED_OVER_NOTE)
    handed = ArrivalObligation.objects.filter(
        arrival_id=arrival_id, kind=VILLAGE_VERIFICATION, status=ObligationStatus.OPEN
    ).update(
        status=ObligationStatus.CLOSED, done_at=now, done_ref=f"screening:{record_id}", note=note
    )
    if handed:
        _close_if_settled(arrival_id)
    return handed


def _close_if_settled(arrival_id: int) -> None:
    if not ArrivalObligation.objects.filter(
        arrival_id=arrival_id, status=ObligationStatus.OPEN
    ).exists():
        Arrival.objects.filter(pk=arrival_id).update(status=ArrivalStatus.CLOSED)


def on_result_recorded(*, test: NatTest, actor: Actor | None = None) -> None:
    """Labtests handler: a result for a person closes their open arrival test (or on-site
    sample) when it was sampled at or after the arrival; a positive one alerts the HQ."""
    if getattr(test, "result", "pending") not in ("negative", "positive"):
        return
    candidates = ArrivalObligation.objects.select_related("arrival").filter(
        arrival__person_id=test.person_id, kind__in=TESTS, status=ObligationStatus.OPEN,
        arrival__arrived_at__lte=test.sampled_at + dt.timedelta(hours=2),
    )  # fmt: skip
    for obligation in candidates:
        late = obligation.due_at is not None and test.sampled_at > obligation.due_at
        obligation.status = ObligationStatus.DONE
        obligation.done_at = timezone.now()
        obligation.done_ref = f"nattest:{test.pk}"
        obligation.note = (_("逾期完成") + "；" if late else "") + str(test.result)
        obligation.save(update_fields=["status", "done_at", "done_ref", "note"])
        _close_if_settled(obligation.arrival_id)
        if test.result == "positive":
            _alert_positive(obligation)


def _alert_positive(obligation: ArrivalObligation) -> None:
    try:
        from fangkong.notifications.services import notify
    except ImportError:
        return
    notify(
        region_code=settings.HOME_CITY_CODE, kind="arrivals.positive",
        message=_("来返人员落地检阳性（%(region)s）") % {"region": obligation.region_id},
        link=f"/arrivals/{obligation.arrival_id}/", level="danger",
    )  # fmt: skip


def obligations_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Close monitoring that has run its 14 days, and arrivals with nothing left open.

    Run by `fangkong arrivals-sweep` (hourly from cron or the task runner); the lists also
    treat monitoring past its end as finished, so a late sweep changes no figure.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ended = ArrivalObligation.objects.filter(
            kind="health_monitoring", status=ObligationStatus.OPEN, ends_at__lte=now
        )
        arrival_ids = list(ended.values_list("arrival_id", flat=True))
        closed = ended.update(status=ObligationStatus.CLOSED, done_at=now)
        settled = (
            Arrival.objects.filter(pk__in=arrival_ids, status=ArrivalStatus.OPEN)
            .exclude(obligations__status=ObligationStatus.OPEN)
            .update(status=ArrivalStatus.CLOSED)
        )
    return {"monitoring_closed": closed, "arrivals_closed": settled}


def arrivals_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic pass (`fangkong arrivals-sweep`, hourly): close monitoring that has run
    its days and arrivals with nothing left open, place the transfers awaiting a site where a
    bed is free again, then flag each county that has overdue
    arrival tests, overdue tasks or missed monitoring days, once a day (an alert to the county
    linking to its overdue list)."""
    from .selectors import overdue_rollup

    now = now or timezone.now()
    counts = obligations_sweep(now=now)
    counts["transfers_placed"] = transfers_retry(now=now)
    rollup = overdue_rollup(ArrivalObligation.objects.all(), now=now)
    counts.update(overdue_tests=0, overdue_tasks=0, missed_days=0, counties_flagged=0)
    for county in rollup:
        counts["overdue_tests"] += county["tests"]
        counts["overdue_tasks"] += county["tasks"]
        counts["missed_days"] += county["missed_days"]
        if (county["tests"] or county["tasks"] or county["missed_days"]) and _flag_county(
            county, now
        ):
            counts["counties_flagged"] += 1
    return counts


def _flag_county(county: dict[str, Any], now: dt.datetime) -> bool:
    """One overdue alert per county and day; False when today's was already sent."""
    try:
        from fangkong.notifications.models import Notification
        from fangkong.notifications.services import notify
    except ImportError:
        return False
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if Notification.objects.filter(
        region_id=county["code"], kind="arrivals.overdue", created_at__gte=midnight
    ).exists():
        return False
    notify(
        region_code=county["code"], kind="arrivals.overdue", link="/arrivals/overdue/",
        message=_("来返人员逾期：落地检 %(tests)d 人，其他事项 %(tasks)d 项，"
                  "漏报健康监测 %(days)d 人天")
        % {"tests": county["tests"], "tasks": county["tasks"], "days": county["missed_days"]},
    )  # fmt: skip
    return True
