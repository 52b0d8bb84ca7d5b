import datetime as dt
import zipfile

import pytest
import xlsxwriter

from fangkong.imports.cells import CellError, cell_text, identifier_text, parse_datetime
from fangkong.imports.headers import find_header
from fangkong.imports.readers import OLE2_MAGIC, FileRefused, open_table

SYNONYMS = {
    "name": ["姓名", "名字"],
    "document_number": ["身份证号", "证件号码", "公民身份号码"],
    "phone": ["手机号", "联系电话", "电话"],
}


def _rows(source):
    return [r.cells for r in source.rows()]


def test_gbk_csv_is_detected_and_read(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_bytes("姓名,身份证号\n张三,11010519491231002X\n".encode("gbk"))
    source = open_table(path)
    assert source.encoding == "gb18030"
    assert _rows(source)[1] == ["张三", "11010519491231002X"]


def test_utf8_csv_with_bom(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("\ufeff姓名,电话\n李四,13900000000\n".encode())
    assert _rows(open_table(path))[0] == ["姓名", "电话"]


def test_tab_separated_text_is_read(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("姓名\t电话\n李四\t13900000000\n", encoding="utf-8")
    assert _rows(open_table(path))[1] == ["李四", "13900000000"]


def test_xlsx_with_merged_title_rows_keeps_sheet_row_numbers(tmp_path):
    path = tmp_path / "push.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("名单")
    sheet.merge_range(0, 0, 0, 2, "湖南省疫情防控指挥部推送名单（2022年1月10日）")
    sheet.write_row(2, 0, ["序号", "姓名", "公民身份号码"])
    sheet.write_row(3, 0, [1, "王五", "433130199001010095"])
    book.close()
    source = open_table(path)
    assert source.kind == "xlsx"
    header, after = find_header(source.rows(), SYNONYMS)
    assert header.row.number == 3
    assert header.columns == {1: "name", 2: "document_number"}
    assert after[0].number == 4
    assert after[0].cells[1] == "王五"


def test_the_first_sheet_with_data_is_read_and_found_without_loading_the_sheets(
    tmp_path, monkeypatch
):
    path = tmp_path / "push.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("说明").set_column(0, 3, 20, book.add_format({"bold": True}))
    empty = book.add_worksheet("空白")
    empty.write_blank(0, 0, None, book.add_format({"bold": True}))  # formatted, no value
    book.add_worksheet("名单").write_row(0, 0, ["姓名", "公民身份号码"])
    book.close()
    loaded = []
    from python_calamine import CalamineWorkbook

    original = CalamineWorkbook.get_sheet_by_name

    def counted(self, name):
        loaded.append(name)
        return original(self, name)

    monkeypatch.setattr(CalamineWorkbook, "get_sheet_by_name", counted)

    source = open_table(path)

    assert source.sheet_name == "名单"
    assert "名单" not in loaded  # found from the XML; rows() loads it once
    assert _rows(source) == [["姓名", "公民身份号码"]]


def test_a_workbook_without_any_value_is_refused(tmp_path):
    path = tmp_path / "空.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("名单").write_blank(0, 0, None, book.add_format({"bold": True}))
    book.close()
    with pytest.raises(FileRefused, match="没有任何数据"):
        open_table(path)


def test_word_document_renamed_xlsx_is_refused(tmp_path):
    path = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(FileRefused, match="Word文档"):
        open_table(path)


def test_password_protected_workbook_is_refused(tmp_path):
    path = tmp_path / "加密.xlsx"
    path.write_bytes(OLE2_MAGIC + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(FileRefused, match="密码"):
        open_table(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(FileRefused, match="空的"):
        open_table(path)


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(FileRefused):
        open_table(path)


@pytest.mark.parametrize(
    ("raw", "expected", "has_time"),
    [
        ("2022-01-09", dt.datetime(2022, 1, 9), False),
        ("2022/1/9", dt.datetime(2022, 1, 9), False),
        ("2022.1.9", dt.datetime(2022, 1, 9), False),
        ("2022年1月9日", dt.datetime(2022, 1, 9), False),
        ("2022年1月9日 14时30分", dt.datetime(2022, 1, 9, 14, 30), True),
        ("2022-01-09 14:30", dt.datetime(2022, 1, 9, 14, 30), True),
        ("2022/1/9 8:05:09", dt.datetime(2022, 1, 9, 8, 5, 9), True),
        ("20220109", dt.datetime(2022, 1, 9), False),
        ("２０２２－０１－０９", dt.datetime(2022, 1, 9), False),
        (44570, dt.datetime(2022, 1, 9), False),
        (44570.5, dt.datetime(2022, 1, 9, 12, 0), True),
        ("44570", dt.datetime(2022, 1, 9), False),
        (dt.datetime(2022, 1, 9, 10, 0), dt.datetime(2022, 1, 9, 10, 0), True),
        (dt.date(2022, 1, 9), dt.datetime(2022, 1, 9), False),
    ],
)
def test_dates_written_every_way(raw, expected, has_time):
    value, with_time = parse_datetime(raw)
    assert value.replace(tzinfo=None) == expected
    assert str(value.tzinfo) == "Asia/Shanghai"
    assert with_time is has_time


@pytest.mark.parametrize("raw", ["2022-02-30", "明天", "1.5", ""])
def test_unreadable_dates_are_explained(raw):
    with pytest.raises(CellError):
        parse_datetime(raw)


def test_identifier_rounded_by_excel_is_refused():
    with pytest.raises(CellError, match="文本"):
        identifier_text(4.3313019900101e17)
    assert identifier_text(13900000000.0) == "13900000000"


def test_cell_text_drops_nul_characters():
    assert cell_text(" 吉首\x00市\x00 ") == "吉首市"
    assert cell_text("\x00 ") == ""
    assert cell_text("吉首市") == "吉首市"
