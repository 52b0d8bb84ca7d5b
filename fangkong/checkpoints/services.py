"""Recording a check: the hot path behind the checkpoint page and the API.

Per check: the checkpoint from an in-process registry snapshot, the person by blind index
(one query; a new person is one insert), the verdict from cached rules and risk areas, and
one insert of the check record. A verdict other than pass also opens the arrival and its
obligations in the same transaction. The record itself is the audit of the check.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.arrivals.followup import transfer_arrange
from fangkong.arrivals.rules import ArrivalRules, arrival_rules_at
from fangkong.arrivals.services import alert_hq, arrival_values
from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.identity import DocumentType, parse_resident_id
from fangkong.people.identity import document_index, phone_index
from fangkong.people.models import Person
from fangkong.riskareas.selectors import level_on

from .checks import CheckInput
from .fastpath import check_known, check_known_with_arrival, person_id_by_index
from .models import Checkpoint, CheckpointStatus
from .verdict import CheckFacts, Decision, ObligationKind, Verdict, decide

if TYPE_CHECKING:
    from fangkong.accounts.models import User

REGISTRY_TTL = 30.0


@dataclass(frozen=True)
class CheckpointRef:
    pk: int
    code: str
    name: str
    type: str
    region_id: str
    status: str


_lock = threading.Lock()


class _Registry(TypedDict):
    loaded: float
    by_code: dict[str, CheckpointRef]


_registry: _Registry = {"loaded": 0.0, "by_code": {}}


def forget_registry() -> None:
    with _lock:
        _registry.update({"loaded": 0.0, "by_code": {}})


def _by_code() -> dict[str, CheckpointRef]:
    now = time.monotonic()
    if now - _registry["loaded"] < REGISTRY_TTL and _registry["by_code"]:
        return _registry["by_code"]
    rows = Checkpoint.objects.values_list("pk", "code", "name", "type", "region_id", "status")
    by_code = {row[1]: CheckpointRef(*row) for row in rows}
    with _lock:
        _registry.update({"loaded": now, "by_code": by_code})
    return by_code


def checkpoint_ref(*, actor: Actor, code: str) -> CheckpointRef:
    """The checkpoint if the actor's region holds it; missing and out of scope look alike."""
    ref = _by_code().get(code)
    if ref is None:
        # Created in another process since the snapshot: look once in the database.
        forget_registry()
        ref = _by_code().get(code)
    if ref is None or not actor.sees_region_code(ref.region_id):
        raise NotFound(Checkpoint._meta.verbose_name)
    return ref


@dataclass(frozen=True)
class CheckOutcome:
    record_id: int
    decision: Decision
    person_id: int
    arrival_id: int | None


def _find_person(given: CheckInput) -> tuple[int | None, str]:
    index = document_index(given.document_type, given.document_number)
    return person_id_by_index(given.document_type, index), index


class Registrar(Protocol):
    """Who registers a new person: an Actor, or a self-report's reporter without an account."""

    @property
    def user(self) -> User | None: ...


def _create_person(given: CheckInput, index: str, actor: Registrar) -> int:
    details: dict[str, Any] = {}
    if given.document_type == DocumentType.RESIDENT_ID:
        parsed = parse_resident_id(given.document_number)
        details = {"sex": parsed.sex, "birth_date": parsed.birth_date}
    person = Person.objects.create(
        name=given.name, document_type=given.document_type,
        document_number=given.document_number, document_index=index, phone=given.phone,
        phone_index=phone_index(given.phone) if given.phone else "",
        region_id=given.destination, registered_by=actor.user, **details,
    )  # fmt: skip
    return person.pk


def _facts(given: CheckInput) -> CheckFacts:
    return CheckFacts(
        health_code=given.health_code, arrival_at=given.arrival_at, origin=given.origin,
        itinerary=given.itinerary, itinerary_star=given.itinerary_star,
        nat_sampled_at=given.nat_sampled_at, nat_result=given.nat_result,
        temperature=given.temperature,
    )  # fmt: skip


