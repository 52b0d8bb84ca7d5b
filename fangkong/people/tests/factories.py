"""Test data for the registry: valid resident IDs and people stored with indexed identifiers."""

import datetime as dt
import itertools

from fangkong.core.identity import DocumentType, check_character, parse_resident_id
from fangkong.people.identity import document_index, phone_index
from fangkong.people.models import Person

_sequence = itertools.count(101)


def resident_id(region6: str = "433101", born: dt.date = dt.date(1985, 3, 7), male=True) -> str:
    """A valid GB 11643 number not used by the test world (sequences from 101 upward)."""
    while True:
        seq = next(_sequence) % 1000
        if (seq % 2 == 1) == male:
            break
    first17 = f"{region6}{born:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def person_in(region, *, name="测试人员", number=None, phone="13907430000", **extra) -> Person:
    """Store a person directly, identifiers indexed the way the registry does it."""
    number = number or resident_id(region6=region.code[:6])
    parsed = parse_resident_id(number)
    extra.setdefault("sex", parsed.sex)
    extra.setdefault("birth_date", parsed.birth_date)
    return Person.objects.create(
        name=name,
        document_type=DocumentType.RESIDENT_ID,
        document_number=number,
        document_index=document_index(DocumentType.RESIDENT_ID, number),
        phone=phone,
        phone_index=phone_index(phone) if phone else "",
        region=region,
        **extra,
    )
