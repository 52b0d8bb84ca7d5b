"""Blind indexes of identifiers, and how a search box query is read.

Every lookup or de-duplication by document number or phone goes through document_index and
phone_index, so the registry, imports and the demo all compute the same digest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fangkong.core import crypto
from fangkong.core.identity import (
    DocumentType,
    InvalidIdentifier,
    clean_text,
    mask_document,
    mask_mobile,
    normalize_document,
    normalize_mobile,
    parse_resident_id,
)

PHONE_INDEX_KIND = "mobile"


def document_index(document_type: str, normalized_number: str) -> str:
    """Keyed digest of a document number already normalised by normalize_document."""
    return crypto.blind_index(document_type, normalized_number)


def phone_index(normalized_phone: str) -> str:
    """Keyed digest of a mobile number already normalised by normalize_mobile."""
    return crypto.blind_index(PHONE_INDEX_KIND, normalized_phone)


# Something typed into the search box that is an identifier rather than a name: letters and
# digits only, with at least one digit.
_IDENTIFIER_LIKE = re.compile(r"^[A-Z0-9]*\d[A-Z0-9]*$")
_RESIDENT_ID_LIKE = re.compile(r"^(\d{17}[\dX]|\d{15})$")


@dataclass(frozen=True)
class SearchTerms:
    """What a search query asks for: identifier digests to match exactly, or a name part."""

    kind: str  # "empty", "identifier" or "name"
    name: str = ""
    documents: list[tuple[str, str]] = field(default_factory=list)  # (type, index)
    phone_index: str = ""
    problem: str = ""  # why an ID-shaped query cannot match, for the user


def read_query(raw: str) -> SearchTerms:
    """Exact identifier lookup when the query looks like one, otherwise a name search."""
    text = (raw or "").strip()
    compact = clean_text(text).upper()
    if not compact:
        return SearchTerms(kind="empty")
    if not _IDENTIFIER_LIKE.match(compact.removeprefix("+")):
        return SearchTerms(kind="name", name=text)
    documents = [
        (doc_type, document_index(doc_type, number))
        for doc_type, number in _document_readings(compact)
    ]
    mobile = _mobile_reading(compact)
    problem = ""
    if not documents and not mobile and _RESIDENT_ID_LIKE.match(compact):
        problem = _resident_id_problem(compact)
    return SearchTerms(
        kind="identifier",
        documents=documents,
        phone_index=phone_index(mobile) if mobile else "",
        problem=problem,
    )


def _document_readings(compact: str) -> list[tuple[str, str]]:
    readings = []
    for doc_type in DocumentType.values:
        try:
            readings.append((doc_type, normalize_document(doc_type, compact)))
        except InvalidIdentifier:
            continue
    return readings


def _mobile_reading(compact: str) -> str:
    try:
        return normalize_mobile(compact)
    except InvalidIdentifier:
        return ""


def _resident_id_problem(compact: str) -> str:
    try:
        parse_resident_id(compact)
    except InvalidIdentifier as exc:
        return str(exc)
    return ""


def mask_query(raw: str) -> str:
    """An identifier typed into the search box, masked for showing back to the user."""
    compact = clean_text(raw).upper()
    mobile = _mobile_reading(compact)
    return mask_mobile(mobile) if mobile else mask_document(compact)
