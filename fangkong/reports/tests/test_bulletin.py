"""The compiled bulletin: built in the background, archived, and readable by LibreOffice."""

import os
import zipfile

import pytest
import time_machine
from openpyxl import load_workbook

from fangkong.reports.bulletin.content import cn_number, gather
from fangkong.reports.bulletin.convert import convert, libreoffice
from fangkong.reports.bulletins import bulletin_request
from fangkong.reports.models import Bulletin, BulletinStatus
from fangkong.reports.services import report_open, report_submit, report_submit_zero

from .conftest import DAY, at


@pytest.fixture
def filed(actor_of, period, units):
    with time_machine.travel(at(DAY, 9), tick=False):
        actor = actor_of("county_operator")
        report = report_open(actor=actor, period=period, unit=units["county_operator"], day=DAY)
        report_submit(actor=actor, report=report, figures={}, texts={
            "work_done": "完成德夯村、小兴村返乡人员全覆盖排查。",
            "problems": "个别村卡口夜间值守力量不足。",
            "next_steps": "=SUM(A1) 加强夜间值守。",
        })  # fmt: skip
    with time_machine.travel(at(DAY, 16, 30), tick=False):
        actor = actor_of("workgroup")
        report = report_open(actor=actor, period=period, unit=units["workgroup"], day=DAY)
        report_submit_zero(actor=actor, report=report)
    return period


def test_chinese_numbers():
    assert [cn_number(n) for n in (1, 10, 11, 20, 35)] == ["一", "十", "十一", "二十", "三十五"]


def test_content_lists_late_zero_and_missing(filed, units):
    with time_machine.travel(at(DAY, 18), tick=False):
        content = gather(filed, DAY)
    statuses = {u.name: u.status for u in content.units}
    assert statuses[units["county_operator"].name] == "on_time"
    assert statuses[units["workgroup"].name] == "late"
    assert statuses[units["outsider"].name] == "missing"
    assert content.number == 11 and content.issuer.endswith("指挥部综合组")


def test_bulletins_are_compiled_in_the_background_and_archived(
    filed, actor_of, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    actor = actor_of("comprehensive")
    with (
        time_machine.travel(at(DAY, 18), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        docx = bulletin_request(actor=actor, period=filed, day=DAY, fmt="docx")
        xlsx = bulletin_request(actor=actor, period=filed, day=DAY, fmt="xlsx")
    docx.refresh_from_db()
    xlsx.refresh_from_db()
    assert docx.status == xlsx.status == BulletinStatus.DONE
    assert "第11期-2022-01-20" in docx.file.name
    with zipfile.ZipFile(docx.file.path) as z:
        body = z.read("word/document.xml").decode()
        footer = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert "疫情防控工作日报" in body and "第 11 期" in body and "综合组" in body
    assert "缺报单位" in body and "E60012" in body
    assert "PAGE" in footer and "— " in footer
    book = load_workbook(xlsx.file.path)
    assert book.sheetnames == ["全州数据", "报送情况", "各单位数据", "工作情况"]
    texts = [c.value for row in book["工作情况"].iter_rows() for c in row if c.value]
    assert "'=SUM(A1) 加强夜间值守。" in texts or "=SUM(A1) 加强夜间值守。" not in texts
    assert Bulletin.objects.filter(day=DAY).count() == 2


def test_only_the_comprehensive_group_compiles(filed, actor_of):
    from fangkong.core.errors import PermissionDenied

    for key in ("hq", "county_operator", "workgroup"):
        with pytest.raises(PermissionDenied):
            bulletin_request(actor=actor_of(key), period=filed, day=DAY)


def test_the_command_writes_the_file(filed, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "bulletin.xlsx"
    call_command("reports-compile", "--date", DAY.isoformat(), "--format", "xlsx",
                 "--out", str(out))  # fmt: skip
    assert out.stat().st_size > 0


def _needs_libreoffice():
    if libreoffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required on CI")
        pytest.skip("LibreOffice is not installed")


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_libreoffice_opens_the_bulletin(filed, tmp_path, fmt):
    """Both files convert headless without error: what leaders open, LibreOffice reads."""
    from django.core.management import call_command

    _needs_libreoffice()
    source = tmp_path / f"bulletin.{fmt}"
    call_command("reports-compile", "--date", DAY.isoformat(), "--format", fmt,
                 "--out", str(source))  # fmt: skip
    pdf = convert(source, to="pdf", out_dir=tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-"
