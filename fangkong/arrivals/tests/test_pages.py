"""The arrivals' list and page: places and verdicts by name, tabs with counts, 50 a page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fangkong.arrivals.models import Arrival, ArrivalStatus
from fangkong.arrivals.places import forget_places, place_name
from fangkong.people.tests.factories import person_in
from fangkong.regions.models import Level, Region

from .conftest import open_arrival

pytestmark = pytest.mark.django_db


def _arrivals(world, n, **options):
    village = world.home_village
    return [
        open_arrival(
            person_in(village, name=f"来返{i}"),
            village,
            arrived_at=timezone.now() - dt.timedelta(hours=i + 1),
            **options,
        )  # fmt: skip
        for i in range(n)
    ]


def _page(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_list_names_places_and_verdicts(client, world):
    _arrivals(world, 1, verdict="sample_on_site")
    client.force_login(world.user("county_operator"))
    html, _ = _page(client, reverse("arrivals:list"))
    assert "湖北省 武汉市 武昌区" in html and ">420106<" not in html
    assert '<span class="badge badge-orange">现场采样</span>' in html
    assert "管理中 1" in html and "已闭环 0" in html


def test_the_list_comes_50_a_page_with_the_same_queries(client, world):
    client.force_login(world.user("county_operator"))
    url = reverse("arrivals:list")
    _arrivals(world, 2)
    _page(client, url)  # the session's first page loads the shell's data and the place names
    _, few = _page(client, url)
    made = _arrivals(world, 53)
    first, many = _page(client, url)
    assert many == few
    second, _ = _page(client, url + "?status=open&page=2")
    linked = re.findall(r'href="/arrivals/(\d+)/"', first + second)
    assert len(linked) == len(set(linked)) == 55 and "page=2" in first
    assert len(made) == 53


def test_the_tabs_filter_by_status(client, world):
    closed, still_open = _arrivals(world, 2)
    Arrival.objects.filter(pk=closed.pk).update(status=ArrivalStatus.CLOSED)
    client.force_login(world.user("county_operator"))
    shown = {
        status: re.findall(
            r'href="/arrivals/(\d+)/"', _page(client, f"/arrivals/?status={status}")[0]
        )
        for status in ("open", "closed", "all")
    }
    assert shown["open"] == [str(still_open.pk)] and shown["closed"] == [str(closed.pk)]
    assert sorted(shown["all"]) == sorted([str(closed.pk), str(still_open.pk)])


def test_the_page_names_each_obligation(client, world):
    arrival = _arrivals(world, 1, verdict="sample_on_site",
                        kinds=("sample_on_site", "health_monitoring"))[0]  # fmt: skip
    client.force_login(world.user("county_operator"))
    html, _ = _page(client, reverse("arrivals:detail", args=[arrival.pk]))
    assert "现场采样核酸" in html and "14天健康监测" in html
    assert ">sample_on_site<" not in html and "health_monitoring<" not in html


def test_a_place_name_leaves_out_the_division_datas_placeholders(world):
    # As the national division data names them: Chongqing's counties sit under a "county"
    # level named 县.
    for code, name, level, parent in (
        ("50", "重庆市", Level.PROVINCE, None), ("5002", "县", Level.CITY, "50"),
        ("500241", "秀山土家族苗族自治县", Level.COUNTY, "5002"),
    ):  # fmt: skip
        path = "/".join(code[:n] for n in (2, 4, 6) if n <= len(code))
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent, "path": path}
        )
    forget_places()
    try:
        assert place_name("500241") == "重庆市 秀山土家族苗族自治县"
        assert place_name("420106") == "湖北省 武汉市 武昌区"
    finally:
        forget_places()  # the names held in process must not outlive this test's regions


def _listed(html):
    return re.findall(r'href="/arrivals/(\d+)/"', html)


def test_filters_narrow_the_list_and_its_counts(client, world):
    near, far = _arrivals(world, 2)
    Arrival.objects.filter(pk=far.pk).update(
        arrived_at=timezone.now() - dt.timedelta(days=3), source="self_report"
    )
    client.force_login(world.user("county_operator"))
    url = reverse("arrivals:list")
    day = timezone.localdate(timezone.now() - dt.timedelta(days=3)).isoformat()
    on_day, _ = _page(client, f"{url}?day={day}")
    assert _listed(on_day) == [str(far.pk)] and "管理中 1" in on_day
    by_source, _ = _page(client, f"{url}?source=checkpoint")
    assert _listed(by_source) == [str(near.pk)]
    by_name, _ = _page(client, f"{url}?q={near.person.name}")
    assert _listed(by_name) == [str(near.pk)]
    township = world.home_village.parent
    in_township, _ = _page(client, f"{url}?region={township.code}&status=all")
    assert sorted(_listed(in_township)) == sorted([str(near.pk), str(far.pk)])
    tabs = re.findall(r'<a class="tab[^"]*" href="\?([^"]+)"', in_township)
    assert all(f"region={township.code}" in tab for tab in tabs) and len(tabs) == 3
    assert client.get(url, {"region": world.other_county.code}).status_code == 404


def test_the_list_downloads_masked_in_scope_and_logged(client, world):
    import io

    import openpyxl

    from fangkong.audit.models import AccessEntry

    mine = _arrivals(world, 1)[0]
    elsewhere = world.first_village_in(world.other_county)
    other = open_arrival(
        person_in(elsewhere, name="外县来返"), elsewhere, arrived_at=timezone.now()
    )
    client.force_login(world.user("county_operator"))
    response = client.get(reverse("arrivals:list_sheet"), {"status": "all"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0][:4] == ["姓名", "证件号码", "手机号", "来源地"]
    assert [r[0] for r in rows[1:]] == [mine.person.masked_name]
    assert rows[1][3] == "湖北省 武汉市 武昌区" and other.person.masked_name not in str(rows)
    assert mine.person.document_number not in str(rows)
    entry = AccessEntry.objects.get()
    assert entry.kind == "export" and entry.row_count == 1
    client.force_login(world.user("grid_worker"))
    assert "sheet.xlsx" not in client.get(reverse("arrivals:list")).content.decode()
    assert client.get(reverse("arrivals:list_sheet")).status_code == 403
    assert AccessEntry.objects.count() == 1
