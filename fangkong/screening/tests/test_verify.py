"""The verification workflow: each outcome, the four clears, re-push, audit, scoping."""

import pytest

from fangkong.audit.models import ChangeEntry
from fangkong.core.errors import NotFound, PermissionDenied, ValidationFailed
from fangkong.screening import selectors
from fangkong.screening.models import Outcome, OutgoingRepush, Status
from fangkong.screening.repushes import repush_page
from fangkong.screening.services import (
    record_reassign,
    record_receive,
    record_start_check,
    record_verify,
)

from .conftest import HEADER, ID_A, ID_B, csv_bytes, row

pytestmark = pytest.mark.django_db
HOME = "吉首市峒河街道峒河社区"  # the grid worker's village
OTHER = "龙山县洛塔乡泽果村"  # the outsider grid worker's village


@pytest.fixture
def records(run_import):
    result = run_import(
        csv_bytes([HEADER, row(1, "张三", ID_A, address=HOME), row(2, "李四", ID_B, address=OTHER)])
    )
    return {r.row_number: r for r in result.batch.records.all()}


def test_receive_check_and_control_sets_all_four_clears(records, actor_of):
    worker = actor_of("grid_worker")
    pk = records[2].pk
    assert record_receive(actor=worker, pk=pk).status == Status.RECEIVED
    assert record_start_check(actor=worker, pk=pk).status == Status.CHECKING
    done = record_verify(
        actor=worker, pk=pk, outcome=Outcome.CONTROLLED, measure="居家隔离", place="峒河社区5组"
    )
    assert done.status == Status.CLOSED and done.four_clear
    assert done.count_clear_by == worker.user and done.control_clear_at is not None
    actions = list(
        ChangeEntry.objects.filter(
            object_type="screening.screeningrecord", object_id=str(pk)
        ).values_list("action", flat=True)
    )
    assert set(actions) == {
        "screening.record.received",
        "screening.record.checking",
        "screening.record.verified",
    }


@pytest.mark.parametrize(
    "outcome, extra, four_clear",
    [
        (Outcome.NOT_LOCAL, {"destination": "长沙市岳麓区"}, True),
        (Outcome.LEFT, {"destination": "广州市"}, True),
        (Outcome.NOT_FOUND, {}, False),
        (Outcome.WRONG_INFO, {}, False),
    ],
)
def test_each_outcome_closes_the_loop(records, actor_of, outcome, extra, four_clear):
    done = record_verify(actor=actor_of("grid_worker"), pk=records[2].pk, outcome=outcome, **extra)
    assert done.status == Status.CLOSED and done.outcome == outcome
    assert done.four_clear is four_clear and done.count_clear
    assert OutgoingRepush.objects.filter(record=done).exists() is (outcome == Outcome.NOT_LOCAL)


def test_not_local_becomes_a_repush_listed_for_the_hq(records, actor_of):
    record_verify(
        actor=actor_of("grid_worker"),
        pk=records[2].pk,
        outcome=Outcome.NOT_LOCAL,
        destination="长沙市",
    )
    listed = repush_page(actor=actor_of("hq"))["repushes"]
    assert [p.target_place for p in listed] == ["长沙市"]
    assert ChangeEntry.objects.filter(action="screening.record.repushed").count() == 1


def test_controlled_needs_measure_and_place(records, actor_of):
    with pytest.raises(ValidationFailed) as exc:
        record_verify(actor=actor_of("grid_worker"), pk=records[2].pk, outcome=Outcome.CONTROLLED)
    assert set(exc.value.errors) == {"measure", "place"}


def test_a_village_worker_cannot_see_or_change_another_village(records, actor_of):
    worker = actor_of("grid_worker")
    with pytest.raises(NotFound):
        selectors.record_get(actor=worker, pk=records[3].pk)
    with pytest.raises(NotFound):
        record_verify(actor=worker, pk=records[3].pk, outcome=Outcome.NOT_FOUND)
    assert [r.pk for r in selectors.my_records(actor=worker)] == [records[2].pk]


def test_roles_without_the_permission_are_refused(records, actor_of):
    with pytest.raises(PermissionDenied):
        record_receive(actor=actor_of("inspector"), pk=records[2].pk)
    with pytest.raises(PermissionDenied):
        selectors.my_records(actor=actor_of("auditor"))


def test_reassign_down_and_back_up(records, actor_of):
    operator = actor_of("county_operator")
    pk = records[2].pk
    up = record_reassign(actor=actor_of("grid_worker"), pk=pk, region_code="433101002")
    assert up.region_id == "433101002"
    down = record_reassign(actor=operator, pk=pk, region_code="433101002002")
    assert down.region_id == "433101002002" and down.assigned_level == 12
    with pytest.raises(ValidationFailed):
        record_reassign(actor=operator, pk=pk, region_code="433130200201")
    assert ChangeEntry.objects.filter(action="screening.record.reassigned").count() == 2


def test_closed_records_cannot_be_verified_twice(records, actor_of):
    worker = actor_of("grid_worker")
    record_verify(actor=worker, pk=records[2].pk, outcome=Outcome.NOT_FOUND)
    with pytest.raises(ValidationFailed):
        record_verify(actor=worker, pk=records[2].pk, outcome=Outcome.NOT_FOUND)
