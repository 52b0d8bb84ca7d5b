import pytest

from .factories import person_in


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
