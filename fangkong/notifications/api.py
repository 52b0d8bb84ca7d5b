"""Alerts over the API, mounted at /notifications: the caller's alerts, marking one read."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Status

from fangkong.core.actor import Actor
from fangkong.core.http import ActorRequest
from fangkong.core.roles import Perm
from fangkong.core.schemas import RegionCodeOut

from .services import notification_list, notification_mark_read

router = Router(tags=["notifications"])


class NotificationOut(RegionCodeOut):
    id: int
    kind: str
    level: str
    message: str
    link: str
    region: str
    created_at: dt.datetime


@router.get("", response=list[NotificationOut], summary="Alerts addressed to the caller's region")
def list_notifications(request: ActorRequest, unread: bool = False):
    actor: Actor = request.actor
    actor.require(Perm.NOTIFICATIONS_VIEW)
    return list(notification_list(actor=actor, unread_only=unread)[:200])


@router.post("/{notification_id}/read", response={204: None}, summary="Mark an alert read")
def mark_read(request: ActorRequest, notification_id: int):
    actor: Actor = request.actor
    actor.require(Perm.NOTIFICATIONS_VIEW)
    notification_mark_read(actor=actor, notification_id=notification_id)
    return Status(204, None)
