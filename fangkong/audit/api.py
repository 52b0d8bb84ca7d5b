"""The audit logs over the JSON API: read-only lists with the same filters as the pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from ninja import Query, Router

from fangkong.core.http import ActorRequest

from .schemas import AccessPage, AccessParams, ChangePage, ChangeParams
from .selectors import AccessFilters, ChangeFilters, access_list, change_list

router = Router(tags=["audit"])
PAGE_SIZE = 50


def _by(entry) -> dict:
    user, token = entry.user, entry.api_token
    return {
        "username": user.username if user else None,
        "display_name": user.display_name if user else None,
        "api_token": token.name if token else None,
        "role": entry.role,
    }


def _page(entries, number: int, shape) -> dict:
    page = Paginator(entries, PAGE_SIZE).get_page(number)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [shape(entry) for entry in page.object_list],
    }


def _shared(params) -> dict:
    return {
        "date_from": params.date_from,
        "date_to": params.date_to,
        "user": params.user,
        "region": params.region,
    }


@router.get("/changes", response=ChangePage, summary="操作日志")
def list_changes(request: ActorRequest, params: Query[ChangeParams]):
    filters = ChangeFilters(
        **_shared(params),
        action=params.action,
        object_type=params.object_type,
        object_id=params.object_id,
    )

    def shape(entry):
        return {
            "id": entry.pk, "at": entry.at, "action": entry.action, "by": _by(entry),
            "region": entry.region_id, "object_type": entry.object_type,
            "object_id": entry.object_id, "object_repr": entry.object_repr,
            "changes": entry.changes, "ip": entry.ip,
        }  # fmt: skip

    return _page(change_list(actor=request.actor, filters=filters), params.page, shape)


@router.get("/access", response=AccessPage, summary="个人信息查阅日志")
def list_access(request: ActorRequest, params: Query[AccessParams]):
    filters = AccessFilters(**_shared(params), kind=params.kind, person_id=params.person_id)

    def shape(entry):
        return {
            "id": entry.pk, "at": entry.at, "kind": entry.kind, "by": _by(entry),
            "region": entry.region_id, "person_id": entry.person_id, "subject": entry.subject,
            "fields": entry.fields, "purpose": entry.purpose, "row_count": entry.row_count,
            "ip": entry.ip,
        }  # fmt: skip

    return _page(access_list(actor=request.actor, filters=filters), params.page, shape)
