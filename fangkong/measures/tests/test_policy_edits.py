"""Editing a policy: versions kept, cache cleared, running measures untouched until re-planned."""

import pytest
import time_machine

from fangkong.audit.models import ChangeEntry
from fangkong.core.errors import PermissionDenied, ValidationFailed
from fangkong.measures.planning import measure_replan, measure_start, measures_behind_policy
from fangkong.policies.editions import EIGHTH
from fangkong.policies.models import Policy
from fangkong.policies.rules import policy_in_force
from fangkong.policies.services import policy_update

from .conftest import SPEECH_DAY


def _shorter_secondary():
    stages = {k: list(v) for k, v in EIGHTH.items()}
    stages["secondary_contact"] = [{"type": "centralised", "days": 5, "test_days": [1, 5]}]
    return stages


def test_edit_keeps_history_and_takes_effect_at_once(actor_of):
    policy = Policy.objects.get(code="eighth-hunan-spring")
    assert policy_in_force(at=SPEECH_DAY).version == 1
    with pytest.raises(PermissionDenied):
        policy_update(
            actor=actor_of("county_operator"),
            policy_id=policy.pk,
            reason="x",
            stages=_shorter_secondary(),
        )
    with pytest.raises(ValidationFailed):
        policy_update(
            actor=actor_of("hq"), policy_id=policy.pk, reason="", stages=_shorter_secondary()
        )
    policy_update(
        actor=actor_of("hq"),
        policy_id=policy.pk,
        reason="省指挥部通知调整",
        stages=_shorter_secondary(),
    )
    in_force = policy_in_force(at=SPEECH_DAY)
    assert in_force.version == 2
    assert in_force.stages_for("secondary_contact")[0].days == 5
    assert list(policy.versions.values_list("version", flat=True)) == [2, 1]
    assert ChangeEntry.objects.filter(action="policies.policy.updated").exists()


def test_bad_stage_is_refused_with_reasons(actor_of):
    policy = Policy.objects.get(code="eighth-hunan-spring")
    with pytest.raises(ValidationFailed) as exc:
        policy_update(
            actor=actor_of("hq"),
            policy_id=policy.pk,
            reason="试验",
            stages={"close_contact": [{"type": "x", "days": 3, "test_days": [5]}]},
        )
    assert len(exc.value.errors["stages"]) == 2


def test_running_measure_keeps_its_version_until_replanned(actor_of, home_people, site):
    operator, hq = actor_of("county_operator"), actor_of("hq")
    with time_machine.travel(SPEECH_DAY, tick=False):
        measure = measure_start(
            actor=operator, person=home_people[0], category="secondary_contact", site=site
        )
        policy = Policy.objects.get(code="eighth-hunan-spring")
        policy_update(actor=hq, policy_id=policy.pk, reason="调整", stages=_shorter_secondary())
        measure.refresh_from_db()
        assert measure.policy_version == 1 and measure.stages.get().days == 7
        assert list(measures_behind_policy(actor=hq, policy_id=policy.pk, version=2)) == [measure]
        measure_replan(actor=hq, measure_id=measure.pk, reason="按新版方案执行")
    measure.refresh_from_db()
    assert measure.policy_version == 2 and measure.stages.get().days == 5
    assert sorted(measure.scheduled_tests.values_list("day_number", flat=True)) == [1, 5]
    assert ChangeEntry.objects.filter(action="measures.measure.replanned").exists()
