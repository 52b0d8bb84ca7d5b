"""Arrivals pushed to a village become screening records: from the self-report form at once."""

import datetime as dt

import pytest
import time_machine

from fangkong.arrivals.models import ObligationStatus
from fangkong.arrivals.selfreport import self_report_submit
from fangkong.checkpoints.tests.conftest import forget_everything
from fangkong.people.models import Person
from fangkong.people.tests.factories import resident_id
from fangkong.riskareas.models import RiskArea
from fangkong.screening.intake import IntakeFacts, record_from_arrival
from fangkong.screening.models import (
    MergeKind,
    PersonSource,
    ScreeningBatch,
    ScreeningRecord,
    Source,
    Status,
)
from fangkong.screening.selectors import my_records
from fangkong.screening.services import record_verify

NOW = dt.datetime(2022, 1, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def fresh_caches():
    """Risk areas, rules, places and checkpoints are cached in process: none from another test."""
    forget_everything()
    yield
    forget_everything()


@pytest.fixture
def medium_risk_wuchang(db):
    return RiskArea.objects.create(
        code="420106", county_code="420106", name="武昌区某小区", level="medium",
        effective_from=NOW - dt.timedelta(days=3),
    )  # fmt: skip


def report(world, **changes):
    """The self-report form's values: green code, a valid certificate, from 武昌区."""
    values = {
        "name": "向红梅", "document_type": "resident_id", "document_number": resident_id("420106"),
        "phone": "13907435678", "origin_province": "42", "origin_city": "4201",
        "origin_county": "420106", "travel_mode": "high_speed_rail", "travel_number": "G6117",
        "arrival_at": "2022-01-10T09:30", "township": world.home_township.code,
        "village": world.home_village.code, "address": "德夯村3组", "health_code": "green",
        "nat_sampled_at": "2022-01-09T08:00", "nat_result": "negative", "vaccine_doses": "3",
    }  # fmt: skip
    values.update(changes)
    return values


def submit(world, **changes):
    """As the form's view hands the values on: origin and destination from the pickers."""
    data = report(world, **changes)
    data.update(destination=data["village"], origin=data["origin_county"])
    return self_report_submit(data=data, county_code=world.home_county.code, ip="10.1.0.1")


# --- the self-report ---------------------------------------------------------------------------


def test_a_report_from_a_medium_risk_county_opens_one_record_in_the_destination_village(
    world, actor_of, medium_risk_wuchang
):
    done = submit(world)

    record = ScreeningRecord.objects.get()
    assert record.region_id == world.home_village.code and record.assigned_level == 12
    assert record.source_ref == f"arrival:{done.arrival.pk}" and record.status == Status.PUSHED
    assert record.person_id == done.arrival.person_id and record.name == "向红梅"
    assert record.document_number == Person.objects.get(pk=record.person_id).document_number
    assert record.source_place == "湖北省 武汉市 武昌区"
    assert record.deadline == NOW + dt.timedelta(hours=24)
    assert "中风险地区" in record.note and record.merge_kind == MergeKind.NONE
    batch = record.batch
    assert batch.source == "主动报备" and batch.category == "risk_area"
    assert batch.region_id == world.home_county.code and batch.rows == batch.valid == 1
    assert batch.filename == f"主动报备 · {world.home_county.name} · 2022-01-10"
    assert batch.assigned["village"] == 1
    assert PersonSource.objects.filter(record=record, source="主动报备").count() == 1
    grid, outsider = actor_of("grid_worker"), actor_of("outsider_grid_worker")
    assert list(ScreeningRecord.objects.visible_to(grid)) == [record]
    assert [r.pk for r in my_records(actor=grid)] == [record.pk]
    assert not ScreeningRecord.objects.visible_to(outsider).exists()
    assert not ScreeningBatch.objects.visible_to(outsider).filter(pk=batch.pk).exists()


def test_the_village_verification_is_handed_over_to_the_record(world, medium_risk_wuchang):
    done = submit(world)

    record = ScreeningRecord.objects.get()
    verification = done.arrival.obligations.get(kind="village_verification")
    assert verification.status == ObligationStatus.CLOSED
    assert verification.done_ref == f"screening:{record.pk}" and verification.note
    others = done.arrival.obligations.exclude(kind="village_verification")
    assert {o.status for o in others} == {ObligationStatus.OPEN}


def test_a_revised_report_updates_the_open_record_instead_of_adding_one(world, medium_risk_wuchang):
    number = resident_id("420106")
    first = submit(world, document_number=number)
    other_village = next(
        v for v in world.villages
        if v.code.startswith(world.home_township.code) and v != world.home_village
    )  # fmt: skip
    second = submit(world, document_number=number, village=other_village.code,
                    arrival_at="2022-01-10T11:00")  # fmt: skip

    assert second.revised and second.arrival.pk == first.arrival.pk
    record = ScreeningRecord.objects.get()
    assert record.region_id == other_village.code
    assert record.arrived_at == NOW - dt.timedelta(hours=3)
    assert record.batch.rows == 1 and PersonSource.objects.count() == 1
    assert second.arrival.obligations.filter(kind="village_verification").count() == 1


def test_a_report_after_the_record_is_closed_leaves_it_closed(world, actor_of, medium_risk_wuchang):
    number = resident_id("420106")
    submit(world, document_number=number)
    record = ScreeningRecord.objects.get()
    record_verify(actor=actor_of("grid_worker"), pk=record.pk, outcome="controlled",
                  measure="居家健康监测", place="德夯村3组")  # fmt: skip

    submit(world, document_number=number, arrival_at="2022-01-10T11:00")

    record = ScreeningRecord.objects.get()
    assert record.status == Status.CLOSED and record.arrived_at == NOW - dt.timedelta(
        hours=4, minutes=30
    )


def test_a_green_report_from_a_low_risk_county_opens_no_record(world):
    done = submit(world)

    assert done.decision.verdict == "pass_with_arrival_test"
    assert (
        not ScreeningRecord.objects.exists()
        and not ScreeningBatch.objects.filter(source="主动报备").exists()
    )


def test_a_person_already_on_an_open_list_is_verified_once(world, actor_of):
    person = Person.objects.filter(region_id=world.home_village.code).first()
    facts = IntakeFacts(arrived_at=NOW, source_place="湖北省 武汉市 武昌区", health_code="green",
                        reasons=("medium_risk_area",))  # fmt: skip
    first = record_from_arrival(
        actor=None, person_id=person.pk, region_id=world.home_village.code,
        source=Source.SELF_REPORT, category="risk_area", reference="arrival:901", facts=facts,
    )  # fmt: skip
    second = record_from_arrival(
        actor=None, person_id=person.pk, region_id=world.home_village.code,
        source=Source.CHECKPOINT, category="risk_area", reference="check:901", facts=facts,
    )  # fmt: skip

    assert second.merge_kind == MergeKind.LIST and second.merged_into_id == first.pk
    assert [r.pk for r in my_records(actor=actor_of("grid_worker"))] == [first.pk]
    record_verify(actor=actor_of("grid_worker"), pk=first.pk, outcome="controlled",
                  measure="居家健康监测", place="德夯村")  # fmt: skip
    second.refresh_from_db()
    assert second.status == Status.CLOSED and second.four_clear
