"""API shapes of the person registry. Outputs carry masked values only."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .display import age_on, mask_address


class RegionRef(Schema):
    code: str
    name: str


class PersonOut(Schema):
    id: int
    masked_name: str
    sex: str
    age: int | None = None
    ethnic_group: str
    document_type: str
    masked_document: str
    masked_phone: str
    region: RegionRef
    registered_at: dt.datetime = Field(..., alias="created_at")

    @staticmethod
    def resolve_age(person) -> int | None:
        return age_on(person.birth_date)


class PersonDetailOut(PersonOut):
    birth_date: dt.date | None
    masked_household_address: str
    masked_current_address: str
    region_path: list[RegionRef] = []
    updated_at: dt.datetime

    @staticmethod
    def resolve_masked_household_address(person) -> str:
        return mask_address(person.household_address)

    @staticmethod
    def resolve_masked_current_address(person) -> str:
        return mask_address(person.current_address)


class PersonPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PersonOut]


class PersonIn(Schema):
    name: str
    document_type: str
    document_number: str
    sex: str = ""
    birth_date: dt.date | None = None
    ethnic_group: str = ""
    phone: str = ""
    household_address: str = ""
    current_address: str = ""
    region: str = Field("", description="现住地区划代码；默认为调用者的辖区")


class PersonPatch(Schema):
    name: str | None = None
    document_type: str | None = None
    document_number: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    ethnic_group: str | None = None
    phone: str | None = None
    household_address: str | None = None
    current_address: str | None = None
    region: str | None = None


class Registered(Schema):
    created: bool
    person: PersonDetailOut


class RevealIn(Schema):
    purpose: str = Field("", description="查看用途，如“电话核实行程”；必填")
    fields: list[str] = Field(
        default_factory=list,
        description="name、document_number、phone、household_address、current_address；"
        "默认证件号码和手机号",
    )


class Revealed(Schema):
    id: int
    values: dict[str, str]


class FieldError(Schema):
    field: str
    message: str


class Refused(Schema):
    detail: list[FieldError]
