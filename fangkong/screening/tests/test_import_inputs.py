"""Every messy input a real list brings, and the file-level refusals."""

import datetime as dt
import re
import zipfile

import pytest
from django.utils.timezone import localtime

from fangkong.imports import xlsx
from fangkong.imports.readers import OLE2_MAGIC
from fangkong.screening import parallel
from fangkong.screening.importer import result_json
from fangkong.screening.models import ScreeningBatch, ScreeningRecord

from .conftest import HEADER, ID_A, ID_B, ID_C, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


def _records(result):
    return {r.row_number: r for r in ScreeningRecord.objects.filter(batch=result.batch)}


def test_gbk_csv_with_title_rows_is_read(run_import):
    data = csv_bytes(
        [
            ["湘西州重点人员排查名单"],
            ["（省指挥部推送）"],
            HEADER,
            row(1, "张三", ID_A, "13912345678", "吉首市矮寨镇德夯村3组"),
        ],
        encoding="gbk",
    )
    result = run_import(data)
    assert result.stored
    record = _records(result)[4]
    assert record.name == "张三" and record.region_id == "433101100200"


@pytest.mark.parametrize(
    "header",
    [
        ["名字", "证件号码", "手机号", "居住地址", "途经地", "到达日期"],
        ["人员姓名", "公民身份号码", "电话", "现住址", "风险地区", "返回时间"],
        ["姓名*", "身份证号（必填）", "联系电话", "现居住地（详细到门牌）", "来源地", "抵达时间"],
    ],
)
def test_header_variants_are_recognised(run_import, header):
    data = csv_bytes(
        [header, ["李四", ID_B, "13812345678", "龙山县洛塔乡泽果村", "天津", "2022/1/9"]]
    )
    result = run_import(data)
    assert result.stored, result.refused
    record = _records(result)[2]
    assert record.source_place == "天津"
    assert record.region_id == "433130200201"
    assert localtime(record.arrived_at).date() == dt.date(2022, 1, 9)


@pytest.mark.parametrize(
    "text", ["2022-01-09", "2022/1/9", "2022.1.9", "2022年1月9日", "2022-01-09 14:30", "44570"]
)
def test_text_dates_and_excel_serials(run_import, text):
    result = run_import(csv_bytes([HEADER, row(1, "张三", ID_A, arrived=text)]))
    assert localtime(_records(result)[2].arrived_at).date() == dt.date(2022, 1, 9)


def test_xlsx_with_merged_title_date_cells_and_numbers(run_import):
    data = xlsx_bytes(
        [
            ["湘西州排查名单"],
            HEADER,
            row(1, "张三", ID_A, "", "吉首市矮寨镇小兴村"),
            ["2", "王五", "", 13712345678, "吉首市峒河街道", "天津", 44570.5, "红码"],
        ],
        dates={(2, 6): dt.datetime(2022, 1, 9, 8, 30)},
    )
    result = run_import(data, name="名单.xlsx")
    records = _records(result)
    assert localtime(records[3].arrived_at).hour == 8 and records[3].region_id == "433101100201"
    assert records[4].phone == "13712345678" and records[4].health_code == "red"
    assert localtime(records[4].arrived_at).hour == 12 and records[4].region_id == "433101002"


def test_identifier_spellings_are_normalised(run_import):
    result = run_import(csv_bytes([HEADER,
        row(1, "甲", "1101 0519 4912 3100 2x"),
        row(2, "乙", "４４０５２４１８８００１０１００１４", "+86 139-1234-5678"),
        row(3, "丙", "", "0086 13812345678")]))  # fmt: skip
    records = _records(result)
    assert records[2].document_number == ID_A
    assert records[3].document_number == ID_B and records[3].phone == "13912345678"
    assert records[4].phone == "13812345678" and not records[4].invalid


def test_phone_only_row_is_valid_and_row_with_neither_is_kept_for_correction(run_import):
    result = run_import(csv_bytes([HEADER, row(1, "甲", "", "13912345678"), row(2, "乙")]))
    records = _records(result)
    assert not records[2].invalid and records[2].person_id is None
    assert records[3].invalid
    summary = result_json(result)
    assert summary["valid"] == 1 and summary["invalid"] == 1 and summary["rows"] == 2
    assert summary["errors"] == [
        {"row": 3, "field": "身份证号", "message": "证件号码和手机号都为空，至少填写一项"}
    ]


def test_every_row_error_is_reported_with_row_field_and_reason(run_import):
    result = run_import(csv_bytes([["名单"], HEADER,
        row(1, "甲", ID_A[:17] + "1", "13912345678"),
        row(2, "", ID_B, arrived="下周"),
        row(3, "丙", ID_C),
        row(4, "丁", "", "12345")]))  # fmt: skip
    errors = result_json(result)["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [
        (3, "身份证号"),
        (4, "姓名"),
        (4, "抵达时间"),
        (6, "联系电话"),
    ]
    assert "校验位" in errors[0]["message"]
    assert result.batch.rows == 4 and result.batch.invalid == 3


