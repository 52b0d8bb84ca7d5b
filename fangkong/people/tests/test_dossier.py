"""一人一档: the person's page shows what each domain the reader may read holds of the person,
within the reader's scope, in a number of queries that does not grow with the history."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fangkong.arrivals.tests.conftest import open_arrival
from fangkong.labtests.models import NatTest
from fangkong.measures.models import Room, Site, SiteStatus
from fangkong.measures.planning import measure_start
from fangkong.policies.rules import policy_cache_clear
from fangkong.screening.models import ScreeningBatch, ScreeningRecord

from .factories import person_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    policy_cache_clear()
    yield
    policy_cache_clear()


def _listed(person, region, *, source="省疫情防控指挥部推送", row=2):
    now = timezone.now()
    batch = ScreeningBatch.objects.create(
        source=source, category="risk_area", received_at=now, region=region.parent.parent
        if len(region.code) == 12 else region, deadline=now + dt.timedelta(hours=24),
        header=["姓名"], rows=1, valid=1,
    )  # fmt: skip
    return ScreeningRecord.objects.create(
        batch=batch, row_number=row, values=[person.name], name=person.name, person=person,
        region=region, assigned_level=len(region.code), deadline=batch.deadline, created_at=now,
    )  # fmt: skip


def _history(world, actor_of, person, *, records=1, tests=1):
    village = world.home_village
    listed = [_listed(person, village, row=n + 2) for n in range(records)]
    arrival = open_arrival(person, village, arrived_at=timezone.now() - dt.timedelta(hours=3))
    site = Site.objects.create(
        name="吉首市集中隔离点一号", region=world.home_county, status=SiteStatus.ACTIVE
    )
    Room.objects.create(site=site, number="101", beds=1)
    measure = measure_start(
        actor=actor_of("county_operator"), person=person, category="secondary_contact",
        site=site,
    )  # fmt: skip
    for n in range(tests):
        NatTest.objects.create(
            person=person, region=village, sampled_at=timezone.now() - dt.timedelta(days=n),
            result="negative", lab="吉首市人民医院",
        )  # fmt: skip
    return listed, arrival, measure


def _page(client, person):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_person_page_gathers_lists_arrivals_measures_and_tests(client, world, actor_of):
    person = person_in(world.home_village, name="向红梅")
    listed, arrival, measure = _history(world, actor_of, person)
    client.force_login(world.user("county_operator"))
    html, _ = _page(client, person)
    for title in ("排查记录", "来返记录", "管控措施", "核酸检测"):
        assert f"{title} <span" in html
    assert reverse("screening:record", args=[listed[0].pk]) in html
    assert reverse("arrivals:detail", args=[arrival.pk]) in html
    assert reverse("measures:detail", args=[measure.pk]) in html
    assert "湖北省 武汉市 武昌区 → " in html and "阴性" in html and "吉首市集中隔离点一号" in html
    assert f"#{listed[0].batch_id} 中高风险地区来返 · 省疫情防控指挥部推送 · 第 2 行" in html


def test_each_reader_sees_only_the_domains_it_may_read(client, world, actor_of):
    person = person_in(world.home_village)
    _history(world, actor_of, person)
    client.force_login(world.user("county_lab"))
    html, _ = _page(client, person)
    assert "核酸检测 <span" in html
    assert "排查记录 <span" not in html and "管控措施 <span" not in html


def test_an_entry_outside_the_readers_scope_is_neither_shown_nor_counted(client, world):
    person = person_in(world.home_village)
    elsewhere = _listed(person, world.first_village_in(world.other_county), source="龙山县名单")
    mine = _listed(person, world.home_village, source="吉首市名单")
    client.force_login(world.user("county_operator"))
    html, _ = _page(client, person)
    assert "吉首市名单" in html and "龙山县名单" not in html
    links = re.findall(r'href="/screening/records/(\d+)/"', html)
    assert links == [str(mine.pk)] and str(elsewhere.pk) not in links
    assert '排查记录 <span class="muted">1</span>' in html


def test_the_page_runs_the_same_queries_however_long_the_history(client, world, actor_of):
    client.force_login(world.user("county_operator"))
    short, long = person_in(world.home_village, name="甲"), person_in(world.home_village, name="乙")
    _history(world, actor_of, short)
    _history(world, actor_of, long, records=14, tests=12)
    _page(client, short)  # the session's first page loads the shell's data
    _, few = _page(client, short)
    html, many = _page(client, long)
    assert many == few
    assert '排查记录 <span class="muted">14</span>' in html and "只列出最近 10 条" in html


def test_site_staff_see_only_the_measures_of_their_sites(client, world, actor_of):
    """As on the measures pages: quarantine-site staff read the measures of their own sites."""
    person = person_in(world.home_village)
    _, _, measure = _history(world, actor_of, person)  # at a site county_site does not staff
    client.force_login(world.user("county_site"))
    html, _ = _page(client, person)
    assert reverse("measures:detail", args=[measure.pk]) not in html
    assert '管控措施 <span class="muted">0</span>' in html
