"""Ship the three policy editions of domain.md as data, each with its first version."""

import datetime as dt

from django.db import migrations


def _snapshot(policy):
    fields = (
        "name", "active", "stages", "certificate_validity_hours", "arrival_test_window_hours",
        "monitoring_days", "arrival_applies_to", "turn_back_enabled", "turn_back_origins",
        "notes",
    )  # fmt: skip
    data = {f: getattr(policy, f) for f in fields}
    data["effective_from"] = policy.effective_from.isoformat()
    return data


def load_editions(apps, schema_editor):
    from fangkong.policies.editions import EDITIONS

    Policy = apps.get_model("policies", "Policy")
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    for edition in EDITIONS:
        if Policy.objects.filter(code=edition["code"]).exists():
            continue
        policy = Policy.objects.create(
            code=edition["code"],
            name=edition["name"],
            effective_from=dt.date.fromisoformat(edition["effective_from"]),
            active=edition["active"],
            stages=edition["stages"],
            notes=edition["notes"],
        )
        PolicyVersion.objects.create(
            policy=policy, version=1, snapshot=_snapshot(policy), reason="初始版本"
        )


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(load_editions, migrations.RunPython.noop)]
