import pytest

from fangkong.accounts.models import RoleAssignment
from fangkong.core.actor import Actor
from fangkong.core.roles import Role
from fangkong.org.models import CommandUnit, UnitKind


@pytest.fixture
def actor_of(world):
    """The actor a user acts as after signing in (its first role assignment)."""

    def build(key: str) -> Actor:
        user = world.user(key)
        assignment = (
            RoleAssignment.objects.filter(user=user, active=True)
            .select_related("region")
            .order_by("region_id", "role")
            .first()
        )
        assert assignment is not None, key
        return Actor.build(
            user=user, region=assignment.region, role=assignment.role, assignment_id=assignment.pk
        )

    return build


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
