"""Records placed on a region itself (their address named nothing finer) are moved down the
tree several at once from the record list: all or none, each move audited."""

import pytest
from django.urls import reverse

from fangkong.audit.models import ChangeEntry
from fangkong.screening.models import ScreeningRecord
from fangkong.screening.services import REASSIGN_LIMIT, record_verify, records_reassign

from .conftest import HEADER, ID_A, ID_B, ID_C, ID_D, csv_bytes, row

pytestmark = pytest.mark.django_db

COUNTY_ONLY = "吉首市不明小区8栋"
TOWNSHIP = "433101002"


@pytest.fixture
def batch(run_import):
    return run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "张三", ID_A, address=COUNTY_ONLY),
                row(2, "李四", ID_B, address=COUNTY_ONLY),
                row(3, "王五", ID_C, address=COUNTY_ONLY),
                row(4, "赵六", ID_D, address="龙山县洛塔乡泽果村"),
            ]
        )
    ).batch


def _here(client, world, key="county_operator"):
    client.force_login(world.user(key))
    return client.get(reverse("screening:records"), {"region": "433101", "here": "1"})


def _post(client, records, region=TOWNSHIP, next_url="/screening/records/?region=433101&here=1"):
    data = {"record": [r.pk for r in records], "region": region, "next": next_url}
    return client.post(reverse("screening:records_reassign"), data)


def _unplaced(batch):
    return list(batch.records.filter(region_id="433101").order_by("row_number"))


def test_ticked_records_move_down_together_and_each_move_is_audited(client, world, batch):
    records = _unplaced(batch)
    assert len(records) == 3
    page = _here(client, world).content.decode()
    assert 'id="bulk-reassign"' in page and f'value="{TOWNSHIP}"' in page
    assert page.count('name="record"') == 3

    response = _post(client, records[:2])
    assert response.status_code == 302
    assert response["Location"] == "/screening/records/?region=433101&here=1"
    moved = ScreeningRecord.objects.filter(pk__in=[r.pk for r in records[:2]])
    assert {(r.region_id, r.assigned_level) for r in moved} == {(TOWNSHIP, 9)}
    assert ScreeningRecord.objects.get(pk=records[2].pk).region_id == "433101"
    assert ChangeEntry.objects.filter(action="screening.record.reassigned").count() == 2
    assert "已改派 2 条记录" in client.get(response["Location"]).content.decode()


def test_one_record_that_may_not_move_stops_them_all_and_is_named(client, world, batch, hq):
    first, second, _third = _unplaced(batch)
    record_verify(actor=hq, pk=second.pk, outcome="not_found")
    _here(client, world)
    response = _post(client, [first, second])
    page = client.get(response["Location"]).content.decode()
    assert f"批次 #{batch.pk} 第 3 行（李*）：记录已闭环，不能改派" in page
    assert not ScreeningRecord.objects.filter(region_id=TOWNSHIP).exists()
    assert not ChangeEntry.objects.filter(action="screening.record.reassigned").exists()


def test_records_or_regions_out_of_scope_move_nothing(client, world, batch):
    records = _unplaced(batch)
    other = batch.records.get(row_number=5)
    _here(client, world)
    assert _post(client, [records[0], other]).status_code == 404
    page = client.get(_post(client, records[:1], region="433130001")["Location"])
    assert "只能改派到下级区划，或退回上一级" in page.content.decode()
    client.force_login(world.user("outsider"))
    assert _post(client, records[:1]).status_code == 404
    assert not ScreeningRecord.objects.filter(region_id=TOWNSHIP).exists()


def test_nothing_ticked_or_too_many_is_refused_with_a_reason(client, world, batch, actor_of):
    _here(client, world)
    page = client.get(_post(client, [])["Location"]).content.decode()
    assert "请先勾选要改派的记录" in page
    with pytest.raises(Exception, match="一次最多改派"):
        records_reassign(
            actor=actor_of("county_operator"),
            pks=range(1, REASSIGN_LIMIT + 2),
            region_code=TOWNSHIP,
        )


def test_only_a_list_of_records_placed_on_the_region_itself_offers_it(client, world, batch, hq):
    client.force_login(world.user("county_operator"))
    whole = client.get(reverse("screening:records"), {"region": "433101"}).content.decode()
    assert 'id="bulk-reassign"' not in whole
    viewer = _here(client, world, "inspector").content.decode()
    assert 'id="bulk-reassign"' not in viewer  # may see the list, may not move records
    client.force_login(world.user("inspector"))
    assert _post(client, _unplaced(batch)).status_code == 403
    for record in _unplaced(batch):
        record_verify(actor=hq, pk=record.pk, outcome="not_found")
    assert 'id="bulk-reassign"' not in _here(client, world).content.decode()  # nothing to move
