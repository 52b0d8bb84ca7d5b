"""Creating and editing sites, rooms and the readiness checklist; starting a measure by hand."""

import pytest
import time_machine
from django.urls import reverse

from fangkong.audit.models import ChangeEntry
from fangkong.measures.models import Measure, Room, Site

from .conftest import SPEECH_DAY


def _login(client, world, key):
    client.force_login(world.user(key))
    return client


def test_operator_creates_a_site_with_staff_and_rooms(client, world):
    _login(client, world, "county_operator")
    staff = world.user("county_site")
    response = client.post(
        reverse("measures:site_new"),
        {"name": "吉首市第三隔离点", "address": "乾州", "region_id": world.home_county.code,
         "kind": "hotel", "status": "standby", "warning_percent": "85", "staff": [staff.pk]},
    )  # fmt: skip
    site = Site.objects.get(name="吉首市第三隔离点")
    assert response.status_code == 302 and list(site.staff.all()) == [staff]
    response = client.post(
        reverse("measures:site_rooms", args=[site.pk]),
        {"numbers": "101-105, 201", "floor": "1", "beds": "2"},
    )
    assert sorted(site.rooms.values_list("number", flat=True)) == [
        "101", "102", "103", "104", "105", "201",
    ]  # fmt: skip
    # A repeated number adds nothing and says which.
    client.post(reverse("measures:site_rooms", args=[site.pk]), {"numbers": "105-106"})
    assert site.rooms.count() == 6
    assert ChangeEntry.objects.filter(action="measures.site.created").exists()
    assert ChangeEntry.objects.filter(action="measures.rooms.added").count() == 1


def test_site_outside_the_region_is_refused(client, world):
    _login(client, world, "county_operator")
    response = client.post(
        reverse("measures:site_new"),
        {"name": "越界隔离点", "region_id": world.other_county.code, "kind": "dedicated",
         "status": "standby", "warning_percent": "90"},
    )  # fmt: skip
    assert response.status_code == 422 and not Site.objects.filter(name="越界隔离点").exists()


def test_grid_worker_and_site_staff_may_not_manage_sites(client, world, site):
    for key in ("grid_worker", "county_site"):
        _login(client, world, key)
        assert client.get(reverse("measures:site_new")).status_code == 403
        assert client.post(reverse("measures:site_edit", args=[site.pk]), {}).status_code == 403


def test_outsider_gets_404_for_site_edit_rooms_and_readiness(client, world, site):
    _login(client, world, "outsider")
    for name in ("site_edit", "site_rooms", "site_readiness"):
        assert client.post(reverse(f"measures:{name}", args=[site.pk]), {}).status_code == 404
    room = site.rooms.first()
    url = reverse("measures:room", args=[site.pk, room.pk])
    assert client.post(url, {"action": "delete"}).status_code == 404
    assert Room.objects.filter(pk=room.pk).exists()


def test_readiness_checklist_is_saved_and_audited(client, world, site):
    _login(client, world, "county_operator")
    client.post(
        reverse("measures:site_readiness", args=[site.pk]),
        {"supplies_ready": "1", "staff_ready": "1", "last_drill_on": "2022-01-08"},
    )
    site.refresh_from_db()
    assert site.supplies_ready and site.staff_ready and str(site.last_drill_on) == "2022-01-08"
    assert ChangeEntry.objects.filter(action="measures.site.readiness").count() == 1
    page = client.get(reverse("measures:site", args=[site.pk])).content.decode()
    assert "最近演练 2022-01-08" in page


@time_machine.travel(SPEECH_DAY, tick=False)
def test_beds_never_below_occupancy_and_used_rooms_are_kept(
    client, world, actor_of, home_people, site
):
    from fangkong.measures.planning import measure_start

    room = site.rooms.get(number="201")
    measure_start(
        actor=actor_of("county_operator"), person=home_people[0], category="secondary_contact",
        site=site, room=room,
    )  # fmt: skip
    measure_start(
        actor=actor_of("county_operator"), person=home_people[1], category="secondary_contact",
        site=site, room=room,
    )  # fmt: skip
    _login(client, world, "county_operator")
    client.post(reverse("measures:room", args=[site.pk, room.pk]), {"beds": "1"})
    client.post(reverse("measures:room", args=[site.pk, room.pk]), {"action": "delete"})
    room.refresh_from_db()
    assert room.beds == 2
    response = client.post(reverse("measures:site_edit", args=[site.pk]), {
        "name": site.name, "region_id": site.region_id, "kind": site.kind, "status": "closed",
        "warning_percent": "90",
    })  # fmt: skip
    assert response.status_code == 422
    site.refresh_from_db()
    assert site.status == "active"


@time_machine.travel(SPEECH_DAY, tick=False)
def test_start_by_hand_finds_by_document_and_places_in_the_chosen_room(
    client, world, home_people, site
):
    person = home_people[0]
    _login(client, world, "county_operator")
    found = client.get(reverse("measures:start"), {"q": person.document_number})
    assert [p.pk for p in found.context["found"]] == [person.pk]
    response = client.post(
        reverse("measures:start"),
        {"person": person.pk, "category": "close_contact", "site": site.pk, "room": "201"},
    )
    measure = Measure.objects.get(person=person)
    assert response.status_code == 302 and measure.room.number == "201"
    assert measure.source == "manual"
    # A second start for the same person is refused: no double booking of a person.
    again = client.post(
        reverse("measures:start"),
        {"person": person.pk, "category": "close_contact", "site": site.pk},
    )
    assert again.status_code in (200, 422) and Measure.objects.filter(person=person).count() == 1


@pytest.mark.parametrize(("room", "message"), [("999", "没有房间"), ("", "集中隔离须指定隔离点")])
@time_machine.travel(SPEECH_DAY, tick=False)
def test_start_by_hand_explains_what_to_change(client, world, home_people, site, room, message):
    _login(client, world, "county_operator")
    data = {"person": home_people[0].pk, "category": "close_contact", "room": room}
    if room:
        data["site"] = site.pk
    response = client.post(reverse("measures:start"), data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not Measure.objects.filter(person=home_people[0]).exists()


def test_outsider_cannot_start_a_measure_for_a_person_out_of_scope(client, world, home_people):
    _login(client, world, "outsider")
    response = client.post(
        reverse("measures:start"), {"person": home_people[0].pk, "category": "inbound"}
    )
    assert response.status_code == 404
    assert client.get(reverse("measures:start"), {"person": home_people[0].pk}).status_code == 404
