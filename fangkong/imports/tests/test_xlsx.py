"""The streaming .xlsx reader gives what calamine gives, whatever wrote the workbook."""

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from fangkong.imports import xlsx
from fangkong.imports.readers import open_table

TITLE = "湖南省疫情防控指挥部推送名单（2022年1月10日）"


def _calamine(path, name):
    """calamine's rows, numbered as the sheet shows them, without blank rows and trailing
    blank cells (which the streaming reader does not pad)."""
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        sheet = workbook.get_sheet_by_name(name)
        first = sheet.start[0] if sheet.start else 0
        return _trimmed((first + i + 1, list(cells)) for i, cells in enumerate(sheet.iter_rows()))
    finally:
        workbook.close()


def _streamed(path, name, piece_rows=None):
    sheet = xlsx.open_sheet(str(path), xlsx.sheets(str(path))[name])
    assert sheet is not None
    pieces = list(sheet.pieces(piece_rows))
    return _trimmed(row for piece in pieces for row in piece.rows()), len(pieces)


def _trimmed(rows):
    kept = []
    for number, cells in rows:
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            kept.append((number, cells))
    return kept


def _list_workbook(path, **options):
    """A provincial push the way offices write it: a merged title, a header below a blank
    row, an empty first column, numbers, dates in several formats, gaps, a formula."""
    book = xlsxwriter.Workbook(path, options)
    sheet = book.add_worksheet("名单")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    chinese_day = book.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
    builtin_chinese = book.add_format({"num_format": 31})
    clock = book.add_format({"num_format": "hh:mm"})
    elapsed = book.add_format({"num_format": "[h]:mm"})
    bold = book.add_format({"bold": True})
    sheet.merge_range(0, 1, 0, 6, TITLE, bold)
    sheet.write_row(2, 1, ["序号", "姓名", "公民身份号码", "联系电话", "现住址", "抵达时间"], bold)
    for i in range(40):
        row = 3 + i
        sheet.write_number(row, 1, i + 1)
        sheet.write_string(row, 2, f"张{i}&<李>")
        sheet.write_string(row, 3, f"43313019900101{i:04d}")
        sheet.write_number(row, 4, 13800000000 + i)
        if i % 5:
            sheet.write_string(row, 5, f"吉首市乾州街道{i}号 _x000D_")
        formats = [day, moment, chinese_day, builtin_chinese]
        sheet.write_datetime(row, 6, dt.datetime(2022, 1, 9, i % 24, 30 * (i % 2)), formats[i % 4])
    sheet.write_number(44, 2, 0.25, clock)
    sheet.write_number(44, 3, 1.5, elapsed)
    sheet.write_boolean(44, 4, True)
    sheet.write_formula(44, 5, '="甲"&"乙"', None, "甲乙")
    sheet.write_formula(44, 6, "=1+2", None, 3)
    sheet.write_rich_string(45, 2, "红", bold, "码", "人员")
    sheet.write_number(45, 3, 13800000000, day)  # a phone typed into a date column
    sheet.write_string(46, 3, "  前后空格  ")
    book.close()


@pytest.mark.parametrize("options", [{}, {"constant_memory": True}], ids=["shared", "inline"])
def test_a_list_written_by_xlsxwriter_reads_as_calamine_reads_it(tmp_path, options):
    path = tmp_path / "名单.xlsx"
    _list_workbook(path, **options)

    rows, pieces = _streamed(path, "名单")

    assert rows == _calamine(path, "名单")
    assert rows[0] == (1, [TITLE])  # the sheet's first column (B) is the cells' first
    assert rows[2] == (
        4,
        [1.0, "张0&<李>", "433130199001010000", 13800000000.0, "", dt.date(2022, 1, 9)],
    )
    assert rows[3][1][4] == "吉首市乾州街道1号 _x000D_"  # xlsxwriter escaped it as _x005F_x000D_
    assert rows[4][1][5] == dt.datetime(2022, 1, 9, 2, 0)
    assert rows[-3:] == [
        (45, ["", dt.time(6, 0), dt.timedelta(hours=36), True, "甲乙", 3.0]),
        (46, ["", "红码人员", 13800000000.0]),
        (47, ["", "", "  前后空格  "]),
    ]


def test_pieces_cut_anywhere_give_the_same_rows(tmp_path, monkeypatch):
    path = tmp_path / "名单.xlsx"
    _list_workbook(path)

    whole, one = _streamed(path, "名单")
    monkeypatch.setattr(xlsx, "CHUNK_BYTES", 300)  # row ends come apart between reads
    cut, many = _streamed(path, "名单", piece_rows=2)

    assert one == 1 and many > 15
    assert cut == whole


def test_a_workbook_written_by_openpyxl(tmp_path):
    path = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "身份证号", "到达日期", "人数"])
    sheet.append(["王五", "433130199001010095", dt.datetime(2022, 1, 9, 8, 0), 3])
    sheet.append(["赵六", None, dt.date(2022, 1, 10), 2.5])
    sheet["F7"] = "远处的格"
    book.save(path)

    rows, _ = _streamed(path, "名单")

    assert rows == _calamine(path, "名单")
    assert rows[-1] == (7, ["", "", "", "", "", "远处的格"])


