"""The demo world: one deterministic generator for the demo city and for the tests.

`build_world(TEST_SPEC)` makes the small world every test shares: the 湘西 city, two of its
counties (吉首市, 龙山县) with two townships each and two villages each, a user for every role,
and an outsider in the other county. `build_world(demo_spec())` makes the full demo city on top
of the loaded division tree. Both go through the same functions, so what the tests exercise is
what the demo shows.

Everything random comes from the spec's seed, so two builds of one spec produce the same
people, the same names and the same ID numbers. The command organisation lives in
`demo.org`, the accounts in `demo.users`, the synthetic residents in `demo.people`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from fangkong.accounts.models import User
from fangkong.org.models import CommandUnit, UnitKind
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region

from . import org, people, users
from .users import named_usernames

DEMO_PASSWORD = "Fangkong@2022"
CITY_CODE = "4331"
SEED = 20220110
# 吉首市 holds the named home accounts; 龙山县, a county the speech names, holds the outsider.
HOME_COUNTY_CODE = "433101"
OUTSIDER_COUNTY_CODE = "433130"

# (code, name, parent) rows for the test world, all real NBS 2023 divisions.
TEST_REGIONS: tuple[tuple[str, str, str | None], ...] = (
    ("43", "湖南省", None),
    ("4331", "湘西土家族苗族自治州", "43"),
    ("433101", "吉首市", "4331"),
    ("433101100", "矮寨镇", "433101"),
    ("433101100200", "德夯村", "433101100"),
    ("433101100201", "小兴村", "433101100"),
    ("433101002", "峒河街道", "433101"),
    ("433101002001", "峒河社区", "433101002"),
    ("433101002002", "新桥社区", "433101002"),
    ("433130", "龙山县", "4331"),
    ("433130200", "洛塔乡", "433130"),
    ("433130200201", "泽果村", "433130200"),
    ("433130200204", "楠竹村", "433130200"),
    ("433130210", "大安乡", "433130"),
    ("433130210201", "大红村", "433130210"),
    ("433130210202", "大湾村", "433130210"),
    ("42", "湖北省", None),
    ("4201", "武汉市", "42"),
    ("420106", "武昌区", "4201"),
)


@dataclass(frozen=True)
class WorldSpec:
    name: str
    people_per_village: int
    # None: every village under the city as loaded; otherwise these (code, name, parent) rows.
    region_rows: tuple[tuple[str, str, str | None], ...] | None
    # An account for every county role in every county, every township and every village,
    # named by its division code; the test world keeps only the named accounts.
    field_accounts: bool = False
    seed: int = SEED
    city_code: str = CITY_CODE


TEST_SPEC = WorldSpec(name="test", people_per_village=3, region_rows=TEST_REGIONS)


def demo_spec(
    *, people_per_village: int = 20, seed: int = SEED, city_code: str = CITY_CODE
) -> WorldSpec:
    """The demo city: 湘西 has 1,797 villages, so 20 a village is about 36,000 residents."""
    return WorldSpec(
        name="demo",
        people_per_village=people_per_village,
        region_rows=None,
        field_accounts=True,
        seed=seed,
        city_code=city_code,
    )


@dataclass
class World:
    city: Region
    counties: list[Region]
    townships: list[Region]
    villages: list[Region]
    users: dict[str, User] = field(default_factory=dict)
    hq: CommandUnit | None = None

    @property
    def home_county(self) -> Region:
        return self.counties[0]

    @property
    def other_county(self) -> Region:
        """The outsider's county: its people and units are out of the home accounts' scope."""
        return next((c for c in self.counties if c.code == OUTSIDER_COUNTY_CODE), self.counties[-1])

    @property
    def home_township(self) -> Region:
        return self.first_township_in(self.home_county)

    @property
    def home_village(self) -> Region:
        return self.first_village_in(self.home_township)

    def first_township_in(self, region: Region) -> Region:
        return next(t for t in self.townships if t.code.startswith(region.code))

    def first_village_in(self, region: Region) -> Region:
        return next(v for v in self.villages if v.code.startswith(region.code))

    def user(self, key: str) -> User:
        return self.users[key]


def world_exists(city_code: str = CITY_CODE) -> bool:
    return CommandUnit.objects.filter(region_id=city_code, kind=UnitKind.HQ).exists()


def load_world(city_code: str = CITY_CODE) -> World:
    """The world as stored: the city, its counties, townships and villages, and its users."""
    world = load_world_regions(city_code)
    world.users = {u.username: u for u in User.objects.filter(username__in=named_usernames())}
    world.hq = CommandUnit.objects.get(region_id=city_code, kind=UnitKind.HQ, parent=None)
    return world


def load_world_regions(city_code: str = CITY_CODE) -> World:
    below = list(Region.objects.filter(code__startswith=city_code).order_by("code"))
    counties = [r for r in below if r.level == Level.COUNTY]
    return World(
        city=next(r for r in below if r.code == city_code),
        counties=_home_first(counties),
        townships=[r for r in below if r.level == Level.TOWNSHIP],
        villages=[r for r in below if r.level == Level.VILLAGE],
    )


def _home_first(counties: list[Region]) -> list[Region]:
    return sorted(counties, key=lambda r: (r.code != HOME_COUNTY_CODE, r.code))


@transaction.atomic
def build_world(spec: WorldSpec, *, stdout=None) -> World:
    """Build the organisation, the accounts, the duty roster and the residents of a spec.

    The division tree must already be there (the demo loads it first); the test spec brings
    its own few rows. Not idempotent by itself: callers check world_exists() first.
    """
    if spec.region_rows is not None:
        _create_regions(spec.region_rows)
    world = load_world_regions(spec.city_code)
    if len(world.counties) < 2 or not world.villages:
        raise ValueError(f"{spec.city_code}: the division tree needs two counties and villages")
    units = org.build_organisation(world)
    world.hq = units.hq
    world.users = users.build_users(
        world, units, password=DEMO_PASSWORD, field_accounts=spec.field_accounts
    )
    org.build_duty(world, units, field_accounts=spec.field_accounts)
    created = people.build_people(world, per_village=spec.people_per_village, seed=spec.seed)
    if stdout is not None:
        stdout.write(
            f"world '{spec.name}': {len(world.villages)} villages, {created} people, "
            f"{len(world.users)} users\n"
        )
    return world


def people_count(city_code: str = CITY_CODE) -> int:
    return Person.objects.filter(region__code__startswith=city_code).count()


def _create_regions(rows) -> None:
    paths: dict[str, str] = {}
    lengths = {2: Level.PROVINCE, 4: Level.CITY, 6: Level.COUNTY, 9: Level.TOWNSHIP}
    for code, name, parent in rows:
        paths[code] = f"{paths[parent]}/{code}" if parent else code
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": name,
                "level": lengths.get(len(code), Level.VILLAGE),
                "parent_id": parent,
                "path": paths[code],
            },
        )
