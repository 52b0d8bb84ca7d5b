"""The speech's push in the demo city: 671 people from medium/high-risk areas, 8 inbound and
15 secondary contacts, 314 of them holding a red code, in realistic states.

The lists go through the real import (files written in the senders' style, title row and
all), then grid workers verify most records: the risk-area list was received 26 hours ago
with a 24-hour deadline, so what is still open there is overdue; the two smaller lists came
this morning and are partly in progress.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import tempfile
from pathlib import Path

from django.utils import timezone
from faker import Faker

from fangkong.accounts.models import RoleAssignment
from fangkong.core.actor import Actor
from fangkong.core.categories import PersonCategory
from fangkong.core.roles import Role
from fangkong.people.models import Person

from .importer import ImportOptions, screening_import
from .models import Outcome, ScreeningBatch, ScreeningRecord
from .services import escalate_overdue, record_receive, record_start_check, record_verify

PUSH = [  # (category, rows, hours since received, source)
    (PersonCategory.RISK_AREA, 671, 26, "省疫情防控指挥部推送"),
    (PersonCategory.INBOUND, 8, 6, "省疫情防控指挥部推送"),
    (PersonCategory.SECONDARY_CONTACT, 15, 5, "省疫情防控指挥部推送"),
]
RED_CODES = 314
HEADER = ["序号", "姓名", "身份证号", "联系电话", "现居住地", "来源地", "抵达时间", "健康码"]
PLACES = {
    PersonCategory.RISK_AREA: [
        "陕西省西安市雁塔区",
        "天津市津南区",
        "河南省安阳市",
        "河南省郑州市",
        "浙江省宁波市北仑区",
        "广东省深圳市",
    ],
    PersonCategory.INBOUND: ["美国", "日本", "马来西亚", "中国香港"],
    PersonCategory.SECONDARY_CONTACT: ["天津市津南区", "河南省安阳市"],
}
MEASURES = [("居家健康监测", "家中"), ("居家隔离", "家中"), ("集中隔离", "州集中隔离点")]


def build_screening_demo(world, rng: random.Random) -> list[ScreeningBatch]:
    """Import the three lists and bring their records to realistic states."""
    faker = Faker("zh_CN")
    faker.seed_instance(rng.randrange(10**9))
    hq_user = world.users.get("comprehensive")
    hq = Actor.build(user=hq_user, region=world.city, role=Role.COMPREHENSIVE_STAFF)
    addresses = _addresses(world)
    reds = set(rng.sample(range(sum(n for _, n, _, _ in PUSH)), RED_CODES))
    residents = list(
        Person.objects.filter(region_id__in=[v.code for v in world.villages[:50]]).exclude(
            document_number=""
        )[:20]
    )
    batches, offset = [], 0
    for category, count, hours_ago, source in PUSH:
        rows = _rows(faker, rng, category, count, offset, reds, addresses, residents)
        offset += count
        batches.append(
            _import(hq, category, source, rows, timezone.now() - dt.timedelta(hours=hours_ago))
        )
    workers = _field_actors(world)
    for batch in batches:
        _verify(batch, rng, workers, hq)
    escalate_overdue(actor=hq)
    return batches


def _addresses(world) -> list[str]:
    by_code = {r.code: r for r in [*world.counties, *world.townships]}
    out = []
    for village in world.villages:
        county, township = by_code.get(village.code[:6]), by_code.get(village.code[:9])
        if county and township:
            name = village.short_name or village.name
            out.append(f"{county.name}{township.short_name or township.name}{name}")
    return out or [world.city.name]


def _rows(faker, rng, category, count, offset, reds, addresses, residents) -> list[list[str]]:
    rows: list[list[str]] = []
    for n in range(count):
        number = faker.ssn(min_age=5, max_age=80)
        name, phone = faker.name(), faker.phone_number()
        address = rng.choice(addresses)
        roll = rng.random()
        if roll < 0.03 and residents:  # already known to the registry
            person = rng.choice(residents)
            name, number = person.name, person.document_number
        elif roll < 0.05 and rows:  # repeated in the same list
            name, number = rows[-1][1], rows[-1][2]
        elif roll < 0.09:  # a big-data row: a phone, no document
            number = ""
        elif roll < 0.095:  # a typo in the ID: needs correction
            number = number[:-1] + ("0" if number[-1] != "0" else "1")
        detail = rng.random()
        if detail < 0.15:  # the township only, or the county only
            address = address[: rng.choice([3, 6])]
        day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(9))
        arrived = rng.choice(
            [
                f"{day:%Y-%m-%d}",
                f"{day.year}.{day.month}.{day.day}",
                f"{day.year}年{day.month}月{day.day}日",
            ]
        )
        code = "红码" if offset + n in reds else rng.choice(["绿码", "绿码", "黄码"])
        rows.append(
            [
                str(n + 1),
                name,
                number,
                phone,
                f"{address}{rng.randint(1, 12)}组",
                rng.choice(PLACES[category]),
                arrived,
                code,
            ]
        )
    return rows


def _import(actor, category, source, rows, received_at) -> ScreeningBatch:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"{PersonCategory(category).label}人员名单（{received_at:%m月%d日}推送）"])
    writer.writerow(HEADER)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{category}.csv"
        path.write_text(buffer.getvalue(), encoding="gb18030")
        result = screening_import(
            actor=actor,
            path=path,
            filename=f"{PersonCategory(category).label}名单.csv",
            options=ImportOptions(
                category=category,
                source=source,
                received_at=received_at,
                allow_duplicate=True,
                expected_rows=len(rows),
            ),
        )
    if not result.stored or result.batch is None:
        raise RuntimeError(result.refused)
    return result.batch


def _field_actors(world) -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    assignments = RoleAssignment.objects.filter(
        role__in=[Role.GRID_WORKER, Role.OPERATOR], region__code__startswith=world.city.code
    ).select_related("user", "region")
    for a in assignments:
        actors.setdefault(a.region_id, Actor.build(user=a.user, region=a.region, role=a.role))
    return actors


def _actor_for(code: str, workers: dict[str, Actor], fallback: Actor) -> Actor:
    while code:
        if code in workers:
            return workers[code]
        code = code[:-3] if len(code) > 6 else code[:-2] if len(code) > 4 else ""
    return fallback


def _verify(batch, rng, workers, hq) -> None:
    """About 80 % closed, 10 % being checked, the rest waiting (overdue on the old list)."""
    records = ScreeningRecord.objects.filter(
        batch=batch, merged_into__isnull=True, invalid=False
    ).order_by("row_number")
    for record in records:
        actor = _actor_for(record.region_id, workers, hq)
        roll = rng.random()
        if roll < 0.80:
            outcome, extra = _outcome(rng)
            record_verify(actor=actor, pk=record.pk, outcome=outcome, **extra)
        elif roll < 0.90:
            record_start_check(actor=actor, pk=record.pk)
        elif roll < 0.95:
            record_receive(actor=actor, pk=record.pk)


def _outcome(rng) -> tuple[str, dict]:
    roll = rng.random()
    if roll < 0.86:
        measure, place = rng.choice(MEASURES)
        return Outcome.CONTROLLED, {"measure": measure, "place": place}
    if roll < 0.92:
        return Outcome.NOT_LOCAL, {"destination": rng.choice(["长沙市", "张家界市", "怀化市"])}
    if roll < 0.96:
        return Outcome.LEFT, {"destination": rng.choice(["重庆市秀山县", "贵州省铜仁市"])}
    return rng.choice([Outcome.NOT_FOUND, Outcome.WRONG_INFO]), {}
