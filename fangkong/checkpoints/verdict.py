"""The checkpoint verdict: one pure function of the check's facts, the arrival rules and a
risk-area lookup. The checkpoint page, the API and the self-report form all call decide().

Precedence (the first matching rule decides; every matching rule is listed as a reason):
  1. a positive test result                                    → transfer (hospital, alert HQ)
  2. red health code                                           → transfer (centralised quarantine)
  3. origin or itinerary in a county with a high-risk area     → transfer (centralised quarantine)
  4. temperature ≥ 37.3 °C                                     → sample_on_site (+ fever clinic)
  -  origin named by the policy for turning back (off by default) → turn_back
  5. yellow code, medium-risk county, or the itinerary asterisk → sample_on_site (+ push to village)
  6. out of province without a negative test sampled ≤ 48 h before arrival → sample_on_site
  7. out of province with a valid certificate                   → pass_with_arrival_test
  8. otherwise                                                  → pass
Boundaries are inclusive: a certificate sampled exactly 48 h before arrival is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.arrivals.rules import ArrivalRules
from fangkong.core.text import list_text

RiskLookup = Callable[[str, dt.datetime], str | None]


class Verdict(models.TextChoices):
    TRANSFER = "transfer", gettext_lazy("转运")
    TURN_BACK = "turn_back", gettext_lazy("劝返")
    SAMPLE_ON_SITE = "sample_on_site", gettext_lazy("现场采样")
    PASS_WITH_ARRIVAL_TEST = "pass_with_arrival_test", gettext_lazy("放行·落地检")
    PASS = "pass", gettext_lazy("放行")


class ObligationKind(models.TextChoices):
    HOSPITAL_TRANSFER = "hospital_transfer", gettext_lazy("转运定点医院")
    CENTRALISED_QUARANTINE = "centralised_quarantine", gettext_lazy("转运集中隔离")
    FEVER_CLINIC = "fever_clinic", gettext_lazy("发热门诊就诊")
    SAMPLE_ON_SITE = "sample_on_site", gettext_lazy("现场采样核酸")
    VILLAGE_VERIFICATION = "village_verification", gettext_lazy("推送村（社区）核查")
    ARRIVAL_TEST = "arrival_test", gettext_lazy("24小时内落地检")
    HEALTH_MONITORING = "health_monitoring", gettext_lazy("14天健康监测")
    # Opened after the verdict when no quarantine site of the county has a free bed.
    AWAIT_SITE = "await_site", gettext_lazy("待安排隔离点")


@dataclass(frozen=True)
class CheckFacts:
    health_code: str  # green | yellow | red
    arrival_at: dt.datetime
    origin: str  # compact division code
    itinerary: Sequence[str] = ()
    itinerary_star: bool = False
    nat_sampled_at: dt.datetime | None = None
    nat_result: str | None = None  # negative | positive | None
    temperature: Decimal | None = None  # None: not taken (self-report)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class Obligation:
    kind: str
    due_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": str(ObligationKind(self.kind).label),
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
        }


@dataclass(frozen=True)
class Decision:
    verdict: str
    reasons: tuple[Reason, ...]
    obligations: tuple[Obligation, ...]
    out_of_province: bool
    push_to_village: bool
    alert_hq: bool

    @property
    def reason_codes(self) -> list[str]:
        return [r.code for r in self.reasons]


def _under(code: str, prefixes: Sequence[str]) -> bool:
    return any(code.startswith(p) for p in prefixes if p)


def certificate_valid(facts: CheckFacts, rules: ArrivalRules) -> bool:
    """A negative test sampled at most `certificate_validity` before arrival (inclusive)."""
    if facts.nat_result != "negative" or facts.nat_sampled_at is None:
        return False
    age = facts.arrival_at - facts.nat_sampled_at
    return dt.timedelta(0) <= age <= rules.certificate_validity


def _risk_reasons(facts: CheckFacts, risk: RiskLookup) -> tuple[list[str], list[str]]:
    """Places (origin first, then the itinerary) whose county held a high / medium area."""
    high: list[str] = []
    medium: list[str] = []
    for place in dict.fromkeys([facts.origin, *facts.itinerary]):
        if not place:
            continue
        level = risk(place, facts.arrival_at)
        if level == "high":
            high.append(place)
        elif level == "medium":
            medium.append(place)
    return high, medium


def _reasons(facts: CheckFacts, rules: ArrivalRules, risk: RiskLookup, out: bool):
    """Every matching rule as (verdict, Reason), in order of precedence."""
    found: list[tuple[str, Reason]] = []
    if facts.nat_result == "positive":
        found.append(
            (Verdict.TRANSFER, Reason("positive_test", _("核酸检测阳性：转运定点医院并报告指挥部")))
        )
    if facts.health_code == "red":
        found.append((Verdict.TRANSFER, Reason("red_code", _("红码：转运集中隔离"))))
    high, medium = _risk_reasons(facts, risk)
    if high:
        found.append((Verdict.TRANSFER, Reason(
            "high_risk_area",
            _("来源地或行程所在县（%(codes)s）抵达时有高风险地区：转运集中隔离")
            % {"codes": list_text(high)},
        )))  # fmt: skip
    if facts.temperature is not None and facts.temperature >= rules.fever_threshold:
        found.append((Verdict.SAMPLE_ON_SITE, Reason(
            "fever", _("体温 %(t)s ℃，达到 %(limit)s ℃：现场采样并引导至发热门诊")
            % {"t": facts.temperature, "limit": rules.fever_threshold},
        )))  # fmt: skip
    if rules.turn_back_origins and _under(facts.origin, rules.turn_back_origins):
        found.append(
            (Verdict.TURN_BACK, Reason("turn_back_origin", _("来源地在政策规定的劝返范围内")))
        )
    if facts.health_code == "yellow":
        found.append(
            (
                Verdict.SAMPLE_ON_SITE,
                Reason("yellow_code", _("黄码：现场采样，推送目的地村（社区）核查")),
            )
        )
    if medium:
        found.append((Verdict.SAMPLE_ON_SITE, Reason(
            "medium_risk_area",
            _("来源地或行程所在县（%(codes)s）抵达时有中风险地区：现场采样，推送村（社区）核查")
            % {"codes": list_text(medium)},
        )))  # fmt: skip
    if facts.itinerary_star:
        found.append(
            (
                Verdict.SAMPLE_ON_SITE,
                Reason("itinerary_star", _("行程卡带星号：现场采样，推送村（社区）核查")),
            )
        )
    if out and not certificate_valid(facts, rules):
        hours = int(rules.certificate_validity.total_seconds() // 3600)
        found.append((Verdict.SAMPLE_ON_SITE, Reason(
            "no_valid_certificate",
            _("外省来返，无%(h)d小时内采样的核酸阴性证明：现场采样") % {"h": hours},
        )))  # fmt: skip
    if out and certificate_valid(facts, rules):
        found.append((Verdict.PASS_WITH_ARRIVAL_TEST, Reason(
            "arrival_test_due",
            _("外省来返，持有效核酸阴性证明：放行，%(h)d小时内落地检，健康监测%(d)d天")
            % {"h": int(rules.arrival_test_window.total_seconds() // 3600),
               "d": rules.monitoring_days},
        )))  # fmt: skip
    return found


_PUSH_REASONS = {"yellow_code", "medium_risk_area", "itinerary_star"}


def _obligations(verdict: str, codes: set[str], facts: CheckFacts, rules: ArrivalRules, out: bool):
    at = facts.arrival_at
    monitoring = Obligation(
        ObligationKind.HEALTH_MONITORING, due_at=at,
        ends_at=at + dt.timedelta(days=rules.monitoring_days),
    )  # fmt: skip
    if verdict == Verdict.TRANSFER:
        kind = (
            ObligationKind.HOSPITAL_TRANSFER
            if "positive_test" in codes
            else ObligationKind.CENTRALISED_QUARANTINE
        )
        return (Obligation(kind, due_at=at),)
    if verdict == Verdict.TURN_BACK:
        return ()
    if verdict == Verdict.SAMPLE_ON_SITE:
        result = [Obligation(ObligationKind.SAMPLE_ON_SITE, due_at=at + rules.arrival_test_window)]
        if "fever" in codes:
            result.append(Obligation(ObligationKind.FEVER_CLINIC, due_at=at))
        if codes & _PUSH_REASONS:
            result.append(
                Obligation(ObligationKind.VILLAGE_VERIFICATION, due_at=at + dt.timedelta(hours=24))
            )
        if out or codes & _PUSH_REASONS:
            result.append(monitoring)
        return tuple(result)
    if verdict == Verdict.PASS_WITH_ARRIVAL_TEST:
        return (
            Obligation(ObligationKind.ARRIVAL_TEST, due_at=at + rules.arrival_test_window),
            monitoring,
        )
    return ()


def is_out_of_province(origin: str, rules: ArrivalRules) -> bool:
    """Whether the arrival rules apply to this origin (by default: outside the province)."""
    if not origin or rules.applies_to == "none":
        return False
    if rules.applies_to == "outside_city":
        outside = not origin.startswith(rules.home_city)
    elif rules.applies_to == "all":
        outside = True
    else:
        outside = not origin.startswith(rules.home_province)
    return outside and (not rules.origin_prefixes or _under(origin, rules.origin_prefixes))


def decide(facts: CheckFacts, rules: ArrivalRules, risk: RiskLookup) -> Decision:
    out = is_out_of_province(facts.origin, rules)
    found = _reasons(facts, rules, risk, out)
    verdict = found[0][0] if found else Verdict.PASS
    reasons = tuple(r for _v, r in found) or (Reason("pass", _("绿码，无风险地区行程：放行")),)
    codes = {r.code for r in reasons}
    return Decision(
        verdict=str(verdict),
        reasons=reasons,
        obligations=_obligations(verdict, codes, facts, rules, out),
        out_of_province=out,
        push_to_village=verdict in (Verdict.SAMPLE_ON_SITE, Verdict.TRANSFER)
        and bool(codes & (_PUSH_REASONS | {"red_code", "high_risk_area"})),
        alert_hq=verdict == Verdict.TRANSFER,
    )
