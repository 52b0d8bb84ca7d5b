import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from fangkong.accounts.models import User
from fangkong.demo.world import DEMO_PASSWORD

from .conftest import login


@pytest.mark.parametrize(
    "password",
    [
        "Ab3$xyz",  # 7 characters
        "abcdefgh12",  # two classes: lower case and digits
        "ABCDEFGH!!",  # two classes: upper case and symbols
    ],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, User(username="zhangsan"))


@pytest.mark.parametrize("password", ["Xiangxi2022", "xiangxi@2022", "XIANGXI#2022"])
def test_eight_characters_of_three_classes_are_accepted(password):
    validate_password(password, User(username="zhangsan"))


def test_password_change_applies_the_policy_and_records_the_time(client, world):
    user = world.user("county_operator")
    client.force_login(user)
    weak = client.post(
        "/accounts/profile/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "abcdefgh12",
            "new_password2": "abcdefgh12",
        },
    )
    assert weak.status_code == 200
    assert "至少三类" in weak.content.decode()

    response = client.post(
        "/accounts/profile/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "Jishou#2022a",
            "new_password2": "Jishou#2022a",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Jishou#2022a")
    assert user.password_changed_at is not None
    # The session survives its own password change.
    assert client.get("/accounts/profile/").status_code == 200


def test_password_change_needs_the_current_password(client, world):
    client.force_login(world.user("county_operator"))
    response = client.post(
        "/accounts/profile/password/",
        {
            "old_password": "wrong",
            "new_password1": "Jishou#2022a",
            "new_password2": "Jishou#2022a",
        },
    )
    assert "当前密码不正确" in response.content.decode()


def test_temporary_password_must_be_changed_before_anything_else(client, world):
    user = world.user("county_operator")
    user.must_change_password = True
    user.save()
    client.force_login(user)
    assert client.get("/").url == "/accounts/profile/password/"
    assert client.get("/accounts/users/").url == "/accounts/profile/password/"
    client.post(
        "/accounts/profile/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "Jishou#2022a",
            "new_password2": "Jishou#2022a",
        },
    )
    assert client.get("/accounts/profile/").status_code == 200


def test_login_with_new_password_works(client, world):
    user = world.user("grid_worker")
    user.set_password("Dehang#2022")
    user.save()
    assert login(client, "grid_worker", "Dehang#2022").status_code == 302
