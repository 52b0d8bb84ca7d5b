"""The people under measures: filters kept across tabs and pages, a region out of scope is 404,
and the list as a masked sheet whose download is logged."""

import io
import re
from urllib.parse import parse_qs

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from fangkong.audit.models import AccessEntry
from fangkong.measures.planning import measure_start

from .conftest import SPEECH_DAY


@pytest.fixture
def measures(actor_of, home_people, site, other_site, outsider_people):
    operator, outsider = actor_of("county_operator"), actor_of("outsider")
    with time_machine.travel(SPEECH_DAY, tick=False):
        close = measure_start(
            actor=operator, person=home_people[0], category="close_contact", site=site
        )
        secondary = measure_start(
            actor=operator, person=home_people[1], category="secondary_contact", site=site
        )
        theirs = measure_start(
            actor=outsider, person=outsider_people[0], category="close_contact", site=other_site
        )
    return {"close": close, "secondary": secondary, "theirs": theirs}


def _listed(response):
    return [m.pk for m in response.context["page"]]


def test_filters_narrow_the_list_and_tabs_keep_them(client, world, measures):
    client.force_login(world.user("hq"))
    url = reverse("measures:list")
    everyone = _listed(client.get(url))
    assert set(everyone) == {m.pk for m in measures.values()}
    home = client.get(url, {"region": world.home_county.code})
    assert set(_listed(home)) == {measures["close"].pk, measures["secondary"].pk}
    close = client.get(url, {"category": "close_contact", "region": world.home_county.code})
    assert _listed(close) == [measures["close"].pk]
    named = client.get(url, {"q": measures["secondary"].person.name})
    assert measures["secondary"].pk in _listed(named) and measures["close"].pk not in _listed(named)
    tabs = re.findall(r'class="tab[^"]*" href="\?([^"]+)"', close.content.decode())
    completed = parse_qs(next(q for q in tabs if "status=completed" in q).replace("&amp;", "&"))
    assert completed == {
        "status": ["completed"], "category": ["close_contact"],
        "region": [world.home_county.code],
    }  # fmt: skip


def test_a_region_out_of_scope_is_not_found(client, world, measures):
    client.force_login(world.user("county_operator"))
    url = reverse("measures:list")
    assert client.get(url, {"region": world.other_county.code}).status_code == 404
    assert (
        client.get(reverse("measures:list_sheet"), {"region": world.other_county.code}).status_code
        == 404
    )


def test_the_list_downloads_masked_in_scope_and_logged(client, world, measures):
    client.force_login(world.user("county_operator"))
    response = client.get(reverse("measures:list_sheet"), {"category": "close_contact"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0][:5] == ["姓名", "证件号码", "手机号", "人员类别", "管控方式"]
    person = measures["close"].person
    assert [r[0] for r in rows[1:]] == [person.masked_name]
    assert rows[1][1] == person.masked_document and person.document_number not in str(rows)
    assert rows[1][3] == "密接" and rows[1][5].startswith("吉首市集中隔离点一号")
    entry = AccessEntry.objects.get()
    assert entry.kind == "export" and entry.row_count == 1
    assert entry.user == world.user("county_operator") and entry.region_id == world.home_county.code


def test_only_roles_that_may_export_see_and_use_the_download(client, world, measures):
    client.force_login(world.user("grid_worker"))
    page = client.get(reverse("measures:list"))
    assert page.status_code == 200 and "list/sheet.xlsx" not in page.content.decode()
    assert client.get(reverse("measures:list_sheet")).status_code == 403
    assert not AccessEntry.objects.exists()
    client.force_login(world.user("county_operator"))
    assert "list/sheet.xlsx" in client.get(reverse("measures:list")).content.decode()


def test_the_api_list_takes_the_same_filters(client, world, measures):
    client.force_login(world.user("hq"))

    def listed(**query):
        body = client.get("/api/v1/measures", query).json()
        return sorted(m["id"] for m in body["results"])

    assert listed(region=world.home_county.code) == sorted(
        [measures["close"].pk, measures["secondary"].pk]
    )
    assert listed(category="close_contact", region=world.other_county.code) == [
        measures["theirs"].pk
    ]
    assert measures["secondary"].pk in listed(q=measures["secondary"].person.name)
    client.force_login(world.user("county_operator"))
    response = client.get("/api/v1/measures", {"region": world.other_county.code})
    assert response.status_code == 404


def test_a_list_too_long_to_download_goes_back_to_the_list_with_the_reason(
    client, world, measures, monkeypatch
):
    monkeypatch.setattr("fangkong.audit.exports.DIRECT_ROWS", 1)
    client.force_login(world.user("county_operator"))
    response = client.get(reverse("measures:list_sheet"), {"type": "centralised"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("measures:list") + "?type=centralised"
    assert "共 2 行，超过一次导出的 1 行" in response.content.decode()
    assert not AccessEntry.objects.exists()
