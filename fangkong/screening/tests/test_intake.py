"""Arrivals pushed to a village become screening records: from the self-report form at once,
from checkpoint checks by the sweep."""

import datetime as dt
import io
import json

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.arrivals.models import ArrivalObligation, ObligationStatus
from fangkong.arrivals.selfreport import self_report_submit
from fangkong.arrivals.tests.forms import self_report_values as report
from fangkong.checkpoints.checks import clean_check
from fangkong.checkpoints.models import CheckRecord
from fangkong.checkpoints.services import checkpoint_check
from fangkong.checkpoints.tests.conftest import check_payload, forget_everything
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
from fangkong.screening.sweeps import LOOKBACK, screening_from_checks

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


# --- checkpoint checks -------------------------------------------------------------------------


@pytest.fixture
def check(world, actor_of, checkpoint):
    officer = actor_of("county_checkpoint")

    def record(**changes):
        changes.setdefault("document_number", resident_id("420106"))
        given = clean_check(check_payload(world, **changes), now=NOW)
        return checkpoint_check(actor=officer, code=checkpoint.code, given=given)

    return record


def test_pushed_checks_become_records_once(world, check, actor_of):
    yellow = check(health_code="yellow")
    check()  # green with a valid certificate: passed with an arrival test, not pushed

    counts = screening_from_checks()

    assert counts["checks"] == 1 and counts["verifications_handed_over"] == 1
    record = ScreeningRecord.objects.get()
    assert record.source_ref == f"check:{yellow.record_id}"
    assert record.region_id == world.home_village.code and record.person_id == yellow.person_id
    assert record.health_code == "yellow" and record.note == "黄码"
    assert record.source_place == "湖北省 武汉市 武昌区"
    assert record.arrived_at == dt.datetime(2022, 1, 10, 5, 30, tzinfo=dt.UTC)
    assert record.document_number == Person.objects.get(pk=yellow.person_id).document_number
    assert record.values[0] == record.name and record.values[5:7] == ["2022-01-10 13:30", "黄码"]
    assert record.values[-1] == f"check:{yellow.record_id}"
    batch = record.batch
    assert batch.source == "卡口推送" and batch.category == "other" and batch.rows == 1
    assert batch.filename == f"卡口推送 · {world.home_county.name} · 2022-01-10"
    assert CheckRecord.objects.get(pk=yellow.record_id).screening_record_id == record.pk
    verification = ArrivalObligation.objects.get(
        arrival_id=yellow.arrival_id, kind="village_verification"
    )
    assert verification.status == ObligationStatus.CLOSED
    assert verification.done_ref == f"screening:{record.pk}"
    assert [r.pk for r in my_records(actor=actor_of("grid_worker"))] == [record.pk]
    assert not my_records(actor=actor_of("outsider_grid_worker"))

    again = screening_from_checks()

    assert again["checks"] == 0 and ScreeningRecord.objects.count() == 1


def test_the_sweep_takes_a_fixed_number_of_statements(world, check):
    check(health_code="yellow")
    with CaptureQueriesContext(connection) as one:
        assert screening_from_checks()["checks"] == 1
    for _ in range(20):
        check(health_code="yellow")
    with CaptureQueriesContext(connection) as twenty:
        assert screening_from_checks()["checks"] == 20

    assert len(twenty) == len(one)
    batch = ScreeningBatch.objects.get(source="卡口推送")
    numbers = list(batch.records.order_by("row_number").values_list("row_number", flat=True))
    assert numbers == list(range(1, 22)) and batch.rows == batch.valid == 21


def test_checks_go_to_their_county_and_category(world, check, medium_risk_wuchang):
    other_village = world.first_village_in(world.other_county)
    check()  # medium-risk origin
    check(destination=other_village.code, health_code="yellow", origin=world.home_county.code,
          itinerary=[])  # fmt: skip

    screening_from_checks()

    batches = {(b.region_id, b.category): b for b in ScreeningBatch.objects.all()}
    assert set(batches) == {(world.home_county.code, "risk_area"),
                            (world.other_county.code, "other")}  # fmt: skip
    home = batches[(world.home_county.code, "risk_area")].records.get()
    assert home.note == "来源地或行程所在县有中风险地区"
    assert batches[(world.other_county.code, "other")].records.get().region_id == (
        other_village.code
    )


def test_a_checked_person_with_an_open_self_report_record_is_joined_to_it(
    world, check, medium_risk_wuchang
):
    number = resident_id("420106")
    submit(world, document_number=number)
    reported = ScreeningRecord.objects.get()
    checked = check(document_number=number)

    counts = screening_from_checks()

    assert counts["joined_open_records"] == 1
    record = ScreeningRecord.objects.get(source_ref=f"check:{checked.record_id}")
    assert record.merge_kind == MergeKind.LIST and record.merged_into_id == reported.pk
    assert PersonSource.objects.filter(person_id=reported.person_id).count() == 2


def test_two_checks_of_one_person_in_one_run_make_one_piece_of_work(world, check):
    number = resident_id("420106")
    first = check(document_number=number, health_code="yellow")
    check(document_number=number, health_code="yellow")

    screening_from_checks()

    primary = ScreeningRecord.objects.get(merge_kind=MergeKind.NONE)
    assert primary.source_ref == f"check:{first.record_id}"
    assert ScreeningRecord.objects.get(merge_kind=MergeKind.LIST).merged_into_id == primary.pk


def test_checks_older_than_the_lookback_are_left_alone(world, check):
    check(health_code="yellow")

    counts = screening_from_checks(now=NOW + LOOKBACK + dt.timedelta(minutes=1))

    assert counts["checks"] == 0 and not ScreeningRecord.objects.exists()


def test_a_check_from_the_phone_page_goes_through_the_sweep(client, world, checkpoint):
    client.force_login(world.user("county_checkpoint"))
    payload = check_payload(world, health_code="yellow", itinerary="420106")
    payload.pop("itinerary_star")  # the page's checkbox, left unticked

    response = client.post(f"/checkpoints/{checkpoint.code}/", payload)

    assert response.status_code == 200
    assert CheckRecord.objects.get().pushed
    call_command("screening-intake", "--json", stdout=(out := io.StringIO()))
    assert json.loads(out.getvalue())["checks"] == 1
    assert ScreeningRecord.objects.get().health_code == "yellow"


def test_the_checkpoint_batch_reads_like_any_list(client, world, check):
    checked = check(health_code="yellow")
    screening_from_checks()
    batch = ScreeningBatch.objects.get(source="卡口推送")
    client.force_login(world.user("county_operator"))

    page = client.get(reverse("screening:batch", args=[batch.pk]))
    sheet = client.get(reverse("screening:feedback", args=[batch.pk]))

    assert page.status_code == 200 and batch.filename in page.content.decode()
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active
                .iter_rows(values_only=True))  # fmt: skip
    assert rows[0][1:4] == ("姓名", "证件号码", "手机号")
    person = Person.objects.get(pk=checked.person_id)
    assert rows[1][2] == person.document_number and rows[1][3] == person.phone
    assert rows[1][rows[0].index("来源记录")] == f"check:{checked.record_id}"
