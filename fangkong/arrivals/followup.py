"""What a verdict sets going beyond the arrival's own list of obligations.

- A transfer to centralised quarantine (red code, high-risk area) starts the measure the policy
  prescribes (fangkong.measures.planning.measure_start) at a quarantine site of the destination
  county that has a free bed; the transfer obligation is then done and the measure takes over.
  Without such a site the HQ alert stands and an obligation "待安排隔离点" (await_site) is
  opened for the county, due at once; the periodic sweep (transfers_retry) places the person
  as soon as a site of the county has a free bed, unless a measure was started meanwhile.
- A transfer to hospital (positive test) is not a quarantine measure: the HQ alert and the
  obligation stay for the people who move the patient.

The checkpoint cannot tell why a code is red; the person is placed under the plan for arrivals
from high-risk areas (identical to the close-contact plan in the 8th edition), and the county
re-categorises the measure once the reason is known.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.actor import Actor, system_actor
from fangkong.core.categories import PersonCategory, RiskLevel
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm, Role

from .models import ArrivalObligation, ArrivalSource, ObligationStatus

CENTRALISED = "centralised_quarantine"
AWAIT_SITE = "await_site"


def _acting_for_county(county, actor: Actor | None) -> Actor:
    """Who starts the measure: the checking officer (or token) acting for the destination
    county, with only the right to start a measure; the audit names the officer."""
    return Actor(
        user=actor.user if actor else None,
        region=county,
        role=actor.role if actor else Role.OPERATOR,
        api_token_id=actor.api_token_id if actor else None,
        ip=actor.ip if actor else None,
        permissions=frozenset({Perm.MEASURES_MANAGE}),
    )


def site_with_space(county_code: str):
    """The open quarantine site of the county with the most free beds, or None."""
    from fangkong.measures.models import Site, SiteStatus
    from fangkong.measures.placements import free_beds

    sites = list(
        Site.objects.filter(region__code__startswith=county_code)
        .exclude(status=SiteStatus.CLOSED)
        .only("pk", "name", "region_id", "status")
    )
    if not sites:
        return None
    free = free_beds([s.pk for s in sites])
    best = max(sites, key=lambda s: (free[s.pk], -s.pk))
    return best if free[best.pk] > 0 else None


def transfer_arrange(
    *,
    arrival_id: int,
    person_id: int,
    region_id: str,
    source: str,
    ref: str,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
    fresh: bool = False,
):
    """Start centralised quarantine for an arrival whose transfer obligation is open, or open
    the await-site obligation. `fresh`: the arrival was opened just now with that obligation
    (the checkpoint's case), so there is nothing to look up first. Answers the measure, or
    None."""
    try:
        from fangkong.measures.planning import measure_start
    except ImportError:  # a platform without the measures module keeps the obligation
        return None
    from fangkong.people.models import Person
    from fangkong.regions.models import Region

    now = now or timezone.now()
    open_transfer = ArrivalObligation.objects.filter(
        arrival_id=arrival_id, kind=CENTRALISED, status=ObligationStatus.OPEN
    )
    if not fresh and not open_transfer.exists():
        return None
    site = site_with_space(region_id[:6])
    measure = None
    if site is not None:
        county = Region.objects.get(code=region_id[:6])
        try:
            with transaction.atomic():
                measure = measure_start(
                    actor=_acting_for_county(county, actor),
                    person=Person.objects.get(pk=person_id), category=PersonCategory.RISK_AREA,
                    risk_level=RiskLevel.HIGH, source=source, source_ref=ref, started_at=now,
                    site=site,
                )  # fmt: skip
        except ValidationFailed:
            # Already under a running measure, or the last bed went meanwhile.
            measure = _running_measure(person_id)
    elif not fresh:
        # No free bed now, but the person may have been placed by hand meanwhile.
        measure = _running_measure(person_id)
    if measure is None:
        _await_site(arrival_id, person_id, region_id, now, check=not fresh)
        return None
    open_transfer.update(
        status=ObligationStatus.DONE, done_at=now, done_ref=f"measure:{measure.pk}",
        note=(measure.site.name if measure.site is not None else "")[:200],
    )  # fmt: skip
    ArrivalObligation.objects.filter(
        arrival_id=arrival_id, kind=AWAIT_SITE, status=ObligationStatus.OPEN
    ).update(status=ObligationStatus.DONE, done_at=now, done_ref=f"measure:{measure.pk}")
    return measure


def _running_measure(person_id: int):
    from fangkong.measures.models import Measure

    return Measure.objects.filter(person_id=person_id, status__in=("active", "blocked")).first()


def _await_site(arrival_id: int, person_id: int, region_id: str, now: dt.datetime,
                check: bool = True) -> None:  # fmt: skip
    if (
        check
        and ArrivalObligation.objects.filter(
            arrival_id=arrival_id, kind=AWAIT_SITE, status=ObligationStatus.OPEN
        ).exists()
    ):
        return
    ArrivalObligation.objects.create(
        arrival_id=arrival_id, person_id=person_id, region_id=region_id, kind=AWAIT_SITE,
        due_at=now, note=_("目的地县（市）暂无空余床位的集中隔离点"),
    )  # fmt: skip


RETRY_BATCH = 200


def transfers_retry(*, now: dt.datetime | None = None, limit: int = RETRY_BATCH) -> int:
    """Arrange the transfers still awaiting a site, oldest first (run by the arrivals sweep):
    a county that has a free bed again gets its people placed, and one placed by hand
    meanwhile has their obligations closed against that measure. Answers how many were
    placed or found placed."""
    now = now or timezone.now()
    waiting = (
        ArrivalObligation.objects.filter(kind=AWAIT_SITE, status=ObligationStatus.OPEN)
        .select_related("arrival")
        .order_by("due_at", "id")[:limit]
    )
    placed = 0
    for obligation in waiting:
        arrival = obligation.arrival
        from_checkpoint = arrival.source == ArrivalSource.CHECKPOINT
        measure = transfer_arrange(
            arrival_id=arrival.pk, person_id=arrival.person_id, region_id=arrival.region_id,
            source="checkpoint" if from_checkpoint else "arrival",
            ref=arrival.source_ref if from_checkpoint else f"arrival:{arrival.pk}",
            actor=system_actor(), now=now,
        )  # fmt: skip
        placed += measure is not None
    return placed
