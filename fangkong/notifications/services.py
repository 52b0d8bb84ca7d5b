"""Raising and reading alerts. Other modules call notify(); nobody writes rows by hand."""

from __future__ import annotations

from django.db.models import QuerySet

from fangkong.core.actor import Actor

from .models import Level, Notification


def notify(
    *, region_code: str, kind: str, message: str, link: str = "", level: str = Level.WARNING
) -> Notification:
    """Address an alert to a region: everyone whose scope covers that region sees it."""
    return Notification.objects.create(
        region_id=region_code, kind=kind, message=message[:500], link=link[:300], level=level
    )


def notification_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.visible_to(actor)
    if unread_only and actor.user is not None:
        qs = qs.exclude(read_by=actor.user)
    return qs


def notification_mark_read(*, actor: Actor, notification_id: int) -> None:
    note = Notification.objects.get_visible(actor, pk=notification_id)
    if actor.user is not None:
        note.read_by.add(actor.user)
