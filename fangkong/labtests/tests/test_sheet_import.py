"""Lab-sheet import: every row error reported with row, column and reason; all or nothing."""

import time_machine

from fangkong.accounts.models import RoleAssignment
from fangkong.core.actor import Actor
from fangkong.imports.readers import csv_text
from fangkong.labtests.models import NatTest
from fangkong.labtests.sheets import nat_sheet_import
from fangkong.people.models import Person

NOW = "2022-01-10 18:00+08:00"


def _actor(world, key="county_lab"):
    a = RoleAssignment.objects.select_related("region").get(user=world.user(key))
    return Actor.build(user=a.user, region=a.region, role=a.role)


def _sheet(tmp_path, rows, encoding="utf-8"):
    path = tmp_path / "results.csv"
    header = (
        ["湘西州疾控中心核酸检测结果"],
        ["序号", "姓名", "身份证号", "采样时间", "检测结果", "检测机构"],
    )
    path.write_bytes(csv_text([*header, *rows], encoding=encoding))
    return path


def _people(world):
    return list(
        Person.objects.filter(region__code__startswith=world.home_county.code).order_by("id")[:2]
    )


@time_machine.travel(NOW, tick=False)
def test_clean_sheet_records_every_row(world, tmp_path):
    a, b = _people(world)
    path = _sheet(
        tmp_path,
        [
            ["1", a.name, a.document_number, "2022-01-10 08:30", "阴性", "州疾控"],
            ["2", b.name, b.document_number, "2022/1/10 9:05", "阴性", ""],
        ],
        encoding="gbk",
    )
    report = nat_sheet_import(actor=_actor(world), path=path, filename="结果.csv", lab="默认")
    assert report.ok and report.recorded == 2
    assert set(NatTest.objects.values_list("lab", flat=True)) == {"州疾控", "默认"}


@time_machine.travel(NOW, tick=False)
def test_all_row_errors_are_reported_and_nothing_is_recorded(world, tmp_path):
    a, b = _people(world)
    outsider = Person.objects.filter(region__code__startswith=world.other_county.code).first()
    path = _sheet(
        tmp_path,
        [
            ["1", a.name, a.document_number, "2022-01-10 08:30", "阴性", ""],  # fine
            ["2", b.name, "43310119900101123", "2022-01-10 08:30", "阴性", ""],  # too short
            ["3", b.name, b.document_number, "昨天", "阴性", ""],  # bad date
            ["4", b.name, b.document_number, "2022-01-10 08:00", "弱阳", ""],  # bad result
            ["5", outsider.name, outsider.document_number, "2022-01-10 08:00", "阴性", ""],
            ["6", "错名字", a.document_number, "2022-01-10 10:00", "阴性", ""],
            ["7", a.name, a.document_number, "2022-01-10 08:30", "阴性", ""],  # repeats row 1
            ["8", a.name, a.document_number, "2022-01-11 08:30", "阴性", ""],  # future
        ],
    )
    report = nat_sheet_import(actor=_actor(world), path=path, filename="结果.csv")
    got = [(e.row, e.field) for e in report.errors]
    assert got == [
        (4, "身份证号"),
        (5, "采样时间"),
        (6, "检测结果"),
        (7, "身份证号"),
        (8, "姓名"),
        (9, "身份证号"),
        (10, "采样时间"),
    ]
    assert "18位" in report.errors[0].message
    assert report.recorded == 0 and NatTest.objects.count() == 0


def test_missing_columns_are_named(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_text([["姓名", "身份证号"], ["张三", "433101199001011235"]]))
    report = nat_sheet_import(actor=_actor(world), path=path)
    assert {e.field for e in report.errors} == {"sampled_at", "result"}


def test_a_pdf_is_refused_with_a_reason(world, tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4 ...")
    report = nat_sheet_import(actor=_actor(world), path=path)
    assert not report.ok and "PDF" in report.errors[0].message
