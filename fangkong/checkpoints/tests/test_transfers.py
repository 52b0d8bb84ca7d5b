"""A transfer verdict starts centralised quarantine at a site of the destination county with a
free bed, or keeps the HQ alert and opens "待安排隔离点" when there is none."""

import json

import pytest
import time_machine

from fangkong.arrivals.models import Arrival, ArrivalObligation
from fangkong.arrivals.services import arrivals_sweep
from fangkong.audit.models import ChangeEntry
from fangkong.core.actor import Actor
from fangkong.measures.models import Measure, Room, Site, SiteStatus
from fangkong.measures.planning import measure_start
from fangkong.notifications.models import Notification

from .conftest import TODAY, check_payload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def post(client, token, code, payload):
    return client.post(
        f"/api/v1/checkpoints/{code}/screenings", data=json.dumps(payload),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip


def _site(region, *, beds: int, name="吉首市集中隔离点一号", status=SiteStatus.ACTIVE) -> Site:
    site = Site.objects.create(name=name, region=region, status=status)
    if beds:
        Room.objects.create(site=site, number="101", beds=beds)
    return site


def _red(world):
    return check_payload(world, health_code="red")


def test_red_code_starts_centralised_quarantine_at_a_site_with_a_free_bed(
    client, world, checkpoint, token_for
):
    _site(world.home_county, beds=0, name="无床位隔离点")
    site = _site(world.home_county, beds=2)

    body = post(client, token_for(), checkpoint.code, _red(world)).json()

    assert body["verdict"] == "transfer"
    arrival = Arrival.objects.get(source_ref=f"check:{body['record_id']}")
    measure = Measure.objects.get(person_id=arrival.person_id)
    assert measure.site == site and measure.measure_type == "centralised"
    assert (measure.category, measure.risk_level) == ("risk_area", "high")
    assert measure.source == "checkpoint" and measure.source_ref == f"check:{body['record_id']}"
    obligation = arrival.obligations.get(kind="centralised_quarantine")
    assert obligation.status == "done" and obligation.done_ref == f"measure:{measure.pk}"
    assert not arrival.obligations.filter(kind="await_site").exists()
    started = ChangeEntry.objects.get(action="measures.measure.started")
    assert started.api_token_id is not None and started.role == "checkpoint_staff"
    assert Notification.objects.filter(kind="arrivals.transfer").exists()


def test_without_a_free_bed_the_alert_stands_and_a_site_is_awaited(
    client, world, checkpoint, token_for
):
    full = _site(world.home_county, beds=1)
    post(client, token_for(), checkpoint.code, _red(world))
    assert Measure.objects.filter(site=full).count() == 1

    second = check_payload(world, health_code="red", name="李四",
                           document_number="11010519491231002X")  # fmt: skip
    body = post(client, token_for(), checkpoint.code, second).json()

    arrival = Arrival.objects.get(source_ref=f"check:{body['record_id']}")
    assert not Measure.objects.filter(person_id=arrival.person_id).exists()
    kinds = dict(arrival.obligations.values_list("kind", "status"))
    assert kinds == {"centralised_quarantine": "open", "await_site": "open"}
    assert Notification.objects.filter(kind="arrivals.transfer").count() == 2


def test_no_site_in_the_destination_county_means_awaiting_one(client, world, checkpoint, token_for):
    _site(world.other_county, beds=5, name="龙山县集中隔离点")

    body = post(client, token_for(), checkpoint.code, _red(world)).json()

    arrival = Arrival.objects.get(source_ref=f"check:{body['record_id']}")
    assert not Measure.objects.exists()
    assert arrival.obligations.filter(kind="await_site", status="open").count() == 1


def test_a_closed_site_is_not_used(client, world, checkpoint, token_for):
    _site(world.home_county, beds=5, status=SiteStatus.CLOSED)

    post(client, token_for(), checkpoint.code, _red(world))

    assert not Measure.objects.exists()
    assert ArrivalObligation.objects.filter(kind="await_site").count() == 1


def test_a_positive_test_goes_to_hospital_not_to_a_quarantine_site(
    client, world, checkpoint, token_for
):
    _site(world.home_county, beds=2)

    body = post(client, token_for(), checkpoint.code,
                check_payload(world, nat_result="positive")).json()  # fmt: skip

    assert body["verdict"] == "transfer"
    assert not Measure.objects.exists()
    arrival = Arrival.objects.get(source_ref=f"check:{body['record_id']}")
    assert list(arrival.obligations.values_list("kind", "status")) == [
        ("hospital_transfer", "open")
    ]


def test_a_person_already_under_a_measure_is_not_placed_twice(client, world, checkpoint, token_for):
    _site(world.home_county, beds=3)
    token, payload = token_for(), _red(world)
    post(client, token, checkpoint.code, payload)

    body = post(client, token, checkpoint.code, payload).json()

    assert Measure.objects.count() == 1
    arrival = Arrival.objects.get(source_ref=f"check:{body['record_id']}")
    assert arrival.obligations.get(kind="centralised_quarantine").status == "done"


def test_the_sweep_places_an_awaiting_transfer_once_a_bed_is_free(
    client, world, checkpoint, token_for
):
    body = post(client, token_for(), checkpoint.code, _red(world)).json()
    arrival = Arrival.objects.get(source_ref=f"check:{body['record_id']}")
    assert arrivals_sweep()["transfers_placed"] == 0  # still no site: it keeps waiting
    site = _site(world.home_county, beds=2)

    counts = arrivals_sweep()

    measure = Measure.objects.get(person_id=arrival.person_id)
    assert counts["transfers_placed"] == 1
    assert measure.site == site and measure.source_ref == f"check:{body['record_id']}"
    kinds = dict(arrival.obligations.values_list("kind", "status"))
    assert kinds == {"centralised_quarantine": "done", "await_site": "done"}
    started = ChangeEntry.objects.get(action="measures.measure.started")
    assert started.role == "system"
    assert arrivals_sweep()["transfers_placed"] == 0 and Measure.objects.count() == 1


def test_a_transfer_placed_by_hand_meanwhile_is_closed_against_that_measure(
    client, world, checkpoint, token_for
):
    body = post(client, token_for(), checkpoint.code, _red(world)).json()
    arrival = Arrival.objects.get(source_ref=f"check:{body['record_id']}")
    other = _site(world.other_county, beds=5, name="龙山县集中隔离点")
    by_hand = measure_start(
        actor=Actor.build(user=None, region=world.other_county, role="hq_commander"),
        person=arrival.person, category="risk_area", risk_level="high", source="manual",
        started_at=arrival.arrived_at, site=other,
    )  # fmt: skip

    arrivals_sweep()  # no free bed in the destination county: found placed all the same

    assert Measure.objects.filter(person_id=arrival.person_id).get() == by_hand
    transfer = arrival.obligations.get(kind="centralised_quarantine")
    assert (transfer.status, transfer.done_ref) == ("done", f"measure:{by_hand.pk}")
    assert arrival.obligations.get(kind="await_site").status == "done"
