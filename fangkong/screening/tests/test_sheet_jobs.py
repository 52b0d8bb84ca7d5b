"""Sheets too long to write while the user waits are written by the task worker: asked for with
a POST, followed on their page, downloaded by the user who asked (each download logged), and
removed after their retention period."""

import dataclasses
import datetime as dt
import io
import os

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fangkong.audit.models import AccessEntry
from fangkong.screening import sheetjobs
from fangkong.screening.feedback import BATCH_SHEETS, write_feedback
from fangkong.screening.models import SheetJob, SheetStatus
from fangkong.screening.sheetjobs import sheet_dir, sheets_purge

from . import test_drilldown
from .test_drilldown import get

# The drill-down's list: rows 2 and 5 in the home village, 3 in its township, 4 in the other
# county; row 5 needs correction.
batch = test_drilldown.batch

pytestmark = pytest.mark.django_db
SHORT = 2  # rows written while the user waits, in these tests


@pytest.fixture(autouse=True)
def short_direct_limit(monkeypatch, settings, tmp_path):
    for module in ("listsheet", "feedback", "views", "views_work"):
        monkeypatch.setattr(f"fangkong.screening.{module}.DIRECT_ROWS", SHORT)
    settings.MEDIA_ROOT = tmp_path / "media"


def _ask(client, world, key, **data):
    client.force_login(world.user(key))
    return client.post(reverse("screening:sheet_start"), data)


def _rows(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in workbook.active.iter_rows(values_only=True)]


