"""The bulletin as an Excel workbook: the city's figures, every unit's figures, statuses, text."""

from __future__ import annotations

from io import BytesIO

import xlsxwriter

from .content import BulletinContent, cn_date


def _safe(text: str) -> str:
    # Never let a unit's text become a spreadsheet formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def write_xlsx(c: BulletinContent) -> bytes:
    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    title = book.add_format({"bold": True, "font_size": 14, "font_name": "宋体"})
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    num = book.add_format({"border": 1, "num_format": "#,##0.##"})
    heading = f"{c.bulletin_name} 第{c.number}期 {cn_date(c.day)}（{c.window_text}）"

    sheet = book.add_worksheet("全州数据")
    sheet.write(0, 0, heading, title)
    sheet.write_row(2, 0, ["项目", "数量", "单位"], head)
    row = 3
    for item in c.figure_items:
        if item["key"] in c.city_figures:
            sheet.write(row, 0, item["label"], cell)
            sheet.write_number(row, 1, c.city_figures[item["key"]], num)
            sheet.write(row, 2, item["unit"], cell)
            row += 1
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 12)

    sheet = book.add_worksheet("报送情况")
    sheet.write(0, 0, heading, title)
    sheet.write_row(2, 0, ["报送单位", "状态", "首次报送时间"], head)
    for i, unit in enumerate(c.units, start=3):
        when = (
            unit.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M") if unit.submitted_at else ""
        )
        sheet.write_row(i, 0, [unit.name, unit.status_label, when], cell)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 2, 18)

    sheet = book.add_worksheet("各单位数据")
    sheet.write(0, 0, heading, title)
    sheet.write_row(2, 0, ["报送单位", *[f"{i['label']}（{i['unit']}）" for i in c.figure_items]],
                    head)  # fmt: skip
    for r, unit in enumerate(c.units, start=3):
        sheet.write(r, 0, unit.name, cell)
        for col, item in enumerate(c.figure_items, start=1):
            value = unit.figures.get(item["key"])
            if value is None:
                sheet.write_blank(r, col, None, cell)
            else:
                sheet.write_number(r, col, value, num)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, len(c.figure_items), 12)
    sheet.freeze_panes(3, 1)

    sheet = book.add_worksheet("工作情况")
    sheet.write(0, 0, heading, title)
    sheet.write_row(2, 0, ["报送单位", *[s["title"] for s in c.text_sections], "数据更正"], head)
    for r, unit in enumerate(c.units, start=3):
        sheet.write(r, 0, unit.name, cell)
        for col, section in enumerate(c.text_sections, start=1):
            sheet.write(r, col, _safe(unit.texts.get(section["key"], "")), cell)
        fixes = "；".join(f"{k}：{v}" for k, v in unit.corrections.items())
        sheet.write(r, len(c.text_sections) + 1, _safe(fixes), cell)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, len(c.text_sections) + 1, 40)
    book.close()
    return buffer.getvalue()
