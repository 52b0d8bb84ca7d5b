"""Demo data: the service points of 湘西, the speech's risk-area list, a day of traffic.

Builders take (world, rng) and are hooked into the demo by fangkong.demo; they also work on the
test world (checkpoints are placed only in counties that exist).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.core.actor import Actor
from fangkong.core.identity import check_character
from fangkong.regions.models import Level, Region
from fangkong.riskareas.models import RiskArea

from .checks import clean_check
from .models import Checkpoint
from .services import checkpoint_check, forget_registry

# (code, name, type, county, leads to)
CHECKPOINTS = (
    ("jishou-east", "吉首东站", "high_speed_rail", "433101", ""),
    ("jishou-rail", "吉首站", "rail", "433101", ""),
    ("jishou-bus", "吉首汽车站", "bus", "433101", ""),
    ("jishou-g65", "包茂高速吉首收费站", "highway_exit", "433101", ""),
    ("fenghuang-gucheng", "凤凰古城站", "high_speed_rail", "433123", ""),
    ("fenghuang-bus", "凤凰汽车站", "bus", "433123", ""),
    ("fenghuang-g56", "杭瑞高速凤凰收费站", "highway_exit", "433123", ""),
    ("fenghuang-alaying", "凤凰阿拉营湘黔边界服务点", "road_crossing", "433123", "贵州松桃"),
    (
        "huayuan-chadong",
        "花垣茶洞（边城）湘渝黔边界服务点",
        "road_crossing",
        "433124",
        "重庆秀山、贵州松桃",
    ),
    ("huayuan-g65", "包茂高速花垣收费站", "highway_exit", "433124", ""),
    ("longshan-laifeng", "龙山湘鄂边界服务点", "road_crossing", "433130", "湖北来凤"),
    ("longshan-bus", "龙山汽车站", "bus", "433130", ""),
    ("longshan-exit", "龙山高速收费站", "highway_exit", "433130", ""),
    ("luxi-exit", "泸溪高速收费站", "highway_exit", "433122", ""),
    ("baojing-bus", "保靖汽车站", "bus", "433125", ""),
    ("guzhang-exit", "古丈高速收费站", "highway_exit", "433126", ""),
    ("yongshun-bus", "永顺汽车站", "bus", "433127", ""),
)

# Cities the speech names (广东、浙江、河南、陕西、天津) whose counties hold the risk areas.
RISK_CITIES = ("4403", "4401", "3302", "3301", "3306", "4105", "4101", "4110", "6101", "1201")
AREA_KINDS = ("部分小区", "某街道", "某村", "某社区")


def build_checkpoints(world, rng) -> list[Checkpoint]:
    counties = {c.code: c for c in world.counties}
    made = []
    for code, name, kind, county, leads_to in CHECKPOINTS:
        if county not in counties:
            continue
        checkpoint, _ = Checkpoint.objects.get_or_create(
            code=code,
            defaults={"name": name, "type": kind, "region": counties[county],
                      "leads_to": leads_to, "staff_on_duty": "卫健、公安、交通各1人"},
        )  # fmt: skip
        made.append(checkpoint)
    forget_registry()
    return made


def build_risk_areas(world, rng, *, high: int = 18, medium: int = 84) -> int:
    """The list as of 10 January 2022: 18 high, 84 medium, in real counties of other provinces."""
    counties = list(
        Region.objects.filter(level=Level.COUNTY, parent_id__in=RISK_CITIES).values_list(
            "code", "name"
        )
    )
    if not counties:
        return 0
    start = timezone.make_aware(dt.datetime(2022, 1, 3, 9, 0))
    areas = []
    for level, count in (("high", high), ("medium", medium)):
        for n in range(count):
            code, name = counties[rng.randrange(len(counties))]
            areas.append(RiskArea(
                code=code, county_code=code, name=f"{name}{rng.choice(AREA_KINDS)}{n + 1}",
                level=level, effective_from=start + dt.timedelta(hours=rng.randrange(150)),
                source="国务院客户端 2022-01-10",
            ))  # fmt: skip
    RiskArea.objects.bulk_create(areas, ignore_conflicts=True)
    from fangkong.riskareas.selectors import invalidate_snapshot

    invalidate_snapshot()
    return len(areas)


def random_resident_id(rng, region6: str) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
    first17 = f"{region6}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + check_character(first17)


def build_traffic(world, rng, *, per_checkpoint: int = 40, now=None) -> int:
    """A day of checks at every checkpoint, in the mix a January day brought."""
    now = now or timezone.now()
    origins = ["433101", "433130", "430102", "420106", "500241", "522229", "440305", "330106"]
    known = set(Region.objects.filter(code__in=origins).values_list("code", flat=True))
    origins = [o for o in origins if o in known] or [world.home_county.code]
    villages = [v.code for v in world.villages]
    done = 0
    for checkpoint in Checkpoint.objects.all():
        actor = Actor.build(user=None, region=checkpoint.region, role="checkpoint_staff")
        county_villages = [v for v in villages if v.startswith(checkpoint.region_id)] or villages
        for _ in range(per_checkpoint):
            origin = rng.choice(origins)
            arrival = now - dt.timedelta(minutes=rng.randrange(24 * 60))
            has_certificate = rng.random() < 0.85
            data = {
                "document_type": "resident_id",
                "document_number": random_resident_id(rng, origin[:6]),
                "name": rng.choice("王李张刘陈杨田向彭龙") + rng.choice("明华英芳军伟秀兰"),
                "health_code": rng.choices(["green", "yellow", "red"], [95, 4, 1])[0],
                "arrival_at": arrival.isoformat(), "origin": origin,
                "itinerary": [origin], "itinerary_star": rng.random() < 0.03,
                "nat_sampled_at": (arrival - dt.timedelta(hours=rng.randrange(6, 60))).isoformat()
                if has_certificate else None,
                "nat_result": "negative" if has_certificate else None,
                "temperature": rng.choice(["36.3", "36.5", "36.7", "36.8", "37.5"]),
                "destination": rng.choice(county_villages),
            }  # fmt: skip
            checkpoint_check(actor=actor, code=checkpoint.code,
                             given=clean_check(data, now=now))  # fmt: skip
            done += 1
    return done
