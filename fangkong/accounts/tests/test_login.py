import datetime as dt

import time_machine
from django.utils import timezone

from fangkong.audit.models import ChangeEntry
from fangkong.demo.world import DEMO_PASSWORD

from .conftest import login

GENERIC = "用户名或密码不正确"
LOCKED = "账号已被锁定"
START = dt.datetime(2022, 1, 10, 14, 0, tzinfo=dt.UTC)


def actions(**filters) -> list[str]:
    return list(
        ChangeEntry.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def test_login_page_is_standalone_and_names_the_platform(client, settings, db):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="auth"' in html and "auth-card" in html
    assert str(settings.PLATFORM_NAME) in html
    assert "sidenav" not in html


def test_successful_login_signs_in_and_is_audited(client, world):
    user = world.user("county_operator")
    response = login(client, "county_operator", next="/accounts/profile/")
    assert response.status_code == 302 and response.url == "/accounts/profile/"
    assert client.get("/accounts/profile/").context["user"] == user
    entry = ChangeEntry.objects.get(action="accounts.login.succeeded")
    assert entry.user == user and entry.region_id == world.home_county.code


def test_login_refuses_an_offsite_next(client, world):
    response = login(client, "county_operator", next="https://evil.example/")
    assert response.url == "/"


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, world):
    unknown = login(client, "nobody-here")
    wrong = login(client, "county_operator", "Wrong#Pass1")
    assert GENERIC in unknown.content.decode() and GENERIC in wrong.content.decode()
    assert unknown.context["error"] == wrong.context["error"]


def test_unknown_user_failure_is_recorded_at_the_home_city(client, world):
    # Under the deployment's home city, whose auditors look for password guessing.
    login(client, "nobody-here")
    entry = ChangeEntry.objects.get(action="accounts.login.failed")
    assert entry.region_id == "4331" and entry.user is None
    assert entry.changes == {"username": "nobody-here", "reason": "unknown_user"}


def test_lockout_at_exactly_the_fifth_failure_and_unlock_after_the_period(client, world):
    user = world.user("county_operator")
    with time_machine.travel(START, tick=False):
        for attempt in range(1, 5):
            response = login(client, "county_operator", "Wrong#Pass1")
            assert GENERIC in response.content.decode(), attempt
        user.refresh_from_db()
        assert user.failed_logins == 4 and user.locked_until is None

        fifth = login(client, "county_operator", "Wrong#Pass1")
        assert LOCKED in fifth.content.decode()
        # The lock's end is stated, in local time: 14:00 UTC is 22:00 in Shanghai, +30 min.
        assert "22:30" in fifth.content.decode()
        user.refresh_from_db()
        assert user.locked_until == START + dt.timedelta(minutes=30)

        # Even the right password is refused while locked, with the same explanation.
        right = login(client, "county_operator", DEMO_PASSWORD)
        assert LOCKED in right.content.decode()
        assert "_auth_user_id" not in client.session

    with time_machine.travel(START + dt.timedelta(minutes=29), tick=False):
        assert LOCKED in login(client, "county_operator").content.decode()

    with time_machine.travel(START + dt.timedelta(minutes=30, seconds=1), tick=False):
        assert login(client, "county_operator").status_code == 302
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None
    assert actions(action="accounts.user.locked") == ["accounts.user.locked"]
    # Five wrong passwords, then two attempts while locked.
    assert len(actions(action="accounts.login.failed")) == 7


def test_success_resets_the_failure_count(client, world):
    for _ in range(4):
        login(client, "county_operator", "Wrong#Pass1")
    login(client, "county_operator")
    user = world.user("county_operator")
    user.refresh_from_db()
    assert user.failed_logins == 0
    client.post("/accounts/logout/")
    # Four more failures do not lock: the count started again.
    for _ in range(4):
        login(client, "county_operator", "Wrong#Pass1")
    user.refresh_from_db()
    assert user.locked_until is None


def test_inactive_account_is_told_after_the_right_password_only(client, world):
    user = world.user("county_operator")
    user.is_active = False
    user.save()
    assert GENERIC in login(client, "county_operator", "Wrong#Pass1").content.decode()
    assert "已停用" in login(client, "county_operator").content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_is_audited(client, world):
    login(client, "county_operator")
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert "accounts.logout" in actions()
    assert "您已安全退出" in client.get("/accounts/login/").content.decode()


def test_signed_in_user_visiting_login_goes_home(client, world):
    client.force_login(world.user("county_operator"))
    assert client.get("/accounts/login/").status_code == 302


def test_lock_time_is_in_the_future(client, world):
    for _ in range(5):
        login(client, "grid_worker", "Wrong#Pass1")
    user = world.user("grid_worker")
    user.refresh_from_db()
    assert user.is_locked() and user.locked_until > timezone.now()
