"""Demo: the speech's 339 people in centralised quarantine (2 close contacts, 95 secondary
contacts, 24 inbound, 218 from medium/high-risk areas) across real-looking 湘西 sites, with
test schedules, past results, check-ins and a few problems to act on."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from faker import Faker

from fangkong.accounts.models import RoleAssignment
from fangkong.core import crypto
from fangkong.core.actor import Actor
from fangkong.core.identity import DocumentType
from fangkong.core.roles import Role
from fangkong.labtests.models import NatTest, Purpose, Result
from fangkong.people.models import Person
from fangkong.policies.models import MeasureType

from .models import (
    CheckIn,
    Measure,
    Room,
    SampleStatus,
    ScheduledTest,
    Site,
    SiteKind,
    SiteStatus,
    Slot,
)
from .placements import free_beds
from .planning import measure_start
from .schedule import next_test_due_refresh

SPEECH_COUNTS = [("close_contact", 2), ("secondary_contact", 95), ("inbound", 24),
                 ("risk_area", 218)]  # fmt: skip
# (county, name, address, kind, rooms, beds per room); the first one is kept near capacity.
SITES = [
    ("433101", "吉首市乾州集中隔离点", "吉首市乾州街道世纪大道", SiteKind.HOTEL, 30, 2),
    ("433101", "吉首市武陵山集中隔离点", "吉首市石家冲街道武陵山大道", SiteKind.DEDICATED, 80, 2),
    ("433130", "龙山县华塘集中隔离点", "龙山县华塘街道民安路", SiteKind.DEDICATED, 80, 2),
    ("433123", "凤凰县廖家桥集中隔离点", "凤凰县廖家桥镇", SiteKind.HOTEL, 40, 2),
    ("433124", "花垣县边城集中隔离点", "花垣县边城镇", SiteKind.DEDICATED, 30, 2),
    ("433127", "永顺县灵溪集中隔离点", "永顺县灵溪镇", SiteKind.HOTEL, 30, 2),
    ("433125", "保靖县迁陵集中隔离点", "保靖县迁陵镇", SiteKind.OTHER, 20, 2),
    ("433122", "泸溪县白沙备用隔离点", "泸溪县白沙镇", SiteKind.OTHER, 20, 2),
]
NEAR_FULL_SHARE = 0.95
LABS = ["湘西州疾控中心实验室", "吉首市人民医院检验科", "湘西金域医学检验所"]


def _actor(world) -> Actor:
    hq = world.users["hq"]
    assignment = RoleAssignment.objects.select_related("region").filter(user=hq).first()
    assert assignment is not None, "the demo world gives the HQ commander a role"
    return Actor.build(
        user=hq, region=assignment.region, role=Role.HQ_COMMANDER, assignment_id=assignment.pk
    )


def build_sites(world, rng: random.Random) -> dict:
    """The demo's quarantine sites, built before the day's checkpoint traffic and
    self-reports so that their transfers find beds (a county without a site keeps its
    transfers awaiting one)."""
    return {"sites": len(_sites(world))}


def _free_beds() -> dict[Site, int]:
    """The sites that are not closed, each with its free beds, in the order they were built."""
    sites = list(Site.objects.exclude(status=SiteStatus.CLOSED).order_by("id"))
    free = free_beds([s.pk for s in sites])
    return {s: free[s.pk] for s in sites}


def _sites(world) -> dict[Site, int]:
    """The demo sites, each with its number of beds."""
    counties = {c.code: c for c in world.counties}
    sites: dict[Site, int] = {}
    for code, name, address, kind, rooms, beds in SITES:
        county = counties.get(code)
        if county is None:
            continue
        site = Site.objects.create(
            name=name,
            address=address,
            region=county,
            kind=kind,
            status=SiteStatus.STANDBY if "备用" in name else SiteStatus.ACTIVE,
            officer=f"{county.name}卫健局",
            officer_phone="0743-8" + code[-3:] + "120",
            supplies_ready=True,
            staff_ready="备用" not in name,
            last_drill_on=timezone.localdate() - dt.timedelta(days=len(sites) * 3 + 2),
        )
        Room.objects.bulk_create(
            Room(site=site, number=f"{floor}{n:02d}", floor=floor, beds=beds)
            for i in range(rooms)
            for floor, n in [(i // 20 + 1, i % 20 + 1)]
        )
        sites[site] = rooms * beds
    staff = world.users.get("county_site")
    for site in sites:
        if staff is not None and site.region_id == world.home_county.code:
            site.staff.add(staff)
    return sites


def _people(world, rng: random.Random, count: int) -> list[Person]:
    faker = Faker("zh_CN")
    faker.seed_instance(rng.randrange(10**9))
    villages = world.villages
    people: list[Person] = []
    seen: set[str] = set()
    while len(people) < count:
        village = villages[len(people) % len(villages)]
        # zh_CN's ssn takes these; faker's stubs only know the default provider's signature.
        number = faker.ssn(min_age=3, max_age=80, area_code=village.code[:6])  # type: ignore[call-arg]
        if number in seen:
            continue
        seen.add(number)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        people.append(
            Person(
                name=faker.name(),
                sex="M" if int(number[16]) % 2 else "F",
                birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                document_type=DocumentType.RESIDENT_ID,
                document_number=number,
                document_index=crypto.blind_index(DocumentType.RESIDENT_ID, number),
                phone=phone,
                phone_index=crypto.blind_index("mobile", phone),
                current_address=f"{village.name}{rng.randint(1, 12)}组",
                region=village,
            )
        )
    return Person.objects.bulk_create(people)


def _site_plan(sites: dict[Site, int], total: int) -> list[Site]:
    """Which site each person goes to (`sites`: free beds of each): the first nearly full,
    the rest by free beds."""
    active = [s for s in sites if s.status == SiteStatus.ACTIVE]
    plan = [active[0]] * int(sites[active[0]] * NEAR_FULL_SHARE)
    rest = active[1:]
    capacity = sum(sites[s] for s in rest)
    for site in rest:
        plan += [site] * round(
            (total - int(sites[active[0]] * NEAR_FULL_SHARE)) * sites[site] / capacity
        )
    while len(plan) < total:
        plan.append(rest[len(plan) % len(rest)])
    return plan[:total]


def _still_needed() -> list[tuple[str, int]]:
    """The speech's counts less those other demo builders already put in centralised care
    (arrivals transfer people too), so that the city's figure is the speech's 339 exactly."""
    from .stats import in_care

    present = in_care(Measure.objects.all())[MeasureType.CENTRALISED]["by_category"]
    return [(category, max(0, n - present[category])) for category, n in SPEECH_COUNTS]


@transaction.atomic
def build_measures_demo(world, rng: random.Random) -> dict:
    actor = _actor(world)
    now = timezone.now()
    if not Site.objects.exists():
        _sites(world)
    sites = _free_beds()
    counts = _still_needed()
    total = sum(n for _, n in counts)
    people = _people(world, rng, total)
    plan = _site_plan(sites, total)
    measures = []
    index = 0
    for category, count in counts:
        length = 7 if category == "secondary_contact" else 14
        for _ in range(count):
            started = now - dt.timedelta(
                days=rng.randrange(0, length - 1), hours=rng.randrange(1, 9)
            )
            measures.append(
                measure_start(
                    actor=actor,
                    person=people[index],
                    category=category,
                    risk_level="high" if category == "risk_area" else None,
                    source="screening" if category != "inbound" else "arrival",
                    started_at=started,
                    site=plan[index],
                )
            )
            index += 1
    _past_results(measures, rng, now)
    _checkins(measures, rng, now)
    return {"sites": len(sites), "measures": len(measures)}


def _past_results(measures, rng, now) -> None:
    today = timezone.localdate(now)
    due = list(
        ScheduledTest.objects.filter(measure__in=measures, due_date__lt=today).select_related(
            "measure"
        )
    )
    # One problem to act on: the most recent overdue test of the first measure stays missing.
    overdue = max(
        (t for t in due if t.measure_id == measures[0].pk), key=lambda t: t.due_date, default=None
    )
    tests, done = [], []
    tz = timezone.get_current_timezone()
    for st in due:
        if st is overdue:
            continue
        sampled = dt.datetime.combine(st.due_date, dt.time(8, rng.randrange(60)), tzinfo=tz)
        tests.append(
            NatTest(
                person_id=st.measure.person_id,
                region_id=st.measure.region_id,
                sampled_at=sampled,
                result=Result.NEGATIVE,
                lab=rng.choice(LABS),
                purpose=Purpose.SCHEDULED,
                reported_at=sampled + dt.timedelta(hours=10),
            )
        )
        done.append(st)
    NatTest.objects.bulk_create(tests)
    for st, test in zip(done, tests, strict=True):
        st.status, st.test = SampleStatus.NEGATIVE, test
    ScheduledTest.objects.bulk_update(done, ["status", "test"], batch_size=1000)
    next_test_due_refresh([m.pk for m in measures])


def _checkins(measures, rng, now) -> None:
    local = timezone.localtime(now)
    tz = timezone.get_current_timezone()
    rows = []
    for n, measure in enumerate(measures):
        start = timezone.localtime(measure.started_at).date()
        for back in range(2, -1, -1):
            day = local.date() - dt.timedelta(days=back)
            if day < start:
                continue
            for slot, hour in ((Slot.MORNING, 8), (Slot.EVENING, 17)):
                at = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=tz)
                # One problem: the second person stopped checking in after yesterday morning.
                stopped = n == 1 and (back < 1 or slot == Slot.EVENING)
                if at > now or at < measure.started_at or stopped:
                    continue
                rows.append(
                    CheckIn(
                        measure=measure,
                        day=day,
                        slot=slot,
                        at=at,
                        by_person=n % 3 == 0,
                        temperature=rng.choice(["36.2", "36.4", "36.5", "36.6", "36.8"]),
                    )
                )
    CheckIn.objects.bulk_create(rows)
