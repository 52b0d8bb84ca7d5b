"""Alerts over the API, mounted at /notifications: the caller's alerts, marking one read."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from fangkong.core.actor import Actor
from fangkong.core.http import ActorRequest
from fangkong.core.paging import api_page
from fangkong.core.roles import Perm
from fangkong.core.schemas import RegionCodeOut

from .services import notification_list, notification_mark_read

router = Router(tags=["notifications"])
API_PAGE_SIZE = 100


class NotificationOut(RegionCodeOut):
    id: int
    kind: str
    level: str
    message: str
    link: str
    region: str
    created_at: dt.datetime


class NotificationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[NotificationOut]


@router.get("", response=NotificationPage, summary="Alerts to the caller's region, 100 a page")
def list_notifications(request: ActorRequest, unread: bool = False, page: int = 1):
    """Newest first; ?unread=true those the caller has not marked read."""
    actor: Actor = request.actor
    actor.require(Perm.NOTIFICATIONS_VIEW)
    return api_page(notification_list(actor=actor, unread_only=unread), page, API_PAGE_SIZE)


@router.post("/{notification_id}/read", response={204: None}, summary="Mark an alert read")
def mark_read(request: ActorRequest, notification_id: int):
    actor: Actor = request.actor
    actor.require(Perm.NOTIFICATIONS_VIEW)
    notification_mark_read(actor=actor, notification_id=notification_id)
    return Status(204, None)
