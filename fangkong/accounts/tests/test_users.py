import re

import pytest

from fangkong.accounts.models import RoleAssignment, User
from fangkong.audit.models import ChangeEntry
from fangkong.core.roles import Role

from .conftest import login, make_user


def test_users_list_shows_the_subtree_with_lock_state(admin_client, world):
    locked = world.user("grid_worker")
    locked.failed_logins = 0
    locked.locked_until = "2099-01-01T00:00:00+08:00"
    locked.save()
    response = admin_client.get("/accounts/users/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "county_operator" in html and "outsider" in html
    assert "已锁定至" in html


def test_county_admin_sees_only_their_county(client, world, county_admin):
    client.force_login(county_admin)
    html = client.get("/accounts/users/").content.decode()
    assert "county_operator" in html and "grid_worker" in html
    assert "outsider" not in html and ">hq<" not in html


def test_users_list_filters_by_name_role_and_region(admin_client, world):
    def names(**params):
        page = admin_client.get("/accounts/users/", params).context["page"]
        return {u.username for u in page.object_list}

    assert names(q="网格员") == {"grid_worker", "outsider_grid_worker"}
    assert names(role=Role.GRID_WORKER, region=world.home_county.code) == {"grid_worker"}
    assert "outsider" in names(region=world.other_county.code)
    assert "county_operator" not in names(region=world.other_county.code)


def test_outsider_user_detail_is_404(client, world, county_admin):
    client.force_login(county_admin)
    outsider = world.user("outsider")
    assert client.get(f"/accounts/users/{outsider.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{outsider.pk}/unlock/").status_code == 404
    assert client.post(f"/accounts/users/{outsider.pk}/password-reset/").status_code == 404
    assert client.get("/accounts/users/999999/").status_code == 404


@pytest.mark.parametrize("key", ["county_operator", "hq", "auditor", "outsider"])
def test_only_account_administrators_open_user_pages(client, world, key):
    client.force_login(world.user(key))
    assert client.get("/accounts/users/").status_code == 403
    target = world.user("grid_worker").pk
    assert client.post(f"/accounts/users/{target}/unlock/").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/accounts/users/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_create_user_shows_a_temporary_password_once(admin_client, world, client):
    response = admin_client.post(
        "/accounts/users/new/",
        {
            "username": "lishi",
            "display_name": "李四",
            "region": world.home_village.code,
            "role": Role.GRID_WORKER,
        },
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("max-age=0")
    password = response.context["password"]
    user = User.objects.get(username="lishi")
    assert user.must_change_password and user.check_password(password)
    assert RoleAssignment.objects.filter(user=user, region=world.home_village).exists()
    assert ChangeEntry.objects.filter(action="accounts.user.created").exists()

    client.logout()
    assert login(client, "lishi", password).status_code == 302
    assert client.get("/accounts/profile/").url == "/accounts/profile/password/"


def test_create_user_accepts_a_unique_region_name(admin_client, world):
    admin_client.post(
        "/accounts/users/new/",
        {
            "username": "wangwu",
            "display_name": "王五",
            "region": "矮寨镇",
            "role": Role.OPERATOR,
        },
    )
    assert RoleAssignment.objects.get(user__username="wangwu").region_id == "433101100"


def test_create_user_errors_say_what_to_change(client, world, county_admin):
    client.force_login(county_admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "county_operator",
            "display_name": "重名",
            "region": "433101",
            "role": Role.OPERATOR,
        },
    )
    assert "已被使用" in response.content.decode()
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "new_one",
            "display_name": "外县",
            "region": world.other_county.code,
            "role": Role.OPERATOR,
        },
    )
    assert "在您的辖区内找不到区划" in response.content.decode()
    assert not User.objects.filter(username="new_one").exists()


