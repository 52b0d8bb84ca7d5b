import datetime as dt
import zoneinfo

import pytest

from fangkong.measures.models import Room, Site, SiteStatus
from fangkong.people.models import Person
from fangkong.policies.rules import policy_cache_clear

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
# The speech's day: 10 January 2022, 10:00.
SPEECH_DAY = dt.datetime(2022, 1, 10, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    policy_cache_clear()
    yield
    policy_cache_clear()


@pytest.fixture
def site(world):
    site = Site.objects.create(
        name="吉首市集中隔离点一号",
        region=world.home_county,
        address="吉首市乾州街道",
        status=SiteStatus.ACTIVE,
    )
    Room.objects.bulk_create(
        [Room(site=site, number=f"10{i}", floor=1, beds=1) for i in (1, 2)]
        + [Room(site=site, number="201", floor=2, beds=2)]
    )
    site.staff.add(world.user("county_site"))
    return site


@pytest.fixture
def other_site(world):
    site = Site.objects.create(
        name="龙山县集中隔离点", region=world.other_county, status=SiteStatus.ACTIVE
    )
    Room.objects.create(site=site, number="301", beds=2)
    return site


@pytest.fixture
def home_people(world):
    return list(
        Person.objects.filter(region__code__startswith=world.home_county.code).order_by("id")
    )


@pytest.fixture
def outsider_people(world):
    return list(
        Person.objects.filter(region__code__startswith=world.other_county.code).order_by("id")
    )
