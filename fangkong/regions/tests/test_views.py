import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import township_with_villages


@pytest.fixture
def county_client(client, world):
    client.force_login(world.user("county_operator"))
    return client


def detail_url(region_or_code) -> str:
    return reverse("regions:detail", args=[getattr(region_or_code, "code", region_or_code)])


def test_browse_opens_the_actor_region_with_its_children(county_client, world):
    response = county_client.get(reverse("regions:browse"))

    assert response.status_code == 200
    assert response.context["region"] == world.home_county
    page = response.content.decode()
    assert world.home_township.name in page
    assert detail_url(world.home_township) in page


def test_village_page_shows_the_breadcrumb_from_the_county(county_client, world):
    response = county_client.get(detail_url(world.home_village))

    assert response.status_code == 200
    assert [r.code for r in response.context["breadcrumb"]] == [
        world.home_county.code,
        world.home_township.code,
        world.home_village.code,
    ]
    assert response.context["children"] == []


def test_children_show_people_counts(client, world):
    client.force_login(world.user("hq"))

    response = client.get(reverse("regions:browse"))

    counts = {c.code: c.people_count for c in response.context["children"]}
    assert counts[world.home_county.code] > 0
    assert response.context["people_count"] == sum(counts.values())


def test_outsider_gets_404_for_another_county(client, world):
    client.force_login(world.user("outsider"))

    assert client.get(detail_url(world.home_county)).status_code == 404
    assert client.get(detail_url(world.home_village)).status_code == 404


def test_county_user_gets_404_for_the_city_above(county_client, world):
    assert county_client.get(detail_url(world.city)).status_code == 404
    assert county_client.get(detail_url("43")).status_code == 404


def test_unknown_code_gets_404(county_client, world):
    assert county_client.get(detail_url(world.home_county.code + "999")).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("regions:browse"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_children(client, world):
    client.force_login(world.user("hq"))
    many = township_with_villages(world.home_county, "433101990", 20)
    _queries_for(client, reverse("regions:browse"))  # the first request touches the session

    two_villages = _queries_for(client, detail_url(world.home_township))
    twenty_villages = _queries_for(client, detail_url(many))

    assert len(world.home_township.children.all()) == 2
    assert two_villages == twenty_villages
