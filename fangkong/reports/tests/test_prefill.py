"""Pre-filled figures equal the platform's own counts for the unit's region and window."""

import datetime as dt

import time_machine

from fangkong.labtests.models import NatTest
from fangkong.measures.models import Measure, Room, Site, SiteStatus
from fangkong.measures.planning import measure_start
from fangkong.people.models import Person
from fangkong.policies.rules import policy_cache_clear
from fangkong.reports.services import report_open

from .conftest import DAY, MORNING, at

WINDOW_START = at(DAY - dt.timedelta(days=1), 16)
WINDOW_END = at(DAY, 16)


def _tests(world):
    """Samples inside and outside the window, in and out of the home county."""
    people = list(Person.objects.filter(region__code__startswith=world.home_county.code)[:3])
    other = Person.objects.filter(region__code__startswith=world.other_county.code).first()
    rows = [
        (people[0], world.home_village, WINDOW_START, "negative"),  # exactly the start: out
        (people[0], world.home_village, WINDOW_START + dt.timedelta(seconds=1), "negative"),
        (people[1], world.home_village, at(DAY, 9), "positive"),
        (people[2], world.home_township, WINDOW_END, "negative"),  # exactly the end: in
        (people[2], world.home_village, WINDOW_END + dt.timedelta(seconds=1), "negative"),
        (other, world.first_village_in(world.other_county), at(DAY, 9), "positive"),
    ]
    NatTest.objects.bulk_create(
        NatTest(person=p, region=r, sampled_at=t, result=res) for p, r, t, res in rows
    )


def _measures(world, actor):
    policy_cache_clear()
    site = Site.objects.create(name="吉首市集中隔离点", region=world.home_county,
                               status=SiteStatus.ACTIVE)  # fmt: skip
    Room.objects.bulk_create(Room(site=site, number=str(100 + i), beds=1) for i in range(4))
    people = list(Person.objects.filter(region__code__startswith=world.home_county.code)[3:7])
    for person, category, started in zip(
        people,
        ["close_contact", "secondary_contact", "secondary_contact", "inbound"],
        [at(DAY, 9), at(DAY, 11), at(DAY, 17), at(DAY - dt.timedelta(days=3), 9)],
        strict=True,
    ):
        measure_start(actor=actor, person=person, category=category, site=site,
                      started_at=started)  # fmt: skip


def test_prefilled_figures_equal_direct_counts(world, period, units, actor_of):
    _tests(world)
    _measures(world, actor_of("county_operator"))
    with time_machine.travel(at(DAY, 18), tick=False):
        report = report_open(actor=actor_of("county_operator"), period=period,
                             unit=units["county_operator"], day=DAY)  # fmt: skip
    county = world.home_county.code
    tests = NatTest.objects.filter(
        region__code__startswith=county, sampled_at__gt=WINDOW_START, sampled_at__lte=WINDOW_END
    )
    assert report.prefilled["tests.sampled"] == tests.count() == 3
    assert report.prefilled["tests.positive"] == tests.filter(result="positive").count() == 1
    in_care = Measure.objects.filter(
        region__code__startswith=county, measure_type="centralised", started_at__lte=WINDOW_END
    )
    assert report.prefilled["measures.centralised"] == in_care.count() == 3
    assert report.prefilled["measures.centralised.secondary_contact"] == 1
    assert report.prefilled["measures.centralised.inbound"] == 1
    admitted = Measure.objects.filter(
        region__code__startswith=county, started_at__gt=WINDOW_START, started_at__lte=WINDOW_END
    )
    assert report.prefilled["measures.admitted"] == admitted.count() == 2
    assert report.figures["tests.sampled"] == 3


def test_a_city_work_group_sees_the_whole_city(world, period, units, actor_of):
    _tests(world)
    with time_machine.travel(MORNING, tick=False):
        report = report_open(actor=actor_of("workgroup"), period=period,
                             unit=units["workgroup"], day=DAY)  # fmt: skip
    assert report.prefilled["tests.sampled"] == 4  # the home county's 3 and the other's 1
    assert report.prefilled["tests.positive"] == 2


def test_overdue_scheduled_tests_equal_a_direct_count(world, period, units, actor_of):
    from fangkong.measures.models import RUNNING, ScheduledTest
    from fangkong.reports.figures import region_figures
    from fangkong.reports.schedule import window

    _measures(world, actor_of("county_operator"))
    county = world.home_county.code
    figures = region_figures(window(period, DAY, county))
    direct = ScheduledTest.objects.filter(
        measure__region__code__startswith=county, measure__status__in=RUNNING,
        status="pending", due_date__lt=DAY,
    ).count()  # fmt: skip
    assert figures["measures.overdue_tests"] == direct > 0
