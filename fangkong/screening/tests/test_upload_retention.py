"""An uploaded list's copy (identifiers in plain text) is kept only while something needs it."""

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fangkong.imports.jobs import job_create, upload_dir
from fangkong.imports.models import ImportJob, JobStatus
from fangkong.imports.retention import retention, uploads_purge

from .conftest import HEADER, ID_C, csv_bytes, row, upload_list
from .test_views import HOME, login

pytestmark = pytest.mark.django_db

AFTER_RETENTION = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(client, data: bytes, name: str) -> ImportJob:
    return upload_list(client, data, name, source="big_data")


def _later() -> dt.datetime:
    return timezone.now() + retention() + AFTER_RETENTION


def test_an_imported_lists_copy_is_removed_when_its_import_ends(client, world):
    c = login(client, world, "county_operator")
    job = _upload(c, csv_bytes([HEADER, row(1, "张三", ID_C, address=HOME)]), "名单.csv")
    assert job.status == JobStatus.DONE and job.path == ""
    assert list(upload_dir().iterdir()) == []


def test_a_refused_lists_copy_is_kept_for_the_mapping_then_removed(client, world):
    c = login(client, world, "county_operator")
    job = _upload(
        c, csv_bytes([["人员名称", "号码证件", "住处"], ["张三", ID_C, HOME]]), "奇怪.csv"
    )
    assert job.status == JobStatus.REFUSED and Path(job.path).exists()
    assert uploads_purge() == {"jobs": 0, "abandoned": 0, "orphans": 0}
    assert Path(job.path).exists()

    assert uploads_purge(now=_later()) == {"jobs": 1, "abandoned": 0, "orphans": 0}
    job.refresh_from_db()
    assert job.path == "" and list(upload_dir().iterdir()) == []
    page = c.get(reverse("screening:job", args=[job.pk])).content.decode()
    assert "已过保存期限删除" in page and "人员名称" not in page  # no mapping without the file
    mapped = c.post(reverse("screening:job_mapping", args=[job.pk]), {"col_0": "name"})
    assert mapped.status_code == 302 and ImportJob.objects.count() == 1
    assert uploads_purge(now=_later()) == {"jobs": 0, "abandoned": 0, "orphans": 0}


def test_an_import_that_never_finished_is_failed_and_loses_its_copy(tmp_path, actor_of):
    source = tmp_path / "名单.csv"
    source.write_bytes(csv_bytes([HEADER, row(1, "张三", ID_C, address=HOME)]))
    job = job_create(
        actor=actor_of("county_operator"), kind="screening", path=source, filename="名单.csv",
        options={"category": "risk_area"},
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    assert uploads_purge()["jobs"] == 0

    assert uploads_purge(now=_later()) == {"jobs": 1, "abandoned": 1, "orphans": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.path == "" and job.finished_at
    assert "重新上传" in job.message
    assert source.exists()  # the caller's file is never touched


def test_stray_files_go_after_the_retention_and_callers_files_never(tmp_path, actor_of):
    stray = upload_dir() / "0123abcd.xlsx"
    stray.write_bytes(b"PK")
    own = tmp_path / "自有.csv"
    own.write_bytes(b"x")
    job_create(
        actor=actor_of("county_operator"), kind="labtests", path=own, filename=own.name,
        options={}, keep_copy=False,
    )  # fmt: skip
    ImportJob.objects.update(status=JobStatus.REFUSED, finished_at=timezone.now())
    assert uploads_purge()["orphans"] == 0 and stray.exists()

    old = (timezone.now() - retention() - AFTER_RETENTION).timestamp()
    os.utime(stray, (old, old))
    assert uploads_purge() == {"jobs": 0, "abandoned": 0, "orphans": 1}
    assert not stray.exists()
    assert uploads_purge(now=_later())["jobs"] == 0 and own.exists()


def test_the_command_runs_the_purge(world):
    out = io.StringIO()
    call_command("imports-purge", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"jobs": 0, "abandoned": 0, "orphans": 0}
