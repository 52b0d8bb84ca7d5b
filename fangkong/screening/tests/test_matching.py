"""Assignment by address: names as people write them, repeated village names, fallbacks."""

import pytest

from fangkong.regions.models import Level, Region
from fangkong.screening.matching import AddressMatcher

pytestmark = pytest.mark.django_db


@pytest.fixture
def official_names(world):
    """Official committee names with the short names addresses use, and a village name that
    repeats in another township of the same county."""
    township = Region.objects.create(
        code="433101101",
        name="马颈坳镇",
        short_name="马颈坳镇",
        level=Level.TOWNSHIP,
        parent_id="433101",
        path="43/4331/433101/433101101",
    )
    Region.objects.create(
        code="433101101201",
        name="小兴村村民委员会",
        short_name="小兴村",
        level=Level.VILLAGE,
        parent=township,
        path=f"{township.path}/433101101201",
    )
    Region.objects.create(
        code="433101101202",
        name="马颈坳社区居民委员会",
        short_name="马颈坳社区",
        level=Level.VILLAGE,
        parent=township,
        path=f"{township.path}/433101101202",
    )
    return AddressMatcher("4331")


@pytest.mark.parametrize(
    "address, code",
    [
        ("湘西州吉首市矮寨镇德夯村3组12号", "433101100200"),
        ("吉首市矮寨德夯村", "433101100200"),
        ("矮寨镇小兴村", "433101100201"),
        ("吉首马颈坳镇小兴村5组", "433101101201"),
        ("吉首市马颈坳社区", "433101101202"),
        ("龙山县洛塔乡楠竹村", "433130200204"),
        ("龙山洛塔", "433130200"),
        ("吉首市峒河街道人民路8号", "433101002"),
        ("吉首市人民北路", "433101"),
        ("湖南省长沙市岳麓区", "4331"),
        ("", "4331"),
    ],
)
def test_address_goes_to_the_lowest_region_it_names(official_names, address, code):
    assert official_names.match(address) == code


def test_a_repeated_village_name_without_its_township_stays_at_the_county(official_names):
    # 小兴村 exists in 矮寨镇 and in 马颈坳镇: the county is all the address proves.
    assert official_names.match("吉首市小兴村") == "433101"


def test_id_region_code_is_not_used(run_import):
    from .conftest import HEADER, csv_bytes, row

    # The ID was issued in 龙山县 (433130); the person lives in 德夯村.
    result = run_import(
        csv_bytes([HEADER, row(1, "张三", "433130198507150012", address="吉首市矮寨镇德夯村")])
    )
    assert result.batch.records.get().region_id == "433101100200"
