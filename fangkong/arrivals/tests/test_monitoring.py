"""The grid worker's monitoring page: today's list, recording a day, catching up a missed one."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fangkong.arrivals.models import MonitoringDay
from fangkong.audit.models import ChangeEntry
from fangkong.notifications.models import Notification
from fangkong.people.tests.factories import person_in

from .conftest import open_arrival

NOW = dt.datetime(2022, 1, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def monitored(world):
    """Arrived in the grid worker's village two days ago (8 January 10:00)."""
    arrival = open_arrival(person_in(world.home_village, name="向红梅"), world.home_village,
                           arrived_at=NOW - dt.timedelta(days=2, hours=4))  # fmt: skip
    return arrival.obligations.get(kind="health_monitoring")


def test_the_list_shows_who_is_due_today_and_missed_days(client, world, monitored):
    client.force_login(world.user("grid_worker"))

    response = client.get(reverse("arrivals:monitoring"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "向*梅" in html and "第 3 / 14 天" in html
    assert "今日待记录" in html and "漏记 2 天" in html
    assert reverse("arrivals:monitoring_day", args=[monitored.pk]) in html


def test_the_list_runs_a_fixed_number_of_queries(
    client, world, monitored, django_assert_max_num_queries
):
    client.force_login(world.user("grid_worker"))
    client.get(reverse("arrivals:monitoring"))
    for n in range(5):
        open_arrival(person_in(world.home_village), world.home_village,
                     arrived_at=NOW - dt.timedelta(days=n))  # fmt: skip

    with django_assert_max_num_queries(12) as few:
        client.get(reverse("arrivals:monitoring"))
    first = len(few.captured_queries)
    for n in range(5):
        open_arrival(person_in(world.home_village), world.home_village,
                     arrived_at=NOW - dt.timedelta(days=n))  # fmt: skip
    with django_assert_max_num_queries(first):
        client.get(reverse("arrivals:monitoring"))


def test_recording_today_from_the_list(client, world, monitored):
    client.force_login(world.user("grid_worker"))

    response = client.post(reverse("arrivals:monitoring_day", args=[monitored.pk]),
                           {"day": "2022-01-10", "temperature": "36.6"})  # fmt: skip

    assert response.status_code == 302
    entry = MonitoringDay.objects.get(obligation=monitored)
    assert entry.day == dt.date(2022, 1, 10) and str(entry.temperature) == "36.6"
    assert ChangeEntry.objects.filter(action="arrivals.monitoring.recorded").count() == 1
    page = client.get(reverse("arrivals:monitoring")).content.decode()
    assert "今日已记录" in page and "已记录 向*梅" in page


def test_a_missed_day_can_be_caught_up(client, world, monitored):
    client.force_login(world.user("grid_worker"))

    client.post(reverse("arrivals:monitoring_day", args=[monitored.pk]),
                {"day": "2022-01-08", "temperature": "36.4"})  # fmt: skip

    page = client.get(reverse("arrivals:monitoring")).content.decode()
    assert "漏记 1 天" in page


def test_fever_or_symptoms_alert_the_county(client, world, monitored):
    client.force_login(world.user("grid_worker"))

    client.post(reverse("arrivals:monitoring_day", args=[monitored.pk]),
                {"day": "2022-01-10", "temperature": "37.5", "symptom": ["咳嗽"]})  # fmt: skip

    entry = MonitoringDay.objects.get(obligation=monitored)
    assert entry.symptoms == "咳嗽"
    alert = Notification.objects.get(kind="arrivals.fever")
    assert alert.region_id == world.home_county.code and alert.level == "danger"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"day": "2022-01-10", "temperature": ""}, "请填写体温"),
        ({"day": "2022-01-10", "temperature": "45"}, "不合理"),
        ({"day": "2022-01-10", "temperature": "abc"}, "应为数字"),
        ({"day": "2022-01-11", "temperature": "36.5"}, "日期不在监测期内"),
        ({"day": "2022-01-01", "temperature": "36.5"}, "日期不在监测期内"),
    ],
)
def test_bad_entries_say_what_to_change(client, world, monitored, values, field):
    client.force_login(world.user("grid_worker"))

    response = client.post(reverse("arrivals:monitoring_day", args=[monitored.pk]), values)

    assert response.status_code == 422
    assert field in response.content.decode()
    assert not MonitoringDay.objects.exists()


def test_the_day_page_lists_the_period(client, world, monitored):
    client.force_login(world.user("grid_worker"))

    html = client.get(reverse("arrivals:monitoring_day", args=[monitored.pk])).content.decode()

    assert "1月8日" in html and "1月10日" in html and "漏记" in html


def test_the_outsider_gets_404(client, world, monitored):
    client.force_login(world.user("outsider_grid_worker"))

    get = client.get(reverse("arrivals:monitoring_day", args=[monitored.pk]))
    post = client.post(reverse("arrivals:monitoring_day", args=[monitored.pk]),
                       {"day": "2022-01-10", "temperature": "36.5"})  # fmt: skip

    assert (get.status_code, post.status_code) == (404, 404)
    assert not MonitoringDay.objects.exists()
    listing = client.get(reverse("arrivals:monitoring")).content.decode()
    assert "向*梅" not in listing


def test_checkpoint_staff_may_not_record(client, world, monitored):
    client.force_login(world.user("county_checkpoint"))

    response = client.post(reverse("arrivals:monitoring_day", args=[monitored.pk]),
                           {"day": "2022-01-10", "temperature": "36.5"})  # fmt: skip

    assert response.status_code == 403
