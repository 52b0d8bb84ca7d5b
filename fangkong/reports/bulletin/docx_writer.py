"""The bulletin as a Word document in the layout of an official bulletin (after GB/T 9704-2012).

A4 with margins 37/35/28/26 mm; a red masthead with the bulletin's name and issue number, the
issuing body and the date over a red rule; the title in 小标宋 22 pt; the body in 仿宋 16 pt on
a fixed 28 pt line; headings 一、 in 黑体 and （一） in 楷体; tables with a title above; page
numbers "— 1 —" centred at the foot. The document names the official fonts; where a machine
lacks them (servers, the rendering in docs/) fonts.conf maps them onto Noto Serif/Sans CJK.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .content import BulletinContent, cn_date, cn_number, figure_value
from .summary import overview_paragraphs, reporting_paragraph

RED = RGBColor(0xE6, 0x00, 0x12)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
BODY_PT = 16
LINE_PT = 28
TABLE_PT = 12
# The issuer and the date share one line under the masthead (a long city name fits at 14 pt).
MASTHEAD_LINE_PT = 14


def _fonts(run, east_asian: str, size: float, *, bold=False, color: RGBColor | None = None):
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    return run


def _paragraph(doc, text="", *, font=BODY_FONT, size=BODY_PT, bold=False, color=None,
               align=None, indent=True, line=LINE_PT, space_before=0):  # fmt: skip
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    if text:
        _fonts(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "E60012")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run("— "), "宋体", 14)
    run = _fonts(p.add_run(), "宋体", 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    _fonts(p.add_run(" —"), "宋体", 14)


def _masthead(doc, c: BulletinContent) -> None:
    _paragraph(doc, c.bulletin_name, font=TITLE_FONT, size=40, color=RED, bold=True,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=60)  # fmt: skip
    _paragraph(doc, f"第 {c.number} 期", size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
               indent=False, space_before=8)  # fmt: skip
    p = _paragraph(doc, indent=False, space_before=8)
    # The issuer flush left, the date flush right, on one line (a right tab at the text edge).
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    p.paragraph_format.tab_stops.add_tab_stop(width, alignment=2)  # right
    _fonts(p.add_run(c.issuer), BODY_FONT, MASTHEAD_LINE_PT)
    _fonts(p.add_run("\t" + cn_date(c.day)), BODY_FONT, MASTHEAD_LINE_PT)
    _red_rule(p)


def _table(doc, title: str, header: list[str], rows: list[list[str]], widths_mm: list[int]):
    _paragraph(doc, title, font=HEADING_FONT, size=14, align=WD_ALIGN_PARAGRAPH.CENTER,
               indent=False, space_before=6)  # fmt: skip
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cells in [header, *rows]:
        row = table.rows[0] if cells is header else table.add_row()
        for i, text in enumerate(cells):
            cell = row.cells[i]
            cell.width = Mm(widths_mm[i])
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER if i else WD_ALIGN_PARAGRAPH.LEFT
            font = HEADING_FONT if cells is header else BODY_FONT
            _fonts(para.add_run(text), font, TABLE_PT)
    return table


def _heading(doc, text: str) -> None:
    _paragraph(doc, text, font=HEADING_FONT)


def _subheading(doc, text: str) -> None:
    _paragraph(doc, text, font=SUBHEADING_FONT)


def write_docx(c: BulletinContent) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    _page_number_footer(section)
    _masthead(doc, c)
    _paragraph(doc, c.title, font=TITLE_FONT, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
               indent=False, line=36, space_before=16)  # fmt: skip
    _paragraph(doc, "")

    _heading(doc, "一、总体情况")
    for text in overview_paragraphs(c) or ["本期暂无平台统计数据。"]:
        _paragraph(doc, text)
    items = [i for i in c.figure_items if i["key"] in c.city_figures]
    if items:
        _table(doc, f"表1  全州主要数据（{c.window_text}）", ["项目", "数量", "单位"],
               [[i["label"], figure_value(c.city_figures, i["key"]), i["unit"]] for i in items],
               [90, 40, 26])  # fmt: skip

    _heading(doc, "二、各单位报送情况")
    _paragraph(doc, reporting_paragraph(c))
    _table(doc, "表2  各单位报送情况", ["报送单位", "状态", "报送时间"],
           [[u.name, u.status_label,
             u.submitted_at.astimezone().strftime("%m-%d %H:%M") if u.submitted_at else "—"]
            for u in c.units], [90, 30, 36])  # fmt: skip
    counties = [u for u in c.counties if u.figures]
    if counties:
        keys = [i for i in c.figure_items if i["key"] in _COUNTY_KEYS]
        _table(doc, "表3  各县市区报送的主要数据", ["县市区", *[i["label"] for i in keys]],
               [[u.name.replace("疫情防控指挥部", ""),
                 *[figure_value(u.figures, i["key"]) for i in keys]] for u in counties],
               [34] + [122 // max(len(keys), 1)] * len(keys))  # fmt: skip

    _heading(doc, "三、各单位工作开展情况")
    filed = [u for u in c.units if u.status not in ("missing", "pending")]
    for n, unit in enumerate(filed, start=1):
        _subheading(doc, f"（{cn_number(n)}）{unit.name}")
        if unit.is_zero:
            _paragraph(doc, "今日无新增情况（零报告）。")
            continue
        for section_ in c.text_sections:
            text = (unit.texts.get(section_["key"]) or "").strip()
            if text:
                _paragraph(doc, f"{section_['title']}：{text}")
        for key, reason in unit.corrections.items():
            label = next((i["label"] for i in c.figure_items if i["key"] == key), key)
            _paragraph(doc, f"数据更正：{label}，{reason}。")
    if not filed:
        _paragraph(doc, "本期无单位报送。")
    missing = c.with_status("missing", "pending")
    _heading(doc, "四、缺报单位")
    _paragraph(doc, "、".join(u.name for u in missing) + "未按时报送，请于明日一并补报。"
               if missing else "无。")  # fmt: skip
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


_COUNTY_KEYS = (
    "screening.received",
    "screening.checked",
    "screening.four_clear_rate",
    "measures.centralised",
    "tests.sampled",
    "checks.total",
)
