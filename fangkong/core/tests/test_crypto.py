import pytest
from django.test import override_settings

from fangkong.core import crypto


@pytest.fixture(autouse=True)
def field_key():
    with override_settings(FIELD_KEY="test-field-key-0123456789-0123456789"):
        crypto.clear_key_cache()
        yield
    crypto.clear_key_cache()


def test_bulk_encryption_reads_back_like_one_by_one():
    values = ["433101199001011234", "", "13907431234", "张三"]

    sealed = crypto.encrypt_many(values)

    assert sealed[1] == ""
    assert [crypto.decrypt(token) for token in sealed] == values
    # A fresh nonce per value: the same value twice never gives the same ciphertext.
    twice = crypto.encrypt_many(["13907431234", "13907431234"])
    assert twice[0] != twice[1]


def test_bulk_blind_index_is_the_blind_index():
    values = ["433101199001011234", "", "43310119900101123X"]

    assert crypto.blind_index_many("resident_id", values) == [
        crypto.blind_index("resident_id", v) for v in values
    ]
    assert crypto.blind_index_many("mobile", ["13907431234"]) != crypto.blind_index_many(
        "resident_id", ["13907431234"]
    )


def test_bulk_blind_index_follows_a_new_key(settings):
    value = ["433101199001011234"]
    before = crypto.blind_index_many("resident_id", value)
    settings.FIELD_KEY = "another field key for this test only"
    crypto.clear_key_cache()
    try:
        after = crypto.blind_index_many("resident_id", value)
        assert after == [crypto.blind_index("resident_id", value[0])] and after != before
    finally:
        crypto.clear_key_cache()
