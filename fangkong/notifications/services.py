"""Raising and reading alerts. Other modules call notify(); nobody writes rows by hand."""

from __future__ import annotations

from django.db.models import QuerySet

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.roles import Perm

from .models import Level, Notification

# An alert reaches those who may open what it is about: its kind's domain (the part before the
# first dot) names the permission. Kinds of other domains reach everyone in the region.
READ_PERMISSION = {
    "screening": Perm.SCREENING_VIEW,
    "arrivals": Perm.ARRIVALS_VIEW,
    "measures": Perm.MEASURES_VIEW,
    "reports": Perm.REPORTS_VIEW,
}


def notify(
    *, region_code: str, kind: str, message: str, link: str = "", level: str = Level.WARNING
) -> Notification:
    """Address an alert to a region: whoever's scope covers that region and who may read its
    domain (READ_PERMISSION) sees it."""
    return Notification.objects.create(
        region_id=region_code, kind=kind, message=message[:500], link=link[:300], level=level
    )


def _readable(actor: Actor) -> QuerySet[Notification]:
    qs = Notification.objects.visible_to(actor)
    for domain, permission in READ_PERMISSION.items():
        if not actor.can(permission):
            qs = qs.exclude(kind__startswith=f"{domain}.")
    return qs


def notification_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[Notification]:
    qs = _readable(actor)
    if unread_only and actor.user is not None:
        qs = qs.exclude(read_by=actor.user)
    return qs


def notification_mark_read(*, actor: Actor, notification_id: int) -> None:
    try:
        note = _readable(actor).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise NotFound(Notification._meta.verbose_name) from None
    if actor.user is not None:
        note.read_by.add(actor.user)
