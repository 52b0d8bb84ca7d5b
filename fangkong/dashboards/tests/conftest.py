import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from fangkong.dashboards.snapshot import snapshot_refresh
from fangkong.labtests.models import NatTest
from fangkong.people.models import Person

NOW = dt.datetime(2022, 1, 20, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def samples(world, frozen):
    """Two samples today in the home county (one positive), one in the other county, one
    yesterday."""
    home = list(Person.objects.filter(region__code__startswith=world.home_county.code)[:2])
    other = Person.objects.filter(region__code__startswith=world.other_county.code).first()
    today = timezone.localtime(NOW).replace(hour=8)
    NatTest.objects.bulk_create([
        NatTest(person=home[0], region=world.home_village, sampled_at=today, result="negative"),
        NatTest(person=home[1], region=world.home_township, sampled_at=today, result="positive"),
        NatTest(person=other, region=world.first_village_in(world.other_county), sampled_at=today,
                result="negative"),
        NatTest(person=home[0], region=world.home_village, sampled_at=today - dt.timedelta(days=1),
                result="negative"),
    ])  # fmt: skip
    snapshot_refresh(days=2)


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
