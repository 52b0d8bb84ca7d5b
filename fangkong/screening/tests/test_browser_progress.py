"""In a real browser: the city HQ opens the progress down to a village and the records behind a
figure, then one record; a county operator sends the county's unplaced records down at once."""

import pytest

from fangkong.accounts.models import RoleAssignment
from fangkong.core.actor import Actor
from fangkong.demo.world import DEMO_PASSWORD
from fangkong.screening.importer import ImportOptions, screening_import

from .conftest import HEADER, ID_A, ID_B, csv_bytes, row


def _actor(world, key) -> Actor:
    user = world.user(key)
    assignment = RoleAssignment.objects.filter(user=user, active=True).select_related("region")[0]
    return Actor.build(user=user, region=assignment.region, role=assignment.role)


def _two_people_at(world, tmp_path, address: str) -> None:
    """A list of two people living at the address, imported by the city's comprehensive group."""
    path = tmp_path / "名单.csv"
    rows = [row(1, "张三", ID_A, address=address), row(2, "李四", ID_B, address=address)]
    path.write_bytes(csv_bytes([HEADER, *rows]))
    screening_import(
        actor=_actor(world, "comprehensive"),
        path=path,
        filename=path.name,
        options=ImportOptions(category="risk_area"),
    )


def _signed_in(page, live_server, username: str):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


@pytest.mark.browser
def test_hq_opens_progress_down_to_a_village_and_its_records(
    live_world, live_server, browser_page, tmp_path
):
    county, township, village = (
        live_world.home_county,
        live_world.home_township,
        live_world.home_village,
    )
    _two_people_at(live_world, tmp_path, f"{county.name}{township.name}{village.name}")
    page = _signed_in(browser_page, live_server, "comprehensive")

    page.goto(live_server.url + "/screening/progress/")
    page.click(f"table.list td[data-label='区划'] a:text-is('{county.name}')")
    page.wait_for_url(f"**/screening/progress/?region={county.code}")
    page.click(f"table.list td[data-label='区划'] a:text-is('{township.name}')")
    page.wait_for_url(f"**/screening/progress/?region={township.code}")
    assert f"核查进度 · {township.name}" in page.inner_text("h1")

    row_of_village = page.locator("table.list tr", has_text=village.name)
    row_of_village.locator("td[data-label='待签收'] a").click()
    page.wait_for_url("**/screening/records/?*status=pushed*")
    names = page.locator("table.list td[data-label='姓名'] a")
    assert sorted(names.all_inner_texts()) == ["张*", "李*"]
    assert page.locator(".sc-tabs a.button-primary").inner_text() == "待签收 2"

    names.first.click()
    page.wait_for_url("**/screening/records/*/")
    assert "核查结果" in page.content()


@pytest.mark.browser
def test_county_operator_ticks_the_unplaced_records_and_sends_them_down(
    live_world, live_server, browser_page, tmp_path
):
    county, township = live_world.home_county, live_world.home_township
    _two_people_at(live_world, tmp_path, f"{county.name}不明小区8栋")
    page = _signed_in(browser_page, live_server, "county_operator")

    here = f"/screening/records/?region={county.code}&here=1"
    page.goto(live_server.url + here)
    page.check("[data-check-all]")  # ticks every record of the page
    assert page.locator("input[name=record]:checked").count() == 2
    page.select_option("#bulk-region", township.code)
    page.click("#bulk-reassign button[type=submit]")
    page.wait_for_url(f"**{here}")
    assert "已改派 2 条记录" in page.inner_text("body")
    assert page.locator("input[name=record]").count() == 0
