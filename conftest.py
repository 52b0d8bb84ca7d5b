# World fixture: the shared demo world, built once per test database.
import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from fangkong.demo.world import TEST_SPEC, build_world

    with django_db_blocker.unblock():
        build_world(TEST_SPEC)


@pytest.fixture
def world(db):
    from fangkong.demo.world import load_world

    return load_world()
