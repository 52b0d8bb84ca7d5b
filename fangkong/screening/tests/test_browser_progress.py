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


@pytest.mark.browser
def test_hq_opens_progress_down_to_a_village_and_its_records(
    live_world, live_server, browser_page, tmp_path
):
    county, township, village = (
        live_world.home_county,
        live_world.home_township,
        live_world.home_village,
    )
    path = tmp_path / "名单.csv"
    address = f"{county.name}{township.name}{village.name}"
    path.write_bytes(
        csv_bytes(
            [HEADER, row(1, "张三", ID_A, address=address), row(2, "李四", ID_B, address=address)]
        )
    )
    screening_import(
        actor=_actor(live_world, "comprehensive"),
        path=path,
        filename=path.name,
        options=ImportOptions(category="risk_area"),
    )
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "comprehensive")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")

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
    path = tmp_path / "名单.csv"
    unplaced = f"{county.name}不明小区8栋"
    path.write_bytes(
        csv_bytes(
            [HEADER, row(1, "张三", ID_A, address=unplaced), row(2, "李四", ID_B, address=unplaced)]
        )
    )
    screening_import(
        actor=_actor(live_world, "comprehensive"),
        path=path,
        filename=path.name,
        options=ImportOptions(category="risk_area"),
    )
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "county_operator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    here = f"/screening/records/?region={county.code}&here=1"
    page.goto(live_server.url + here)
    page.check("[data-check-all]")  # ticks every record of the page
    assert page.locator("input[name=record]:checked").count() == 2
    page.select_option("#bulk-region", township.code)
    page.click("#bulk-reassign button[type=submit]")
    page.wait_for_url(f"**{here}")
    assert "已改派 2 条记录" in page.inner_text("body")
    assert page.locator("input[name=record]").count() == 0
