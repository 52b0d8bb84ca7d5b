import pytest

from fangkong.testing.environment import use_test_settings

# Test-run settings: tasks run immediately and passwords hash fast; browser fixtures for tests
# marked @pytest.mark.browser. See fangkong/testing/.
pytest_plugins = ["fangkong.testing.browser"]


def pytest_configure(config: pytest.Config) -> None:
    use_test_settings()


# World fixture: the shared demo world, built once per test database.
@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from fangkong.demo.world import TEST_SPEC, build_world

    with django_db_blocker.unblock():
        build_world(TEST_SPEC)


@pytest.fixture
def world(db):
    from fangkong.demo.world import load_world

    return load_world()
