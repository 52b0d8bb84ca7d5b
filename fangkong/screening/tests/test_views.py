"""Pages: who may open them, what they show, and query counts that do not grow with rows."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.audit.models import AccessEntry
from fangkong.imports.models import ImportJob
from fangkong.screening.models import ScreeningBatch, Status
from fangkong.screening.services import record_receive, record_verify

from .conftest import HEADER, ID_A, ID_B, ID_C, csv_bytes, row, upload_list

pytestmark = pytest.mark.django_db


def AGO():  # noqa: N802
    return timezone.now() - dt.timedelta(days=2)


HOME = "吉首市峒河街道峒河社区"
OTHER = "龙山县洛塔乡泽果村"


def login(client, world, key):
    client.force_login(world.user(key))
    return client


@pytest.fixture
def batch(run_import):
    return run_import(
        csv_bytes(
            [
                ["省指挥部推送名单"],
                HEADER,
                row(1, "张三", ID_A, "13912345678", HOME, code="红码"),
                row(2, "李四", ID_B, address=OTHER),
                row(3, "王五", "123", address=HOME),
                row(4, "张三", ID_A, address=HOME),
            ]
        )
    ).batch


def test_grid_worker_sees_only_own_village_cards(client, world, batch):
    page = login(client, world, "grid_worker").get(reverse("screening:mine"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "张*" in text and "李*" not in text and "剩 23 小时" in text
    assert "红码" in text


def test_outsider_gets_404_on_a_record_of_another_county(client, world, batch):
    other = batch.records.get(row_number=4)
    assert (
        login(client, world, "outsider")
        .get(reverse("screening:record", args=[batch.records.get(row_number=3).pk]))
        .status_code
        == 404
    )
    assert login(client, world, "grid_worker").get(
        reverse("screening:record", args=[other.pk])
    ).status_code == 404 or other.region_id.startswith("433101002001")
    response = login(client, world, "grid_worker").post(
        reverse("screening:record", args=[batch.records.get(row_number=4).pk]),
        {"action": "verify", "outcome": "not_found"},
    )
    assert response.status_code == 404


def test_one_screen_form_verifies_a_record(client, world, batch):
    record = batch.records.get(row_number=3)
    c = login(client, world, "grid_worker")
    assert (
        c.post(reverse("screening:record", args=[record.pk]), {"action": "receive"}).status_code
        == 302
    )
    response = c.post(
        reverse("screening:record", args=[record.pk]),
        {"action": "verify", "outcome": "controlled", "measure": "集中隔离", "place": "州隔离点"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Status.CLOSED and record.four_clear


def test_a_grid_worker_returns_a_record_to_its_township_from_the_page(client, world, batch):
    record = batch.records.get(row_number=3)
    url = reverse("screening:record", args=[record.pk])
    c = login(client, world, "grid_worker")
    assert '<option value="433101002">退回至 峒河街道</option>' in c.get(url).content.decode()
    response = c.post(url, {"action": "reassign", "region": "433101002"})
    assert response.status_code == 302 and c.get(url).status_code == 404
    record.refresh_from_db()
    assert record.region_id == "433101002"


def test_form_errors_say_what_to_change(client, world, batch):
    record = batch.records.get(row_number=3)
    response = login(client, world, "grid_worker").post(
        reverse("screening:record", args=[record.pk]), {"action": "verify", "outcome": "controlled"}
    )
    assert response.status_code == 200 and "已落实管控须填写管控措施" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "screening:progress",
        "screening:overdue",
        "screening:batches",
        "screening:repushes",
        "screening:mine",
    ],
)
def test_pages_render_for_the_county(client, world, batch, name):
    assert login(client, world, "county_operator").get(reverse(name)).status_code == 200


def _region_row(html, name):
    """The cells of a region's row in the progress table, by their column's label."""
    row = html.split(f">{name}</a></td>", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'data-label="([^"]+)" class="num">(.*?)</td>', row)
    return {label: re.sub(r"<[^>]+>", "", cell) for label, cell in cells}


def test_progress_shows_every_status_so_each_row_adds_up(client, world, batch, actor_of):
    record = batch.records.get(row_number=3)
    record_receive(actor=actor_of("grid_worker"), pk=record.pk)
    html = login(client, world, "county_operator").get(reverse("screening:progress")).content
    cells = _region_row(html.decode(), "峒河街道")
    assert cells == {
        "推送": "2",
        "待签收": "1",
        "已签收": "1",
        "核查中": "0",
        "已闭环": "0",
        "逾期": "0",
    }
    assert 'class="figure-label">待签收</div>' in html.decode()


def test_auditor_may_not_open_screening_pages(client, world, batch):
    assert login(client, world, "auditor").get(reverse("screening:progress")).status_code == 403


def _query_count(client, url, django_assert_max_num_queries=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["screening:progress", "screening:overdue", "screening:mine", "screening:records"]
)
def test_list_pages_run_the_same_queries_however_many_rows(client, world, run_import, name):
    c = login(client, world, "county_operator")
    # Received two days ago: every record is overdue, so the overdue list fills up too.
    run_import(csv_bytes([HEADER, row(1, "张三", ID_A, address=HOME)]), received_at=AGO())
    url = reverse(name)
    c.get(url)  # the first request of a session loads and caches the shell's data
    few = _query_count(c, url)
    run_import(
        csv_bytes([HEADER] + [row(n, "赵六", "", f"139{n:08d}", HOME) for n in range(2, 60)]),
        category="close_contact",
        received_at=AGO(),
    )
    assert _query_count(c, url) == few


def test_a_grid_workers_list_comes_50_a_page_nearest_deadline_first(client, world, run_import):
    rows = [row(n, "赵六", "", f"139{n:08d}", HOME) for n in range(1, 56)]
    batch = run_import(csv_bytes([HEADER, *rows])).batch
    c = login(client, world, "grid_worker")
    first = c.get(reverse("screening:mine")).content.decode()
    second = c.get(reverse("screening:mine") + "?page=2").content.decode()
    linked = re.findall(r'href="/screening/records/(\d+)/"', first + second)
    assert len(linked) == 55 and len(set(linked)) == 55
    assert "待核实 55" in first and "page=2" in first and "第 2 页" in second
    assert set(map(int, linked)) == set(batch.records.values_list("pk", flat=True))
    api = c.get("/api/v1/screening/my-records?page=2").json()
    assert len(api["records"]) == 5 and api["page"] == 2 and not api["has_next"]


def test_upload_runs_the_import_and_shows_the_batch(client, world):
    c = login(client, world, "county_operator")
    upload = io.BytesIO(csv_bytes([HEADER, row(1, "张三", ID_C, address=HOME)]))
    upload.name = "名单.csv"
    response = c.post(
        reverse("screening:batches"),
        {"file": upload, "category": "risk_area", "source": "province"},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == "done"
    assert c.get(reverse("screening:job", args=[job.pk])).status_code == 302
    batch = ScreeningBatch.objects.get()
    page = c.get(reverse("screening:batch", args=[batch.pk]))
    assert "四清率" in page.content.decode()


def test_unknown_header_can_be_mapped_and_is_remembered(client, world):
    c = login(client, world, "county_operator")
    data = csv_bytes([["人员名称", "号码证件", "住处"], ["张三", ID_C, HOME]])
    upload = io.BytesIO(data)
    upload.name = "奇怪.csv"
    c.post(
        reverse("screening:batches"),
        {"file": upload, "category": "risk_area", "source": "big_data"},
    )
    job = ImportJob.objects.get()
    assert job.status == "refused"
    page = c.get(reverse("screening:job", args=[job.pk])).content.decode()
    assert "人员名称" in page
    c.post(
        reverse("screening:job_mapping", args=[job.pk]),
        {"col_0": "name", "col_1": "document_number", "col_2": "address"},
    )
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert again.status == "done", again.message
    assert ScreeningBatch.objects.get().records.get().region_id == "433101002001"


def test_feedback_sheet_lists_every_row_in_the_senders_order(client, world, batch, actor_of):
    record_verify(
        actor=actor_of("grid_worker"),
        pk=batch.records.get(row_number=3).pk,
        outcome="controlled",
        measure="居家隔离",
        place="峒河社区",
    )
    rows = _sheet(login(client, world, "comprehensive"), batch)
    assert rows[0][:3] == ("原表行号", "序号", "姓名") and "核查结果" in rows[0]
    assert [r[0] for r in rows[1:]] == ["3", "4", "5", "6"]
    outcome = rows[0].index("核查结果")
    assert rows[1][outcome] == "已落实管控" and rows[1][3] == ID_A
    assert rows[2][rows[0].index("核查状态")] == "已推送"
    assert rows[4][rows[0].index("说明")] == "与第3行为同一人"
    assert rows[4][rows[0].index("核查结果")] == "已落实管控"
    assert AccessEntry.objects.filter(kind="export").exists()
    # A county gets the rows of its own county only.
    county_rows = _sheet(login(client, world, "county_operator"), batch)
    assert [r[0] for r in county_rows[1:]] == ["3", "5", "6"]


def _sheet(client, batch):
    response = client.get(reverse("screening:feedback", args=[batch.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_error_sheet_can_be_corrected_and_imported_again(client, world, batch, run_import):
    response = login(client, world, "county_operator").get(
        reverse("screening:errors", args=[batch.pk])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][-1] == "错误说明" and rows[1][2] == "123" and "身份证" in rows[1][-1]
    rows[1][2] = ID_C
    corrected = run_import(csv_bytes([[c or "" for c in r] for r in rows]))
    assert corrected.stored and corrected.batch.invalid == 0


def test_grid_worker_may_not_upload(client, world):
    upload = io.BytesIO(csv_bytes([HEADER, row(1, "张三", ID_C, address=HOME)]))
    upload.name = "名单.csv"
    response = login(client, world, "grid_worker").post(
        reverse("screening:batches"), {"file": upload, "category": "risk_area"}
    )
    assert response.status_code == 403 and not ImportJob.objects.exists()


def test_a_record_shows_who_took_each_step_and_when(client, world, batch, actor_of):
    record = batch.records.get(row_number=3)
    worker = actor_of("grid_worker")
    record_receive(actor=worker, pk=record.pk)
    record_verify(actor=worker, pk=record.pk, outcome="not_found", note="查无此人，已询问村委")
    html = (
        login(client, world, "county_operator")
        .get(reverse("screening:record", args=[record.pk]))
        .content.decode()
    )
    steps = html.split('class="sc-steps"', 1)[1].split("</ol>", 1)[0]
    who = str(world.user("grid_worker"))
    assert f"推送：{batch.source}，原表第 3 行" in steps
    assert f"签收：{who}" in steps
    assert f"核查闭环：{who}，查无此人" in steps and "已询问村委" in steps
    assert "未达四清：人头清 位置清 管控清" in html


def test_the_record_in_plain_needs_a_purpose_and_is_logged(client, world, batch):
    record = batch.records.get(row_number=3)
    c = login(client, world, "grid_worker")
    url = reverse("screening:record", args=[record.pk])
    refused = c.post(url, {"action": "reveal", "purpose": ""}).content.decode()
    assert "请说明查看用途" in refused and not AccessEntry.objects.exists()
    shown = c.post(url, {"action": "reveal", "purpose": "电话核实行程"})
    html = shown.content.decode()
    assert ID_A in html and 'href="tel:13912345678"' in html and "张三" in html
    assert "no-cache" in shown["Cache-Control"]
    entry = AccessEntry.objects.get()
    assert entry.kind == "reveal" and entry.purpose == "电话核实行程"
    assert entry.user == world.user("grid_worker") and entry.region_id == record.region_id
    assert entry.fields == ["name", "document_number", "phone"]


def test_the_record_in_plain_is_404_out_of_scope_and_403_without_the_right(client, world, batch):
    record = batch.records.get(row_number=3)
    url = reverse("screening:record", args=[record.pk])
    data = {"action": "reveal", "purpose": "电话核实行程"}
    assert login(client, world, "outsider").post(url, data).status_code == 404
    assert login(client, world, "inspector").post(url, data).status_code == 403
    assert not AccessEntry.objects.exists()


def test_the_batch_page_lists_the_rows_needing_correction(client, world, batch):
    page = login(client, world, "comprehensive").get(reverse("screening:batch", args=[batch.pk]))
    html = page.content.decode()

    invalid = batch.records.get(invalid=True)
    assert "待更正行（1）" in html
    assert f'href="{reverse("screening:record", args=[invalid.pk])}"' in html
    assert "第 5 行" in html and "身份证号：" in html
    # Another county sees the rows placed in it only: the invalid row's address is in 吉首市.
    other = login(client, world, "outsider").get(reverse("screening:batch", args=[batch.pk]))
    assert other.status_code == 200 and "待更正行" not in other.content.decode()


def test_the_batch_page_links_every_row_needing_correction_when_it_shows_the_first(
    client, world, run_import, monkeypatch
):
    from fangkong.screening import selectors

    stored = run_import(
        csv_bytes([HEADER, *(row(n, f"某{n}", "123", address=HOME) for n in range(1, 4))])
    ).batch
    first_two = selectors.invalid_rows_first
    monkeypatch.setattr(
        selectors, "invalid_rows_first", lambda **kwargs: first_two(**kwargs, limit=2)
    )

    html = (
        login(client, world, "comprehensive")
        .get(reverse("screening:batch", args=[stored.pk]))
        .content.decode()
    )

    assert "待更正行（3）" in html and html.count("第 ") >= 2
    assert "查看全部 3 行" in html and "status=invalid" in html


def test_the_import_progress_goes_on_to_the_batch_when_it_is_stored(client, world):
    c = login(client, world, "county_operator")
    job = upload_list(c, csv_bytes([HEADER, row(1, "张三", ID_C, address=HOME)]))

    polled = c.get(reverse("screening:job", args=[job.pk]), headers={"HX-Request": "true"})

    batch = ScreeningBatch.objects.get()
    assert polled["HX-Redirect"] == reverse("screening:batch", args=[batch.pk])


def test_a_file_imported_before_is_refused_with_a_link_and_may_be_imported_again(client, world):
    c = login(client, world, "county_operator")
    data = csv_bytes([["关于推送来返人员的通知"], HEADER, row(1, "张三", ID_C, address=HOME)])
    first = ScreeningBatch.objects.get(pk=upload_list(c, data).object_id)

    refused = upload_list(c, data)
    page = c.get(reverse("screening:job", args=[refused.pk])).content.decode()

    assert refused.status == "refused" and "已于" in page
    # Not a question of headers: the title row above the header is not offered for mapping.
    assert "指定列的含义" not in page and "关于推送来返人员的通知" not in page
    assert reverse("screening:batch", args=[first.pk]) in page
    again = c.post(reverse("screening:job_again", args=[refused.pk]))
    second = ImportJob.objects.latest("pk")
    assert again.url == reverse("screening:job", args=[second.pk])
    assert second.status == "done" and ScreeningBatch.objects.count() == 2


def test_only_a_file_refused_as_imported_before_may_be_imported_again(client, world):
    c = login(client, world, "county_operator")
    headless = upload_list(c, csv_bytes([["人员名称", "号码证件"], ["张三", ID_C]]))
    page = c.get(reverse("screening:job", args=[headless.pk])).content.decode()
    assert "指定列的含义" in page and "仍然导入为新批次" not in page

    c.post(reverse("screening:job_again", args=[headless.pk]))

    assert ImportJob.objects.count() == 1 and not ScreeningBatch.objects.exists()


def test_the_lists_received_page_by_page_and_by_category(client, world, run_import, monkeypatch):
    from fangkong.screening import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for n, category in enumerate(["risk_area", "close_contact", "risk_area"], 1):
        run_import(csv_bytes([HEADER, row(1, f"某{n}", "", f"1391234567{n}", HOME)]),
                   category=category)  # fmt: skip
    c = login(client, world, "comprehensive")

    first = c.get(reverse("screening:batches")).context
    assert first["count"] == 3 and len(first["batches"]) == 2 and first["has_next"]
    second = c.get(reverse("screening:batches") + "?page=2").context
    assert len(second["batches"]) == 1 and not second["has_next"]
    risk = c.get(reverse("screening:batches") + "?category=risk_area").context
    assert risk["count"] == 2 and {b.category for b in risk["batches"]} == {"risk_area"}
    # An unknown category is no filter, not an error.
    assert c.get(reverse("screening:batches") + "?category=x").context["count"] == 3


def test_the_lists_received_run_the_same_queries_however_many(client, world, run_import):
    c = login(client, world, "comprehensive")
    url = reverse("screening:batches")
    run_import(csv_bytes([HEADER, row(1, "张三", ID_A, address=HOME)]))
    c.get(url)  # the first request of a session loads and caches the shell's data
    few = _query_count(c, url)
    for n in range(2, 8):
        run_import(csv_bytes([HEADER, row(1, "某", "", f"1391234560{n}", HOME)]))
    assert _query_count(c, url) == few
