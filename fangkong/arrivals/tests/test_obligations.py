"""Obligations tracked to the end: the overdue roll-up per village and county, the arrival test
matched by a recorded lab result, and the periodic sweep."""

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from fangkong.arrivals.models import ArrivalObligation, MonitoringDay
from fangkong.arrivals.selectors import overdue_by_village
from fangkong.arrivals.services import arrivals_sweep
from fangkong.labtests.services import nat_result_record
from fangkong.notifications.models import Notification
from fangkong.people.tests.factories import person_in

from .conftest import open_arrival

NOW = dt.datetime(2022, 1, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _obligation(arrival, kind):
    return arrival.obligations.get(kind=kind)


@pytest.fixture
def overdue_world(world):
    """Two villages of 吉首市 and one of 龙山县 with overdue tests, tasks and missed days."""
    home, other_home = world.home_village, world.villages[1]
    assert other_home.code[:6] == home.code[:6] and other_home != home
    outside = world.first_village_in(world.other_county)
    # Arrived yesterday 08:00: the arrival test (due today 08:00) is overdue; no monitoring
    # day recorded for yesterday.
    a = open_arrival(person_in(home, name="甲"), home, arrived_at=NOW - dt.timedelta(hours=30))
    # Arrived three days ago: test done, one of three past monitoring days recorded, and the
    # village's verification overdue.
    b = open_arrival(
        person_in(other_home, name="乙"), other_home, arrived_at=NOW - dt.timedelta(days=3),
        verdict="sample_on_site",
        kinds=("sample_on_site", "village_verification", "health_monitoring"),
    )  # fmt: skip
    _obligation(b, "sample_on_site").__class__.objects.filter(
        arrival=b, kind="sample_on_site"
    ).update(status="done")
    MonitoringDay.objects.create(
        obligation=_obligation(b, "health_monitoring"), day=(NOW - dt.timedelta(days=3)).date(),
        temperature="36.5",
    )  # fmt: skip
    # In 龙山县: an overdue arrival test and yesterday's monitoring missed.
    c = open_arrival(
        person_in(outside, name="丙"), outside, arrived_at=NOW - dt.timedelta(hours=25)
    )
    # Not overdue: arrived an hour ago.
    open_arrival(person_in(home, name="丁"), home, arrived_at=NOW - dt.timedelta(hours=1))
    return {"a": a, "b": b, "c": c, "home": home, "other_home": other_home, "outside": outside}


def test_overdue_is_listed_per_village_and_rolled_up_per_county(
    overdue_world, actor_of, django_assert_num_queries
):
    hq = actor_of("hq")
    with django_assert_num_queries(2):
        counties = overdue_by_village(actor=hq)

    by_code = {c["code"]: c for c in counties}
    jishou = by_code["433101"]
    assert (jishou["tests"], jishou["tasks"], jishou["missed_days"]) == (1, 1, 3)
    villages = {v["code"]: v for v in jishou["villages"]}
    home, other_home = overdue_world["home"].code, overdue_world["other_home"].code
    assert villages[home] == {"code": home, "tests": 1, "tasks": 0, "missed_days": 1}
    assert villages[other_home] == {"code": other_home, "tests": 0, "tasks": 1, "missed_days": 2}
    longshan = by_code["433130"]
    assert (longshan["tests"], longshan["tasks"], longshan["missed_days"]) == (1, 0, 1)


def test_overdue_roll_up_is_scoped_to_the_county_and_the_village(overdue_world, actor_of):
    county = overdue_by_village(actor=actor_of("county_operator"))
    village = overdue_by_village(actor=actor_of("grid_worker"))

    assert [c["code"] for c in county] == ["433101"]
    assert [v["code"] for v in village[0]["villages"]] == [overdue_world["home"].code]
    assert village[0]["tests"] == 1


def test_overdue_query_count_does_not_grow_with_villages(
    overdue_world, world, actor_of, django_assert_num_queries
):
    for village in world.villages:
        open_arrival(person_in(village), village, arrived_at=NOW - dt.timedelta(days=2))

    hq = actor_of("hq")
    with django_assert_num_queries(2):
        overdue_by_village(actor=hq)


def test_the_outsider_sees_nothing_of_the_home_county(overdue_world, actor_of):
    counties = overdue_by_village(actor=actor_of("outsider"))

    assert [c["code"] for c in counties] == ["433130"]


# --- the arrival test matched by a lab result ------------------------------------------------


@pytest.fixture
def arrived(world):
    person = person_in(world.home_village, name="向红梅")
    arrival = open_arrival(person, world.home_village, arrived_at=NOW - dt.timedelta(hours=5))
    return person, arrival


def test_a_result_recorded_for_the_person_closes_the_arrival_test(arrived, actor_of):
    person, arrival = arrived

    test = nat_result_record(actor=actor_of("county_lab"), person=person,
                             sampled_at=NOW - dt.timedelta(hours=2), result="negative")  # fmt: skip

    obligation = _obligation(arrival, "arrival_test")
    assert obligation.status == "done" and obligation.done_ref == f"nattest:{test.pk}"
    assert _obligation(arrival, "health_monitoring").status == "open"
    arrival.refresh_from_db()
    assert arrival.status == "open"


def test_the_certificate_sampled_before_arrival_does_not_count(arrived, actor_of):
    person, arrival = arrived

    nat_result_record(actor=actor_of("county_lab"), person=person,
                      sampled_at=NOW - dt.timedelta(hours=30), result="negative")  # fmt: skip

    assert _obligation(arrival, "arrival_test").status == "open"


def test_a_late_result_still_closes_it_marked_late(arrived, actor_of):
    person, arrival = arrived

    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        nat_result_record(actor=actor_of("county_lab"), person=person,
                          sampled_at=NOW + dt.timedelta(days=1), result="negative")  # fmt: skip

    obligation = _obligation(arrival, "arrival_test")
    assert obligation.status == "done" and obligation.note.startswith("逾期完成")


def test_a_positive_arrival_test_alerts_the_hq(arrived, actor_of):
    person, arrival = arrived

    nat_result_record(actor=actor_of("county_lab"), person=person,
                      sampled_at=NOW - dt.timedelta(hours=1), result="positive")  # fmt: skip

    assert _obligation(arrival, "arrival_test").status == "done"
    assert Notification.objects.filter(kind="arrivals.positive", region_id="4331").exists()


def test_another_persons_result_changes_nothing(arrived, world, actor_of):
    _person, arrival = arrived
    someone = person_in(world.home_village, name="别人")

    nat_result_record(actor=actor_of("county_lab"), person=someone,
                      sampled_at=NOW - dt.timedelta(hours=1), result="negative")  # fmt: skip

    assert _obligation(arrival, "arrival_test").status == "open"


# --- the sweep -------------------------------------------------------------------------------


def test_the_sweep_closes_monitoring_at_day_14_and_settled_arrivals(world):
    person = person_in(world.home_village)
    arrival = open_arrival(person, world.home_village, arrived_at=NOW - dt.timedelta(days=14))
    ArrivalObligation.objects.filter(arrival=arrival, kind="arrival_test").update(status="done")
    running = open_arrival(
        person_in(world.home_village), world.home_village, arrived_at=NOW - dt.timedelta(days=13)
    )

    counts = arrivals_sweep()

    assert counts["monitoring_closed"] == 1 and counts["arrivals_closed"] == 1
    arrival.refresh_from_db()
    assert arrival.status == "closed"
    assert _obligation(arrival, "health_monitoring").status == "closed"
    assert _obligation(running, "health_monitoring").status == "open"


def test_the_sweep_flags_each_county_with_overdue_items_once_a_day(overdue_world):
    first = arrivals_sweep()
    again = arrivals_sweep()

    assert first["overdue_tests"] == 2 and first["missed_days"] == 4
    assert first["counties_flagged"] == 2 and again["counties_flagged"] == 0
    alerts = Notification.objects.filter(kind="arrivals.overdue")
    assert sorted(alerts.values_list("region_id", flat=True)) == ["433101", "433130"]
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert arrivals_sweep()["counties_flagged"] == 2


def test_the_command_prints_its_counts(overdue_world):
    out = StringIO()

    call_command("arrivals-sweep", "--json", stdout=out)

    counts = json.loads(out.getvalue())
    assert counts["overdue_tests"] == 2 and counts["counties_flagged"] == 2


def test_home_todo_counts_the_overdue_obligations_in_scope(overdue_world, actor_of):
    from fangkong.arrivals.selectors import overdue_list
    from fangkong.arrivals.todo import home_todo

    for key in ("county_operator", "outsider"):
        actor = actor_of(key)
        (todo,) = home_todo(actor)
        assert todo.count == overdue_list(actor=actor).count() > 0
        assert todo.url_name == "arrivals:overdue" and todo.urgent
    assert home_todo(actor_of("auditor")) == []
