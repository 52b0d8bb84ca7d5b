import pytest

from fangkong.policies.rules import policy_cache_clear


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    policy_cache_clear()
    yield
    policy_cache_clear()
