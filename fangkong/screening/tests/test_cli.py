"""fangkong screening-import: JSON summary with the documented keys, exit codes."""

import json

import pytest
from django.core.management import call_command

from .conftest import HEADER, ID_A, ID_B, csv_bytes, row

pytestmark = pytest.mark.django_db


def _run(capsys, *args):
    try:
        call_command("screening-import", *args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_output_has_exactly_the_documented_keys(tmp_path, world, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["标题"],
                HEADER,
                row(1, "张三", ID_A, address="吉首市矮寨镇德夯村"),
                row(2, "张三", ID_A, address="吉首市矮寨镇德夯村"),
                row(3, "李四", ID_B, address="龙山县"),
                row(4, "王五", "", "13912345678", "长沙市"),
                row(5, "赵六"),
            ]
        )
    )
    code, out, _ = _run(capsys, str(path), "--category", "risk_area", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "batch",
        "rows",
        "valid",
        "invalid",
        "created",
        "matched",
        "duplicates_in_file",
        "assigned",
        "errors",
    ]
    assert data["rows"] == 5 and data["valid"] == 4 and data["invalid"] == 1
    assert data["created"] == 2 and data["matched"] == 0 and data["duplicates_in_file"] == 1
    assert data["assigned"] == {"village": 1, "township": 0, "county": 1, "unassigned": 1}
    assert data["errors"] == [
        {"row": 7, "field": "身份证号", "message": "证件号码和手机号都为空，至少填写一项"}
    ]


def test_refused_file_exits_2_and_a_repeat_is_refused(tmp_path, world, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([HEADER, row(1, "张三", ID_A)]))
    assert _run(capsys, str(path), "--category", "risk_area")[0] == 0
    code, _, err = _run(capsys, str(path), "--category", "risk_area")
    assert code == 2 and "已于" in err
    assert (
        _run(
            capsys,
            str(path),
            "--category",
            "risk_area",
            "--allow-duplicate",
            "--deadline-hours",
            "12",
        )[0]
        == 0
    )
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _run(capsys, str(empty), "--category", "risk_area", "--json")[0] == 2
