"""Browser fixtures for tests marked ``@pytest.mark.browser``: Chromium driven by Playwright.

The system's Chromium is used (Playwright never downloads a browser). Where it is missing,
browser tests are skipped on a developer's machine and fail on CI, so a CI run can never pass
without them. FANGKONG_CHROMIUM points at another Chromium binary.

Pair ``browser_page`` with pytest-django's ``live_server``::

    @pytest.mark.browser
    def test_home_page(live_server, browser_page):
        browser_page.goto(live_server.url + "/")
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("FANGKONG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000

# Playwright's sync API keeps an asyncio loop running on the main thread while the browser is
# open, and Django then refuses every database call from that thread as "async-unsafe". The
# tests really are synchronous, so the check is lifted for as long as the browser lives.
_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        message = (
            f"browser tests need Chromium at {CHROMIUM} "
            "(apt-get install chromium, or set FANGKONG_CHROMIUM)"
        )
        if _on_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    previous = os.environ.get(_ASYNC_UNSAFE)
    os.environ[_ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop(_ASYNC_UNSAFE, None)
        else:
            os.environ[_ASYNC_UNSAFE] = previous


@pytest.fixture
def browser_page(chromium_browser: Browser) -> Iterator[Page]:
    context = chromium_browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def cjk_glyphs_render(page: Page) -> bool:
    """Whether the page's sans-serif font draws Chinese, not empty boxes.

    Without a CJK font every ideograph comes out as the same "missing glyph" box, so two
    different characters drawn on a canvas give identical pixels.
    """
    return page.evaluate(
        """() => {
            const draw = (text) => {
                const canvas = document.createElement("canvas");
                canvas.width = 48;
                canvas.height = 48;
                const context = canvas.getContext("2d");
                context.font = "40px sans-serif";
                context.fillText(text, 2, 40);
                return canvas.toDataURL();
            };
            return draw("防") !== draw("控");
        }"""
    )


@pytest.fixture
def live_world(request):
    """The test world inside a live-server test, whose database is emptied afterwards.

    Live-server tests run in transactions of their own and the database is flushed after each,
    so the world is built again here; the flush may empty the audit tables, which are
    otherwise append-only (see fangkong.audit.guard).
    """
    from fangkong.audit.guard import allow_purge_on_test_connections
    from fangkong.demo.world import TEST_SPEC, build_world, load_world, world_exists

    request.getfixturevalue("live_server")
    allow_purge_on_test_connections()
    if not world_exists():
        build_world(TEST_SPEC)
    return load_world()
