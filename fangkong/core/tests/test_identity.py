import pytest

from fangkong.core.identity import (
    DocumentType,
    InvalidIdentifier,
    mask_document,
    mask_mobile,
    mask_name,
    normalize_document,
    normalize_mobile,
    parse_resident_id,
)


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_standard_examples_are_valid(number):
    assert parse_resident_id(number).number == number


def test_lower_case_x_full_width_digits_and_spaces_are_normalised():
    assert parse_resident_id("110105 1949 1231 002x").number == "11010519491231002X"
    assert parse_resident_id("１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"
    assert parse_resident_id("\u3000110105-19491231-002X ").number == "11010519491231002X"


def test_birth_date_and_sex_come_from_the_number():
    parsed = parse_resident_id("11010519491231002X")
    assert parsed.birth_date.isoformat() == "1949-12-31"
    assert parsed.sex == "F"
    assert parse_resident_id("440524188001010014").sex == "M"


def test_legacy_fifteen_digit_number_is_upgraded():
    parsed = parse_resident_id("110105491231002")
    assert parsed.number == "11010519491231002X"
    assert parsed.upgraded_from_legacy


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("110105194912310021", "校验位错误：最后一位应为 X，实际为 1"),
        ("110105194902300028", "出生日期 1949-02-30 不存在"),
        ("11010519491231002", "应为18位，实际为17位"),
        ("1101051949123100XX", "前17位只能是数字"),
        ("11010519491231002Y", "最后一位只能是数字或X"),
        ("", "身份证号为空"),
        ("110105 2999 0101 0011", "不合理"),
        ("01010519491231002X", "地区码"),
    ],
)
def test_malformed_numbers_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_resident_id(raw)
    assert message in str(excinfo.value)


def test_other_documents_are_accepted_by_pattern():
    assert normalize_document(DocumentType.PASSPORT, "e 1234 5678") == "E12345678"
    assert normalize_document(DocumentType.HK_MACAO_TAIWAN_PERMIT, "H12345678") == "H12345678"
    assert (
        normalize_document(DocumentType.FOREIGN_PERMANENT_RESIDENCE, "USA123456789012")
        == "USA123456789012"
    )
    with pytest.raises(InvalidIdentifier, match="护照号码格式不正确"):
        normalize_document(DocumentType.PASSPORT, "E1")


@pytest.mark.parametrize(
    "raw",
    [
        "13900000000",
        "+86 139 0000 0000",
        "139-0000-0000",
        "0086 13900000000",
        "１３９００００００００",
    ],
)
def test_mobile_numbers_are_normalised(raw):
    assert normalize_mobile(raw) == "13900000000"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1390000000", "11位"),
        ("23900000000", "11位"),
        ("139000o0000", "只能包含数字"),
        ("", "为空"),
    ],
)
def test_bad_mobile_numbers_are_refused(raw, message):
    with pytest.raises(InvalidIdentifier, match=message):
        normalize_mobile(raw)


def test_masks():
    assert mask_document("433130199001010095") == "433130********0095"
    assert mask_mobile("13900000000") == "139****0000"
    assert mask_name("张小明") == "张*明"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳娜娜") == "欧**娜"


def test_a_mobile_number_in_no_allocated_block_is_refused_not_crashed():
    with pytest.raises(InvalidIdentifier, match="号段不存在"):
        normalize_mobile("14900000000")


def test_identifiers_quoted_in_a_message_are_masked_as_on_screen():
    from fangkong.core.identity import mask_identifiers_in

    assert mask_identifiers_in("手机号号段不存在：19912345678") == "手机号号段不存在：199****5678"
    assert (
        mask_identifiers_in("证件号码格式不正确：43313019850715001Y")
        == "证件号码格式不正确：4331*********5001Y"
    )
    assert mask_identifiers_in("手机号无法识别：13912345") == "手机号无法识别：13****45"
    # Dates, single check characters and lengths stay as they are.
    for text in (
        "无法识别的日期“2022-13-45”",
        "校验位错误：最后一位应为 2，实际为 X",
        "应为18位，实际为10位",
    ):
        assert mask_identifiers_in(text) == text
