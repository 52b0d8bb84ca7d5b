"""The verdict table: every rule, their precedence, and the boundaries."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fangkong.arrivals.rules import DEFAULT_RULES
from fangkong.checkpoints.verdict import CheckFacts, decide

TZ = ZoneInfo("Asia/Shanghai")
ARRIVAL = dt.datetime(2022, 1, 10, 14, 0, tzinfo=TZ)
H = dt.timedelta(hours=1)

WUCHANG = "420106"  # 武汉市武昌区: out of province, medium-risk in the table's world
HIGH_COUNTY = "440305"  # 深圳市南山区: high-risk in the table's world
LIFTED_COUNTY = "410502"  # 安阳市文峰区: its area was lifted the day before arrival
PLAIN_OUT = "330106"  # 杭州市西湖区: out of province, no risk area
HOME = "433101"  # 吉首市

AREAS = {
    HIGH_COUNTY: ("high", ARRIVAL - 5 * 24 * H, None),
    WUCHANG: ("medium", ARRIVAL - 3 * 24 * H, None),
    LIFTED_COUNTY: ("high", ARRIVAL - 20 * 24 * H, ARRIVAL - 24 * H),
}


def risk(code, at):
    area = AREAS.get(code[:6])
    if area is None:
        return None
    level, starts, lifted = area
    return level if starts <= at and (lifted is None or at < lifted) else None


def facts(**changes):
    base = CheckFacts(
        health_code="green",
        arrival_at=ARRIVAL,
        origin=PLAIN_OUT,
        itinerary=(),
        itinerary_star=False,
        nat_sampled_at=ARRIVAL - 30 * H,
        nat_result="negative",
        temperature=Decimal("36.5"),
    )
    return replace(base, **changes)


CASES = [
    # (id, facts, verdict, first reason)
    ("positive", facts(nat_result="positive"), "transfer", "positive_test"),
    (
        "positive beats red",
        facts(nat_result="positive", health_code="red"),
        "transfer",
        "positive_test",
    ),
    ("red code", facts(health_code="red"), "transfer", "red_code"),
    ("red beats high area", facts(health_code="red", origin=HIGH_COUNTY), "transfer", "red_code"),
    ("high-risk origin", facts(origin=HIGH_COUNTY), "transfer", "high_risk_area"),
    (
        "high-risk village in county",
        facts(origin=HIGH_COUNTY + "001001"),
        "transfer",
        "high_risk_area",
    ),
    ("high-risk itinerary", facts(itinerary=[HIGH_COUNTY]), "transfer", "high_risk_area"),
    (
        "high beats fever",
        facts(origin=HIGH_COUNTY, temperature=Decimal("38.5")),
        "transfer",
        "high_risk_area",
    ),
    ("fever at 37.3", facts(temperature=Decimal("37.3")), "sample_on_site", "fever"),
    (
        "no fever at 37.2",
        facts(temperature=Decimal("37.2")),
        "pass_with_arrival_test",
        "arrival_test_due",
    ),
    (
        "fever beats yellow",
        facts(temperature=Decimal("38"), health_code="yellow"),
        "sample_on_site",
        "fever",
    ),
    ("yellow code", facts(health_code="yellow"), "sample_on_site", "yellow_code"),
    ("medium-risk origin", facts(origin=WUCHANG), "sample_on_site", "medium_risk_area"),
    (
        "medium-risk itinerary",
        facts(origin=HOME, itinerary=[WUCHANG]),
        "sample_on_site",
        "medium_risk_area",
    ),
    ("asterisk", facts(origin=HOME, itinerary_star=True), "sample_on_site", "itinerary_star"),
    (
        "lifted the day before",
        facts(origin=LIFTED_COUNTY),
        "pass_with_arrival_test",
        "arrival_test_due",
    ),
    (
        "lifted area in force a day earlier",
        facts(origin=LIFTED_COUNTY, arrival_at=ARRIVAL - 25 * H, nat_sampled_at=ARRIVAL - 40 * H),
        "transfer",
        "high_risk_area",
    ),
    (
        "certificate exactly 48 h",
        facts(nat_sampled_at=ARRIVAL - 48 * H),
        "pass_with_arrival_test",
        "arrival_test_due",
    ),
    (
        "certificate 48 h 1 s",
        facts(nat_sampled_at=ARRIVAL - 48 * H - dt.timedelta(seconds=1)),
        "sample_on_site",
        "no_valid_certificate",
    ),
    (
        "no certificate",
        facts(nat_sampled_at=None, nat_result=None),
        "sample_on_site",
        "no_valid_certificate",
    ),
    (
        "sampled after arrival",
        facts(nat_sampled_at=ARRIVAL + H),
        "sample_on_site",
        "no_valid_certificate",
    ),
    ("valid certificate", facts(), "pass_with_arrival_test", "arrival_test_due"),
    (
        "in province, no certificate",
        facts(origin=HOME, nat_sampled_at=None, nat_result=None),
        "pass",
        "pass",
    ),
    (
        "same province other city",
        facts(origin="430102", nat_sampled_at=None, nat_result=None),
        "pass",
        "pass",
    ),
]


@pytest.mark.parametrize(("case", "given", "verdict", "first"), CASES, ids=[c[0] for c in CASES])
def test_verdict_table(case, given, verdict, first):
    decision = decide(given, DEFAULT_RULES, risk)

    assert decision.verdict == verdict
    assert decision.reason_codes[0] == first


def test_every_matching_rule_is_given_as_a_reason_in_order():
    decision = decide(
        facts(health_code="red", origin=WUCHANG, itinerary_star=True, temperature=Decimal("38")),
        DEFAULT_RULES,
        risk,
    )
    assert decision.reason_codes == [
        "red_code",
        "fever",
        "medium_risk_area",
        "itinerary_star",
        "arrival_test_due",
    ]


def test_arrival_test_due_exactly_24_h_after_arrival_and_monitoring_14_days():
    decision = decide(facts(), DEFAULT_RULES, risk)

    by_kind = {o.kind: o for o in decision.obligations}
    assert by_kind["arrival_test"].due_at == ARRIVAL + 24 * H
    assert by_kind["health_monitoring"].ends_at == ARRIVAL + dt.timedelta(days=14)


def test_transfer_alerts_hq_and_names_the_destination():
    positive = decide(facts(nat_result="positive"), DEFAULT_RULES, risk)
    red = decide(facts(health_code="red"), DEFAULT_RULES, risk)

    assert positive.alert_hq and red.alert_hq
    assert [o.kind for o in positive.obligations] == ["hospital_transfer"]
    assert [o.kind for o in red.obligations] == ["centralised_quarantine"]
    assert red.push_to_village


def test_sample_on_site_for_yellow_pushes_to_the_village_and_monitors():
    decision = decide(facts(health_code="yellow"), DEFAULT_RULES, risk)

    assert decision.push_to_village
    assert [o.kind for o in decision.obligations] == [
        "sample_on_site",
        "village_verification",
        "health_monitoring",
    ]


def test_fever_refers_to_the_fever_clinic():
    decision = decide(facts(origin=HOME, temperature=Decimal("38.1")), DEFAULT_RULES, risk)

    assert [o.kind for o in decision.obligations] == ["sample_on_site", "fever_clinic"]
    assert not decision.push_to_village


def test_pass_owes_nothing():
    decision = decide(facts(origin=HOME), DEFAULT_RULES, risk)

    assert decision.obligations == ()
    assert not decision.alert_hq and not decision.push_to_village


def test_turn_back_is_off_by_default_and_follows_the_policy():
    assert decide(facts(), DEFAULT_RULES, risk).verdict == "pass_with_arrival_test"

    rules = replace(DEFAULT_RULES, turn_back_origins=("33",))
    assert decide(facts(), rules, risk).verdict == "turn_back"
    # Transfers and the fever rule still come first.
    assert decide(facts(health_code="red"), rules, risk).verdict == "transfer"
    assert decide(facts(temperature=Decimal("38")), rules, risk).verdict == "sample_on_site"


def test_policy_values_drive_the_windows():
    rules = replace(DEFAULT_RULES, certificate_validity=dt.timedelta(hours=72))

    decision = decide(facts(nat_sampled_at=ARRIVAL - 60 * H), rules, risk)

    assert decision.verdict == "pass_with_arrival_test"


def test_rules_may_apply_to_named_origins_only():
    rules = replace(DEFAULT_RULES, origin_prefixes=("44",))

    assert decide(facts(nat_result=None, nat_sampled_at=None), rules, risk).verdict == "pass"
