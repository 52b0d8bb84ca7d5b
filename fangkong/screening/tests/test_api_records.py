"""/api/v1/screening: a worker's records and the steps on one record, the page's rules."""

import pytest

from fangkong.audit.models import ChangeEntry
from fangkong.screening.models import OutgoingRepush, ScreeningBatch, Status

from .conftest import HEADER, ID_A, ID_B, csv_bytes, row

pytestmark = pytest.mark.django_db
HOME = "吉首市峒河街道峒河社区"  # the grid worker's village
OTHER = "龙山县洛塔乡泽果村"  # the outsider grid worker's village
BAD_ID = "11010519491231002"  # 17 characters


@pytest.fixture
def batch(run_import):
    """Row 2 in the grid worker's village, row 3 in the other county, row 4 needing
    correction (a malformed document, a valid phone), in the home village."""
    return run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "张三", ID_A, "13912345678", address=HOME),
                row(2, "李四", ID_B, address=OTHER),
                row(3, "王五", BAD_ID, "13912345679", address=HOME),
            ]
        )
    ).batch


def _pk(batch, number) -> int:
    return batch.records.get(row_number=number).pk


def _as(client, world, key):
    client.force_login(world.user(key))
    return client


def _post(client, path, body=None):
    return client.post(f"/api/v1/screening{path}", body or {}, content_type="application/json")


def test_my_records_lists_the_workers_open_records_masked(client, world, batch):
    body = _as(client, world, "grid_worker").get("/api/v1/screening/my-records").json()
    assert [r["id"] for r in body["records"]] == [_pk(batch, 2)]
    first = body["records"][0]
    assert first["name"] == "张*" and first["status"] == "pushed" and not first["overdue"]
    assert body["counts"]["open"] == 1 and body["counts"]["closed"] == 0
    closed = client.get("/api/v1/screening/my-records?closed=true").json()
    assert closed["records"] == []


def test_a_record_is_worked_to_the_four_clears_over_the_api(client, world, batch):
    api = _as(client, world, "grid_worker")
    pk = _pk(batch, 2)
    detail = api.get(f"/api/v1/screening/records/{pk}").json()
    assert detail["document"] != ID_A and ID_A not in str(detail)
    assert detail["steps"] == ["receive", "check", "verify", "reassign"]
    # A village has nothing below it: the record can only go back to its township.
    assert detail["reassign_to"] == [{"code": "433101002", "name": "峒河街道", "up": True}]
    assert detail["clears"]["count_clear"]["done"] is False

    assert _post(api, f"/records/{pk}/receive").json()["status"] == Status.RECEIVED
    checking = _post(api, f"/records/{pk}/check").json()
    assert checking["status"] == Status.CHECKING and checking["steps"][0] == "verify"
    done = _post(
        api,
        f"/records/{pk}/verify",
        {"outcome": "controlled", "measure": "居家隔离", "place": "峒河社区5组"},
    )
    body = done.json()
    assert done.status_code == 200 and body["status"] == Status.CLOSED and body["four_clear"]
    assert body["clears"]["control_clear"]["by"] == str(world.user("grid_worker"))
    assert body["steps"] == [] and body["outcome"] == "controlled"
    actions = set(ChangeEntry.objects.values_list("action", flat=True))
    assert {"screening.record.received", "screening.record.verified"} <= actions


def test_a_verify_with_missing_fields_names_them(client, world, batch):
    api = _as(client, world, "grid_worker")
    pk = _pk(batch, 2)
    response = _post(api, f"/records/{pk}/verify", {"outcome": "controlled"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"measure", "place"}
    unknown = _post(api, f"/records/{pk}/verify", {"outcome": "maybe"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "outcome"
    assert batch.records.get(pk=pk).status == Status.PUSHED


def test_not_local_over_the_api_becomes_a_repush(client, world, batch):
    api = _as(client, world, "grid_worker")
    pk = _pk(batch, 2)
    _post(api, f"/records/{pk}/verify", {"outcome": "not_local", "destination": "长沙市"})
    assert OutgoingRepush.objects.get(record_id=pk).target_place == "长沙市"


def test_a_grid_worker_returns_a_record_and_the_township_assigns_it_again(client, world, batch):
    pk = _pk(batch, 2)
    worker = _as(client, world, "grid_worker")
    returned = _post(worker, f"/records/{pk}/reassign", {"region": "433101002"})
    assert returned.json() == {"id": pk, "region": "433101002"}
    # On the township now: out of the grid worker's sight, like a missing record.
    assert worker.get(f"/api/v1/screening/records/{pk}").status_code == 404

    township = _as(client, world, "township_operator")
    targets = township.get(f"/api/v1/screening/records/{pk}").json()["reassign_to"]
    assert targets[0] == {"code": "433101", "name": "吉首市", "up": True}
    assert "433101002001" in [t["code"] for t in targets if not t["up"]]
    refused = _post(township, f"/records/{pk}/reassign", {"region": "4331"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "region"
    again = _post(township, f"/records/{pk}/reassign", {"region": "433101002001"})
    assert again.status_code == 200
    worker = _as(client, world, "grid_worker")
    assert worker.get(f"/api/v1/screening/records/{pk}").status_code == 200
    assert ChangeEntry.objects.filter(action="screening.record.reassigned").count() == 2


def test_another_regions_record_is_404_to_read_and_to_act(client, world, batch):
    api = _as(client, world, "grid_worker")
    pk = _pk(batch, 3)
    assert api.get(f"/api/v1/screening/records/{pk}").status_code == 404
    for path, body in (
        ("receive", {}),
        ("verify", {"outcome": "not_found"}),
    ):
        assert _post(api, f"/records/{pk}/{path}", body).status_code == 404
    manager = _as(client, world, "county_operator")  # of the other county
    assert _post(manager, f"/records/{pk}/close-invalid", {"note": "x"}).status_code == 404
    assert batch.records.get(pk=pk).status == Status.PUSHED


def test_a_row_needing_correction_is_corrected_by_its_manager(client, world, batch):
    pk = _pk(batch, 4)
    worker = _as(client, world, "grid_worker")
    detail = worker.get(f"/api/v1/screening/records/{pk}").json()
    assert detail["invalid"] and detail["steps"] == []
    assert BAD_ID not in str(detail) and detail["errors"][0]["field"] == "身份证号"
    assert _post(worker, f"/records/{pk}/correct", {"document_number": ID_A}).status_code == 403

    manager = _as(client, world, "county_operator")
    assert manager.get(f"/api/v1/screening/records/{pk}").json()["steps"] == [
        "correct",
        "close_invalid",
    ]
    wrong = _post(manager, f"/records/{pk}/correct", {"document_number": "123"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"]
    done = _post(manager, f"/records/{pk}/correct", {"document_number": "433101199206033461"})
    assert done.status_code == 200 and not done.json()["invalid"]
    assert ScreeningBatch.objects.get(pk=batch.pk).invalid == 0


def test_a_row_needing_correction_can_be_closed_as_wrong_info(client, world, batch):
    manager = _as(client, world, "county_operator")
    pk = _pk(batch, 4)
    assert _post(manager, f"/records/{pk}/close-invalid", {}).status_code == 422
    body = _post(manager, f"/records/{pk}/close-invalid", {"note": "查无此证件"}).json()
    assert body["status"] == Status.CLOSED and body["outcome"] == "wrong_info"
