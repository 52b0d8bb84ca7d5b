import pytest

from fangkong.regions.models import Level
from fangkong.regions.names import short_name_for


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # villagers' committees → 村, never 村村
        ("座细村民委员会", "座细村"),
        ("东门村村民委员会", "东门村"),
        ("三段村委会", "三段村"),
        ("银村村委会", "银村"),
        ("邱店村民委会", "邱店村"),
        ("兴牧村村民委员", "兴牧村"),
        ("西泉头社区村民委员会", "西泉头社区"),
        ("希勃图嘎查村民委员会", "希勃图嘎查"),
        # residents' committees → dropped, keeping 社区 where the name has it
        ("光明社区居民委员会", "光明社区"),
        ("芙蓉社区居委会", "芙蓉社区"),
        ("商合社区居委会", "商合社区"),
        ("南关居委会", "南关"),
        ("汇通居民委员会", "汇通"),
        ("袁河社区居民管理委员会", "袁河社区"),
        ("海湾社区居委委员会", "海湾社区"),
        # other committees
        ("俄日腾牧委会", "俄日腾"),
        ("沿江路社区委员会", "沿江路社区"),
        ("呼格吉乐图嘎查委员会", "呼格吉乐图嘎查"),
        # notes after a committee, doubled 会
        ("座细村民委员会（农村社区）", "座细村"),
        ("通津桥居委会（社区）", "通津桥"),
        ("安子里村委会会", "安子里村"),
        # already as written
        ("梭西村", "梭西村"),
        ("光明社区", "光明社区"),
        ("军亭界林场虚拟生活区", "军亭界林场虚拟生活区"),
        ("长江路开发区（特殊社区）", "长江路开发区（特殊社区）"),
        ("村委会", "村委会"),
    ],
)
def test_village_names_as_written_in_addresses(name, expected):
    assert short_name_for(name, Level.VILLAGE) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("石羔街道", "石羔街道"),
        ("保康街道办事处", "保康街道"),
        ("经济开发区管委会", "经济开发区"),
        ("经济开发区（马棚街道）", "经济开发区（马棚街道）"),
        ("军亭界林场", "军亭界林场"),
    ],
)
def test_township_names_as_written_in_addresses(name, expected):
    assert short_name_for(name, Level.TOWNSHIP) == expected


def test_counties_and_above_keep_their_official_names():
    assert short_name_for("湘西土家族苗族自治州", Level.CITY) == "湘西土家族苗族自治州"
    assert short_name_for("大柴旦行政委员会", Level.COUNTY) == "大柴旦行政委员会"


@pytest.mark.parametrize("name", ["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"])
def test_grouping_units_are_left_out_of_addresses(name):
    assert short_name_for(name, Level.CITY) == ""
