import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from fangkong.accounts.models import ApiToken
from fangkong.audit.models import ChangeEntry
from fangkong.core.roles import Perm, Role


def create_token(name="卡口数据对接", region="433101", role=Role.CHECKPOINT_STAFF) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api-token-create", name, "--region", region, "--role", role, stdout=out, stderr=err
    )
    return out.getvalue().strip().splitlines()[-1]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_console_token_works_against_me(client, world):
    token = create_token()
    assert token.startswith("fk_")
    response = client.get("/api/v1/me", **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["user"] is None and body["token"] == "卡口数据对接"
    assert body["role"] == Role.CHECKPOINT_STAFF
    assert body["region"] == {"code": "433101", "name": "吉首市"}
    assert Perm.PEOPLE_REGISTER in body["permissions"]
    stored = ApiToken.objects.get(name="卡口数据对接")
    assert stored.last_used_at is not None
    assert stored.digest != token and token not in str(stored.__dict__)
    entry = ChangeEntry.objects.get(action="accounts.api_token.created")
    assert entry.changes["via"] == "console" and entry.region_id == "433101"


def test_revoked_token_is_refused_with_401_json(client, world):
    token = create_token()
    out = io.StringIO()
    call_command("api-token-revoke", token[:10], stdout=out)
    assert "Revoked" in out.getvalue()
    response = client.get("/api/v1/me", **bearer(token))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_no_token_gets_401_json(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and "detail" in response.json()
    assert client.get("/api/v1/me", **bearer("fk_made_up")).status_code == 401


def test_session_caller_sees_their_user(client, world):
    client.force_login(world.user("grid_worker"))
    body = client.get("/api/v1/me").json()
    assert body["user"]["username"] == "grid_worker" and body["token"] is None
    assert body["region"]["code"] == world.home_village.code


@pytest.mark.parametrize(
    "args, message",
    [
        (["x", "--region", "999999", "--role", "operator"], "unknown region"),
        (["x", "--region", "433101", "--role", "mayor"], "unknown role"),
    ],
)
def test_command_errors_are_clear(db, world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("api-token-create", *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_revoke_command_needs_a_unique_match(db, world):
    with pytest.raises(CommandError, match="no API token"):
        call_command("api-token-revoke", "fk_nothing", stdout=io.StringIO())
    token = create_token()
    call_command("api-token-revoke", str(ApiToken.objects.get().pk), stdout=io.StringIO())
    assert ApiToken.objects.get().revoked_at is not None
    assert token


def test_tokens_page_creates_shows_once_and_revokes(client, world):
    integration = Client()  # no session: the token alone authenticates
    client.force_login(world.user("hq"))
    admin_client = client
    response = admin_client.post(
        "/accounts/api-tokens/",
        {"name": "核酸检测系统", "region": world.home_county.code, "role": Role.LAB_STAFF},
    )
    raw = response.context["raw"]
    assert raw in response.content.decode()
    assert response.headers["Cache-Control"].startswith("max-age=0")
    listing = admin_client.get("/accounts/api-tokens/").content.decode()
    assert "核酸检测系统" in listing and raw not in listing
    assert integration.get("/api/v1/me", **bearer(raw)).json()["role"] == Role.LAB_STAFF

    token = ApiToken.objects.get(name="核酸检测系统")
    admin_client.post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert integration.get("/api/v1/me", **bearer(raw)).status_code == 401
    assert ChangeEntry.objects.filter(action="accounts.api_token.revoked").exists()


def test_county_admin_tokens_stay_in_the_county(client, world, county_admin):
    client.force_login(county_admin)
    response = client.post(
        "/accounts/api-tokens/", {"name": "越权", "region": world.city.code, "role": Role.OPERATOR}
    )
    assert "在您的辖区内找不到区划" in response.content.decode()
    assert not ApiToken.objects.filter(name="越权").exists()

    city_token = ApiToken.objects.create(
        name="州级", digest="x" * 64, prefix="fk_city", region=world.city, role=Role.OPERATOR
    )
    assert "州级" not in client.get("/accounts/api-tokens/").content.decode()
    assert client.post(f"/accounts/api-tokens/{city_token.pk}/revoke/").status_code == 404
    city_token.refresh_from_db()
    assert city_token.revoked_at is None


def test_tokens_page_needs_the_permission(client, world):
    client.force_login(world.user("grid_worker"))
    assert client.get("/accounts/api-tokens/").status_code == 403


def test_a_token_may_do_no_more_than_its_issuer(admin_client, world):
    response = admin_client.post(
        "/accounts/api-tokens/",
        {"name": "越权读数", "region": world.home_county.code, "role": Role.LAB_STAFF},
    )
    assert "不能签发权限超出本人角色的令牌" in response.content.decode()
    assert not ApiToken.objects.filter(name="越权读数").exists()


def test_token_role_cannot_be_an_administrator(admin_client, world):
    response = admin_client.post(
        "/accounts/api-tokens/", {"name": "管理", "region": world.city.code, "role": Role.SYSADMIN}
    )
    assert response.status_code == 200 and not ApiToken.objects.exists()
