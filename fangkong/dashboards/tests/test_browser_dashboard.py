"""In a real browser: the HQ opens the dashboard and the big screen, and the charts draw."""

import pytest

from fangkong.dashboards.snapshot import snapshot_refresh
from fangkong.demo.world import DEMO_PASSWORD

CHARTS = ["chart-categories", "chart-completeness", "chart-children", "chart-trend"]


def _sign_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def _charts_drew(page) -> dict:
    return page.evaluate(
        """(ids) => Object.fromEntries(ids.map((id) => {
            const chart = window.fangkongCharts && window.fangkongCharts[id];
            const canvas = document.querySelector('#' + id + ' canvas');
            return [id, {
                series: chart ? chart.getOption().series.length : 0,
                width: canvas ? canvas.width : 0,
                height: canvas ? canvas.height : 0,
            }];
        }))""",
        CHARTS,
    )


@pytest.mark.browser
def test_the_dashboard_draws_its_charts(live_world, live_server, browser_page):
    snapshot_refresh(days=2)
    page = browser_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, live_server.url, "hq")
    page.goto(live_server.url + "/dashboard/")
    page.wait_for_function("() => window.fangkongCharts && window.fangkongCharts['chart-trend']")
    drawn = _charts_drew(page)
    for chart_id in CHARTS:
        assert drawn[chart_id]["series"] >= 1, chart_id
        assert drawn[chart_id]["width"] > 0 and drawn[chart_id]["height"] > 0, chart_id
    assert live_world.home_county.name in page.inner_text("table.list")
    page.click("[data-trend-days='30']")
    assert (
        page.evaluate("window.fangkongCharts['chart-trend'].getOption().xAxis[0].data.length") == 30
    )
    assert errors == []

    page.goto(live_server.url + "/dashboard/screen/")
    page.wait_for_function("() => window.fangkongCharts && window.fangkongCharts['chart-trend']")
    assert all(v["width"] > 0 for v in _charts_drew(page).values())
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(7, 20, 43)"
