"""A realistic pushed list for the screening benchmark: deterministic, fast to generate.

Rows look like a provincial push: a title row, then 序号, 姓名, 身份证号, 联系电话, 现居住地,
来源地, 抵达时间, 健康码. About 5 % repeat an earlier person, 1 % are invalid (bad check digit,
neither document nor phone, or an unreadable date), about 3 % carry a phone and no document.
Addresses are written the way people write them, from the home city's division tree.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass

HEADER = ["序号", "姓名", "身份证号", "联系电话", "现居住地", "来源地", "抵达时间", "健康码"]
TITLE = "湘西州重点人员排查名单（省疫情防控指挥部推送）"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐彭向田龙石麻滕符瞿覃"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国文玉珍红梅春花志"
PLACES = [
    "陕西省西安市雁塔区",
    "天津市津南区",
    "河南省郑州市",
    "河南省安阳市",
    "浙江省宁波市北仑区",
    "广东省深圳市",
    "广东省广州市",
    "上海市浦东新区",
    "北京市丰台区",
    "云南省瑞丽市",
]
AREA_CODES = [
    "433101",
    "433122",
    "433123",
    "433124",
    "433125",
    "433126",
    "433127",
    "433130",
    "430102",
    "430104",
    "110105",
    "440106",
    "610113",
    "120112",
    "410502",
]
PHONE_PREFIXES = [
    "139",
    "138",
    "137",
    "136",
    "135",
    "150",
    "151",
    "152",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "186",
    "133",
    "153",
    "180",
    "181",
    "189",
    "177",
    "199",
]


@dataclass
class Places:
    """(county, township, village) address names under the home city."""

    villages: list[tuple[str, str, str]]


def check_char(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


class ListGenerator:
    def __init__(self, places: Places, seed: int = 20220110):
        self.rng = random.Random(seed)
        self.places = places
        self.recent: list[tuple[str, str]] = []
        self.duplicate_rows: set[int] = set()
        self.issued: set[str] = set()

    def _id(self) -> str:
        """A valid resident ID never handed out before in this list (first 17 unique)."""
        r = self.rng
        while True:
            born = dt.date(1950, 1, 1) + dt.timedelta(days=r.randrange(365 * 65))
            first17 = f"{r.choice(AREA_CODES)}{born:%Y%m%d}{r.randrange(1000):03d}"
            if first17 not in self.issued:
                self.issued.add(first17)
                return first17 + check_char(first17)

    def _phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def _address(self) -> str:
        r = self.rng
        county, township, village = r.choice(self.places.villages)
        house = f"{r.randint(1, 12)}组{r.randint(1, 90)}号"
        style = r.random()
        if style < 0.70:
            return f"湘西州{county}{township}{village}{house}"
        if style < 0.80:
            return f"{township}{village}{house}"
        if style < 0.90:
            return f"{county}{township}{r.randint(1, 200)}号"
        if style < 0.95:
            return f"{county}城区{r.randint(1, 200)}号"
        return f"湖南省长沙市岳麓区{r.randint(1, 200)}号"

    def _date(self) -> str:
        r = self.rng
        day = dt.datetime(2022, 1, 1) + dt.timedelta(minutes=r.randrange(10 * 24 * 60))
        style = r.randrange(4)
        if style == 0:
            return f"{day:%Y-%m-%d %H:%M}"
        if style == 1:
            return f"{day.year}/{day.month}/{day.day}"
        if style == 2:
            return f"{day.year}.{day.month}.{day.day}"
        return f"{day.year}年{day.month}月{day.day}日"

    def rows(self, count: int):
        r = self.rng
        for number in range(1, count + 1):
            name = (
                r.choice(SURNAMES) + r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.7 else "")
            )
            document, phone = self._id(), self._phone()
            arrived = self._date()
            roll = r.random()
            if roll < 0.05 and self.recent:
                name, document = r.choice(self.recent)
                self.duplicate_rows.add(number)
            elif roll < 0.055:
                document = document[:17] + ("0" if document[17] != "0" else "1")
            elif roll < 0.0575:
                document = phone = ""
            elif roll < 0.06:
                arrived = "待核实"
            elif roll < 0.09:
                document = ""
            if document and number not in self.duplicate_rows:
                if len(self.recent) < 20000:
                    self.recent.append((name, document))
                else:
                    self.recent[r.randrange(20000)] = (name, document)
            code = "红码" if r.random() < 0.3 else "黄码" if r.random() < 0.15 else "绿码"
            yield [
                str(number),
                name,
                document,
                phone,
                self._address(),
                r.choice(PLACES),
                arrived,
                code,
            ]


def write_csv(path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([TITLE] + [""] * (len(HEADER) - 1))
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(path, rows) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet("名单")
    sheet.write_string(0, 0, TITLE)
    for col, label in enumerate(HEADER):
        sheet.write_string(1, col, label)
    for row_index, row in enumerate(rows, start=2):
        for col, value in enumerate(row):
            if value:
                sheet.write_string(row_index, col, value)
    workbook.close()


def write_reference_csv(path, rows, skip: set[int]) -> int:
    """The same rows without the repeats (the raw COPY reference has a unique document
    index, which repeated documents would violate); empty cells load as NULL."""
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows:
            if int(row[0]) in skip:
                continue
            writer.writerow(row)
            written += 1
    return written


def with_shared_strings(source, target) -> None:
    """The workbook as Excel saves it: each distinct text once in the shared strings, the
    cells naming it by its index (xlsxwriter's constant-memory mode writes texts inline)."""
    import re
    import zipfile

    inline = re.compile(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>')
    indexes: dict[bytes, int] = {}
    count = 0

    def shared(found: re.Match) -> bytes:
        nonlocal count
        count += 1
        index = indexes.setdefault(found.group(2), len(indexes))
        return b'<c r="%s" t="s"><v>%d</v></c>' % (found.group(1), index)

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename.startswith("xl/worksheets/"):
                with old.open(item) as sheet, new.open(item.filename, "w", force_zip64=True) as out:
                    tail = b""
                    while chunk := sheet.read(1 << 22):
                        data = tail + chunk
                        cut = data.rfind(b"</row>") + 6 if b"</row>" in data else 0
                        out.write(inline.sub(shared, data[:cut]))
                        tail = data[cut:]
                    out.write(inline.sub(shared, tail))
                continue
            data = old.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            new.writestr(item, data)
        with new.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://'
                b'schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
                b'uniqueCount="%d">' % (count, len(indexes))
            )
            for text in indexes:
                # The texts were escaped for the inline cells already.
                out.write(b"<si><t>" + text + b"</t></si>")
            out.write(b"</sst>")
