"""The dashboard: summary figures equal direct counts, scoping, drill-down, fixed queries."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from fangkong.dashboards.models import RegionFigure


def _figure(code, key, day="2022-01-20"):
    return RegionFigure.objects.get(region_id=code, day=day, key=key).value


def test_snapshot_rolls_up_township_county_and_city(world, samples):
    assert _figure(world.city.code, "tests.sampled") == 3
    assert _figure(world.home_county.code, "tests.sampled") == 2
    assert _figure(world.home_county.code, "tests.positive") == 1
    assert _figure(world.home_township.code, "tests.sampled") == 2
    assert _figure(world.other_county.code, "tests.sampled") == 1
    assert _figure(world.home_county.code, "tests.sampled", day="2022-01-19") == 1


def test_hq_sees_the_city_and_every_county(client, world, samples):
    client.force_login(world.user("hq"))
    body = client.get("/api/v1/dashboard").json()
    assert body["region"]["code"] == world.city.code
    assert body["figures"]["tests.sampled"] == 3
    assert body["trend"]["series"]["tests.sampled"][-2:] == [1, 3]
    assert {c["code"] for c in body["children"]} == {world.home_county.code,
                                                    world.other_county.code}  # fmt: skip
    assert [c["label"] for c in body["quarantine_by_category"]][:2] == ["密接", "次密接"]


def test_county_user_sees_only_the_county_and_its_townships(client, world, samples):
    client.force_login(world.user("county_operator"))
    body = client.get("/api/v1/dashboard").json()
    assert body["region"]["code"] == world.home_county.code
    assert body["figures"]["tests.sampled"] == 2
    assert all(c["code"].startswith(world.home_county.code) for c in body["children"])


def test_drill_down_inside_the_scope_and_404_outside(client, world, samples):
    client.force_login(world.user("hq"))
    body = client.get(f"/api/v1/dashboard?region={world.home_county.code}").json()
    assert body["figures"]["tests.sampled"] == 2
    page = client.get(reverse("dashboards:dashboard") + f"?region={world.home_county.code}")
    assert world.home_township.name in page.content.decode()
    client.force_login(world.user("outsider"))
    assert client.get(f"/api/v1/dashboard?region={world.home_county.code}").status_code == 404
    assert client.get(reverse("dashboards:dashboard") + f"?region={world.home_county.code}"
                      ).status_code == 404  # fmt: skip
    assert client.get(reverse("dashboards:screen") + f"?region={world.city.code}"
                      ).status_code == 404  # fmt: skip


@pytest.mark.parametrize("key", ["grid_worker", "auditor", "county_checkpoint"])
def test_roles_without_the_dashboard_get_403(client, world, key):
    client.force_login(world.user(key))
    assert client.get(reverse("dashboards:dashboard")).status_code == 403
    assert client.get("/api/v1/dashboard").status_code == 403


@pytest.mark.parametrize("key", ["hq", "county_operator"])
def test_the_api_runs_a_fixed_number_of_queries(client, world, samples, key,
                                                django_assert_num_queries):  # fmt: skip
    client.force_login(world.user(key))
    client.get("/api/v1/dashboard")
    # Session, user, role assignment; the refresh time, risk areas, the period (2): the summary
    # rows come from the cache; without it, two more (figures, children).
    with django_assert_num_queries(7):
        assert client.get("/api/v1/dashboard").status_code == 200
    cache.clear()
    with django_assert_num_queries(9):
        assert client.get("/api/v1/dashboard").status_code == 200


def test_the_page_and_the_big_screen_render(client, world, samples, django_assert_num_queries):
    client.force_login(world.user("hq"))
    client.get(reverse("dashboards:dashboard"))
    with django_assert_num_queries(9):
        page = client.get(reverse("dashboards:dashboard")).content.decode()
    assert "vendor/echarts/echarts.min.js" in page and 'id="dashboard-data"' in page
    assert "<script>" not in page
    screen = client.get(reverse("dashboards:screen")).content.decode()
    assert 'class="bigscreen"' in screen and 'data-refresh="60"' in screen
