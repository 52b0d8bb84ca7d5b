import pytest

from fangkong.policies.rules import policy_cache_clear


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    policy_cache_clear()
    yield
    policy_cache_clear()


@pytest.fixture
def actor_of(world):
    from fangkong.accounts.models import RoleAssignment
    from fangkong.core.actor import Actor

    def build(key: str) -> Actor:
        assignment = RoleAssignment.objects.select_related("region").filter(user=world.user(key))
        a = assignment.first()
        assert a is not None, key
        return Actor.build(user=a.user, region=a.region, role=a.role, assignment_id=a.pk)

    return build
