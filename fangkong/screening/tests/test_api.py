"""/api/v1/screening: submit (JSON rows or a file), batch summary, per-row feedback."""

import pytest

from fangkong.accounts.tokens import api_token_create
from fangkong.core.roles import Role
from fangkong.screening.models import ScreeningBatch

from .conftest import HEADER, ID_A, ID_B, csv_bytes, row

pytestmark = pytest.mark.django_db
HOME = "吉首市峒河街道峒河社区"


def bearer(world, region, role=Role.COMPREHENSIVE_STAFF):
    _, secret = api_token_create(actor=None, name="省平台", region=region, role=role)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _submit_json(client, headers, rows):
    payload = {"category": "inbound", "source": "省大数据平台", "header": HEADER[1:5], "rows": rows}
    return client.post(
        "/api/v1/screening/batches", payload, content_type="application/json", **headers
    )


def test_json_rows_answer_202_with_the_batch(client, world):
    headers = bearer(world, world.city)
    response = _submit_json(
        client, headers, [["张三", ID_A, "13912345678", HOME], ["李四", "bad", "", HOME]]
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "done" and body["batch"]
    detail = client.get(f"/api/v1/screening/batches/{body['batch']}", **headers).json()
    assert detail["summary"]["rows"] == 2 and detail["summary"]["invalid"] == 1
    assert detail["summary"]["assigned"]["village"] == 1
    assert detail["progress"]["total"] == 2 and detail["category"] == "inbound"


def test_file_upload_answers_202(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("名单.csv", csv_bytes([HEADER, row(1, "张三", ID_A, address=HOME)]))
    response = client.post(
        "/api/v1/screening/batches",
        {"file": upload, "category": "risk_area"},
        **bearer(world, world.city),
    )
    assert response.status_code == 202 and response.json()["batch"]


def test_feedback_gives_per_row_results_in_row_order(client, world):
    headers = bearer(world, world.city)
    batch = _submit_json(client, headers, [["张三", ID_A, "", HOME], ["李四", ID_B, "", HOME]])
    rows = client.get(
        f"/api/v1/screening/batches/{batch.json()['batch']}/feedback", **headers
    ).json()["rows"]
    assert [r["row"] for r in rows] == [2, 3] and rows[0]["status"] == "已推送"


def test_feedback_pages_follow_the_rows_in_the_tokens_region(client, world):
    city = bearer(world, world.city)
    other = "龙山县洛塔乡泽果村"
    addresses = [HOME, other, HOME, HOME, other, HOME]
    rows = [[f"张{n}", "", f"139{n:08d}", place] for n, place in enumerate(addresses)]
    batch = _submit_json(client, city, rows).json()["batch"]
    url = f"/api/v1/screening/batches/{batch}/feedback"

    def walk(headers, limit, by="offset"):
        """Every page's rows, following next_<by>; with the total of the last page."""
        pages, at = [], 0
        while at is not None:
            page = client.get(url, {by: at, "limit": limit}, **headers).json()
            pages.append([r["row"] for r in page["rows"]])
            at = page[f"next_{by}"]
        return page["total"], pages

    assert walk(city, 4) == (6, [[2, 3, 4, 5], [6, 7]])
    county = bearer(world, world.home_county, Role.OPERATOR)
    assert walk(county, 3) == (4, [[2, 4, 5], [7]])
    beyond = client.get(url, {"offset": 9}, **county).json()
    assert beyond["rows"] == [] and beyond["next_offset"] is None and beyond["total"] == 4

    assert walk(city, 4, by="after")[1] == [[2, 3, 4, 5], [6, 7]]
    # A full last page: one more, empty.
    assert walk(county, 2, by="after")[1] == [[2, 4], [5, 7], []]


def test_outsider_token_gets_404_and_grid_worker_cannot_submit(client, world):
    headers = bearer(world, world.city)
    batch_id = _submit_json(client, headers, [["张三", ID_A, "", HOME]]).json()["batch"]
    outsider = bearer(world, world.other_county, Role.OPERATOR)
    # The city's batch concerns the other county too, but none of its records are there.
    detail = client.get(f"/api/v1/screening/batches/{batch_id}", **outsider).json()
    assert detail["progress"]["total"] == 0
    village = next(v for v in world.villages if v.code.startswith(world.other_county.code))
    ScreeningBatch.objects.filter(pk=batch_id).update(region=village)
    assert (
        client.get(
            f"/api/v1/screening/batches/{batch_id}",
            **bearer(world, world.home_county, Role.OPERATOR),
        ).status_code
        == 404
    )
    worker = bearer(world, world.home_village, Role.GRID_WORKER)
    assert _submit_json(client, worker, [["张三", ID_A, "", HOME]]).status_code == 403


def test_bad_payload_is_422(client, world):
    response = client.post(
        "/api/v1/screening/batches",
        {"category": "x"},
        content_type="application/json",
        **bearer(world, world.city),
    )
    assert response.status_code == 422


def _two_places(client, headers):
    rows = [
        ["张三", ID_A, "", HOME],
        ["李四", ID_B, "", "吉首市峒河街道"],
        ["王五", "bad", "", HOME],
    ]
    return _submit_json(client, headers, rows).json()["batch"]


def test_progress_opens_down_the_region_tree_as_on_the_page(client, world):
    headers = bearer(world, world.city)
    batch = _two_places(client, headers)
    city = client.get("/api/v1/screening/progress", **headers).json()
    assert city["region"] == world.city.code and city["total"]["total"] == 3
    assert [b["batch"] for b in city["batches"]] == [batch]
    township = world.home_township
    opened = client.get(f"/api/v1/screening/progress?region={township.code}", **headers).json()
    assert [(r["code"], r["placed_here"], r["total"]) for r in opened["regions"]] == [
        (township.code, True, 1),
        (world.home_village.code, False, 2),
    ]
    assert opened["total"]["pushed"] == 3 and "four_clear_rate" in opened["total"]


def test_records_behind_a_figure_are_masked_and_paged(client, world):
    headers = bearer(world, world.city)
    batch = _two_places(client, headers)
    body = client.get(f"/api/v1/screening/records?batch={batch}&status=invalid", **headers).json()
    assert body["count"] == 1 and body["counts"]["total"] == 3 and not body["has_next"]
    (record,) = body["records"]
    assert record["row"] == 4 and record["name"] == "王*" and record["invalid"]
    listed = client.get(f"/api/v1/screening/records?batch={batch}", **headers).json()
    assert [r["document"][:6] for r in listed["records"][:2]] == [ID_A[:6], ID_B[:6]]
    assert all(ID_A not in str(r) for r in listed["records"])


def test_progress_and_records_keep_to_the_token_region(client, world):
    _two_places(client, bearer(world, world.city))
    outsider = bearer(world, world.other_county, role=Role.OPERATOR)
    township = world.home_township.code
    assert (
        client.get(f"/api/v1/screening/progress?region={township}", **outsider).status_code == 404
    )
    assert client.get(f"/api/v1/screening/records?region={township}", **outsider).status_code == 404
    assert client.get("/api/v1/screening/records", **outsider).json()["records"] == []
    auditor = bearer(world, world.city, role=Role.AUDITOR)
    assert client.get("/api/v1/screening/progress", **auditor).status_code == 403
