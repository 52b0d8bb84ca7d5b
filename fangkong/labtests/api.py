"""Test results over the API, mounted at /labtests: the same selectors and services."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.http import ActorRequest
from fangkong.core.paging import api_page
from fangkong.core.schemas import MaskedPersonOut, RegionCodeOut

from .models import Purpose
from .selectors import nat_test_list
from .services import nat_result_record, person_for_result

router = Router(tags=["labtests"])
API_PAGE_SIZE = 100


class ResultOut(MaskedPersonOut, RegionCodeOut):
    id: int
    person_id: int
    person_name: str
    sampled_at: dt.datetime
    result: str
    lab: str
    purpose: str
    region: str


class ResultIn(Schema):
    document_type: str = "resident_id"
    document_number: str
    sampled_at: dt.datetime
    result: str
    lab: str = ""
    purpose: str = Purpose.SCHEDULED


class ResultPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ResultOut]


@router.get("/results", response=ResultPage, summary="Results in the caller's scope, 100 a page")
def list_results(request: ActorRequest, result: str = "", page: int = 1):
    """Newest sample first; ?result= one result (pending, negative, positive)."""
    actor: Actor = request.actor
    return api_page(nat_test_list(actor=actor, result=result), page, API_PAGE_SIZE)


@router.post("/results", response={201: ResultOut}, summary="Record one result, by document")
def record_result(request: ActorRequest, payload: ResultIn):
    actor: Actor = request.actor
    try:
        person = person_for_result(
            actor=actor, document_type=payload.document_type, number=payload.document_number
        )
    except NotFound:
        raise ValidationFailed({"document_number": [_("辖区内没有登记该证件号的人员")]}) from None
    test = nat_result_record(
        actor=actor,
        person=person,
        sampled_at=payload.sampled_at,
        result=payload.result,
        lab=payload.lab,
        purpose=payload.purpose,
    )
    return Status(201, test)
