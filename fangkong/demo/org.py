"""The demo's command organisation and duty roster.

The city HQ as the speech describes it: a comprehensive group, work groups each with a lead
unit and member units, and the Spring Festival work team on 24-hour duty; below it a county
HQ in every county with its own comprehensive group and work groups.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from fangkong.org.models import CommandUnit, DutyShift, MemberUnit, UnitKind
from fangkong.regions.models import Region

if TYPE_CHECKING:
    from fangkong.accounts.models import User

    from .world import World

# (group, lead unit, member units, duties); "{}" is the level's own name: 州 in the city
# (州民政局), the county's name below it (龙山县民政局).
CITY_WORK_GROUPS = [
    ("社区防控组", "{}民政局", ["{}公安局", "{}住建局", "{}商务局"], "社区（村）排查管控"),
    ("医疗救治组", "{}卫生健康委", ["{}医疗保障局", "{}市场监管局"], "隔离点、核酸检测、救治"),
    ("交通管控组", "{}交通运输局", ["{}公安局交警支队", "湘西高速公路管理处"], "站场卡口查验"),
    ("物资保障组", "{}发展改革委", ["{}工业和信息化局", "{}财政局"], "防疫物资和隔离场所保障"),
    ("宣传舆情组", "{}委宣传部", ["{}委网信办", "{}融媒体中心"], "宣传引导、舆情监测"),
    ("督查组", "{}纪委监委", ["{}委督查室", "{}政府督查室"], "综合督查、问题整改"),
]
COUNTY_WORK_GROUPS = [
    ("社区防控组", "{}民政局", ["{}公安局", "{}住建局"], "乡镇（街道）、村（社区）排查管控"),
    ("医疗救治组", "{}卫生健康局", ["{}市场监管局"], "隔离点管理、核酸检测"),
]
DUTY_PHONE = "0743-8222110"
# Shifts are laid out this many days either side of the day the world is built.
DUTY_DAYS = 15


@dataclass
class Units:
    hq: CommandUnit
    comprehensive: CommandUnit
    work_groups: dict[str, CommandUnit]
    work_team: CommandUnit
    county_hqs: dict[str, CommandUnit] = field(default_factory=dict)


def build_organisation(world: World) -> Units:
    city = world.city
    hq = CommandUnit.objects.create(
        region=city,
        kind=UnitKind.HQ,
        name=f"{city.name}疫情防控指挥部",
        duties="统一领导、指挥、协调全州疫情防控工作",
    )
    comprehensive = CommandUnit.objects.create(
        region=city,
        kind=UnitKind.COMPREHENSIVE_GROUP,
        parent=hq,
        name="综合组",
        duties="综合协调、信息汇总、数据核查、日报编发",
        sort_order=1,
    )
    # 湘西 is an autonomous prefecture (州): its departments are 州民政局, 州卫生健康委 ….
    prefix = "州" if city.name.endswith("州") else "市"
    groups = _work_groups(hq, CITY_WORK_GROUPS, prefix=prefix, start=2)
    team = CommandUnit.objects.create(
        region=city,
        kind=UnitKind.WORK_TEAM,
        parent=hq,
        name="2022年“两节”疫情防控工作专班",
        duties="集中办公，24小时值班值守，日报告、零报告",
        reports_daily=True,
        sort_order=20,
    )
    units = Units(hq=hq, comprehensive=comprehensive, work_groups=groups, work_team=team)
    for order, county in enumerate(sorted(world.counties, key=lambda c: c.code)):
        county_hq = CommandUnit.objects.create(
            region=county,
            kind=UnitKind.HQ,
            parent=hq,
            name=f"{county.name}疫情防控指挥部",
            duties="统筹本县市区疫情防控，每日向州指挥部综合组报告",
            reports_daily=True,
            sort_order=order,
        )
        CommandUnit.objects.create(
            region=county,
            kind=UnitKind.COMPREHENSIVE_GROUP,
            parent=county_hq,
            name="综合组",
            duties="综合协调、信息汇总、日报编发",
            sort_order=1,
        )
        _work_groups(county_hq, COUNTY_WORK_GROUPS, prefix=_county_prefix(county), start=2)
        units.county_hqs[county.code] = county_hq
    return units


def _county_prefix(county: Region) -> str:
    # Department names carry the county's name: 龙山县民政局, 吉首市卫生健康局.
    return county.short_name or county.name


def _work_groups(hq: CommandUnit, rows, *, prefix: str, start: int) -> dict[str, CommandUnit]:
    groups: dict[str, CommandUnit] = {}
    members: list[MemberUnit] = []
    for order, (name, lead, others, duties) in enumerate(rows, start=start):
        group = CommandUnit.objects.create(
            region_id=hq.region_id,
            kind=UnitKind.WORK_GROUP,
            parent=hq,
            name=name,
            duties=duties,
            reports_daily=True,
            sort_order=order,
        )
        groups[name] = group
        members.append(MemberUnit(group=group, department=_named(lead, prefix), is_lead=True))
        members += [MemberUnit(group=group, department=_named(m, prefix)) for m in others]
    MemberUnit.objects.bulk_create(members)
    return groups


def _named(department: str, prefix: str) -> str:
    return department.format(prefix)


def build_duty(world: World, units: Units, *, field_accounts: bool) -> None:
    """Two 12-hour shifts a day at the city HQ, and in the demo a 24-hour shift at every
    county HQ, from DUTY_DAYS days before the build to DUTY_DAYS days after it."""
    users = world.users
    city_pairs = [
        (users["hq"], users["comprehensive"]),
        (users["comprehensive"], users["workgroup"]),
    ]
    county_pairs: dict[str, tuple[User, User]] = {}
    if field_accounts:
        for county in world.counties:
            county_pairs[county.code] = (
                users[f"{county.code}_commander"],
                users[f"{county.code}_operator"],
            )
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    shifts = []
    for offset in range(-DUTY_DAYS, DUTY_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        for half in (0, 1):
            start = dt.datetime.combine(day, dt.time(8 if half == 0 else 20), tzinfo=tz)
            leader, officer = city_pairs[(offset + half) % 2]
            shifts.append(
                DutyShift(
                    unit=units.hq,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=12),
                    leader=leader,
                    officer=officer,
                    phone=DUTY_PHONE,
                )
            )
        start = dt.datetime.combine(day, dt.time(8), tzinfo=tz)
        for code, (leader, officer) in county_pairs.items():
            shifts.append(
                DutyShift(
                    unit=units.county_hqs[code],
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=24),
                    leader=leader,
                    officer=officer,
                    phone="",
                )
            )
    DutyShift.objects.bulk_create(shifts, batch_size=500)
