"""Transfers, extensions and early release over the API: permission, reason, scope."""

import json

import time_machine

from fangkong.audit.models import ChangeEntry
from fangkong.measures.models import Room, Site, SiteStatus
from fangkong.measures.planning import measure_start

from .conftest import SPEECH_DAY


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@time_machine.travel(SPEECH_DAY, tick=False)
def test_transfer_to_a_chosen_room_then_extend_and_release(
    client, world, actor_of, home_people, site
):
    operator = actor_of("county_operator")
    measure = measure_start(
        actor=operator, person=home_people[0], category="secondary_contact", site=site
    )
    second = Site.objects.create(name="第二隔离点", region=site.region, status=SiteStatus.ACTIVE)
    room = Room.objects.create(site=second, number="8", beds=1)
    client.force_login(world.user("county_operator"))
    base = f"/api/v1/measures/{measure.pk}"
    assert (
        _post(client, f"{base}/transfer", {"site_id": second.pk, "reason": ""}).status_code == 422
    )
    response = _post(
        client, f"{base}/transfer", {"site_id": second.pk, "room_id": room.pk, "reason": "分流"}
    )
    assert response.status_code == 200 and response.json()["site_id"] == second.pk
    assert measure.placements.get(ended_at__isnull=True).room == room
    response = _post(client, f"{base}/extend", {"days": 3, "reason": "同住人阳性"})
    assert response.status_code == 200
    response = _post(client, f"{base}/release", {"reason": "误判，复核排除"})
    assert response.status_code == 200 and response.json()["status"] == "released_early"
    actions = set(ChangeEntry.objects.values_list("action", flat=True))
    assert {"measures.placement.transferred", "measures.measure.extended",
            "measures.measure.released_early"} <= actions  # fmt: skip


@time_machine.travel(SPEECH_DAY, tick=False)
def test_site_staff_may_not_override_and_outsider_gets_404(
    client, world, actor_of, home_people, site
):
    measure = measure_start(
        actor=actor_of("county_operator"), person=home_people[0], category="secondary_contact",
        site=site,
    )  # fmt: skip
    client.force_login(world.user("county_site"))
    url = f"/api/v1/measures/{measure.pk}/release"
    assert _post(client, url, {"reason": "想提前走"}).status_code == 403
    client.force_login(world.user("outsider"))
    assert _post(client, url, {"reason": "想提前走"}).status_code == 404


def test_sites_over_the_api(client, world):
    client.force_login(world.user("county_operator"))
    response = _post(client, "/api/v1/measures/sites", {"name": "接口隔离点", "status": "active"})
    assert response.status_code == 201 and response.json()["region"] == world.home_county.code
    pk = response.json()["id"]
    response = _post(client, f"/api/v1/measures/sites/{pk}/rooms", {"numbers": "1-3", "beds": 2})
    assert response.status_code == 201 and response.json()["beds"] == 6
    response = client.patch(
        f"/api/v1/measures/sites/{pk}",
        json.dumps({"supplies_ready": True, "last_drill_on": "2022-01-09", "officer": "张三"}),
        "application/json",
    )
    site = Site.objects.get(pk=pk)
    assert response.status_code == 200 and site.supplies_ready and site.officer == "张三"
    client.force_login(world.user("outsider"))
    response = client.patch(
        f"/api/v1/measures/sites/{pk}", json.dumps({"status": "closed"}), "application/json"
    )
    assert response.status_code == 404
    client.force_login(world.user("grid_worker"))
    assert _post(client, "/api/v1/measures/sites", {"name": "越权"}).status_code == 403
