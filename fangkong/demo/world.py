"""The demo world: one deterministic generator for the demo city and for the tests.

`build_world(TEST_SPEC)` makes the small world every test shares: the 湘西 city, two of its
counties (吉首市, 龙山县) with two townships each and two villages each, a user for every role,
and an outsider in the other county. `build_world(demo_spec())` makes the full demo city on top
of the loaded division tree. Both go through the same functions, so what the tests exercise is
what the demo shows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from fangkong.accounts.models import RoleAssignment, User
from fangkong.core import crypto
from fangkong.core.identity import DocumentType
from fangkong.core.roles import Role
from fangkong.org.models import CommandUnit, DutyShift, MemberUnit, UnitKind
from fangkong.people.models import Person
from fangkong.regions.models import Level, Region

DEMO_PASSWORD = "Fangkong@2022"
CITY_CODE = "4331"
SEED = 20220110

# (code, name, parent) rows for the test world, all real NBS 2023 divisions.
TEST_REGIONS = [
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
]

# The city HQ as the speech describes it: a comprehensive group, work groups with a lead unit
# and member units, and the Spring Festival work team on 24-hour duty.
CITY_WORK_GROUPS = [
    ("社区防控组", "州民政局", ["州公安局", "州住建局", "州商务局"], "社区（村）排查管控、重点人群核查"),
    ("医疗救治组", "州卫生健康委", ["州医疗保障局", "州市场监管局"], "隔离点管理、核酸检测、医疗救治"),
    ("交通管控组", "州交通运输局", ["州公安局交警支队", "湘西高速公路管理处"], "站场卡口查验、健康监测服务点"),
    ("物资保障组", "州发展改革委", ["州工业和信息化局", "州财政局"], "防疫物资和隔离场所设施保障"),
    ("宣传舆情组", "州委宣传部", ["州委网信办", "州融媒体中心"], "宣传引导、舆情监测"),
    ("督查组", "州纪委监委", ["州委督查室", "州政府督查室"], "综合督查、问题整改"),
]


@dataclass(frozen=True)
class WorldSpec:
    name: str
    people_per_village: int
    # None: every village under the city as loaded; otherwise the TEST_REGIONS rows.
    region_rows: list | None
    township_operators: bool = True
    grid_workers_per_village: bool = True


TEST_SPEC = WorldSpec(name="test", people_per_village=3, region_rows=TEST_REGIONS)


def demo_spec(people_per_village: int = 20) -> WorldSpec:
    return WorldSpec(name="demo", people_per_village=people_per_village, region_rows=None)


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
        return self.counties[1]

    @property
    def home_village(self) -> Region:
        return next(v for v in self.villages if v.code.startswith(self.home_township.code))

    @property
    def home_township(self) -> Region:
        return next(t for t in self.townships if t.code.startswith(self.home_county.code))

    def user(self, key: str) -> User:
        return self.users[key]


def world_exists() -> bool:
    return CommandUnit.objects.filter(region_id=CITY_CODE, kind=UnitKind.HQ).exists()


def load_world() -> World:
    """The world as stored: the city, its counties, townships and villages, and its users."""
    world = load_world_regions()
    world.users = {u.username: u for u in User.objects.filter(username__in=_known_usernames())}
    world.hq = CommandUnit.objects.get(region_id=CITY_CODE, kind=UnitKind.HQ, parent=None)
    return world


def _home_first(counties: list[Region]) -> list[Region]:
    # 吉首市 is the home county of the test world; 龙山县 holds the outsider.
    return sorted(counties, key=lambda r: (r.code != "433101", r.code))


@transaction.atomic
def build_world(spec: WorldSpec, *, stdout=None) -> World:
    rng = random.Random(SEED)
    if spec.region_rows is not None:
        _create_regions(spec.region_rows)
    world = load_world_regions()
    password = make_password(DEMO_PASSWORD)
    world.hq = _build_organisation(world)
    world.users = _build_users(world, spec, password)
    _build_duty(world)
    _build_people(world, spec, rng)
    if stdout is not None:
        stdout.write(f"world '{spec.name}': {len(world.villages)} villages, "
                     f"{Person.objects.count()} people, {len(world.users)} users\n")
    return world


def load_world_regions() -> World:
    below = list(Region.objects.filter(code__startswith=CITY_CODE).order_by("code"))
    return World(
        city=next(r for r in below if r.code == CITY_CODE),
        counties=_home_first([r for r in below if r.level == Level.COUNTY]),
        townships=[r for r in below if r.level == Level.TOWNSHIP],
        villages=[r for r in below if r.level == Level.VILLAGE],
    )


def _create_regions(rows) -> None:
    paths: dict[str, str] = {}
    for code, name, parent in rows:
        paths[code] = f"{paths[parent]}/{code}" if parent else code
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": name,
                "level": {2: 1, 4: 2, 6: 3, 9: 4, 12: 5}[len(code)],
                "parent_id": parent,
                "path": paths[code],
            },
        )


# --- organisation -------------------------------------------------------------------------


def _build_organisation(world: World) -> CommandUnit:
    hq = CommandUnit.objects.create(
        region=world.city, kind=UnitKind.HQ, name=f"{world.city.name}疫情防控指挥部",
        duties="统一领导、指挥、协调全州疫情防控工作", sort_order=0,
    )
    CommandUnit.objects.create(
        region=world.city, kind=UnitKind.COMPREHENSIVE_GROUP, parent=hq, name="综合组",
        duties="综合协调、信息汇总、数据核查、日报编发", sort_order=1,
    )
    for order, (name, lead, members, duties) in enumerate(CITY_WORK_GROUPS, start=2):
        group = CommandUnit.objects.create(
            region=world.city, kind=UnitKind.WORK_GROUP, parent=hq, name=name, duties=duties,
            reports_daily=True, sort_order=order,
        )
        MemberUnit.objects.create(group=group, department=lead, is_lead=True)
        MemberUnit.objects.bulk_create(MemberUnit(group=group, department=m) for m in members)
    CommandUnit.objects.create(
        region=world.city, kind=UnitKind.WORK_TEAM, parent=hq, name="2022年“两节”疫情防控工作专班",
        duties="集中办公，24小时值班值守，日报告、零报告", sort_order=20,
    )
    for order, county in enumerate(world.counties):
        CommandUnit.objects.create(
            region=county, kind=UnitKind.HQ, parent=hq, name=f"{county.name}疫情防控指挥部",
            duties="统筹本县市区疫情防控", reports_daily=True, sort_order=order,
        )
    return hq


# --- users --------------------------------------------------------------------------------

CITY_ROLES = [
    ("hq", Role.HQ_COMMANDER, "指挥长"),
    ("comprehensive", Role.COMPREHENSIVE_STAFF, "综合组"),
    ("workgroup", Role.WORKGROUP_STAFF, "社区防控组"),
    ("inspector", Role.INSPECTOR, "督查员"),
    ("auditor", Role.AUDITOR, "审计员"),
    ("sysadmin", Role.SYSADMIN, "系统管理员"),
]
COUNTY_ROLES = [
    ("operator", Role.OPERATOR, "指挥部工作人员"),
    ("checkpoint", Role.CHECKPOINT_STAFF, "卡口工作人员"),
    ("site", Role.SITE_STAFF, "隔离点工作人员"),
    ("lab", Role.LAB_STAFF, "采样检测人员"),
]


def _known_usernames() -> list[str]:
    names = [key for key, _, _ in CITY_ROLES]
    names += ["county_operator", "county_checkpoint", "county_site", "county_lab",
              "township_operator", "grid_worker", "outsider", "outsider_grid_worker"]
    return names


def _user(username: str, display_name: str, password: str) -> User:
    return User(username=username, display_name=display_name, password=password,
                password_changed_at=timezone.now())


def _build_users(world: World, spec: WorldSpec, password: str) -> dict[str, User]:
    """A user for every role; the first county, township and village are the 'home' ones.

    Named accounts (county_operator, grid_worker, outsider …) are what the tests use; the demo
    also gets one operator per county and township and one grid worker per village.
    """
    plan: list[tuple[str, str, Region, str]] = []
    for key, role, label in CITY_ROLES:
        plan.append((key, f"{world.city.name}{label}", world.city, role))
    for key, role, label in COUNTY_ROLES:
        plan.append((f"county_{key}", f"{world.home_county.name}{label}", world.home_county, role))
    plan.append(("township_operator", f"{world.home_township.name}工作人员", world.home_township,
                 Role.OPERATOR))
    plan.append(("grid_worker", f"{world.home_village.name}网格员", world.home_village,
                 Role.GRID_WORKER))
    outsider_village = next(v for v in world.villages if v.code.startswith(world.other_county.code))
    plan.append(("outsider", f"{world.other_county.name}指挥部工作人员", world.other_county,
                 Role.OPERATOR))
    plan.append(("outsider_grid_worker", f"{outsider_village.name}网格员", outsider_village,
                 Role.GRID_WORKER))
    if spec.name == "demo":
        plan += _demo_field_accounts(world)
    users = User.objects.bulk_create(_user(name, display, password) for name, display, _, _ in plan)
    by_name = {u.username: u for u in users}
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=by_name[name], region=region, role=role)
        for name, _, region, role in plan
    )
    return by_name


def _demo_field_accounts(world: World) -> list[tuple[str, str, Region, str]]:
    plan = []
    for county in world.counties[1:]:
        for key, role, label in COUNTY_ROLES:
            plan.append((f"{county.code}_{key}", f"{county.name}{label}", county, role))
    for township in world.townships:
        if township.code != world.home_township.code:
            plan.append((f"{township.code}_operator", f"{township.name}工作人员", township,
                         Role.OPERATOR))
    for village in world.villages:
        if village.code not in (world.home_village.code,):
            plan.append((f"{village.code}_grid", f"{village.name}网格员", village,
                         Role.GRID_WORKER))
    return [row for row in plan if not row[0].startswith(world.other_county.code + "_operator")]


def _build_duty(world: World) -> None:
    """Two 12-hour shifts a day at the city HQ from 15 days ago to 15 days ahead."""
    leaders = [world.users["hq"], world.users["comprehensive"]]
    officers = [world.users["comprehensive"], world.users["workgroup"]]
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    shifts = []
    for offset in range(-15, 16):
        day = today + dt.timedelta(days=offset)
        for half in (0, 1):
            start = dt.datetime.combine(day, dt.time(8 if half == 0 else 20), tzinfo=tz)
            shifts.append(DutyShift(
                unit=world.hq, starts_at=start, ends_at=start + dt.timedelta(hours=12),
                leader=leaders[(offset + half) % 2], officer=officers[(offset + half) % 2],
                phone="0743-8222110",
            ))
    DutyShift.objects.bulk_create(shifts)


# --- people -------------------------------------------------------------------------------

ETHNIC_GROUPS = ["土家族"] * 45 + ["苗族"] * 35 + ["汉族"] * 18 + ["白族", "回族"]


def _build_people(world: World, spec: WorldSpec, rng: random.Random) -> None:
    faker = Faker("zh_CN")
    faker.seed_instance(SEED)
    seen: set[str] = set()
    batch: list[Person] = []
    for village in world.villages:
        township = next((t for t in world.townships if village.code.startswith(t.code)), None)
        county = next(c for c in world.counties if village.code.startswith(c.code))
        for _ in range(spec.people_per_village):
            person = _synthetic_person(faker, rng, county, township, village, seen)
            batch.append(person)
            if len(batch) >= 2000:
                Person.objects.bulk_create(batch)
                batch = []
    Person.objects.bulk_create(batch)


def _synthetic_person(faker, rng, county, township, village, seen) -> Person:
    while True:
        number = faker.ssn(min_age=1, max_age=90, area_code=county.code)
        if number not in seen:
            seen.add(number)
            break
    phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    address = f"{county.name}{township.name if township else ''}{village.short_name or village.name}"
    address += f"{rng.randint(1, 30)}组{rng.randint(1, 80)}号"
    return Person(
        name=faker.name(),
        sex="M" if int(number[16]) % 2 else "F",
        birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        ethnic_group=rng.choice(ETHNIC_GROUPS),
        document_type=DocumentType.RESIDENT_ID,
        document_number=number,
        document_index=crypto.blind_index(DocumentType.RESIDENT_ID, number),
        phone=phone,
        phone_index=crypto.blind_index("mobile", phone),
        household_address=address,
        current_address=address,
        region=village,
    )
