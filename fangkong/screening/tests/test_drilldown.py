"""Progress down the region tree and the records behind each figure: narrowed to regions the
user sees (any other is 404, like a missing one), in the sender's row order for a batch."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from fangkong.audit.models import AccessEntry

from .conftest import HEADER, ID_A, ID_B, ID_C, ID_D, csv_bytes, row

pytestmark = pytest.mark.django_db

VILLAGE_ADDRESS = "吉首市峒河街道峒河社区"
TOWNSHIP_ADDRESS = "吉首市峒河街道"
OTHER_COUNTY_ADDRESS = "龙山县洛塔乡泽果村"


@pytest.fixture
def batch(run_import):
    return run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "张三", ID_A, address=VILLAGE_ADDRESS, code="红码"),
                row(2, "李四", ID_B, address=TOWNSHIP_ADDRESS),
                row(3, "王五", ID_C, address=OTHER_COUNTY_ADDRESS),
                row(4, "赵六", "123", address=VILLAGE_ADDRESS),
            ]
        )
    ).batch


def get(client, world, key, name, args=(), **query):
    client.force_login(world.user(key))
    return client.get(reverse(name, args=args), query)


def names(response) -> list[str]:
    """The masked names in a record list, in the order shown."""
    return re.findall(r'href="/screening/records/\d+/">([^<]+)</a>', response.content.decode())


def test_a_township_opens_with_its_villages_and_its_own_unplaced_records(client, world, batch):
    township, village = world.home_township, world.home_village
    page = get(client, world, "county_operator", "screening:progress", region=township.code)
    assert page.status_code == 200
    assert [r["name"] for r in page.context["regions"]] == [
        f"{township.name}本级（地址未能细化）",
        village.name,
    ]
    assert page.context["total"]["total"] == 3
    html = page.content.decode()
    # A village has no children to open: its name leads to its records.
    assert f'href="/screening/records/?region={village.code}">{village.name}</a>' in html
    assert f"region={township.code}&amp;here=1" in html
    assert f"region={village.code}&amp;status=pushed" in html


def test_a_batch_opens_down_the_tree_too(client, world, batch):
    page = get(
        client,
        world,
        "county_operator",
        "screening:batch",
        [batch.pk],
        region=world.home_village.code,
    )
    assert page.status_code == 200 and page.context["progress"]["total"] == 2


@pytest.mark.parametrize("name", ["screening:progress", "screening:records"])
@pytest.mark.parametrize("code", ["433101002", "43", "abc", "999999999"])
def test_a_region_out_of_scope_or_missing_is_404(client, world, batch, name, code):
    assert get(client, world, "outsider", name, region=code).status_code == 404


def test_a_village_worker_may_not_open_the_township(client, world, batch):
    township = world.home_township.code
    assert (
        get(client, world, "grid_worker", "screening:records", region=township).status_code == 404
    )
    assert (
        get(client, world, "grid_worker", "screening:progress", region=township).status_code == 404
    )


def test_a_batch_out_of_scope_is_404(client, world, run_import, actor_of, batch):
    own = run_import(
        csv_bytes([HEADER, row(1, "张三", ID_A, address=VILLAGE_ADDRESS)]),
        actor=actor_of("county_operator"),
    ).batch
    assert get(client, world, "outsider", "screening:records", batch=own.pk).status_code == 404
    assert get(client, world, "outsider", "screening:records", batch="x").status_code == 404


def test_a_batch_lists_its_records_in_the_senders_row_order_within_scope(client, world, batch):
    page = get(client, world, "county_operator", "screening:records", batch=batch.pk)
    assert page.status_code == 200
    assert names(page) == ["张*", "李*", "赵*"]  # 王五 lives in the other county
    assert page.context["counts"]["total"] == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "invalid"}, ["赵*"]),
        ({"status": "pushed"}, ["张*", "李*", "赵*"]),
        ({"status": "closed"}, []),
        ({"status": "nonsense"}, ["张*", "李*", "赵*"]),
        ({"region": "433101002", "here": "1"}, ["李*"]),
        ({"region": "433101002001"}, ["张*", "赵*"]),
    ],
)
def test_each_figure_lists_the_records_it_counts(client, world, batch, query, expected):
    page = get(client, world, "county_operator", "screening:records", batch=batch.pk, **query)
    assert names(page) == expected


def test_a_grid_worker_lists_only_its_village(client, world, batch):
    page = get(client, world, "grid_worker", "screening:records")
    assert sorted(names(page)) == ["张*", "赵*"]


def test_open_records_come_nearest_deadline_first_the_others_newest_first(
    client, world, batch, run_import
):
    run_import(
        csv_bytes([HEADER, row(1, "钱七", ID_D, address=VILLAGE_ADDRESS)]), deadline_hours=48
    )
    pushed = get(client, world, "grid_worker", "screening:records", status="pushed")
    assert names(pushed) == ["张*", "赵*", "钱*"]
    assert names(get(client, world, "grid_worker", "screening:records")) == ["钱*", "赵*", "张*"]


def test_a_batch_counts_its_people_merged_with_another_list_in_figures_rows_and_list(
    client, world, batch, run_import
):
    second = run_import(
        csv_bytes([HEADER, row(1, "张三", ID_A, address=VILLAGE_ADDRESS), row(2, "张三", ID_A)])
    ).batch
    page = get(client, world, "county_operator", "screening:batch", [second.pk])
    # 张三 is merged with the first list's open record; the repeat in the file is left out.
    assert page.context["progress"]["total"] == 1
    assert sum(r["total"] for r in page.context["regions"]) == 1
    listed = get(client, world, "county_operator", "screening:records", batch=second.pk)
    assert names(listed) == ["张*"]
    # Across the lists the person is counted once.
    overall = get(client, world, "county_operator", "screening:records")
    assert names(overall).count("张*") == 1


def _sheet_rows(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_a_record_list_downloads_as_a_masked_sheet_and_is_logged(client, world, batch):
    response = get(
        client, world, "county_operator", "screening:records_sheet", batch=batch.pk, status="pushed"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    header, *rows = _sheet_rows(response)
    assert header[:6] == ["批次", "原表行号", "类别", "姓名", "证件号码", "手机号"]
    assert [row[1] for row in rows] == ["2", "3", "5"]  # the list's rows, in the sender's order
    assert [row[3] for row in rows] == ["张*", "李*", "赵*"]
    assert all(ID_A not in str(cell) for row in rows for cell in row)  # identifiers stay masked
    assert rows[2][8] == "待更正"
    entry = AccessEntry.objects.get()
    assert (
        entry.kind == "export"
        and entry.row_count == 3
        and entry.user == world.user("county_operator")
    )


def test_the_sheet_follows_the_scope_and_needs_the_managing_right(client, world, batch):
    assert get(client, world, "grid_worker", "screening:records_sheet").status_code == 403
    assert (
        get(client, world, "outsider", "screening:records_sheet", region="433101002").status_code
        == 404
    )
    own = _sheet_rows(get(client, world, "outsider", "screening:records_sheet"))
    assert [row[3] for row in own[1:]] == ["王*"]
