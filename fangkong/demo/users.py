"""The demo's accounts: a user for every role at every level, all with one demo password.

The named accounts (hq, county_operator, grid_worker, outsider …) are the ones the tests use
and the demo prints. With field accounts every county also gets a commander and its four
county roles, every township an operator and every village a grid worker, named by the
division code: 433130_operator, 433130200_operator, 433130200201_grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from fangkong.accounts.models import RoleAssignment, User
from fangkong.core.roles import Role
from fangkong.org.models import CommandUnit
from fangkong.regions.models import Region

if TYPE_CHECKING:
    from .org import Units
    from .world import World

BATCH_SIZE = 500

# (key, role, label); the label completes the display name after the region's name.
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
OTHER_NAMED = ["township_operator", "grid_worker", "outsider", "outsider_grid_worker"]


@dataclass(frozen=True)
class Login:
    username: str
    display_name: str
    region: Region
    role: str
    unit: CommandUnit | None = None


def named_usernames() -> list[str]:
    names = [key for key, _, _ in CITY_ROLES]
    names += [f"county_{key}" for key, _, _ in COUNTY_ROLES]
    return names + OTHER_NAMED


def named_logins(world: World, units: Units) -> list[Login]:
    """The accounts the tests rely on; the first county, township and village are 'home'."""
    city, county = world.city, world.home_county
    city_units = {
        "hq": units.hq,
        "comprehensive": units.comprehensive,
        "workgroup": units.work_groups["社区防控组"],
        "inspector": units.work_groups["督查组"],
    }
    plan = [
        Login(key, f"{city.name}{label}", city, role, city_units.get(key))
        for key, role, label in CITY_ROLES
    ]
    county_hq = units.county_hqs[county.code]
    plan += [
        Login(f"county_{key}", f"{county.name}{label}", county, role, county_hq)
        for key, role, label in COUNTY_ROLES
    ]
    township, village = world.home_township, world.home_village
    outsider_county = world.other_county
    outsider_village = world.first_village_in(outsider_county)
    plan += [
        Login("township_operator", f"{township.name}工作人员", township, Role.OPERATOR),
        Login("grid_worker", f"{_place(village)}网格员", village, Role.GRID_WORKER),
        Login(
            "outsider",
            f"{outsider_county.name}指挥部工作人员",
            outsider_county,
            Role.OPERATOR,
            units.county_hqs[outsider_county.code],
        ),
        Login(
            "outsider_grid_worker",
            f"{_place(outsider_village)}网格员",
            outsider_village,
            Role.GRID_WORKER,
        ),
    ]
    return plan


def field_logins(world: World, units: Units) -> list[Login]:
    """An account for every county role, township and village, named by division code."""
    plan: list[Login] = []
    for county in sorted(world.counties, key=lambda c: c.code):
        county_hq = units.county_hqs[county.code]
        plan.append(
            Login(
                f"{county.code}_commander",
                f"{county.name}指挥长",
                county,
                Role.HQ_COMMANDER,
                county_hq,
            )
        )
        plan += [
            Login(f"{county.code}_{key}", f"{county.name}{label}", county, role, county_hq)
            for key, role, label in COUNTY_ROLES
        ]
    plan += [
        Login(f"{t.code}_operator", f"{t.name}工作人员", t, Role.OPERATOR) for t in world.townships
    ]
    plan += [
        Login(f"{v.code}_grid", f"{_place(v)}网格员", v, Role.GRID_WORKER) for v in world.villages
    ]
    return plan


def _place(region: Region) -> str:
    return region.short_name or region.name


def build_users(
    world: World, units: Units, *, password: str, field_accounts: bool
) -> dict[str, User]:
    # Hashing is deliberately slow; every demo account shares the one hash.
    hashed = make_password(password)
    plan = named_logins(world, units)
    if field_accounts:
        plan += field_logins(world, units)
    now = timezone.now()
    users = User.objects.bulk_create(
        (
            User(
                username=login.username,
                display_name=login.display_name,
                password=hashed,
                password_changed_at=now,
            )
            for login in plan
        ),
        batch_size=BATCH_SIZE,
    )
    by_name = {u.username: u for u in users}
    RoleAssignment.objects.bulk_create(
        (
            RoleAssignment(
                user=by_name[login.username], region=login.region, role=login.role, unit=login.unit
            )
            for login in plan
        ),
        batch_size=BATCH_SIZE,
    )
    return by_name


def login_rows() -> list[tuple[str, str, str]]:
    """(username, role, region) of the named accounts as stored, in the order listed above."""
    order = {name: i for i, name in enumerate(named_usernames())}
    assignments = RoleAssignment.objects.filter(
        user__username__in=order, active=True
    ).select_related("user", "region")
    rows = sorted(assignments, key=lambda a: order[a.user.username])
    return [(a.user.username, str(a.get_role_display()), a.region.name) for a in rows]
