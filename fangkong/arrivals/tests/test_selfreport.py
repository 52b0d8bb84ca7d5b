"""The public self-report form: validation, repeats, abuse, the receipt."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fangkong.arrivals.models import Arrival, ArrivalObligation, ReportAttempt
from fangkong.arrivals.selfreport import RATE_LIMIT
from fangkong.people.models import Person
from fangkong.people.tests.factories import resident_id
from fangkong.screening.models import ScreeningRecord

from .forms import self_report_values as form

NOW = dt.datetime(2022, 1, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def url(world):
    return reverse("arrivals:report", args=[world.home_county.code])


def test_the_form_opens_without_login(client, world):
    response = client.get(url(world))

    assert response.status_code == 200
    assert 'name="website"' in response.content.decode()


def test_a_report_creates_the_person_the_arrival_and_its_obligations(client, world):
    response = client.post(url(world), form(world))

    assert response.status_code == 302
    arrival = Arrival.objects.get()
    assert arrival.source == "self_report" and arrival.region_id == world.home_village.code
    assert arrival.verdict == "pass_with_arrival_test"
    kinds = set(ArrivalObligation.objects.values_list("kind", flat=True))
    assert kinds == {"arrival_test", "health_monitoring"}
    receipt = client.get(response["Location"]).content.decode()
    assert "24小时内落地检" in receipt and "14天健康监测" in receipt
    assert Person.objects.filter(name="向红梅").count() == 1


def test_bad_document_is_explained_and_nothing_is_stored(client, world):
    response = client.post(url(world), form(world, document_number="433101198503070000"))

    assert response.status_code == 422
    assert "校验位错误" in response.content.decode()
    assert not Arrival.objects.exists()


def test_future_arrival_is_refused(client, world):
    response = client.post(url(world), form(world, arrival_at="2022-01-11T09:00"))

    assert response.status_code == 422
    assert "抵达时间不能晚于现在" in response.content.decode()
    assert not Arrival.objects.exists()


def test_a_destination_outside_the_county_is_refused(client, world):
    other = next(v for v in world.villages if v.code.startswith(world.other_county.code))
    response = client.post(url(world), form(world, village=other.code))

    assert response.status_code == 422
    assert not Arrival.objects.exists()


def test_a_second_report_updates_the_first(client, world):
    number = resident_id("420106")
    client.post(url(world), form(world, document_number=number))
    client.post(url(world), form(world, document_number=number, travel_number="G6119",
                                 nat_sampled_at="", nat_result=""))  # fmt: skip

    arrival = Arrival.objects.get()
    assert arrival.reports == 2 and arrival.travel_number == "G6119"
    assert arrival.verdict == "sample_on_site"
    assert set(arrival.obligations.values_list("kind", flat=True)) == {
        "sample_on_site",
        "health_monitoring",
    }


def test_rate_limit_per_address(client, world):
    for _ in range(RATE_LIMIT):
        assert client.post(url(world), form(world, document_number=resident_id("420106")),
                           REMOTE_ADDR="10.0.0.9").status_code == 302  # fmt: skip

    response = client.post(url(world), form(world, document_number=resident_id("420106")),
                           REMOTE_ADDR="10.0.0.9")  # fmt: skip

    assert response.status_code == 429
    assert Arrival.objects.count() == RATE_LIMIT
    assert ReportAttempt.objects.count() == RATE_LIMIT
    other = client.post(url(world), form(world, document_number=resident_id("420106")),
                        REMOTE_ADDR="10.0.0.10")  # fmt: skip
    assert other.status_code == 302


def test_a_script_without_the_page_gets_no_csrf_pass(world):
    script = Client(enforce_csrf_checks=True)

    response = script.post(url(world), form(world))

    assert response.status_code == 403
    assert not Arrival.objects.exists()


def test_a_filled_honeypot_is_refused(client, world):
    response = client.post(url(world), form(world, website="http://spam.example"))

    assert response.status_code == 400
    assert not Arrival.objects.exists()


def test_a_medium_risk_origin_pushes_to_the_village(client, world):
    from fangkong.riskareas.models import RiskArea

    RiskArea.objects.create(code="420106", county_code="420106", name="武昌区某小区",
                            level="medium", effective_from=NOW - dt.timedelta(days=3))  # fmt: skip
    client.post(url(world), form(world))

    arrival = Arrival.objects.get()
    assert arrival.verdict == "sample_on_site"
    # The village's verification is done in key-population screening, on one record.
    record = ScreeningRecord.objects.get()
    assert record.region_id == world.home_village.code
    assert record.source_ref == f"arrival:{arrival.pk}"
    verification = arrival.obligations.get(kind="village_verification")
    assert verification.status == "closed" and verification.done_ref == f"screening:{record.pk}"


def test_unknown_county_is_404(client, world):
    assert client.get(reverse("arrivals:report", args=["999999"])).status_code == 404


def test_a_checkpoint_qr_leads_to_its_county(client, world, checkpoint):
    response = client.get(reverse("arrivals:report", args=[checkpoint.code]))

    assert response.status_code == 200 and world.home_county.name in response.content.decode()


def test_tampered_receipt_is_404(client, world):
    assert client.get(reverse("arrivals:receipt", args=["nonsense"])).status_code == 404


def test_a_red_code_report_starts_centralised_quarantine_where_a_bed_is_free(client, world):
    from fangkong.measures.models import Measure, Room, Site, SiteStatus

    site = Site.objects.create(name="吉首市集中隔离点", region=world.home_county,
                               status=SiteStatus.ACTIVE)  # fmt: skip
    Room.objects.create(site=site, number="101", beds=1)

    client.post(url(world), form(world, health_code="red"))

    arrival = Arrival.objects.get()
    assert arrival.verdict == "transfer"
    measure = Measure.objects.get(person_id=arrival.person_id)
    assert measure.site == site and measure.source == "arrival"
    assert arrival.obligations.get(kind="centralised_quarantine").status == "done"


def test_a_red_code_report_without_a_free_bed_awaits_a_site(client, world):
    client.post(url(world), form(world, health_code="red"))

    arrival = Arrival.objects.get()
    kinds = dict(arrival.obligations.values_list("kind", "status"))
    assert kinds == {"centralised_quarantine": "open", "await_site": "open"}
