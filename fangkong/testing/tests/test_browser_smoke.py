import pytest

from fangkong.testing.browser import cjk_glyphs_render

pytestmark = pytest.mark.browser


def test_healthz_answers_ok_in_the_browser(live_server, browser_page):
    response = browser_page.goto(live_server.url + "/healthz")

    assert response is not None
    assert response.status == 200
    assert response.json()["status"] == "ok"
    assert "content-security-policy" in response.headers  # Playwright lower-cases names


def test_chinese_page_renders_with_chinese_glyphs(live_server, browser_page):
    response = browser_page.goto(live_server.url + "/no-such-page/")

    assert response is not None
    assert response.status == 404
    assert "未找到" in browser_page.content()
    assert cjk_glyphs_render(browser_page), "Chinese renders as empty boxes: install fonts-noto-cjk"
