"""Policy pages: history, editing by the city HQ only, the explicit re-plan of measures."""

import json

import time_machine
from django.urls import reverse

from fangkong.audit.models import ChangeEntry
from fangkong.measures.models import Room, Site, SiteStatus
from fangkong.measures.planning import measure_start
from fangkong.people.models import Person
from fangkong.policies.forms import stage_rows
from fangkong.policies.models import Policy

SPEECH_DAY = "2022-01-10 10:00+08:00"


def _form(policy, **override):
    data = {
        "name": policy.name, "effective_from": policy.effective_from.isoformat(), "active": "1",
        "certificate_validity_hours": "48", "arrival_test_window_hours": "24",
        "monitoring_days": "14", "arrival_applies_to": policy.arrival_applies_to,
        "notes": policy.notes, "reason": "省指挥部通知调整",
    }  # fmt: skip
    for row in stage_rows(policy):
        for s in row["stages"]:
            data.update({f"{s['prefix']}-type": s["type"], f"{s['prefix']}-days": s["days"],
                         f"{s['prefix']}-tests": s["tests"]})  # fmt: skip
    data.update(override)
    return data


def _eighth():
    return Policy.objects.get(code="eighth-hunan-spring")


def test_hq_edits_a_stage_and_the_history_shows_it(client, world):
    policy = _eighth()
    client.force_login(world.user("hq"))
    response = client.post(
        reverse("policies:edit", args=[policy.pk]),
        _form(
            policy, **{"s-secondary_contact-0-days": "10", "s-secondary_contact-0-tests": "1,4,10"}
        ),
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.version == 2
    assert policy.stages["secondary_contact"] == [
        {"type": "centralised", "days": 10, "test_days": [1, 4, 10]}
    ]
    page = client.get(reverse("policies:detail", args=[policy.pk]))
    assert [v.version for v in page.context["versions"]] == [2, 1]
    assert "省指挥部通知调整" in page.content.decode()


def test_bad_stage_input_says_what_to_change_and_keeps_the_version(client, world):
    policy = _eighth()
    client.force_login(world.user("hq"))
    response = client.post(
        reverse("policies:edit", args=[policy.pk]),
        _form(policy, **{"s-close_contact-0-tests": "1,4,99", "reason": ""}),
    )
    assert response.status_code == 422
    policy.refresh_from_db()
    assert policy.version == 1


def test_county_staff_may_read_but_not_edit(client, world):
    policy = _eighth()
    client.force_login(world.user("county_operator"))
    assert client.get(reverse("policies:detail", args=[policy.pk])).status_code == 200
    assert client.get(reverse("policies:edit", args=[policy.pk])).status_code == 403
    client.force_login(world.user("auditor"))
    assert client.get(reverse("policies:list")).status_code == 403


@time_machine.travel(SPEECH_DAY, tick=False)
def test_replan_is_explicit_logged_and_limited_to_the_region(client, world, actor_of):
    policy = _eighth()
    operator, outsider = actor_of("county_operator"), actor_of("outsider")
    home = Site.objects.create(name="吉首点", region=world.home_county, status=SiteStatus.ACTIVE)
    away = Site.objects.create(name="龙山点", region=world.other_county, status=SiteStatus.ACTIVE)
    Room.objects.create(site=home, number="1", beds=2)
    Room.objects.create(site=away, number="1", beds=2)
    mine = measure_start(
        actor=operator, category="secondary_contact", site=home,
        person=Person.objects.filter(region__code__startswith=world.home_county.code).first(),
    )  # fmt: skip
    theirs = measure_start(
        actor=outsider, category="secondary_contact", site=away,
        person=Person.objects.filter(region__code__startswith=world.other_county.code).first(),
    )  # fmt: skip
    client.force_login(world.user("hq"))
    client.post(
        reverse("policies:edit", args=[policy.pk]),
        _form(
            policy, **{"s-secondary_contact-0-days": "10", "s-secondary_contact-0-tests": "1,10"}
        ),
    )
    mine.refresh_from_db()
    assert mine.policy_version == 1  # never silently re-planned
    client.force_login(world.user("county_operator"))
    page = client.get(reverse("policies:detail", args=[policy.pk]))
    assert page.context["behind_count"] == 1
    assert (
        client.post(reverse("policies:replan", args=[policy.pk]), {"reason": ""}).status_code == 302
    )
    mine.refresh_from_db()
    assert mine.policy_version == 1
    client.post(reverse("policies:replan", args=[policy.pk]), {"reason": "按新版执行"})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.policy_version, theirs.policy_version) == (2, 1)
    assert mine.stages.get(order=1).days == 10
    assert ChangeEntry.objects.filter(action="measures.measure.replanned").count() == 1


def test_api_patch_needs_a_reason_and_city_level(client, world):
    policy = _eighth()
    client.force_login(world.user("hq"))
    url = f"/api/v1/policies/{policy.pk}"
    body = {"reason": "调整来返监测天数", "monitoring_days": 7}
    response = client.patch(url, json.dumps(body), "application/json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert response.json()["versions"][0]["reason"] == "调整来返监测天数"
    client.force_login(world.user("county_operator"))
    assert client.patch(url, json.dumps(body), "application/json").status_code == 403
    assert client.get(url).status_code == 200


@time_machine.travel(SPEECH_DAY, tick=False)
def test_one_measure_is_replanned_from_its_page(client, world, actor_of):
    policy = _eighth()
    home = Site.objects.create(name="吉首点", region=world.home_county, status=SiteStatus.ACTIVE)
    Room.objects.create(site=home, number="1", beds=2)
    measure = measure_start(
        actor=actor_of("county_operator"), category="secondary_contact", site=home,
        person=Person.objects.filter(region__code__startswith=world.home_county.code).first(),
    )  # fmt: skip
    client.force_login(world.user("hq"))
    client.post(
        reverse("policies:edit", args=[policy.pk]),
        _form(
            policy, **{"s-secondary_contact-0-days": "10", "s-secondary_contact-0-tests": "1,10"}
        ),
    )
    client.force_login(world.user("county_operator"))
    page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "政策已更新到第 2 版" in page
    client.post(reverse("measures:replan", args=[measure.pk]), {"reason": "按新版执行"})
    measure.refresh_from_db()
    assert measure.policy_version == 2
