"""Pages and API: scoping (site staff see only their site; 404 otherwise), fixed query counts."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fangkong.measures.models import Measure, Placement, Room, Site, SiteStatus
from fangkong.measures.planning import measure_start
from fangkong.people.models import Person

from .conftest import SPEECH_DAY


@pytest.fixture
def placed(actor_of, home_people, site, other_site, outsider_people):
    operator, outsider = actor_of("county_operator"), actor_of("outsider")
    with time_machine.travel(SPEECH_DAY, tick=False):
        mine = measure_start(
            actor=operator, person=home_people[0], category="close_contact", site=site
        )
        other_site_of_home = Site.objects.create(
            name="吉首市第二隔离点", region=site.region, status=SiteStatus.ACTIVE
        )
        Room.objects.create(site=other_site_of_home, number="1", beds=2)
        elsewhere = measure_start(
            actor=operator,
            person=home_people[1],
            category="secondary_contact",
            site=other_site_of_home,
        )
        theirs = measure_start(
            actor=outsider, person=outsider_people[0], category="secondary_contact", site=other_site
        )
    return {"mine": mine, "elsewhere": elsewhere, "theirs": theirs}


def _get(client, world, key, url):
    client.force_login(world.user(key))
    return client.get(url)


@pytest.mark.parametrize(
    ("key", "which", "status"),
    [
        ("county_site", "mine", 200),
        ("county_site", "elsewhere", 404),  # same county, not their site
        ("county_site", "theirs", 404),
        ("county_operator", "elsewhere", 200),
        ("outsider", "mine", 404),
        ("hq", "theirs", 200),
    ],
)
def test_measure_page_scoping(client, world, placed, key, which, status):
    response = _get(client, world, key, reverse("measures:detail", args=[placed[which].pk]))
    assert response.status_code == status


def test_site_staff_see_only_their_site(client, world, placed, site):
    response = _get(
        client, world, "county_site", reverse("measures:site", args=[placed["elsewhere"].site_id])
    )
    assert response.status_code == 404
    response = client.get(reverse("measures:site", args=[site.pk]))
    assert response.status_code == 200
    response = client.get(reverse("measures:list"))
    assert [m.pk for m in response.context["page"]] == [placed["mine"].pk]


def test_outsider_gets_404_for_site(client, world, placed, site):
    assert (
        _get(client, world, "outsider", reverse("measures:site", args=[site.pk])).status_code == 404
    )


def test_api_scoping(client, world, placed):
    client.force_login(world.user("county_site"))
    body = client.get("/api/v1/measures").json()
    assert [m["id"] for m in body["results"]] == [placed["mine"].pk] and body["count"] == 1
    assert client.get(f"/api/v1/measures/{placed['elsewhere'].pk}").status_code == 404
    client.force_login(world.user("outsider"))
    assert client.get(f"/api/v1/measures/{placed['mine'].pk}").status_code == 404
    assert client.get(f"/api/v1/measures/{placed['theirs'].pk}").status_code == 200


def test_grid_worker_sees_home_measures_of_the_village(client, world, actor_of, home_people):
    village = world.home_village
    person = Person.objects.filter(region=village).first()
    with time_machine.travel(SPEECH_DAY, tick=False):
        measure = measure_start(
            actor=actor_of("county_operator"),
            person=person,
            category="risk_area",
            risk_level="medium",
        )
    assert measure.region_id == village.code and measure.site is None
    assert (
        _get(
            client, world, "grid_worker", reverse("measures:detail", args=[measure.pk])
        ).status_code
        == 200
    )
    assert (
        _get(
            client, world, "outsider_grid_worker", reverse("measures:detail", args=[measure.pk])
        ).status_code
        == 404
    )


def _fill_site(site, n, world):
    """n open placements at the site without going through the services (speed)."""
    from fangkong.core import crypto
    from fangkong.policies.models import Policy

    village = world.home_village
    policy = Policy.objects.get(code="eighth-hunan-spring")
    people = Person.objects.bulk_create(
        Person(
            name=f"测试{i}",
            region=village,
            document_type="passport",
            document_number=f"E{i:08d}",
            document_index=crypto.blind_index("passport", f"E{i:08d}"),
        )
        for i in range(n)
    )
    rooms = Room.objects.bulk_create(Room(site=site, number=f"R{i}", beds=1) for i in range(n))
    end = SPEECH_DAY + dt.timedelta(days=14)
    measures = Measure.objects.bulk_create(
        Measure(
            person=p,
            region=site.region,
            category="risk_area",
            policy=policy,
            policy_version=1,
            measure_type="centralised",
            started_at=SPEECH_DAY,
            stage_ends_at=end,
            planned_end_at=end,
            site=site,
            room=r,
        )
        for p, r in zip(people, rooms, strict=True)
    )
    Placement.objects.bulk_create(
        Placement(measure=m, site=site, room=m.room, started_at=SPEECH_DAY) for m in measures
    )


@pytest.mark.parametrize("rows", [5, 1000])
def test_site_page_query_count_is_fixed(client, world, site, django_assert_num_queries, rows):
    _fill_site(site, rows, world)
    client.force_login(world.user("county_operator"))
    url = reverse("measures:site", args=[site.pk])
    client.get(url)
    with django_assert_num_queries(SITE_PAGE_QUERIES):
        response = client.get(url)
    page = response.context["page"]
    assert page.paginator.count == rows and len(page.object_list) == min(rows, 100)
    assert response.context["site"].beds_used == rows


@pytest.mark.parametrize("rows", [5, 200])
def test_overview_query_count_is_fixed(client, world, site, django_assert_num_queries, rows):
    _fill_site(site, rows, world)
    client.force_login(world.user("county_operator"))
    url = reverse("measures:overview")
    client.get(url)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(url)
    assert response.context["care"]["centralised"]["total"] == rows


SITE_PAGE_QUERIES = 9
OVERVIEW_QUERIES = 9


def test_actions_shown_only_to_roles_that_may_use_them(client, world, placed):
    url = reverse("measures:detail", args=[placed["mine"].pk])
    page = _get(client, world, "county_operator", url).content.decode()
    assert reverse("measures:extend", args=[placed["mine"].pk]) in page
    page = _get(client, world, "county_site", url).content.decode()
    assert reverse("measures:checkin", args=[placed["mine"].pk]) in page
    assert reverse("measures:extend", args=[placed["mine"].pk]) not in page
    page = _get(client, world, "workgroup", url).content.decode()
    assert reverse("measures:checkin", args=[placed["mine"].pk]) not in page
