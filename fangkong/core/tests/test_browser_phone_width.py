"""In a real browser at a phone's width: the pages of the roles that work on phones (grid
workers, checkpoint, quarantine-site and laboratory staff), and of a county operator and the
city's comprehensive group, whose officials open the same pages on their phones, fit the
screen; nothing makes the page scroll sideways. Every field they show has a name a screen
reader can say (a label, or an aria-label where a placeholder stands in for one). Each account
walks the demo data from its home page."""

import pytest

from fangkong.demo.extensions import run_demo_extensions
from fangkong.demo.world import DEMO_PASSWORD
from fangkong.testing.walk import walk

PHONE = {"width": 390, "height": 844}
ACCOUNTS = [
    "grid_worker", "county_checkpoint", "county_site", "county_lab", "county_operator",
    "comprehensive",
]  # fmt: skip
# What sticks out past the screen's right edge, for the message.
WIDER_THAN_SCREEN = """() => {
    const edge = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= edge + 1) return [];
    return [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > edge + 1)
        .slice(-3)
        .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""}`);
}"""


UNLABELLED = """() => [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => !["hidden", "submit", "button"].includes(el.type))
    .filter((el) => !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")
        && !el.title && !el.closest("label")
        && !(el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)))
    .map((el) => `${el.tagName.toLowerCase()}[name=${el.name}]`)"""


def _problems(page, base: str) -> list[str]:
    found = []

    def open_page(url: str) -> str | None:
        response = page.goto(base + url)
        if response is None or response.status != 200:
            return None
        if not response.headers.get("content-type", "").startswith("text/html"):
            return None
        if sticking_out := page.evaluate(WIDER_THAN_SCREEN):
            found.append(f"{url}: wider than the screen: {', '.join(sticking_out)}")
        if unlabelled := page.evaluate(UNLABELLED):
            found.append(f"{url}: no label: {', '.join(unlabelled)}")
        return page.content()

    for _ in walk(open_page, limit=60):
        pass
    return found


@pytest.mark.browser
def test_pages_fit_a_phone_and_label_every_field(live_world, live_server, browser_page):
    run_demo_extensions(live_world, seed=7)
    page = browser_page
    page.set_viewport_size(PHONE)
    problems = {}
    for username in ACCOUNTS:
        page.context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        if found := _problems(page, live_server.url):
            problems[username] = found

    assert problems == {}
