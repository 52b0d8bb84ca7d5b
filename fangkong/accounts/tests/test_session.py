import datetime as dt

import time_machine

from fangkong.accounts.models import RoleAssignment
from fangkong.core.roles import Role

from .conftest import login

START = dt.datetime(2022, 1, 10, 1, 0, tzinfo=dt.UTC)
IDLE_MESSAGE = "因长时间未操作，已自动退出，请重新登录"


def test_thirty_idle_minutes_are_still_within_the_limit(client, world):
    with time_machine.travel(START, tick=False):
        login(client, "county_operator")
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        assert client.get("/accounts/profile/").status_code == 200


def test_after_thirty_one_idle_minutes_the_next_request_is_anonymous(client, world):
    with time_machine.travel(START, tick=False):
        login(client, "county_operator")
        assert client.get("/accounts/profile/").status_code == 200
    with time_machine.travel(START + dt.timedelta(minutes=31), tick=False):
        response = client.get("/accounts/profile/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session
        page = client.get(response.url)
        assert IDLE_MESSAGE in page.content.decode()
        # Said once, not on every later visit.
        assert IDLE_MESSAGE not in client.get("/accounts/login/").content.decode()


def test_activity_keeps_the_session_alive(client, world):
    with time_machine.travel(START, tick=False):
        login(client, "county_operator")
    for minutes in (20, 40, 60):
        with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/accounts/profile/").status_code == 200, minutes


def test_role_switch_changes_the_actor(client, world):
    user = world.user("county_operator")
    second = RoleAssignment.objects.create(
        user=user, region=world.home_township, role=Role.INSPECTOR
    )
    client.force_login(user)
    assert client.get("/api/v1/me").json()["region"]["code"] == world.home_county.code

    client.post("/switch-role/", {"assignment": second.pk, "next": "/accounts/profile/"})
    me = client.get("/api/v1/me").json()
    assert me["region"]["code"] == world.home_township.code
    assert me["role"] == Role.INSPECTOR
    assert "people.register" not in me["permissions"]


def test_cannot_switch_to_someone_elses_assignment(client, world):
    client.force_login(world.user("county_operator"))
    theirs = RoleAssignment.objects.get(user=world.user("hq"))
    client.post("/switch-role/", {"assignment": theirs.pk})
    me = client.get("/api/v1/me").json()
    assert me["region"]["code"] == world.home_county.code and me["role"] == Role.OPERATOR


def test_withdrawn_role_falls_back_to_a_remaining_one(client, world):
    user = world.user("county_operator")
    second = RoleAssignment.objects.create(
        user=user, region=world.home_township, role=Role.INSPECTOR
    )
    client.force_login(user)
    client.post("/switch-role/", {"assignment": second.pk})
    second.active = False
    second.save()
    assert client.get("/api/v1/me").json()["role"] == Role.OPERATOR
