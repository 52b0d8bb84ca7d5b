"""The re-push list: people found elsewhere, listed by the city they go to, sent there as a
sheet with their identifiers in full (purpose stated, logged) and marked sent."""

import io

import openpyxl
import pytest
from django.urls import reverse

from fangkong.audit.models import AccessEntry, ChangeEntry
from fangkong.core.errors import NotFound, PermissionDenied, ValidationFailed
from fangkong.screening.models import Outcome, OutgoingRepush
from fangkong.screening.repushes import repush_page, repushes_mark_sent
from fangkong.screening.services import record_verify

from .conftest import HEADER, ID_A, ID_B, ID_C, csv_bytes, row
from .test_api import bearer
from .test_home_todo import todos
from .test_views import _query_count

pytestmark = pytest.mark.django_db
HOME = "吉首市峒河街道峒河社区"  # the grid worker's village
OTHER = "龙山县洛塔乡泽果村"  # the outsider grid worker's village
SHEET = reverse("screening:repushes_sheet")


@pytest.fixture
def repushed(run_import, actor_of):
    """Three people not here: two gone to 长沙市 from 吉首市, one to 广州市 from 龙山县."""
    batch = run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "张三", ID_A, "13912345678", address=HOME),
                row(2, "李四", ID_B, address=HOME),
                row(3, "王五", ID_C, address=OTHER),
            ]
        )
    ).batch
    records = {r.row_number: r for r in batch.records.all()}
    for number, worker, city in ((2, "grid_worker", "长沙市"), (3, "grid_worker", "长沙市"),
                                 (4, "outsider_grid_worker", "广州市")):  # fmt: skip
        record_verify(
            actor=actor_of(worker), pk=records[number].pk, outcome=Outcome.NOT_LOCAL,
            destination=city, note="电话联系本人，已在外地",
        )  # fmt: skip
    return {r.record.row_number: r for r in OutgoingRepush.objects.select_related("record")}


def test_listed_by_target_city_with_the_counts_of_each_tab(repushed, actor_of):
    page = repush_page(actor=actor_of("hq"))
    assert [p.target_place for p in page["repushes"]] == ["广州市", "长沙市", "长沙市"]
    assert page["counts"] == {"pending": 3, "sent": 0}
    assert page["targets"] == [
        {"target_place": "广州市", "n": 1},
        {"target_place": "长沙市", "n": 2},
    ]
    only = repush_page(actor=actor_of("hq"), target="长沙市")["repushes"]
    assert {p.record.row_number for p in only} == {2, 3}
    # A county lists its own people only.
    county = repush_page(actor=actor_of("county_operator"))["repushes"]
    assert [p.target_place for p in county] == ["长沙市", "长沙市"]


def test_marked_sent_moves_to_the_sent_tab_and_is_audited(repushed, actor_of):
    hq = actor_of("hq")
    pks = [repushed[2].pk, repushed[3].pk]

    assert repushes_mark_sent(actor=hq, pks=pks) == 2

    page = repush_page(actor=hq, sent=True)
    assert page["counts"] == {"pending": 1, "sent": 2}
    assert all(p.sent_by == hq.user and p.sent_at for p in page["repushes"])
    assert ChangeEntry.objects.filter(action="screening.record.repush_sent").count() == 2
    with pytest.raises(ValidationFailed, match="已标记为已推送"):
        repushes_mark_sent(actor=hq, pks=pks)


def test_marking_is_all_or_none_scoped_and_for_those_who_manage(repushed, actor_of):
    with pytest.raises(ValidationFailed, match="请先勾选"):
        repushes_mark_sent(actor=actor_of("hq"), pks=[])
    with pytest.raises(NotFound):
        repushes_mark_sent(actor=actor_of("outsider"), pks=[repushed[2].pk, repushed[4].pk])
    with pytest.raises(PermissionDenied):
        repushes_mark_sent(actor=actor_of("grid_worker"), pks=[repushed[2].pk])
    assert not OutgoingRepush.objects.filter(sent_at__isnull=False).exists()


def test_the_sheet_for_a_city_holds_the_identifiers_in_full_and_is_logged(client, world, repushed):
    client.force_login(world.user("hq"))

    response = client.post(SHEET, {"to": "长沙市", "purpose": "推送长沙市指挥部协查"})

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "证件号码", "手机号", "推送至")
    assert [(r[0], r[1], r[2], r[3]) for r in rows[1:]] == [
        ("张三", ID_A, "13912345678", "长沙市"),
        ("李四", ID_B, None, "长沙市"),
    ]
    assert rows[1][rows[0].index("备注")] == "电话联系本人，已在外地"
    entry = AccessEntry.objects.get()
    assert entry.kind == "export" and entry.row_count == 2 and "长沙市" in entry.subject
    assert entry.purpose == "推送长沙市指挥部协查" and entry.user == world.user("hq")


