"""Every link a page shows opens for the user it is shown to: no role is offered a page that
answers 403, 404 or an error. Each named account walks the demo data from its home page."""

from __future__ import annotations

import pytest

from fangkong.demo.extensions import run_demo_extensions
from fangkong.demo.users import named_usernames
from fangkong.testing.walk import walk

pytestmark = pytest.mark.django_db


def _broken_links(client) -> list[str]:
    broken, status = [], {}

    def open_page(url: str) -> str | None:
        response = client.get(url)
        status[url] = response.status_code
        if response.status_code >= 400:
            return None
        if not response.get("Content-Type", "").startswith("text/html"):
            return None
        return response.content.decode()

    for url, shown_on in walk(open_page, limit=150):
        if status.get(url, 200) >= 400:
            broken.append(f"{url} → {status[url]} (linked from {shown_on})")
    return broken


def test_every_link_shown_opens_for_every_role(client, world):
    # One test for all accounts: the demo data takes longer to build than the walks.
    run_demo_extensions(world, seed=7)
    broken = {}
    for username in named_usernames():
        client.force_login(world.user(username))
        if failures := _broken_links(client):
            broken[username] = failures

    assert broken == {}
