"""The home page names the screening work waiting for the user."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from .conftest import HEADER, ID_A, ID_B, csv_bytes, row

pytestmark = pytest.mark.django_db

VILLAGE_ADDRESS = "吉首市峒河街道峒河社区"


def todos(client, world, key) -> dict[str, tuple[str, str]]:
    """label → (link, count) of the home page's to-do list."""
    client.force_login(world.user(key))
    html = client.get("/").content.decode()
    items = re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a> <span class="badge[^"]*">([^<]+)</span>', html
    )
    return {label: (href, count) for href, label, count in items}


def test_a_grid_worker_sees_the_records_to_verify_and_those_overdue(client, world, run_import):
    rows = [
        row(1, "张三", ID_A, address=VILLAGE_ADDRESS),
        row(2, "李四", ID_B, address=VILLAGE_ADDRESS),
    ]
    run_import(csv_bytes([HEADER, rows[0]]))
    run_import(csv_bytes([HEADER, rows[1]]), received_at=timezone.now() - dt.timedelta(days=2))
    assert todos(client, world, "grid_worker") == {
        "排查对象待核实": ("/screening/mine/", "2"),
        "排查对象已逾期": ("/screening/overdue/", "1"),
    }


def test_a_county_operator_sees_the_records_waiting_to_be_sent_down(client, world, run_import):
    run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "张三", ID_A, address="吉首市不明小区8栋"),
                row(2, "李四", ID_B, address=VILLAGE_ADDRESS),
            ]
        )
    )
    waiting = todos(client, world, "county_operator")["排查对象待分派到下级"]
    assert waiting == ("/screening/records/?region=433101&amp;here=1", "1")
    assert "排查对象待分派到下级" not in todos(client, world, "grid_worker")


def test_nothing_waiting_shows_a_zero_and_no_overdue_line(client, world):
    assert todos(client, world, "grid_worker") == {"排查对象待核实": ("/screening/mine/", "0")}


def test_who_does_no_screening_work_sees_no_screening_todo(client, world):
    assert todos(client, world, "auditor") == {}
