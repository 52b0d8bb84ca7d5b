import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fangkong.accounts.tokens import api_token_create
from fangkong.core.roles import Role
from fangkong.org.models import DutyShift

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_units_lists_the_city_tree_with_lead_and_members(signed_in, world):
    units = signed_in("hq").get("/api/v1/org/units").json()
    by_name = {u["name"]: u for u in units if u["region_code"] == world.city.code}
    group = by_name["社区防控组"]
    assert group["lead_unit"] == "州民政局"
    assert group["member_units"] == ["州公安局", "州住建局", "州商务局"]
    assert group["parent_id"] == world.hq.pk
    assert group["reports_daily"] is True
    assert units[0]["name"] == world.hq.name


def test_units_are_scoped_to_the_callers_county(client, world):
    _, token = api_token_create(
        actor=None, name="county", region=world.home_county, role=Role.OPERATOR
    )
    response = client.get("/api/v1/org/units", HTTP_AUTHORIZATION=f"Bearer {token}")
    regions = {u["region_code"] for u in response.json()}
    assert regions == {world.home_county.code}


def test_grid_workers_may_not_list_units_but_may_call_the_duty_desk(signed_in, world):
    client = signed_in("grid_worker")
    assert client.get("/api/v1/org/units").status_code == 403
    assert client.get("/api/v1/org/duty/now").status_code == 200


def test_duty_now_answers_the_shift_of_the_callers_chain(signed_in, world):
    start = dt.datetime(2022, 1, 10, 8, tzinfo=SHANGHAI)
    DutyShift.objects.create(
        unit=world.hq,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=12),
        leader=world.user("hq"),
        officer=world.user("comprehensive"),
        phone="0743-8222110",
    )
    client = signed_in("outsider_grid_worker")
    with time_machine.travel(dt.datetime(2022, 1, 10, 14, 30, tzinfo=SHANGHAI), tick=False):
        on_duty = client.get("/api/v1/org/duty/now").json()["on_duty"]
    assert on_duty["unit_name"] == world.hq.name
    assert on_duty["leader"] == str(world.user("hq"))
    assert on_duty["phone"] == "0743-8222110"
    with time_machine.travel(dt.datetime(2022, 1, 11, 14, 30, tzinfo=SHANGHAI), tick=False):
        assert client.get("/api/v1/org/duty/now").json() == {"on_duty": None}


def test_api_needs_a_caller(client):
    assert client.get("/api/v1/org/units").status_code == 401
    assert client.get("/api/v1/org/duty/now").status_code == 401
