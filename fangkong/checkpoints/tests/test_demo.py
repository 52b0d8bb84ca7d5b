import random

import pytest

from fangkong.arrivals.demo import build_arrivals
from fangkong.arrivals.models import Arrival
from fangkong.checkpoints.demo import build_checkpoints, build_traffic
from fangkong.checkpoints.models import CheckRecord

pytestmark = pytest.mark.django_db


def test_demo_builders_run_on_the_test_world(world, more_regions):
    rng = random.Random(1)
    made = build_checkpoints(world, rng)
    assert {c.code for c in made} >= {"jishou-east", "longshan-laifeng"}

    assert build_traffic(world, rng, per_checkpoint=5) == 5 * len(made)
    assert build_arrivals(world, rng, count=10) == 10
    assert CheckRecord.objects.count() == 5 * len(made) + 10
    assert Arrival.objects.filter(status="closed").exists()
    assert Arrival.objects.filter(status="open").exists()
