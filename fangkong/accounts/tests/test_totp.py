import datetime as dt

import pyotp
import time_machine

from fangkong.audit.models import ChangeEntry

from .conftest import login

START = dt.datetime(2022, 1, 10, 6, 0, tzinfo=dt.UTC)


def enable_totp(user) -> pyotp.TOTP:
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled = True
    user.save()
    return pyotp.TOTP(user.totp_secret)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_password_alone_is_not_enough_when_totp_is_on(client, world):
    totp = enable_totp(world.user("county_operator"))
    response = login(client, "county_operator")
    assert response.url == "/accounts/login/verify/"
    assert not signed_in(client)
    page = client.get("/accounts/login/verify/")
    assert page.status_code == 200 and 'class="auth"' in page.content.decode()

    response = client.post("/accounts/login/verify/", {"code": totp.now()})
    assert response.status_code == 302
    assert signed_in(client)
    entry = ChangeEntry.objects.get(action="accounts.login.succeeded")
    assert entry.changes["factors"] == ["password", "totp"]


def test_wrong_code_is_refused_and_counted(client, world):
    user = world.user("county_operator")
    totp = enable_totp(user)
    login(client, "county_operator")
    wrong = str((int(totp.now()) + 1) % 1_000_000).zfill(6)
    response = client.post("/accounts/login/verify/", {"code": wrong})
    assert "验证码不正确" in response.content.decode()
    assert not signed_in(client)
    user.refresh_from_db()
    assert user.failed_logins == 1


def test_code_of_the_previous_step_is_accepted_but_not_twice(client, world):
    totp = enable_totp(world.user("county_operator"))
    with time_machine.travel(START, tick=False):
        code = totp.now()
    with time_machine.travel(START + dt.timedelta(seconds=30), tick=False):
        login(client, "county_operator")
        client.post("/accounts/login/verify/", {"code": code})
        assert signed_in(client)
        client.post("/accounts/logout/")
        login(client, "county_operator")
        response = client.post("/accounts/login/verify/", {"code": code})
        assert not signed_in(client)
        assert "验证码不正确" in response.content.decode()


def test_five_wrong_codes_lock_the_account(client, world):
    enable_totp(world.user("county_operator"))
    login(client, "county_operator")
    for _ in range(5):
        response = client.post("/accounts/login/verify/", {"code": "000000"})
    assert response.url == "/accounts/login/"
    assert "账号已被锁定" in client.get("/accounts/login/").content.decode()


def test_second_step_expires(client, world):
    totp = enable_totp(world.user("county_operator"))
    with time_machine.travel(START, tick=False):
        login(client, "county_operator")
    with time_machine.travel(START + dt.timedelta(minutes=6), tick=False):
        response = client.post("/accounts/login/verify/", {"code": totp.now()})
        assert response.url == "/accounts/login/"
        assert not signed_in(client)


def test_second_step_without_the_first_goes_back_to_login(client, db):
    assert client.get("/accounts/login/verify/").url == "/accounts/login/"


def test_sysadmin_without_totp_is_held_on_the_setup_page(client, world):
    admin = world.user("sysadmin")
    assert login(client, "sysadmin").status_code == 302
    assert signed_in(client)
    for path in ("/", "/accounts/users/", "/accounts/profile/", "/accounts/api-tokens/"):
        assert client.get(path).url == "/accounts/profile/two-factor/", path
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "detail" in api.json()

    page = client.get("/accounts/profile/two-factor/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "须启用双因素认证" in html
    admin.refresh_from_db()
    assert (
        admin.totp_secret
        and " ".join(admin.totp_secret[i : i + 4] for i in range(0, len(admin.totp_secret), 4))
        in html
    )
    # The same secret is shown again on reload, until the factor is confirmed.
    client.get("/accounts/profile/two-factor/")
    secret = admin.totp_secret
    admin.refresh_from_db()
    assert admin.totp_secret == secret

    bad = client.post("/accounts/profile/two-factor/", {"code": "123456"})
    assert "验证码不正确" in bad.content.decode()
    response = client.post("/accounts/profile/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert response.url == "/accounts/profile/"
    admin.refresh_from_db()
    assert admin.totp_enabled
    assert client.get("/accounts/users/").status_code == 200
    assert ChangeEntry.objects.filter(action="accounts.user.totp_enabled", user=admin).exists()


def test_qr_code_is_inline_svg_of_an_otpauth_uri():
    from fangkong.accounts import totp

    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret=secret, username="sysadmin")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and "<script" not in svg
    # Sized by its container, so that it fits a phone's screen.
    assert "viewBox" in svg and "width=" not in svg


def test_user_may_turn_totp_off_but_a_sysadmin_may_not(client, world):
    user = world.user("county_operator")
    enable_totp(user)
    client.force_login(user)
    client.post("/accounts/profile/two-factor/disable/", {"password": "Fangkong@2022"})
    user.refresh_from_db()
    assert not user.totp_enabled and user.totp_secret == ""

    admin = world.user("sysadmin")
    enable_totp(admin)
    client.force_login(admin)
    client.post("/accounts/profile/two-factor/disable/", {"password": "Fangkong@2022"})
    admin.refresh_from_db()
    assert admin.totp_enabled
    assert "不能停用" in client.get("/accounts/profile/").content.decode()