def _rewritten(path, target, rewrite):
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = rewrite(data.decode()).encode()
            copy.writestr(item, data)


def test_prefixed_elements_and_missing_references(tmp_path):
    path = tmp_path / "名单.xlsx"
    _list_workbook(path)
    prefixed = tmp_path / "prefixed.xlsx"
    unnumbered = tmp_path / "unnumbered.xlsx"

    def prefix(xml):
        xml = re.sub(r"<(/?)(?!\?)([A-Za-z]\w*)", r"<\1x:\2", xml)
        return xml.replace('x:worksheet xmlns="', 'x:worksheet xmlns:x="')

    def unnumber(xml):
        # Rows and cells without their references, every row written, every cell in place.
        return re.sub(r' r="[A-Z]*\d+"', "", xml.replace("<sheetData/>", ""))

    _rewritten(path, prefixed, prefix)
    _rewritten(path, unnumbered, unnumber)
    expected, _ = _streamed(path, "名单")

    assert _streamed(prefixed, "名单", piece_rows=3)[0] == expected
    assert _calamine(prefixed, "名单") == expected
    # Numbered in order instead: the blank second row is not in the XML, so the header is
    # the second row now, for calamine as well.
    unnumbered_rows, _ = _streamed(unnumbered, "名单", piece_rows=3)
    assert unnumbered_rows == _calamine(unnumbered, "名单")
    assert [number for number, _ in unnumbered_rows[:3]] == [1, 2, 3]
    assert [cells for _, cells in unnumbered_rows[:2]] == [cells for _, cells in expected[:2]]


def test_rows_of_a_big_sheet_come_in_flat_memory(tmp_path):
    """The sheet is inflated a quarter of a megabyte at a time and read in pieces of about
    PIECE_ROWS rows: a 6 MB sheet's XML never sits whole."""
    path = tmp_path / "大.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet()
    for row in range(60_000):
        sheet.write_row(row, 0, [row, f"姓名{row}", f"43313019900101{row % 10_000:04d}", "地址"])
    book.close()
    member = xlsx.sheets(str(path))["Sheet1"]
    sheet_xml = zipfile.ZipFile(path).getinfo(member).file_size
    opened = xlsx.open_sheet(str(path), member)
    assert opened is not None

    pieces = list(opened.pieces())
    counts = [len(piece.rows()) for piece in pieces]

    assert sum(len(piece.data) for piece in pieces) <= sheet_xml
    assert len(pieces) == 6 and sum(counts) == 60_000
    assert all(xlsx.PIECE_ROWS <= count < xlsx.PIECE_ROWS * 1.5 for count in counts[:-1])
    rows = list(opened.rows())
    assert len(rows) == 60_000 and rows[-1] == (
        60_000,
        [59_999.0, "姓名59999", "433130199001019999", "地址"],
    )


def test_the_importers_read_an_xlsx_sheet_streamed(tmp_path, monkeypatch):
    path = tmp_path / "名单.xlsx"
    _list_workbook(path)
    monkeypatch.setattr(CalamineWorkbook, "get_sheet_by_name", _not_loaded)

    source = open_table(path)

    assert source.sheet_member == "xl/worksheets/sheet1.xml"
    rows = [(r.number, r.cells[:2]) for r in source.rows()]
    assert rows[:2] == [(1, [TITLE]), (3, ["序号", "姓名"])]


def _not_loaded(self, name):
    raise AssertionError(f"calamine loaded the sheet {name}")


def test_a_package_laid_out_otherwise_is_left_to_calamine(tmp_path):
    path = tmp_path / "名单.xlsx"
    _list_workbook(path)
    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(odd, "w") as copy:
        for item in source.infolist():
            if item.filename != "xl/_rels/workbook.xml.rels":
                copy.writestr(item, source.read(item.filename))

    assert xlsx.open_sheet(str(odd), "xl/worksheets/sheet1.xml") is None


def test_shared_strings_are_read_as_far_as_the_cells_need(tmp_path):
    """The header's rows need the first strings: the rest of a big table is not read for
    them (a million rows hold three to four million distinct texts)."""
    path = tmp_path / "名单.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("名单")
    sheet.write_row(0, 0, ["姓名", "公民身份号码"])
    for row in range(1, 40_001):
        sheet.write_row(row, 0, [f"姓名{row}", f"43313019900101{row:05d}"])
    book.close()
    opened = xlsx.open_sheet(str(path), xlsx.sheets(str(path))["名单"])
    assert opened is not None

    rows = opened.rows()
    assert next(rows) == (1, ["姓名", "公民身份号码"])
    strings = opened.strings()
    read = len(strings)
    *_, last = rows

    assert 0 < read < 80_000 / 2  # a megabyte of the strings' XML
    assert last == (40_001, ["姓名40000", "4331301990010140000"])
    assert len(strings) == 80_002 and strings.get(80_001) == "4331301990010140000"
    assert strings.get(0) == "姓名"
    # Across the first block's end (65,536 strings): each row's name, then its document.
    assert [strings.get(i) for i in range(65_534, 65_538)] == [
        "姓名32767",
        "4331301990010132767",
        "姓名32768",
        "4331301990010132768",
    ]
    assert opened.strings() is not strings  # let go once the sheet is read
