"""Reading the policy edit form: stage rows per category, arrival rules, the reason."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from fangkong.core.errors import ValidationFailed

from .models import ArrivalScope, MeasureType, Policy, StageKey

STAGE_ROWS = 3
NUMBERS = ("certificate_validity_hours", "arrival_test_window_hours", "monitoring_days")


def stage_rows(policy: Policy, posted: dict | None = None) -> list[dict]:
    """For the form: each category with STAGE_ROWS rows (type, days, test days as text)."""
    rows = []
    for key, label in StageKey.choices:
        current = (policy.stages or {}).get(key, [])
        stages = []
        for n in range(STAGE_ROWS):
            prefix = f"s-{key}-{n}"
            if posted is not None:
                stages.append({"prefix": prefix, "type": posted.get(f"{prefix}-type", ""),
                               "days": posted.get(f"{prefix}-days", ""),
                               "tests": posted.get(f"{prefix}-tests", "")})  # fmt: skip
            elif n < len(current):
                stage = current[n]
                stages.append({"prefix": prefix, "type": stage["type"], "days": stage["days"],
                               "tests": ",".join(str(d) for d in stage["test_days"])})  # fmt: skip
            else:
                stages.append({"prefix": prefix, "type": "", "days": "", "tests": ""})
        rows.append({"key": key, "label": label, "stages": stages})
    return rows


def _int(value, label: str, errors: list[str]) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        errors.append(_("%(label)s应为整数") % {"label": label})
        return None


def _verbose_name(field_name: str) -> str:
    field = Policy._meta.get_field(field_name)
    assert isinstance(field, models.Field), field_name
    return str(field.verbose_name)


def parse_policy_form(data) -> dict:
    """The changes a posted form asks for, in policy_update's terms."""
    errors: list[str] = []
    stages: dict[str, list[dict]] = {}
    for key, label in StageKey.choices:
        for n in range(STAGE_ROWS):
            prefix = f"s-{key}-{n}"
            kind = (data.get(f"{prefix}-type") or "").strip()
            if not kind:
                continue
            name = _("%(label)s 第%(n)s阶段") % {"label": label, "n": n + 1}
            days = _int(data.get(f"{prefix}-days"), _("%(stage)s天数") % {"stage": name}, errors)
            text = (data.get(f"{prefix}-tests") or "").replace("，", ",").replace("、", ",")
            test_day = _("%(stage)s检测日") % {"stage": name}
            tests = [_int(t, test_day, errors) for t in text.split(",") if t.strip()]
            if days is not None and None not in tests:
                stages.setdefault(key, []).append({"type": kind, "days": days, "test_days": tests})
    changes: dict = {
        "name": " ".join((data.get("name") or "").split()),
        "effective_from": (data.get("effective_from") or "").strip(),
        "active": data.get("active") == "1",
        "arrival_applies_to": data.get("arrival_applies_to") or ArrivalScope.OUT_OF_PROVINCE,
        "turn_back_enabled": data.get("turn_back_enabled") == "1",
        "notes": (data.get("notes") or "").strip(),
        "stages": stages,
    }
    for field in NUMBERS:
        field_label = _verbose_name(field)
        value = _int(data.get(field), field_label, errors)
        if value is not None:
            if not 1 <= value <= 720:
                errors.append(_("%(f)s应在1到720之间") % {"f": field_label})
            changes[field] = value
    if len(changes["name"]) < 2:
        errors.append(_("请填写政策名称"))
    if errors:
        raise ValidationFailed({"__all__": errors})
    return changes


MEASURE_TYPES = MeasureType.choices
ARRIVAL_SCOPES = ArrivalScope.choices
