"""Reads of the audit logs, newest first, scoped to the actor's region.

Entries belong to the region where the change or access happened, so an auditor sees the
entries of the subtree he audits and nothing above or beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm
from fangkong.regions.models import Level, Region

from .models import AccessEntry, ChangeEntry

Entry = TypeVar("Entry", AccessEntry, ChangeEntry)


@dataclass(frozen=True)
class EntryFilters:
    """Filters shared by both logs. Empty values filter nothing."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    user: str = ""  # user name, or part of the display name
    region: str = ""  # a division code: that region and everything below it


@dataclass(frozen=True)
class ChangeFilters(EntryFilters):
    action: str = ""  # a dotted prefix: "people" or "people.person.updated"
    object_type: str = ""
    object_id: str = ""


@dataclass(frozen=True)
class AccessFilters(EntryFilters):
    kind: str = ""
    person_id: int | None = None


def change_list(*, actor: Actor, filters: ChangeFilters | None = None) -> QuerySet[ChangeEntry]:
    actor.require(Perm.AUDIT_VIEW)
    filters = filters or ChangeFilters()
    entries = _common(ChangeEntry.objects.visible_to(actor), filters)
    if filters.action:
        entries = entries.filter(action__startswith=filters.action.strip())
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type.strip().lower())
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id.strip())
    return entries


def access_list(*, actor: Actor, filters: AccessFilters | None = None) -> QuerySet[AccessEntry]:
    actor.require(Perm.AUDIT_VIEW)
    filters = filters or AccessFilters()
    entries = _common(AccessEntry.objects.visible_to(actor), filters)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.person_id is not None:
        entries = entries.filter(person_id=filters.person_id)
    return entries


def _common(entries: QuerySet[Entry], filters: EntryFilters) -> QuerySet[Entry]:
    entries = entries.select_related("user", "region", "api_token")
    if filters.date_from:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    user = filters.user.strip()
    if user:
        entries = entries.filter(Q(user__username=user) | Q(user__display_name__contains=user))
    region = filters.region.strip()
    if region:
        entries = entries.filter(region__code__startswith=region)
    return entries.order_by("-at", "-id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_region_options(*, actor: Actor, depth: int = 2) -> list[Region]:
    """The actor's region and the levels just below it, for the region filter."""
    lowest = min(actor.region.level + depth, Level.VILLAGE)
    return list(
        Region.objects.filter(code__startswith=actor.region.code, level__lte=lowest)
        .only("code", "name", "level")
        .order_by("code")
    )
