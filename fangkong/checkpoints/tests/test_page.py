"""The check page on a phone: places picked, not typed as division codes."""

import re

import pytest
import time_machine
from django.urls import reverse

from fangkong.checkpoints.models import CheckRecord

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _options(html, select_id):
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="(\d+)"( selected)?>', select)


def _form(world):
    return {
        "document_type": "resident_id", "document_number": "11010519491231002X",
        "name": "张晓明", "health_code": "green", "temperature": "36.5",
        "origin_province": "42", "origin_city": "4201", "origin_county": "420106",
        "dest_county": world.home_county.code, "dest_township": world.home_township.code,
        "dest_village": world.home_village.code,
    }  # fmt: skip


def test_the_page_offers_provinces_and_the_checkpoints_own_county(client, world, checkpoint):
    client.force_login(world.user("county_checkpoint"))
    html = client.get(reverse("checkpoints:check", args=[checkpoint.code])).content.decode()
    assert ("42", "") in _options(html, "f-prov") and 'name="origin"' not in html
    assert (world.home_county.code, " selected") in _options(html, "f-dcounty")
    assert (world.home_township.code, "") in _options(html, "f-town")
    assert _options(html, "f-village") == []  # loaded once a township is picked


@time_machine.travel(TODAY, tick=False)
def test_the_finest_place_picked_is_checked_and_kept_for_the_next_traveller(
    client, world, checkpoint
):
    client.force_login(world.user("county_checkpoint"))
    url = reverse("checkpoints:check", args=[checkpoint.code])
    response = client.post(url, _form(world))
    assert response.status_code == 200
    check = CheckRecord.objects.get()
    assert check.origin_code == "420106" and check.destination_code == world.home_village.code
    html = response.content.decode()
    assert ("420106", " selected") in _options(html, "f-ocounty")
    assert (world.home_village.code, " selected") in _options(html, "f-village")
    assert 'id="f-dn" name="document_number" value=""' in html


def test_a_place_not_picked_is_asked_for(client, world, checkpoint):
    client.force_login(world.user("county_checkpoint"))
    form = _form(world) | {"origin_county": "", "origin_city": "", "origin_province": ""}
    form |= {"dest_township": "", "dest_village": "", "dest_county": ""}
    response = client.post(reverse("checkpoints:check", args=[checkpoint.code]), form)
    html = response.content.decode()
    assert response.status_code == 422 and not CheckRecord.objects.exists()
    assert "请选择来源地，到县（区）" in html and "请选择目的地" in html


@time_machine.travel(TODAY, tick=False)
def test_the_cities_on_the_way_are_written_as_the_travel_card_shows_them(
    client, world, checkpoint, more_regions
):
    client.force_login(world.user("county_checkpoint"))
    url = reverse("checkpoints:check", args=[checkpoint.code])
    form = _form(world) | {"itinerary": "湖北省武汉市，深圳、 4403"}
    assert client.post(url, form).status_code == 200
    assert CheckRecord.objects.get().itinerary == ["4201", "4403"]

    refused = client.post(url, _form(world) | {"itinerary": "武汉市，火星市"})
    html = refused.content.decode()
    assert refused.status_code == 422 and "不认识的城市：火星市" in html
    assert 'value="武汉市，火星市"' in html and CheckRecord.objects.count() == 1
