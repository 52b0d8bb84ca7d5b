"""Each shipped edition's schedule for each category: stage types, lengths and test days."""

import datetime as dt

import pytest

from fangkong.policies.models import Policy
from fangkong.policies.rules import policy_in_force, policy_set_of

C, HQ, HM = "centralised", "home_quarantine", "home_monitoring"

EXPECTED = {
    "eighth-hunan-spring": {
        ("close_contact", None): [(C, 14, (1, 4, 7, 14)), (HM, 7, (2, 7))],
        ("secondary_contact", None): [(C, 7, (1, 4, 7))],
        ("inbound", None): [(C, 14, (1, 4, 7, 14)), (HM, 7, (2, 7))],
        ("risk_area", "high"): [(C, 14, (1, 4, 7, 14)), (HM, 7, (2, 7))],
        ("risk_area", "medium"): [(HQ, 14, (1, 4, 7, 14)), (HM, 7, (2, 7))],
    },
    "ninth": {
        ("close_contact", None): [(C, 7, (1, 2, 3, 5, 7)), (HM, 3, (3,))],
        ("secondary_contact", None): [(HQ, 7, (1, 4, 7))],
        ("inbound", None): [(C, 7, (1, 2, 3, 5, 7)), (HM, 3, (3,))],
        ("risk_area", "high"): [(C, 7, (1, 2, 3, 5, 7))],
        ("risk_area", "medium"): [(HQ, 7, (1, 4, 7))],
    },
    "twenty-measures": {
        ("close_contact", None): [(C, 5, (1, 2, 3, 5)), (HQ, 3, (1, 3))],
        ("secondary_contact", None): [],
        ("inbound", None): [(C, 5, (1, 2, 3, 5)), (HQ, 3, (1, 3))],
        ("risk_area", "high"): [(HQ, 7, (1, 3, 5, 7))],
        ("risk_area", "medium"): [],
    },
}
CASES = [(code, key, stages) for code, table in EXPECTED.items() for key, stages in table.items()]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "key", "stages"), CASES)
def test_edition_schedule(code, key, stages):
    policy = policy_set_of(Policy.objects.get(code=code))
    plans = policy.stages_for(*key)
    assert [(p.type, p.days, p.test_days) for p in plans] == stages


@pytest.mark.django_db
def test_editions_ship_with_dates_and_a_first_version():
    rows = {p.code: p for p in Policy.objects.all()}
    assert rows["eighth-hunan-spring"].effective_from == dt.date(2022, 1, 1)
    assert rows["ninth"].effective_from == dt.date(2022, 6, 28)
    assert rows["twenty-measures"].effective_from == dt.date(2022, 11, 11)
    assert all(p.versions.filter(version=1).exists() for p in rows.values())


@pytest.mark.django_db
def test_eighth_edition_is_the_default_in_force():
    assert policy_in_force(at=dt.date(2022, 1, 10)).code == "eighth-hunan-spring"
    assert policy_in_force(at=dt.date(2023, 1, 10)).code == "eighth-hunan-spring"


@pytest.mark.django_db
def test_activated_later_edition_takes_over_from_its_date():
    Policy.objects.filter(code="ninth").update(active=True)
    assert policy_in_force(at=dt.date(2022, 6, 27)).code == "eighth-hunan-spring"
    assert policy_in_force(at=dt.date(2022, 6, 28)).code == "ninth"


@pytest.mark.django_db
def test_arrival_rules_default_48_24_14_and_no_turn_back():
    from fangkong.policies.rules import arrival_rules

    rules = arrival_rules(at=dt.date(2022, 1, 10))
    assert rules.certificate_validity == dt.timedelta(hours=48)
    assert rules.arrival_test_window == dt.timedelta(hours=24)
    assert rules.monitoring_days == 14
    assert rules.applies_to == "out_of_province"
    assert not rules.turns_back("420106")
