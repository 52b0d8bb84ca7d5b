"""Blank rows are skipped wherever a sheet is read."""

import pytest

from fangkong.imports.headers import is_blank


@pytest.mark.parametrize(
    ("cells", "blank"),
    [
        ([], True),
        ([None, "", " ", "\u3000\t"], True),
        (["", None, "张三"], False),
        ([0], False),
        (["1", "张三"], False),
    ],
)
def test_a_row_is_blank_when_every_cell_is_empty_or_white_space(cells, blank):
    assert is_blank(cells) is blank
