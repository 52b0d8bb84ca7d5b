import pyotp
import pytest
from django.contrib.auth.hashers import make_password

from fangkong.accounts.models import RoleAssignment, User
from fangkong.core.roles import Role
from fangkong.demo.world import DEMO_PASSWORD


@pytest.fixture
def admin_client(client, world):
    """The city system administrator, signed in with a second factor already set up."""
    admin = world.user("sysadmin")
    admin.totp_secret = pyotp.random_base32()
    admin.totp_enabled = True
    admin.save()
    client.force_login(admin)
    return client


def make_user(username, region, role, *, password=DEMO_PASSWORD, **fields) -> User:
    user = User.objects.create(username=username, password=make_password(password), **fields)
    RoleAssignment.objects.create(user=user, region=region, role=role)
    return user


@pytest.fixture
def county_admin(world):
    """A system administrator of the home county (吉首市), second factor set up."""
    return make_user(
        "county_sysadmin",
        world.home_county,
        Role.SYSADMIN,
        display_name="吉首市系统管理员",
        totp_secret=pyotp.random_base32(),
        totp_enabled=True,
    )


def login(client, username, password=DEMO_PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})
