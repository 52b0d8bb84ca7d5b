"""Beds at quarantine sites: placing, transferring and leaving, without double booking."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm

from .access import measure_get, site_get
from .models import Measure, Placement, Room, Site, SiteStatus


def _free_bed(room: Room) -> int | None:
    taken = set(
        Placement.objects.filter(room=room, ended_at__isnull=True).values_list("bed", flat=True)
    )
    return next((b for b in range(1, room.beds + 1) if b not in taken), None)


def _room_with_space(site: Site) -> Room | None:
    return (
        site.rooms.annotate(used=Count("placements", filter=Q(placements__ended_at__isnull=True)))
        .filter(used__lt=F("beds"))
        .order_by("floor", "number")
        .first()
    )


def place(
    *, measure: Measure, site: Site, room: Room | None = None, at: dt.datetime, reason: str = ""
) -> Placement:
    """Give the measure a bed at the site; refuse a full room, a full site or a closed site."""
    if site.status == SiteStatus.CLOSED:
        raise ValidationFailed({"site": [_("隔离点“%(site)s”已关闭") % {"site": site.name}]})
    # Lock the site row so two placements at once cannot both take its last bed.
    Site.objects.select_for_update().filter(pk=site.pk).first()
    if room is None:
        room = _room_with_space(site)
        if room is None:
            raise ValidationFailed(
                {"site": [_("隔离点“%(site)s”已满，请选择其他隔离点") % {"site": site.name}]}
            )
    elif room.site_id != site.pk:
        raise ValidationFailed({"room": [_("房间不属于该隔离点")]})
    bed = _free_bed(room)
    if bed is None:
        raise ValidationFailed(
            {
                "room": [
                    _("房间 %(room)s 的 %(beds)d 个床位已住满")
                    % {"room": room.number, "beds": room.beds}
                ]
            }
        )
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                measure=measure, site=site, room=room, bed=bed, started_at=at, reason=reason[:200]
            )
    except IntegrityError:
        raise ValidationFailed({"room": [_("该床位刚被占用，请重试")]}) from None
    if site.status == SiteStatus.STANDBY:
        Site.objects.filter(pk=site.pk).update(status=SiteStatus.ACTIVE)
    measure.site, measure.room, measure.region_id = site, room, site.region_id
    measure.save(update_fields=["site", "room", "region"])
    return placement


def leave(*, measure: Measure, at: dt.datetime, region_code: str | None = None) -> None:
    """End the open placement; the measure goes back to the person's village."""
    Placement.objects.filter(measure=measure, ended_at__isnull=True).update(ended_at=at)
    measure.site = measure.room = None
    measure.region_id = region_code or measure.person.region_id
    measure.save(update_fields=["site", "room", "region"])


@transaction.atomic
def placement_transfer(
    *, actor: Actor, measure_id: int, site_id: int, room_id: int | None = None, reason: str
) -> Placement:
    """Move a person in centralised quarantine to another site (or room)."""
    actor.require(Perm.MEASURES_MANAGE)
    measure = measure_get(actor=actor, pk=measure_id, for_update=True)
    if not measure.running or measure.site_id is None:
        raise ValidationFailed({"site": [_("该人员不在集中隔离中")]})
    if len(" ".join((reason or "").split())) < 2:
        raise ValidationFailed({"reason": [_("请说明转移原因")]})
    target = Site.objects.visible_to(actor).filter(pk=site_id).first()
    if target is None:
        target = site_get(actor=actor, pk=site_id)
    room = None
    if room_id is not None:
        room = Room.objects.filter(site=target, pk=room_id).first()
        if room is None:
            raise ValidationFailed({"room": [_("房间不属于该隔离点")]})
    now = timezone.now()
    origin = measure.site
    assert origin is not None  # site_id was checked above
    Placement.objects.filter(measure=measure, ended_at__isnull=True).update(ended_at=now)
    placement = place(measure=measure, site=target, room=room, at=now, reason=reason)
    audit_record(
        actor=actor,
        action="measures.placement.transferred",
        obj=measure,
        changes={"site": [origin.pk, target.pk], "room": placement.room_id, "reason": reason},
    )
    return placement


def site_occupancy(site_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """{site id: {"beds": n, "used": n}} in two grouped queries."""
    rooms = Room.objects.all() if site_ids is None else Room.objects.filter(site_id__in=site_ids)
    beds = dict(rooms.values_list("site_id").annotate(n=Sum("beds")).values_list("site_id", "n"))
    open_ = Placement.objects.filter(ended_at__isnull=True)
    if site_ids is not None:
        open_ = open_.filter(site_id__in=site_ids)
    used = dict(open_.values_list("site_id").annotate(n=Count("*")).values_list("site_id", "n"))
    return {
        sid: {"beds": beds.get(sid, 0) or 0, "used": used.get(sid, 0)}
        for sid in set(beds) | set(used)
    }


def free_beds(site_ids: list[int]) -> dict[int, int]:
    """{site id: beds not taken} of the given sites (0 for a site without rooms)."""
    occupancy = site_occupancy(site_ids)
    return {
        sid: occupancy.get(sid, {}).get("beds", 0) - occupancy.get(sid, {}).get("used", 0)
        for sid in site_ids
    }