def test_a_long_feedback_sheet_is_written_in_the_background(client, world, batch, actor_of):
    page = get(client, world, "comprehensive", "screening:batch", args=[batch.pk])
    assert "后台生成反馈表" in page.content.decode()
    direct = get(client, world, "comprehensive", "screening:feedback", args=[batch.pk])
    assert direct.status_code == 302 and direct["Location"] == f"/screening/batches/{batch.pk}/"
    assert "共 4 行，超过即时下载的 2 行" in client.get(direct["Location"]).content.decode()

    asked = _ask(client, world, "comprehensive", kind="feedback", batch=batch.pk)
    job = SheetJob.objects.get()
    assert asked["Location"] == reverse("screening:sheet", args=[job.pk])
    assert job.status == SheetStatus.DONE and job.rows_written == 4 and job.rows_expected == 4
    assert not AccessEntry.objects.exists()  # written, not yet taken
    shown = client.get(asked["Location"]).content.decode()
    assert reverse("screening:sheet_file", args=[job.pk]) in shown
    assert "核查反馈" in client.get(reverse("screening:sheets")).content.decode()

    response = client.get(reverse("screening:sheet_file", args=[job.pk]))
    path, _ = write_feedback(actor=actor_of("comprehensive"), batch=batch)
    expected = [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    os.unlink(path)
    assert _rows(response) == expected  # the same sheet as a direct download
    client.get(reverse("screening:sheet_file", args=[job.pk]))
    entries = AccessEntry.objects.filter(kind="export", row_count=4)
    assert entries.count() == 2  # each download is logged
    assert {e.user for e in entries} == {world.user("comprehensive")}


def test_many_rows_needing_correction_are_written_in_the_background(
    client, world, batch, monkeypatch
):
    for module in ("feedback", "views"):
        monkeypatch.setattr(f"fangkong.screening.{module}.DIRECT_ROWS", 0)
    page = get(client, world, "county_operator", "screening:batch", args=[batch.pk])
    assert "后台生成待更正行" in page.content.decode()
    direct = get(client, world, "county_operator", "screening:errors", args=[batch.pk])
    assert direct.status_code == 302 and not AccessEntry.objects.exists()

    _ask(client, world, "county_operator", kind="errors", batch=batch.pk)
    job = SheetJob.objects.get()
    assert job.status == SheetStatus.DONE and job.filename == f"errors-{batch.pk}.xlsx"
    header, *rows = _rows(client.get(reverse("screening:sheet_file", args=[job.pk])))
    assert header[-1] == "错误说明" and len(rows) == 1 and rows[0][2] == "123"
    assert AccessEntry.objects.get().subject == f"screening batch {batch.pk} errors"


def test_only_the_user_who_asked_sees_the_sheet(client, world, batch):
    _ask(client, world, "comprehensive", kind="feedback", batch=batch.pk)
    job = SheetJob.objects.get()
    for key in ("hq", "outsider", "county_operator"):
        for name in ("screening:sheet", "screening:sheet_file"):
            assert get(client, world, key, name, args=[job.pk]).status_code == 404, (key, name)
        assert job.filename not in get(client, world, key, "screening:sheets").content.decode()
    assert get(client, world, "grid_worker", "screening:sheets").status_code == 403
    assert not AccessEntry.objects.exists()


def test_a_long_record_list_keeps_its_filters_and_masks(client, world, batch):
    page = get(client, world, "county_operator", "screening:records", batch=batch.pk)
    assert "后台生成名单（脱敏）" in page.content.decode()
    asked = _ask(
        client, world, "county_operator", kind="records", batch=batch.pk, region="433101",
        status="pushed",
    )  # fmt: skip
    job = SheetJob.objects.get()
    assert asked.status_code == 302 and job.filters["status"] == "pushed"
    header, *rows = _rows(client.get(reverse("screening:sheet_file", args=[job.pk])))
    assert [r[1] for r in rows] == ["2", "3", "5"] and [r[3] for r in rows] == ["张*", "李*", "赵*"]
    assert all("11010519491231002X" not in str(c) for r in rows for c in r)
    assert AccessEntry.objects.get().row_count == 3
    listed = client.get(reverse("screening:sheets")).content.decode()
    assert "吉首市 · 待签收" in listed
    assert "吉首市 · 待签收" in client.get(asked["Location"]).content.decode()


def test_the_list_of_sheets_runs_the_same_queries_however_many(client, world, batch):
    _ask(client, world, "county_operator", kind="records", region="433101", status="pushed")
    url = reverse("screening:sheets")
    client.get(url)  # the first request of a session loads and caches the shell's data
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for status in ("overdue", "closed"):
        _ask(client, world, "county_operator", kind="records", region="433101002", status=status)
    _ask(client, world, "county_operator", kind="feedback", batch=batch.pk)
    with CaptureQueriesContext(connection) as four:
        listed = client.get(url).content.decode()
    assert len(four) == len(one) and listed.count("/screening/sheets/") >= 4


def test_a_region_or_batch_out_of_scope_is_404_and_asks_nothing(client, world, batch):
    asked = _ask(client, world, "outsider", kind="records", region="433101")
    assert asked.status_code == 404
    village = next(v for v in world.villages if v.code.startswith(world.other_county.code))
    batch.region = village
    batch.save(update_fields=["region"])
    assert (
        _ask(client, world, "county_operator", kind="feedback", batch=batch.pk).status_code == 404
    )
    assert _ask(client, world, "county_operator", kind="nothing").status_code == 404
    assert not SheetJob.objects.exists()


def test_a_list_over_one_worksheet_is_refused_with_its_size(client, world, batch, monkeypatch):
    monkeypatch.setattr(sheetjobs, "MAX_ROWS", 3)
    asked = _ask(client, world, "comprehensive", kind="feedback", batch=batch.pk)
    assert asked["Location"] == f"/screening/batches/{batch.pk}/"
    assert (
        "共 4 行，超过一张 Excel 工作表的上限 3 行"
        in client.get(asked["Location"]).content.decode()
    )
    assert not SheetJob.objects.exists()


def test_a_sheet_that_fails_says_so(client, world, batch, monkeypatch):
    def broken(**kwargs):
        raise OSError("磁盘已满")

    sheet = dataclasses.replace(BATCH_SHEETS["feedback"], write=broken)
    monkeypatch.setitem(BATCH_SHEETS, "feedback", sheet)
    _ask(client, world, "comprehensive", kind="feedback", batch=batch.pk)
    job = SheetJob.objects.get()
    assert job.status == SheetStatus.FAILED and "磁盘已满" in job.message and job.path == ""
    assert list(sheet_dir().iterdir()) == []
    shown = get(client, world, "comprehensive", "screening:sheet", args=[job.pk])
    assert "磁盘已满" in shown.content.decode()


def test_sheets_go_after_their_retention(client, world, batch, settings):
    _ask(client, world, "comprehensive", kind="feedback", batch=batch.pk)
    job = SheetJob.objects.get()
    later = timezone.now() + dt.timedelta(hours=settings.SHEET_RETENTION_HOURS + 1)
    assert sheets_purge() == {"sheets": 0, "abandoned": 0, "orphans": 0}
    stuck = SheetJob.objects.create(
        kind="records", filename="x.xlsx", region=job.region, created_by=job.created_by,
        role=job.role,
    )  # fmt: skip
    stray = sheet_dir() / "stray.xlsx"
    stray.write_bytes(b"PK")

    assert sheets_purge(now=later) == {"sheets": 1, "abandoned": 1, "orphans": 1}
    job.refresh_from_db()
    stuck.refresh_from_db()
    assert job.path == "" and list(sheet_dir().iterdir()) == []
    assert stuck.status == SheetStatus.FAILED
    page = client.get(reverse("screening:sheet", args=[job.pk])).content.decode()
    assert "已过保存期限删除" in page
    response = client.get(reverse("screening:sheet_file", args=[job.pk]))
    assert response.status_code == 302 and not AccessEntry.objects.exists()
    assert sheets_purge(now=later) == {"sheets": 0, "abandoned": 0, "orphans": 0}