def test_reset_password_unlock_and_deactivate(admin_client, world, client):
    target = world.user("county_operator")
    target.failed_logins = 3
    target.locked_until = "2099-01-01T00:00:00+08:00"
    target.save()
    admin_client.post(f"/accounts/users/{target.pk}/unlock/")
    target.refresh_from_db()
    assert target.locked_until is None and target.failed_logins == 0

    response = admin_client.post(f"/accounts/users/{target.pk}/password-reset/")
    password = response.context["password"]
    assert re.search(re.escape(password), response.content.decode())
    target.refresh_from_db()
    assert target.must_change_password and target.check_password(password)

    admin_client.post(f"/accounts/users/{target.pk}/active/", {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    client.logout()
    assert "已停用" in login(client, "county_operator", password).content.decode()
    codes = set(ChangeEntry.objects.values_list("action", flat=True))
    assert {
        "accounts.user.unlocked",
        "accounts.user.password_reset",
        "accounts.user.deactivated",
    } <= codes


def test_edit_display_name(admin_client, world):
    target = world.user("grid_worker")
    response = admin_client.post(f"/accounts/users/{target.pk}/", {"display_name": "张*明"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.display_name == "张*明"


def test_grant_and_withdraw_a_role_within_the_subtree(client, world, county_admin):
    client.force_login(county_admin)
    target = world.user("grid_worker")
    client.post(
        f"/accounts/users/{target.pk}/roles/",
        {"region": world.home_township.code, "role": Role.INSPECTOR},
    )
    granted = RoleAssignment.objects.get(user=target, role=Role.INSPECTOR)
    assert granted.region == world.home_township

    refused = client.post(
        f"/accounts/users/{target.pk}/roles/", {"region": world.city.code, "role": Role.INSPECTOR}
    )
    assert "在您的辖区内找不到区划" in refused.content.decode()

    client.post(f"/accounts/users/{target.pk}/roles/{granted.pk}/remove/")
    granted.refresh_from_db()
    assert not granted.active
    assert ChangeEntry.objects.filter(action="accounts.role.revoked").exists()


def test_out_of_scope_assignment_cannot_be_withdrawn(client, world, county_admin):
    client.force_login(county_admin)
    theirs = RoleAssignment.objects.get(user=world.user("outsider"))
    mine = world.user("grid_worker")
    url = f"/accounts/users/{mine.pk}/roles/{theirs.pk}/remove/"
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.active


def test_account_with_a_role_above_is_managed_above(client, world, county_admin):
    """A county admin cannot take over a city account that also holds a county role."""
    client.force_login(county_admin)
    hq = world.user("hq")
    RoleAssignment.objects.create(user=hq, region=world.home_county, role=Role.INSPECTOR)
    assert client.get(f"/accounts/users/{hq.pk}/").status_code == 200
    response = client.post(f"/accounts/users/{hq.pk}/password-reset/", follow=True)
    assert "上级系统管理员" in response.content.decode()
    hq.refresh_from_db()
    assert not hq.must_change_password


def test_admin_cannot_grant_roles_to_himself(admin_client, world):
    admin = world.user("sysadmin")
    for role in (Role.AUDITOR, Role.SYSADMIN, Role.HQ_COMMANDER):
        response = admin_client.post(
            f"/accounts/users/{admin.pk}/roles/", {"region": world.home_county.code, "role": role}
        )
        assert "不能为自己授权" in response.content.decode()
    assert RoleAssignment.objects.filter(user=admin).count() == 1


def test_auditor_and_sysadmin_are_different_people(admin_client, world):
    auditor, sysadmin = world.user("auditor"), make_user("sys2", world.home_county, Role.SYSADMIN)
    response = admin_client.post(
        f"/accounts/users/{auditor.pk}/roles/",
        {"region": world.home_county.code, "role": Role.SYSADMIN},
    )
    assert "须由不同人员担任" in response.content.decode()
    response = admin_client.post(
        f"/accounts/users/{sysadmin.pk}/roles/", {"region": world.city.code, "role": Role.AUDITOR}
    )
    assert "须由不同人员担任" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=auditor, role=Role.SYSADMIN).exists()
    assert not RoleAssignment.objects.filter(user=sysadmin, role=Role.AUDITOR).exists()


def test_auditor_password_is_not_reset_by_a_sysadmin(admin_client, world):
    auditor = world.user("auditor")
    response = admin_client.post(f"/accounts/users/{auditor.pk}/password-reset/", follow=True)
    assert "审计管理员的密码" in response.content.decode()
    assert not User.objects.get(pk=auditor.pk).must_change_password


def test_admin_cannot_deactivate_himself(admin_client, world):
    admin = world.user("sysadmin")
    admin_client.post(f"/accounts/users/{admin.pk}/active/", {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active


def _add_users(world, count):
    for i in range(count):
        make_user(f"extra{i:03d}", world.home_village, Role.GRID_WORKER, display_name=f"网格员{i}")


@pytest.mark.parametrize("extra", [0, 25])
def test_users_list_query_count_does_not_grow(
    admin_client, world, extra, django_assert_num_queries
):
    # The world holds 14 users; 5 of them, or 30 with the extra ones, are grid workers.
    _add_users(world, 3 + extra)
    url = f"/accounts/users/?role={Role.GRID_WORKER}"
    admin_client.get(url)  # warm the session
    with django_assert_num_queries(8):
        response = admin_client.get(url)
    assert len(response.context["page"].object_list) == min(5 + extra, 25)
