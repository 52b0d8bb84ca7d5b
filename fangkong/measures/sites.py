"""Quarantine sites and their rooms: creating, editing, the readiness checklist.

Writes need `sites.manage` (command and county operators); a site can only be placed in the
actor's own region, and its staff are site-staff accounts of that region.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from fangkong.accounts.models import RoleAssignment
from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm, Role
from fangkong.core.text import list_text
from fangkong.regions.models import Level, Region

from .access import site_get
from .models import Room, Site, SiteKind, SiteStatus

SITE_FIELDS = ("name", "address", "region_id", "kind", "status", "officer", "officer_phone",
               "warning_percent", "notes")  # fmt: skip
READINESS_FIELDS = ("supplies_ready", "staff_ready", "last_drill_on")
MAX_ROOMS_AT_ONCE = 500


def site_regions(*, actor: Actor) -> list[Region]:
    """Where the actor may put a site: their region and the counties and townships under it."""
    return list(
        Region.objects.filter(
            code__startswith=actor.scope_prefix, level__lte=max(actor.region.level, Level.TOWNSHIP)
        ).order_by("code")
    )


def site_staff_choices(*, actor: Actor, region_code: str | None = None) -> list:
    """Active site-staff accounts in the actor's scope; for a site, those whose region
    contains the site or lies inside it."""
    assignments = (
        RoleAssignment.objects.filter(
            role=Role.SITE_STAFF, active=True, region__code__startswith=actor.scope_prefix
        )
        .select_related("user", "region")
        .order_by("user__username")
    )
    if not region_code:
        return list(assignments)
    return [
        a for a in assignments
        if region_code.startswith(a.region_id) or a.region_id.startswith(region_code)
    ]  # fmt: skip


def _clean_site(actor: Actor, data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean = {k: data[k] for k in SITE_FIELDS if k in data}
    for key in ("name", "address", "officer", "officer_phone", "notes"):
        if key in clean:
            clean[key] = " ".join(str(clean[key] or "").split()) if key != "notes" else clean[key]
    if "name" in clean and len(clean["name"]) < 2:
        errors["name"] = [_("请填写隔离点名称")]
    if "region_id" in clean and not actor.sees_region_code(clean["region_id"] or "-"):
        errors["region_id"] = [_("只能在本辖区内设立隔离点")]
    elif "region_id" in clean and not Region.objects.filter(pk=clean["region_id"]).exists():
        errors["region_id"] = [_("所在地区无效")]
    if "kind" in clean and clean["kind"] not in SiteKind.values:
        errors["kind"] = [_("类型无效")]
    if "status" in clean and clean["status"] not in SiteStatus.values:
        errors["status"] = [_("状态无效")]
    if "warning_percent" in clean:
        try:
            clean["warning_percent"] = int(clean["warning_percent"])
            if not 50 <= clean["warning_percent"] <= 100:
                raise ValueError
        except (TypeError, ValueError):
            errors["warning_percent"] = [_("容量预警线应为50到100之间的整数")]
    if errors:
        raise ValidationFailed(errors)
    return clean


def _set_staff(actor: Actor, site: Site, staff_ids) -> list[int]:
    allowed = {a.user_id for a in site_staff_choices(actor=actor, region_code=site.region_id)}
    chosen = {int(i) for i in staff_ids or () if str(i).isdigit()}
    if chosen - allowed:
        raise ValidationFailed({"staff": [_("只能指派本辖区的隔离点工作人员")]})
    site.staff.set(sorted(chosen))
    return sorted(chosen)


@transaction.atomic
def site_create(*, actor: Actor, staff_ids=None, **data) -> Site:
    actor.require(Perm.SITES_MANAGE)
    data.setdefault("region_id", actor.region.code)
    clean = _clean_site(actor, data)
    if "name" not in clean:
        raise ValidationFailed({"name": [_("请填写隔离点名称")]})
    site = Site.objects.create(**clean)
    staff = _set_staff(actor, site, staff_ids)
    audit_record(
        actor=actor,
        action="measures.site.created",
        obj=site,
        region_code=site.region_id,
        changes={**{k: str(v) for k, v in clean.items()}, "staff": staff},
    )
    return site


@transaction.atomic
def site_update(*, actor: Actor, site_id: int, staff_ids=None, **data) -> Site:
    actor.require(Perm.SITES_MANAGE)
    site = site_get(actor=actor, pk=site_id)
    clean = _clean_site(actor, data)
    if clean.get("status") == SiteStatus.CLOSED and site.placements.filter(ended_at__isnull=True):
        raise ValidationFailed({"status": [_("仍有人员在住，不能关闭；请先转移")]})
    if clean.get("region_id", site.region_id) != site.region_id and site.placements.filter(
        ended_at__isnull=True
    ):
        raise ValidationFailed({"region_id": [_("仍有人员在住，不能更改所在地区")]})
    changes: dict[str, list[Any]] = {
        k: [str(getattr(site, k)), str(v)] for k, v in clean.items() if getattr(site, k) != v
    }
    for key, value in clean.items():
        setattr(site, key, value)
    site.save()
    if staff_ids is not None:
        before = sorted(site.staff.values_list("pk", flat=True))
        after = _set_staff(actor, site, staff_ids)
        if before != after:
            changes["staff"] = [before, after]
    if changes:
        audit_record(
            actor=actor, action="measures.site.updated", obj=site, region_code=site.region_id,
            changes=changes,
        )  # fmt: skip
    return site


@transaction.atomic
def site_readiness_update(
    *, actor: Actor, site_id: int, supplies_ready: bool, staff_ready: bool,
    last_drill_on: dt.date | None,
) -> Site:  # fmt: skip
    """The readiness checklist (speech: 定点隔离场所的准备和管理): supplies, staff, drills."""
    actor.require(Perm.SITES_MANAGE)
    site = site_get(actor=actor, pk=site_id)
    if last_drill_on is not None and last_drill_on > dt.date.today() + dt.timedelta(days=1):
        raise ValidationFailed({"last_drill_on": [_("演练日期不能晚于今天")]})
    new = {"supplies_ready": supplies_ready, "staff_ready": staff_ready,
           "last_drill_on": last_drill_on}  # fmt: skip
    changes = {k: [str(getattr(site, k)), str(v)] for k, v in new.items() if getattr(site, k) != v}
    if not changes:
        return site
    for key, value in new.items():
        setattr(site, key, value)
    site.save(update_fields=list(new))
    audit_record(
        actor=actor, action="measures.site.readiness", obj=site, region_code=site.region_id,
        changes=changes,
    )  # fmt: skip
    return site


def room_numbers(spec: str) -> list[str]:
    """ "101-120, 201, 203" → the room numbers; a range keeps the width of its first number."""
    numbers: list[str] = []
    for part in spec.replace("，", ",").replace("、", ",").split(","):
        part = part.strip().replace("～", "-").replace("~", "-").replace("—", "-")
        if not part:
            continue
        if "-" in part:
            first, _sep, last = (p.strip() for p in part.partition("-"))
            if not (first.isdigit() and last.isdigit()) or int(last) < int(first):
                raise ValidationFailed({"numbers": [_("房间号范围“%(p)s”无效") % {"p": part}]})
            numbers += [str(n).zfill(len(first)) for n in range(int(first), int(last) + 1)]
        else:
            numbers.append(part[:20])
    if not numbers:
        raise ValidationFailed({"numbers": [_("请填写房间号，如 101-120")]})
    if len(numbers) > MAX_ROOMS_AT_ONCE:
        raise ValidationFailed({"numbers": [_("一次最多添加500个房间")]})
    return numbers


@transaction.atomic
def rooms_add(*, actor: Actor, site_id: int, numbers: str, floor, beds) -> list[Room]:
    actor.require(Perm.SITES_MANAGE)
    site = site_get(actor=actor, pk=site_id)
    wanted = room_numbers(numbers)
    try:
        floor, beds = int(floor), int(beds)
    except (TypeError, ValueError):
        raise ValidationFailed({"beds": [_("楼层和床位数应为整数")]}) from None
    if not 1 <= beds <= 20 or not -5 <= floor <= 100:
        raise ValidationFailed({"beds": [_("每间床位数应为1到20，楼层应为-5到100")]})
    taken = set(site.rooms.filter(number__in=wanted).values_list("number", flat=True))
    if taken or len(set(wanted)) != len(wanted):
        raise ValidationFailed(
            {"numbers": [_("房间号已存在或重复：%(n)s") % {"n": list_text(sorted(taken))}]}
        )
    rooms = Room.objects.bulk_create(
        Room(site=site, number=n, floor=floor, beds=beds) for n in wanted
    )
    audit_record(
        actor=actor, action="measures.rooms.added", obj=site, region_code=site.region_id,
        changes={"numbers": wanted, "floor": floor, "beds": beds},
    )  # fmt: skip
    return rooms


def _room_get(site: Site, room_id) -> Room:
    room = site.rooms.filter(pk=room_id).first() if str(room_id).isdigit() else None
    if room is None:
        raise ValidationFailed({"room": [_("房间不属于该隔离点")]})
    return room


@transaction.atomic
def room_update(*, actor: Actor, site_id: int, room_id: int, beds) -> Room:
    """Change a room's beds; never below the people in it now."""
    actor.require(Perm.SITES_MANAGE)
    site = site_get(actor=actor, pk=site_id)
    room = _room_get(site, room_id)
    try:
        beds = int(beds)
    except (TypeError, ValueError):
        beds = 0
    if not 1 <= beds <= 20:
        raise ValidationFailed({"beds": [_("每间床位数应为1到20")]})
    in_use = room.placements.filter(ended_at__isnull=True).order_by("-bed").first()
    if in_use is not None and in_use.bed > beds:
        raise ValidationFailed(
            {"beds": [_("%(room)s 的第%(bed)d床有人在住，床位数不能少于%(bed)d")
                      % {"room": room.number, "bed": in_use.bed}]}
        )  # fmt: skip
    if room.beds != beds:
        audit_record(
            actor=actor, action="measures.room.updated", obj=site, region_code=site.region_id,
            changes={"room": room.number, "beds": [room.beds, beds]},
        )  # fmt: skip
        room.beds = beds
        room.save(update_fields=["beds"])
    return room


@transaction.atomic
def room_delete(*, actor: Actor, site_id: int, room_id: int) -> None:
    """Remove a room that has never held anyone (its history stays otherwise)."""
    actor.require(Perm.SITES_MANAGE)
    site = site_get(actor=actor, pk=site_id)
    room = _room_get(site, room_id)
    if room.placements.exists():
        raise ValidationFailed(
            {"room": [_("房间 %(n)s 有入住记录，不能删除") % {"n": room.number}]}
        )
    audit_record(
        actor=actor, action="measures.room.deleted", obj=site, region_code=site.region_id,
        changes={"room": room.number},
    )  # fmt: skip
    room.delete()


def rooms_with_use(site: Site):
    """The site's rooms with the number of people in each now (one query)."""
    return site.rooms.annotate(
        used=Count("placements", filter=Q(placements__ended_at__isnull=True))
    ).order_by("floor", "number")
