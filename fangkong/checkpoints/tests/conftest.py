import datetime as dt

import pytest

from fangkong.accounts.tokens import api_token_create
from fangkong.arrivals.places import forget_places
from fangkong.arrivals.rules import forget_rules
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.services import forget_registry
from fangkong.people.tests.factories import resident_id
from fangkong.regions.models import Level, Region
from fangkong.riskareas.selectors import invalidate_snapshot

TODAY = dt.datetime(2022, 1, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def forget_everything():
    from fangkong.checkpoints.api import forget_tokens

    forget_tokens()
    forget_places()
    forget_registry()
    forget_rules()
    invalidate_snapshot()


@pytest.fixture(autouse=True)
def fresh_caches():
    forget_everything()
    yield
    forget_everything()


@pytest.fixture
def more_regions(db):
    """深圳市南山区 and 杭州市西湖区, for origins that the test world lacks."""
    rows = [
        ("44", "广东省", None, Level.PROVINCE),
        ("4403", "深圳市", "44", Level.CITY),
        ("440305", "南山区", "4403", Level.COUNTY),
        ("33", "浙江省", None, Level.PROVINCE),
        ("3301", "杭州市", "33", Level.CITY),
        ("330106", "西湖区", "3301", Level.COUNTY),
    ]
    for code, name, parent, level in rows:
        path = "/".join(code[:n] for n in (2, 4, 6) if n <= len(code))
        Region.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": name,
                "level": level,
                "parent_id": parent,
                "path": path,
            },
        )
    forget_places()


@pytest.fixture
def checkpoint(world):
    return Checkpoint.objects.create(
        code="jishou-east", name="吉首东站", type="high_speed_rail", region=world.home_county
    )


@pytest.fixture
def outsider_checkpoint(world):
    return Checkpoint.objects.create(
        code="longshan-crossing",
        name="龙山县湘鄂边界国道服务点",
        type="road_crossing",
        region=world.other_county,
    )


@pytest.fixture
def token_for(world):
    def issue(key="county_checkpoint"):
        user = world.user(key)
        assignment = user.assignments.filter(active=True).order_by("region_id", "role").first()
        _, raw = api_token_create(
            actor=None, name=f"test-{key}", region=assignment.region, role=assignment.role
        )
        return raw

    return issue


def check_payload(world, **changes):
    payload = {
        "document_type": "resident_id",
        "document_number": resident_id("420106"),
        "name": "张晓明",
        "phone": "13907431234",
        "health_code": "green",
        "itinerary": ["420106"],
        "itinerary_star": False,
        "nat_sampled_at": "2022-01-09T10:00:00+08:00",
        "nat_result": "negative",
        "temperature": 36.5,
        "arrival_at": "2022-01-10T13:30:00+08:00",
        "origin": "420106",
        "destination": world.home_village.code,
    }
    payload.update(changes)
    return payload