def checkpoint_check(*, actor: Actor, code: str, given: CheckInput) -> CheckOutcome:
    """Decide and record one check at a checkpoint in the actor's region."""
    from fangkong.core.roles import Perm

    actor.require(Perm.CHECKPOINTS_CHECK)
    ref = checkpoint_ref(actor=actor, code=code)
    if ref.status == CheckpointStatus.CLOSED:
        raise ValidationFailed(_("该服务点已撤除，不能登记核验"))
    rules = arrival_rules_at(given.arrival_at)
    facts = _facts(given)
    decision = decide(facts, rules, level_on)
    index = document_index(given.document_type, given.document_number)
    record = _record_values(ref, given, decision, rules, actor, None)
    opens_arrival = decision.verdict not in (Verdict.PASS, Verdict.TURN_BACK)
    # The common case, a registered person: one statement finds them and writes everything
    # (autocommit; data-modifying CTEs are atomic by themselves).
    if not opens_arrival:
        known = check_known(given.document_type, index, record)
        if known is not None:
            return CheckOutcome(known[0], decision, known[1], None)
    else:
        arrival, obligations = _arrival_values(given, facts, decision, None)
        found = check_known_with_arrival(given.document_type, index, record, arrival,
                                         obligations)  # fmt: skip
        if found is not None:
            record_id, arrival_id, person_id = found
            _follow_up(actor, given, decision, record_id, arrival_id, person_id)
            return CheckOutcome(record_id, decision, person_id, arrival_id)
    return _check_new_person(actor, given, decision, index, record, facts)


def _check_new_person(
    actor: Actor,
    given: CheckInput,
    decision: Decision,
    index: str,
    record: dict[str, Any],
    facts: CheckFacts,
) -> CheckOutcome:
    """A document the registry did not know: register the person and record the check in one
    transaction, with the same statements as for a known person (looking again first: another
    check may have registered them meanwhile)."""
    document_type = given.document_type
    with transaction.atomic():
        if person_id_by_index(document_type, index) is None:
            _create_person(given, index, actor)
        if decision.verdict in (Verdict.PASS, Verdict.TURN_BACK):
            known = check_known(document_type, index, record)
            assert known is not None  # registered just above, in this transaction
            return CheckOutcome(known[0], decision, known[1], None)
        arrival, obligations = _arrival_values(given, facts, decision, None)
        found = check_known_with_arrival(document_type, index, record, arrival, obligations)
        assert found is not None  # registered just above, in this transaction
    record_id, arrival_id, person_id = found
    _follow_up(actor, given, decision, record_id, arrival_id, person_id)
    return CheckOutcome(record_id, decision, person_id, arrival_id)


def _follow_up(
    actor: Actor,
    given: CheckInput,
    decision: Decision,
    record_id: int,
    arrival_id: int,
    person_id: int,
) -> None:
    if decision.alert_hq:
        alert_hq(arrival_id=arrival_id, region_id=given.destination, decision=decision)
    if any(o.kind == ObligationKind.CENTRALISED_QUARANTINE for o in decision.obligations):
        transfer_arrange(arrival_id=arrival_id, person_id=person_id, region_id=given.destination,
                         source="checkpoint", ref=f"check:{record_id}", actor=actor,
                         fresh=True)  # fmt: skip


def _arrival_values(
    given: CheckInput, facts: CheckFacts, decision: Decision, person_id: int | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return arrival_values(
        person_id=person_id, region_id=given.destination, source="checkpoint",
        facts=facts, decision=decision,
    )  # fmt: skip


def _record_values(
    ref: CheckpointRef,
    given: CheckInput,
    decision: Decision,
    rules: ArrivalRules,
    actor: Actor,
    person_id: int | None,
) -> dict[str, Any]:
    return {
        "checkpoint_id": ref.pk, "region_id": ref.region_id, "checked_at": timezone.now(),
        "person_id": person_id, "health_code": given.health_code,
        "itinerary": list(given.itinerary), "itinerary_star": given.itinerary_star,
        "nat_sampled_at": given.nat_sampled_at, "nat_result": given.nat_result or "",
        "temperature": given.temperature, "arrival_at": given.arrival_at,
        "origin_code": given.origin, "destination_code": given.destination,
        "verdict": decision.verdict, "reasons": [r.code for r in decision.reasons],
        "obligations": [o.kind for o in decision.obligations],
        "rules_version": rules.version, "pushed": decision.push_to_village,
        "checked_by_id": actor.user.pk if actor.user else None,
        "api_token_id": actor.api_token_id,
    }  # fmt: skip
