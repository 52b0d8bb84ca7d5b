"""A part is validated as columns when its cells are text; other rows take the row reader.
Either way a row comes out the same."""

import pytest

from fangkong.core import crypto
from fangkong.imports.headers import find_header
from fangkong.imports.readers import open_table
from fangkong.screening.fastrows import stage_part
from fangkong.screening.matching import AddressMatcher
from fangkong.screening.rows import SYNONYMS, RowReader

from .conftest import HEADER, ID_A, ID_B, ID_C, csv_bytes, row

pytestmark = pytest.mark.django_db
ADDRESS = "吉首市峒河街道峒河社区"
ENCRYPTED = ("doc_number", "phone", "secret")


def _reader(tmp_path) -> RowReader:
    path = tmp_path / "header.csv"
    path.write_bytes(csv_bytes([HEADER]))
    header, _ = find_header(open_table(path, path.name).rows(), SYNONYMS, {})
    assert header is not None
    return RowReader(header)


def _staged(reader, part) -> dict[int, dict]:
    frame, errors, count = stage_part(reader, AddressMatcher(), part)
    assert count == len(part)
    rows = {}
    for values in frame.to_dicts():
        for name in ENCRYPTED:
            values[name] = crypto.decrypt(values[name])
        rows[values["row_number"]] = values
    return rows


def test_text_rows_come_out_the_same_beside_rows_the_row_reader_takes(tmp_path, world):
    reader = _reader(tmp_path)
    text = [
        (2, row(1, "张三", ID_A, "13912345678", ADDRESS)),
        (3, row(2, "李四", ID_B.lower(), "+86 139-1234-5679", ADDRESS)),
        (4, row(3, "王五", "bad", "", ADDRESS)),
    ]
    odd = [
        (5, [4, "赵六", ID_C, 13912345670, ADDRESS, "", "", ""]),  # numbers, as xlsx gives
        (6, ["5", "钱七", ID_C, None, ADDRESS, "", "", ""]),  # an empty xlsx cell
        (7, ["6", "孙八", ID_A]),  # a short row
    ]
    alone = _staged(reader, text)
    # A number, an empty cell, a short row: each sends the part to the row-by-row split.
    for extra in ([odd[0]], [odd[1]], [odd[2]], odd):
        mixed = _staged(reader, text + extra)
        assert sorted(mixed) == [2, 3, 4] + [n for n, _ in extra]
        assert all(mixed[n] == alone[n] for n in alone)
    assert alone[2]["phone"] == "13912345678" and alone[3]["doc_number"] == ID_B
    assert alone[4]["invalid"] and not alone[2]["invalid"]
    assert mixed[5]["phone"] == "13912345670" and mixed[5]["doc_number"] == ID_C
    assert mixed[7]["doc_number"] == ID_A and mixed[7]["address"] == ""
