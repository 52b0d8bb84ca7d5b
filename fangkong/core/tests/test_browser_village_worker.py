"""In a real browser: a village grid worker signs in, in Chinese, and sees only their village."""

import pytest

from fangkong.demo.world import DEMO_PASSWORD
from fangkong.people.models import Person


@pytest.mark.browser
def test_village_worker_signs_in_in_chinese_and_sees_only_their_village(
    live_world, live_server, browser_page
):
    page = browser_page
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    assert "登录" in page.content()

    page.fill("input[name=username]", "grid_worker")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    village = live_world.home_village.name
    assert village in page.inner_text(".topbar")
    assert "网格员" in page.inner_text(".topbar")

    page.goto(live_server.url + "/people/")
    rows = page.locator("table.list tbody tr")
    mine = Person.objects.filter(region_id=live_world.home_village.code)
    assert rows.count() == mine.count() > 0
    for index in range(rows.count()):
        assert village in rows.nth(index).inner_text()
    others = Person.objects.exclude(region_id=live_world.home_village.code)
    body = page.content()
    for person in others:
        assert f"/people/{person.pk}/" not in body