def test_the_sheet_needs_a_purpose_and_the_rights_to_export(client, world, repushed):
    client.force_login(world.user("hq"))
    refused = client.post(SHEET, {"to": "长沙市", "purpose": ""}, follow=True)
    assert refused.status_code == 200 and not AccessEntry.objects.exists()
    assert "用途" in refused.content.decode()
    client.force_login(world.user("workgroup"))  # sees screening, may not manage it
    assert client.post(SHEET, {"purpose": "推送协查"}).status_code == 403
    client.force_login(world.user("grid_worker"))
    assert client.post(SHEET, {"purpose": "推送协查"}).status_code == 403


def test_the_page_marks_the_ticked_ones_sent(client, world, repushed):
    client.force_login(world.user("hq"))
    page = client.get(reverse("screening:repushes"))
    html = page.content.decode()
    assert "待推送 3" in html and 'name="repush"' in html and "广州市（1）" in html

    marked = client.post(
        reverse("screening:repushes_sent"), {"repush": [repushed[2].pk], "to": "长沙市"}
    )

    assert marked.url == reverse("screening:repushes") + "?to=%E9%95%BF%E6%B2%99%E5%B8%82"
    assert OutgoingRepush.objects.filter(sent_at__isnull=False).count() == 1
    sent = client.get(reverse("screening:repushes") + "?tab=sent").content.decode()
    assert "已推送 1" in sent and 'name="repush"' not in sent


@pytest.mark.parametrize("tab", ["", "sent"])
def test_the_page_runs_the_same_queries_however_many_people(
    client, world, run_import, actor_of, tab
):
    client.force_login(world.user("hq"))
    url = reverse("screening:repushes") + f"?tab={tab}"

    def add(n: int, first: int) -> None:
        batch = run_import(
            csv_bytes(
                [HEADER] + [row(i, "某", "", f"139{i:08d}", HOME) for i in range(first, first + n)]
            )
        ).batch
        for record in batch.records.all():
            record_verify(
                actor=actor_of("grid_worker"), pk=record.pk, outcome=Outcome.NOT_LOCAL,
                destination=f"城市{record.row_number % 3}",
            )  # fmt: skip
        repushes_mark_sent(
            actor=actor_of("hq"),
            pks=list(
                OutgoingRepush.objects.filter(record__batch=batch).values_list("pk", flat=True)
            )[: n // 2],
        )

    add(2, 1)
    client.get(url)  # the first request of a session loads and caches the shell's data
    few = _query_count(client, url)
    add(12, 100)
    assert _query_count(client, url) == few


def test_home_tells_who_manages_screening_how_many_wait(client, world, repushed):
    assert todos(client, world, "county_operator")["外推人员待推送"] == (
        "/screening/repushes/",
        "2",
    )
    assert "外推人员待推送" not in todos(client, world, "grid_worker")


def test_marking_another_countys_people_answers_404_like_missing(client, world, repushed):
    client.force_login(world.user("outsider"))
    for pk in (repushed[2].pk, 999_999):
        response = client.post(reverse("screening:repushes_sent"), {"repush": [pk]})
        assert response.status_code == 404
    assert not OutgoingRepush.objects.filter(sent_at__isnull=False).exists()


def test_the_api_lists_them_by_city_and_marks_them_sent(client, world, repushed):
    city = bearer(world, world.city)
    listed = client.get("/api/v1/screening/repushes?to=长沙市", **city).json()
    assert listed["counts"] == {"pending": 3, "sent": 0} and listed["count"] == 2
    assert {"place": "广州市", "count": 1} in listed["targets"]
    first = listed["repushes"][0]
    assert first["target"] == "长沙市" and first["name"].endswith("*") and not first["sent_at"]

    marked = client.post(
        "/api/v1/screening/repushes/sent",
        {"ids": [r["id"] for r in listed["repushes"]]},
        content_type="application/json",
        **city,
    )

    assert marked.status_code == 200 and marked.json() == {"marked": 2}
    sent = client.get("/api/v1/screening/repushes?sent=true", **city).json()
    assert sent["count"] == 2 and all(r["sent_at"] for r in sent["repushes"])
    again = client.post(
        "/api/v1/screening/repushes/sent", {"ids": [first["id"]]},
        content_type="application/json", **city,
    )  # fmt: skip
    assert again.status_code == 422


def test_the_api_keeps_to_the_callers_region(client, world, repushed):
    other = bearer(world, world.other_county, role="operator")
    listed = client.get("/api/v1/screening/repushes", **other).json()
    assert [r["target"] for r in listed["repushes"]] == ["广州市"]
    response = client.post(
        "/api/v1/screening/repushes/sent", {"ids": [repushed[2].pk]},
        content_type="application/json", **other,
    )  # fmt: skip
    assert (
        response.status_code == 404
        and not repushed[2].__class__.objects.filter(sent_at__isnull=False).exists()
    )
