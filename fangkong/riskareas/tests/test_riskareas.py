import datetime as dt
import json
import re

import pytest
from django.core.management import call_command

from fangkong.core.actor import Actor
from fangkong.core.errors import PermissionDenied
from fangkong.riskareas.models import RiskArea, RiskAreaChange
from fangkong.riskareas.selectors import level_on
from fangkong.riskareas.services import AreaInput, riskarea_lift, riskarea_save

TZ = dt.timezone(dt.timedelta(hours=8))
JAN = dt.datetime(2022, 1, 1, tzinfo=TZ)
pytestmark = pytest.mark.django_db


def area(code="420106001", level="medium", starts=JAN, lifted=None, name="武昌区某小区"):
    return riskarea_save(
        actor=None,
        given=AreaInput(
            code=code, name=name, level=level, effective_from=starts, lifted_at=lifted
        ),  # fmt: skip
    )[0]


def test_a_county_is_affected_by_any_area_inside_it(world):
    area()

    assert level_on("420106", JAN + dt.timedelta(days=1)) == "medium"
    assert level_on("420106002001", JAN + dt.timedelta(days=1)) == "medium"
    assert level_on("420100", JAN + dt.timedelta(days=1)) == "medium"
    assert level_on("433101", JAN + dt.timedelta(days=1)) is None


def test_the_highest_level_wins_and_time_bounds_hold(world):
    area(level="medium")
    area(code="420106002", level="high", starts=JAN + dt.timedelta(days=5), name="另一小区")

    assert level_on("420106", JAN + dt.timedelta(days=1)) == "medium"
    assert level_on("420106", JAN + dt.timedelta(days=5)) == "high"
    assert level_on("420106", JAN - dt.timedelta(seconds=1)) is None


def test_an_area_lifted_the_day_before_does_not_count_on_the_day(world):
    area(level="high", lifted=dt.datetime(2022, 1, 9, 18, 0, tzinfo=TZ))

    assert level_on("420106", dt.date(2022, 1, 9)) == "high"
    assert level_on("420106", dt.date(2022, 1, 10)) is None
    assert level_on("420106", dt.datetime(2022, 1, 9, 17, 59, tzinfo=TZ)) == "high"
    assert level_on("420106", dt.datetime(2022, 1, 9, 18, 0, tzinfo=TZ)) is None


def test_lifting_keeps_history_and_refreshes_the_answer(world):
    created = area(level="high")
    assert level_on("420106", JAN + dt.timedelta(days=2)) == "high"

    riskarea_lift(actor=None, area_id=created.pk, lifted_at=JAN + dt.timedelta(days=1))

    assert level_on("420106", JAN + dt.timedelta(days=2)) is None
    assert list(RiskAreaChange.objects.filter(area=created).values_list("action", flat=True)) == [
        "lifted",
        "created",
    ]


def test_only_the_hq_edits(world):
    county = Actor.build(user=None, region=world.home_county, role="operator")
    with pytest.raises(PermissionDenied):
        riskarea_save(actor=county, given=AreaInput("420106", "x", "high", JAN))


def test_import_reports_every_bad_row_and_stores_the_good(world, tmp_path, capsys):
    sheet = tmp_path / "areas.csv"
    sheet.write_text(
        "全国中高风险地区清单（1月10日）\n"
        "地区代码,风险区名称,风险等级,生效时间,解除时间\n"
        "420106001,武昌区某街道某小区,中,2022-01-05 10:00,\n"
        "420106,武昌区某社区,高,2022/1/6,\n"
        "999999,不存在的县,高,2022-01-05,\n"
        "420106002,名称,特别高,2022-01-05,\n"
        "420106003,时间错,中,明天,\n"
        "420106004,解除早于生效,中,2022-01-05,2022-01-01\n",
        encoding="utf-8",
    )
    call_command("riskareas-import", str(sheet), "--json")
    first = json.loads(capsys.readouterr().out)

    assert first["rows"] == 6 and first["created"] == 2 and first["invalid"] == 4
    assert {(e["row"], e["field"]) for e in first["errors"]} == {
        (5, "地区代码"),
        (6, "风险等级"),
        (7, "生效时间"),
        (8, "解除时间"),
    }
    call_command("riskareas-import", str(sheet), "--json")
    again = json.loads(capsys.readouterr().out)
    assert again["created"] == 0 and again["unchanged"] == 2
    assert RiskArea.objects.count() == 2


def test_a_file_without_the_header_is_refused(world, tmp_path, capsys):
    sheet = tmp_path / "nothing.csv"
    sheet.write_text("甲,乙\n1,2\n", encoding="utf-8")

    with pytest.raises(SystemExit) as stopped:
        call_command("riskareas-import", str(sheet), "--json")

    assert stopped.value.code == 2
    assert "refused" in json.loads(capsys.readouterr().out)


def test_the_list_comes_50_a_page_and_keeps_its_filters(client, world):
    for n in range(53):
        area(code=f"420106{n:03d}", name=f"武昌区小区{n}")
    area(code="420106999", level="high", name="洪山区某小区")
    client.force_login(world.user("grid_worker"))
    first = client.get("/riskareas/?level=medium").content.decode()
    assert len(re.findall(r"武昌区小区\d+", first)) == 50
    assert "level=medium&amp;page=2" in first and "洪山区某小区" not in first
    second = client.get("/riskareas/?level=medium&page=2").content.decode()
    names = re.findall(r"武昌区小区\d+", first + second)
    assert len(set(names)) == 53
    found = client.get("/riskareas/?q=洪山").content.decode()
    assert "洪山区某小区" in found and 'value="洪山"' in found and "武昌区小区" not in found