def test_a_malformed_document_makes_the_row_invalid_even_with_a_phone(run_import):
    result = run_import(csv_bytes([HEADER, row(1, "甲", "12345", "13912345678")]))
    assert _records(result)[2].invalid


def test_excel_number_rounded_id_is_explained(run_import):
    data = xlsx_bytes([HEADER, ["1", "甲", 1.10105194912310e17, "13912345678"]])
    errors = result_json(run_import(data, name="a.xlsx"))["errors"]
    assert "文本" in errors[0]["message"]


def _refused(result):
    assert not result.stored
    assert ScreeningBatch.objects.count() == 0 and ScreeningRecord.objects.count() == 0
    return result.refused


def test_word_document_renamed_xlsx_is_refused(run_import, tmp_path):
    path = tmp_path / "doc.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word" in _refused(run_import(path.read_bytes(), name="名单.xlsx"))


@pytest.mark.parametrize("where", ["middle", "end"])
def test_a_workbook_damaged_past_its_header_is_refused_and_nothing_stays(
    run_import, monkeypatch, where
):
    """The sheet is read as it is inflated, 8 KB at a time and in pieces of 500 rows here, so
    damage is found after rows were read: bytes that are not text in the middle, found in
    their piece, or a change found only by the checksum at the sheet's end."""
    monkeypatch.setattr(parallel, "PART_ROWS", 500)
    monkeypatch.setattr(xlsx, "CHUNK_BYTES", 8 * 1024)
    rows = [row(n, f"张{n}", document="", phone=f"139{n:08d}") for n in range(3_000)]
    data = bytearray(_stored_sheet(xlsx_bytes([HEADER, *rows])))
    start, end = data.find(b"<sheetData>"), data.find(b"</sheetData>")
    at = (start + end) // 2 if where == "middle" else end - 20
    data[at : at + 8] = b"\xff\xfe<<&&\x00\x01" if where == "middle" else b"<v>9</v>"

    message = _refused(run_import(bytes(data), name="名单.xlsx"))

    if where == "middle":  # in the sheet's 1,502nd row or so, of 3,001
        assert re.fullmatch(r"表格第1[45]\d\d行之后的内容已损坏，无法读取：.*", message)
    else:  # the checksum says nothing of where
        assert message == "表格已损坏，无法读取：请用Excel打开、另存为.xlsx后重新上传"


def _stored_sheet(data: bytes) -> bytes:
    """The workbook with its parts stored, not compressed: bytes can be changed in place."""
    import io

    copy = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item), zipfile.ZIP_STORED)
    return copy.getvalue()


def test_password_protected_workbook_is_refused(run_import):
    data = OLE2_MAGIC + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    assert "密码" in _refused(run_import(data, name="名单.xlsx"))


def test_empty_file_is_refused(run_import):
    assert "空" in _refused(run_import(b""))


def test_header_only_file_is_refused(run_import):
    assert "没有数据行" in _refused(run_import(csv_bytes([HEADER])))


def test_file_without_recognisable_header_is_refused(run_import):
    assert "表头" in _refused(run_import(csv_bytes([["a", "b"], ["1", "2"]])))


def test_second_upload_of_the_same_file_is_refused_unless_allowed(run_import):
    data = csv_bytes([HEADER, row(1, "张三", ID_A)])
    first = run_import(data)
    assert first.stored
    second = run_import(data)
    assert not second.stored and "已于" in second.refused
    assert ScreeningBatch.objects.count() == 1
    assert run_import(data, allow_duplicate=True).stored


def test_unknown_category_is_refused(run_import):
    assert not run_import(csv_bytes([HEADER, row(1, "张三", ID_A)]), category="x").stored


def test_cells_with_the_characters_a_bulk_write_escapes_are_stored_as_written(run_import):
    place = 'C:\\路径\\N\t"引号",逗号\r\n第二行 \\N'
    data = csv_bytes([HEADER, row(1, "王\\五", ID_A, "13912345678", "吉首市矮寨镇德夯村", place)])
    result = run_import(data)
    assert result.stored, result.refused
    record = _records(result)[2]
    assert record.name == "王\\五"
    assert record.source_place == place
    assert record.values[HEADER.index("来源地")] == place
    assert record.person.name == "王\\五"


def test_nul_characters_in_cells_are_dropped_and_the_row_kept(run_import):
    """A broken export leaves NUL characters in cells; PostgreSQL cannot store them in text
    (the whole import failed there). They carry nothing: dropped, the row read as the rest.
    (In the first 64 KB they mark a file that is not text, refused as such.)"""
    filler = [row(n, "张三", phone=f"139{n:08d}") for n in range(1, 1_501)]
    broken = row(1_501, "王\x00五", ID_A, "139\x0012345678", "吉首市矮寨镇德夯村", "西\x00安市")
    data = csv_bytes([HEADER, *filler, broken])
    assert data.index(b"\x00") > 64 * 1024
    result = run_import(data)
    assert result.stored, result.refused
    assert result.summary["errors"] == []
    record = _records(result)[1_502]
    assert record.name == record.person.name == "王五"
    assert record.source_place == "西安市"
    assert "\x00" not in "".join(record.values)
