import pytest

from fangkong.accounts.models import RoleAssignment
from fangkong.core.actor import Actor

from .factories import person_in


def first_assignment(user) -> RoleAssignment:
    assignment = (
        RoleAssignment.objects.filter(user=user, active=True)
        .select_related("region")
        .order_by("region_id", "role")
        .first()
    )
    assert assignment is not None, user
    return assignment


@pytest.fixture
def actor_of(world):
    """The actor a user acts as after signing in (its first role assignment)."""

    def build(key: str) -> Actor:
        assignment = first_assignment(world.user(key))
        return Actor.build(
            user=world.user(key),
            region=assignment.region,
            role=assignment.role,
            assignment_id=assignment.pk,
        )

    return build


@pytest.fixture
def make_person(world):
    def make(region=None, **values):
        return person_in(region or world.home_village, **values)

    return make


@pytest.fixture
def other_village(world):
    """A village in the home county that is not the grid worker's."""
    return next(
        v
        for v in world.villages
        if v.code.startswith(world.home_county.code) and v.code != world.home_village.code
    )


@pytest.fixture
def outsider_village(world):
    return next(v for v in world.villages if v.code.startswith(world.other_county.code))
