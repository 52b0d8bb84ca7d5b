"""The person registry over the JSON API, through the same selectors and services."""

from __future__ import annotations

from ninja import Query, Router, Schema
from ninja.responses import Status

from fangkong.core.http import ActorRequest
from fangkong.core.paging import api_page

from .schemas import (
    PersonDetailOut,
    PersonIn,
    PersonPage,
    PersonPatch,
    Refused,
    Registered,
    Revealed,
    RevealIn,
)
from .selectors import person_get, person_search, region_chain
from .services import RegisteredElsewhere, person_register, person_reveal, person_update

router = Router(tags=["people"])
PAGE_SIZE = 50


class SearchParams(Schema):
    q: str = ""
    region: str = ""
    page: int = 1


@router.get("", response=PersonPage, summary="查询人员（脱敏）")
def list_people(request: ActorRequest, params: Query[SearchParams]):
    people = person_search(actor=request.actor, query=params.q, region_code=params.region)
    return api_page(people, params.page, PAGE_SIZE)


def _with_path(person):
    person.region_path = region_chain(region=person.region)
    return person


@router.get("/{int:person_id}", response=PersonDetailOut, summary="人员详情（脱敏）")
def get_person(request: ActorRequest, person_id: int):
    return _with_path(person_get(actor=request.actor, pk=person_id))


@router.post(
    "",
    response={200: Registered, 201: Registered, 409: Refused},
    summary="登记人员；证件已登记时返回现有人员（200）",
)
def register_person(request: ActorRequest, payload: PersonIn):
    values = payload.dict()
    values["region_code"] = values.pop("region")
    try:
        registration = person_register(actor=request.actor, **values)
    except RegisteredElsewhere as exc:
        return Status(409, {"detail": _field_errors(exc.errors)})
    person = _with_path(registration.person)
    status = 201 if registration.created else 200
    return Status(status, {"created": registration.created, "person": person})


@router.patch(
    "/{int:person_id}", response={200: PersonDetailOut, 409: Refused}, summary="修改人员信息"
)
def update_person(request: ActorRequest, person_id: int, payload: PersonPatch):
    values = payload.dict(exclude_none=True)
    if "region" in values:
        values["region_code"] = values.pop("region")
    try:
        person = person_update(actor=request.actor, person_id=person_id, **values)
    except RegisteredElsewhere as exc:
        return Status(409, {"detail": _field_errors(exc.errors)})
    return Status(200, _with_path(person_get(actor=request.actor, pk=person.pk)))


@router.post(
    "/{int:person_id}/reveal", response=Revealed, summary="查看明文（须说明用途，记录查阅日志）"
)
def reveal_person(request: ActorRequest, person_id: int, payload: RevealIn):
    values = person_reveal(
        actor=request.actor, person_id=person_id, purpose=payload.purpose, fields=payload.fields
    )
    return {"id": person_id, "values": values}


def _field_errors(errors: dict[str, list[str]]) -> list[dict[str, str]]:
    return [
        {"field": field, "message": str(message)}
        for field, messages in errors.items()
        for message in messages
    ]
