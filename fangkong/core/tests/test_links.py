"""Every link a page shows opens for the user it is shown to: no role is offered a page that
answers 403, 404 or an error. Each named account walks the demo data from its home page."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from fangkong.demo.extensions import run_demo_extensions
from fangkong.demo.users import named_usernames

pytestmark = pytest.mark.django_db

# Leaving, switching language and static files are not pages of the platform.
SKIPPED = re.compile(r"^/(accounts/logout|i18n|static|media)/")
# Each kind of page is opened once: its path with numbers and codes folded, and its query keys.
PAGES_PER_ACCOUNT = 150


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _kind(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query)} - {"page"})
    return re.sub(r"[0-9][0-9a-z-]*|[a-z]+-[a-z0-9-]+", "N", parts.path) + "?" + "&".join(keys)


def _links(page_url: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(page_url, href))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url.startswith("/") and not SKIPPED.match(url):
            found.append(url)
    return found


def _walk(client) -> list[str]:
    """Open every kind of page reachable from the home page; what did not open, and where from."""
    queue, kinds, broken = deque([("/", "")]), {_kind("/")}, []
    opened = 0
    while queue and opened < PAGES_PER_ACCOUNT:
        url, shown_on = queue.popleft()
        response = client.get(url)
        opened += 1
        if response.status_code >= 400:
            broken.append(f"{url} → {response.status_code} (linked from {shown_on})")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for link in _links(url, response.content.decode()):
            if _kind(link) not in kinds:
                kinds.add(_kind(link))
                queue.append((link, url))
    return broken


def test_every_link_shown_opens_for_every_role(client, world):
    # One test for all accounts: the demo data takes longer to build than the walks.
    run_demo_extensions(world, seed=7)
    broken = {}
    for username in named_usernames():
        client.force_login(world.user(username))
        if failures := _walk(client):
            broken[username] = failures

    assert broken == {}
