"""Walking the platform's pages as a user does: the links a page shows, and which of them lead
to a kind of page not seen yet (a path with its numbers and codes folded, and its query keys)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

# Leaving, switching language and static files are not pages of the platform.
SKIPPED = re.compile(r"^/(accounts/logout|i18n|static|media)/")
# Files to download (sheets, documents) are not pages either.
DOWNLOADS = re.compile(r"\.(xlsx|xls|docx|csv|pdf)$")
# The test client's host and a live test server's.
OWN_HOSTS = ("testserver", "localhost", "127.0.0.1")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def page_kind(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query)} - {"page"})
    return re.sub(r"[0-9][0-9a-z-]*|[a-z]+-[a-z0-9-]+", "N", parts.path) + "?" + "&".join(keys)


def page_links(page_url: str, html: str) -> list[str]:
    """The platform's own pages a page links to, as paths with their queries."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(page_url, href))
        if parts.netloc and parts.hostname not in OWN_HOSTS:
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url.startswith("/") and not SKIPPED.match(url) and not DOWNLOADS.search(parts.path):
            found.append(url)
    return found


def walk(open_page: Callable[[str], str | None], *, limit: int) -> Iterator[tuple[str, str]]:
    """Open each kind of page reachable from the home page once, breadth first; yields each
    page once it is opened, with the page that linked to it. `open_page` returns the page's
    HTML, or None when it is not a page to follow."""
    queue, kinds, opened = [("/", "")], {page_kind("/")}, 0
    while queue and opened < limit:
        url, shown_on = queue.pop(0)
        opened += 1
        html = open_page(url)
        yield url, shown_on
        for link in page_links(url, html) if html else ():
            if page_kind(link) not in kinds:
                kinds.add(page_kind(link))
                queue.append((link, url))
