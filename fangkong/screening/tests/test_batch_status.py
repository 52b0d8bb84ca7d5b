"""A list is closed (已闭环) with its last record, by whichever step closes it, and a system
batch that takes in a record opens again."""

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from fangkong.audit.models import ChangeEntry
from fangkong.checkpoints.tests.conftest import forget_everything
from fangkong.notifications.models import Notification
from fangkong.notifications.services import notification_list
from fangkong.people.tests.factories import resident_id
from fangkong.riskareas.models import RiskArea
from fangkong.screening.correction import record_close_invalid
from fangkong.screening.models import BatchStatus, MergeKind, Outcome, ScreeningBatch
from fangkong.screening.services import record_verify

from .conftest import HEADER, ID_A, ID_B, csv_bytes, row
from .test_intake import NOW, submit

pytestmark = pytest.mark.django_db
HOME = "吉首市峒河街道峒河社区"  # the grid worker's village
BAD_ID = "11010519491231002"  # 17 characters


def _status(batch) -> tuple[str, dt.datetime | None]:
    stored = ScreeningBatch.objects.get(pk=batch.pk)
    return stored.status, stored.closed_at


def test_the_last_record_verified_closes_the_list(run_import, actor_of):
    batch = run_import(
        csv_bytes([HEADER, row(1, "张三", ID_A, address=HOME), row(2, "李四", ID_B, address=HOME)])
    ).batch
    worker = actor_of("grid_worker")
    first, second = batch.records.order_by("row_number")
    record_verify(actor=worker, pk=first.pk, outcome=Outcome.NOT_FOUND)
    assert _status(batch) == (BatchStatus.OPEN, None)

    done = record_verify(actor=worker, pk=second.pk, outcome=Outcome.NOT_FOUND)
    assert _status(batch) == (BatchStatus.DONE, done.closed_at)
    entry = ChangeEntry.objects.get(action="screening.batch.closed")
    assert entry.object_id == str(batch.pk)
    alert = Notification.objects.get(kind="screening.cleared")
    assert alert.region_id == batch.region_id and f"#{batch.pk}" in alert.message
    assert "已全部闭环" in alert.message and alert.link.endswith(f"/batches/{batch.pk}/")
    # The city's HQ reads it; a county's staff, below the list's region, does not.
    assert notification_list(actor=actor_of("hq")).filter(pk=alert.pk).exists()
    assert not notification_list(actor=actor_of("county_operator")).filter(pk=alert.pk).exists()


def test_a_repeat_closes_with_its_first_row(run_import, actor_of):
    batch = run_import(
        csv_bytes([HEADER, row(1, "张三", ID_A, address=HOME), row(2, "张三", ID_A, address=HOME)])
    ).batch
    first = batch.records.get(row_number=2)
    record_verify(actor=actor_of("grid_worker"), pk=first.pk, outcome=Outcome.NOT_FOUND)
    assert _status(batch)[0] == BatchStatus.DONE


def test_a_list_whose_records_joined_another_lists_closes_with_them(run_import, actor_of):
    earlier = run_import(csv_bytes([HEADER, row(1, "张三", ID_A, address=HOME)])).batch
    again = row(1, "张三", ID_A, address=HOME, place="长沙市")
    later = run_import(csv_bytes([HEADER, again]), name="二.csv").batch
    joined = later.records.get()
    assert joined.merge_kind == MergeKind.LIST
    record_verify(
        actor=actor_of("grid_worker"), pk=earlier.records.get().pk, outcome=Outcome.NOT_FOUND
    )
    assert _status(earlier)[0] == _status(later)[0] == BatchStatus.DONE


def test_a_row_needing_correction_closed_as_wrong_info_closes_the_list(run_import, actor_of):
    batch = run_import(
        csv_bytes(
            [HEADER, row(1, "张三", ID_A, address=HOME), row(2, "李四", BAD_ID, address=HOME)]
        )
    ).batch
    record_verify(
        actor=actor_of("grid_worker"),
        pk=batch.records.get(row_number=2).pk,
        outcome=Outcome.NOT_FOUND,
    )
    assert _status(batch)[0] == BatchStatus.OPEN  # row 3 needs correction
    record_close_invalid(
        actor=actor_of("county_operator"), pk=batch.records.get(row_number=3).pk, note="已重新导入"
    )
    assert _status(batch)[0] == BatchStatus.DONE


@pytest.fixture
def fresh_caches():
    """Risk areas and rules are cached in process: none from another test."""
    forget_everything()
    yield
    forget_everything()


def test_a_closed_system_batch_opens_again_when_a_record_is_taken_in(world, actor_of, fresh_caches):
    with time_machine.travel(NOW, tick=False):
        RiskArea.objects.create(
            code="420106", county_code="420106", name="武昌区某小区", level="medium",
            effective_from=NOW - dt.timedelta(days=3),
        )  # fmt: skip
        submit(world, document_number=resident_id("420106"))
        batch = ScreeningBatch.objects.get()
        only = batch.records.get()
        record_verify(actor=actor_of("grid_worker"), pk=only.pk, outcome=Outcome.NOT_FOUND)
        assert _status(batch)[0] == BatchStatus.DONE

        submit(world, document_number=resident_id("420106"), name="向东")
        assert ScreeningBatch.objects.get().records.count() == 2
        assert _status(batch) == (BatchStatus.OPEN, None)
    # A system batch closes and opens all day: nobody is alerted of it.
    assert not Notification.objects.filter(kind="screening.cleared").exists()


def test_the_api_and_the_pages_say_the_list_is_closed(client, world, run_import, actor_of):
    batch = run_import(csv_bytes([HEADER, row(1, "张三", ID_A, address=HOME)])).batch
    record_verify(
        actor=actor_of("grid_worker"), pk=batch.records.get().pk, outcome=Outcome.NOT_FOUND
    )
    client.force_login(world.user("county_operator"))
    detail = client.get(f"/api/v1/screening/batches/{batch.pk}").json()
    assert detail["status"] == "done" and detail["closed_at"]
    for url in (reverse("screening:batches"), reverse("screening:batch", args=[batch.pk])):
        assert "已闭环</span>" in client.get(url).content.decode()


def test_the_migration_closes_the_lists_already_cleared(run_import, actor_of):
    from importlib import import_module

    migration = import_module("fangkong.screening.migrations.0008_batch_closed_at")
    batch = run_import(csv_bytes([HEADER, row(1, "张三", ID_A, address=HOME)])).batch
    record = batch.records.get()
    record_verify(actor=actor_of("grid_worker"), pk=record.pk, outcome=Outcome.NOT_FOUND)
    ScreeningBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.OPEN, closed_at=None)
    still_open = run_import(csv_bytes([HEADER, row(1, "李四", ID_B, address=HOME)]), name="b").batch

    migration.close_cleared_batches(apps, None)
    record.refresh_from_db()
    assert _status(batch) == (BatchStatus.DONE, record.closed_at)
    assert _status(still_open) == (BatchStatus.OPEN, None)
