import pytest

from fangkong.core.actor import Actor
from fangkong.core.roles import Role
from fangkong.org.models import CommandUnit, UnitKind


@pytest.fixture
def county_hq(world):
    return CommandUnit.objects.get(region=world.home_county, kind=UnitKind.HQ)


@pytest.fixture
def outsider_hq(world):
    return CommandUnit.objects.get(region=world.other_county, kind=UnitKind.HQ)


@pytest.fixture
def signed_in(client, world):
    """Sign in as one of the world's users; the first request warms the session."""

    def sign_in(key: str):
        client.force_login(world.user(key))
        client.get("/healthz")
        return client

    return sign_in


@pytest.fixture
def commander_at():
    """An HQ commander of a region: manages units and duty there (the test world's named
    accounts hold that role only at the city)."""

    def build(region) -> Actor:
        return Actor.build(user=None, region=region, role=Role.HQ_COMMANDER)

    return build
