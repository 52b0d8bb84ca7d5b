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


@pytest.fixture
def actor_of(world):
    """The actor a user of the world acts as after signing in (their first active role
    assignment); keyword arguments override what Actor.build is given (e.g. ip)."""
    from fangkong.accounts.models import RoleAssignment
    from fangkong.core.actor import Actor

    def build(key: str, **overrides) -> Actor:
        user = world.user(key)
        assignment = (
            RoleAssignment.objects.filter(user=user, active=True)
            .select_related("region")
            .order_by("region_id", "role")
            .first()
        )
        assert assignment is not None, key
        values = {"region": assignment.region, "role": assignment.role,
                  "assignment_id": assignment.pk, **overrides}  # fmt: skip
        return Actor.build(user=user, **values)

    return build
