"""Reads of the command organisation: the unit tree, the duty roster and who may stand duty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.accounts.models import RoleAssignment, User
from fangkong.core.actor import Actor
from fangkong.core.roles import Role
from fangkong.regions.models import Level, Region

from .models import CommandUnit, DutyShift, MemberUnit, UnitKind

_MEMBERS = Prefetch("members", queryset=MemberUnit.objects.order_by("-is_lead", "id"))
# HQs sit at these levels; below a township, villages have grid workers, not an HQ.
HQ_LEVELS = (Level.CITY, Level.COUNTY, Level.TOWNSHIP)


def duty_now(*, actor: Actor, at: dt.datetime | None = None) -> DutyShift | None:
    """The shift on duty now at the HQ nearest above (or at) the actor's region.

    The duty desk of one's own chain of command is what a field worker must be able to call,
    so this read covers the actor's ancestors as well as its own region.
    """
    at = at or timezone.now()
    chain = actor.region.ancestor_codes()
    return (
        DutyShift.objects.filter(
            unit__region_id__in=chain,
            unit__kind=UnitKind.HQ,
            starts_at__lte=at,
            ends_at__gt=at,
        )
        .select_related("leader", "officer", "unit")
        .order_by("-unit__region_id")
        .first()
    )


def unit_list(*, actor: Actor) -> QuerySet[CommandUnit]:
    """Units in the actor's region, parents before children, with region and member units."""
    return (
        CommandUnit.objects.visible_to(actor)
        .select_related("region")
        .prefetch_related(_MEMBERS)
        .order_by("region_id", "sort_order", "id")
    )


def unit_get(*, actor: Actor, pk: int) -> CommandUnit:
    """One unit in the actor's region (NotFound otherwise), with its member units."""
    return (
        CommandUnit.objects.select_related("region", "parent")
        .prefetch_related("members")
        .get_visible(actor, pk=pk)
    )


@dataclass
class UnitNode:
    """A unit with what hangs below it, sorted the way a command chart reads."""

    unit: CommandUnit
    parent: UnitNode | None = None
    groups: list[UnitNode] = field(default_factory=list)
    teams: list[UnitNode] = field(default_factory=list)
    hqs: list[UnitNode] = field(default_factory=list)

    @property
    def lead(self) -> MemberUnit | None:
        return next((m for m in self.unit.members.all() if m.is_lead), None)

    @property
    def member_units(self) -> list[MemberUnit]:
        return [m for m in self.unit.members.all() if not m.is_lead]


@dataclass
class UnitTree:
    roots: list[UnitNode]
    unit_count: int
    daily_reporters: list[CommandUnit]


def unit_tree(*, actor: Actor) -> UnitTree:
    """The actor's units as a tree: HQ → comprehensive group and work groups, work teams,
    then the HQs below. Units whose parent lies outside the actor's region are roots (a
    county operator's county HQ). Two queries however many units.
    """
    units = list(unit_list(actor=actor))
    nodes = {unit.pk: UnitNode(unit) for unit in units}
    roots: list[UnitNode] = []
    for unit in units:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        node.parent = parent
        if parent is None:
            roots.append(node)
        elif unit.kind == UnitKind.HQ:
            parent.hqs.append(node)
        elif unit.kind == UnitKind.WORK_TEAM:
            parent.teams.append(node)
        else:
            parent.groups.append(node)
    for node in nodes.values():
        # The comprehensive group leads the work groups on the chart.
        node.groups.sort(key=lambda n: (n.unit.kind != UnitKind.COMPREHENSIVE_GROUP,))
    return UnitTree(
        roots=roots,
        unit_count=len(units),
        daily_reporters=[u for u in units if u.reports_daily],
    )


def unit_parent_choices(*, actor: Actor) -> QuerySet[CommandUnit]:
    """HQs a new unit may hang under."""
    return (
        CommandUnit.objects.visible_to(actor)
        .filter(kind=UnitKind.HQ)
        .select_related("region")
        .order_by("region_id", "sort_order", "id")
    )


def unit_region_choices(*, actor: Actor) -> QuerySet[Region]:
    """Regions in the actor's subtree where an HQ may be set up."""
    return Region.objects.filter(code__startswith=actor.scope_prefix, level__in=HQ_LEVELS).order_by(
        "code"
    )


def duty_unit_choices(*, actor: Actor) -> QuerySet[CommandUnit]:
    """Units that keep a duty roster: the HQs and work teams in the actor's region."""
    return (
        CommandUnit.objects.visible_to(actor)
        .filter(kind__in=[UnitKind.HQ, UnitKind.WORK_TEAM])
        .select_related("region")
        .order_by("region_id", "sort_order", "id")
    )


@dataclass
class DutyDay:
    day: dt.date
    shifts: list[DutyShift]
    is_today: bool


def duty_roster(
    *, actor: Actor, first_day: dt.date, last_day: dt.date, unit_id: int | None = None
) -> list[DutyDay]:
    """Shifts in the actor's region starting on each day from first_day to last_day (local
    dates), every day listed even when nobody is on duty. One query; `on_duty` marks the
    shifts running now."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    shifts = (
        DutyShift.objects.visible_to(actor)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("unit", "unit__region", "leader", "officer")
        .order_by("starts_at", "unit__region_id", "unit__sort_order", "unit_id")
    )
    if unit_id is not None:
        shifts = shifts.filter(unit_id=unit_id)
    now = timezone.now()
    today = timezone.localdate()
    by_day: dict[dt.date, list[DutyShift]] = {}
    for shift in shifts:
        shift.on_duty = shift.starts_at <= now < shift.ends_at
        by_day.setdefault(timezone.localtime(shift.starts_at, tz).date(), []).append(shift)
    days = []
    day = first_day
    while day <= last_day:
        days.append(DutyDay(day=day, shifts=by_day.get(day, []), is_today=day == today))
        day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class DutyCandidate:
    user: User
    label: str


def duty_candidates(*, actor: Actor, unit: CommandUnit) -> list[DutyCandidate]:
    """Who may be offered as leader or officer of a unit's shift: holders of a role in the
    unit's region or one level below it (a county HQ draws on county and township staff).

    The service accepts anyone with a role in the subtree; the list stays short by leaving out
    the levels further down.
    """
    region = unit.region
    deepest = min(region.level + 1, Level.VILLAGE)
    assignments = (
        RoleAssignment.objects.visible_to(actor)
        .filter(active=True, region__code__startswith=region.code, region__level__lte=deepest)
        .exclude(role__in=[Role.AUDITOR, Role.SYSADMIN])
        .select_related("user", "region")
        .order_by("region_id", "role", "user__username")
    )
    seen: dict[int, DutyCandidate] = {}
    for a in assignments:
        if a.user_id in seen or not a.user.is_active:
            continue
        detail = f"{a.region.name} · {a.get_role_display()}"
        label = _("%(name)s（%(detail)s）") % {"name": a.user, "detail": detail}
        seen[a.user_id] = DutyCandidate(user=a.user, label=label)
    return list(seen.values())


def duty_on_now(*, actor: Actor) -> list[DutyShift]:
    """Shifts running now in the actor's region, HQs from the top down."""
    now = timezone.now()
    return list(
        DutyShift.objects.visible_to(actor)
        .filter(starts_at__lte=now, ends_at__gt=now)
        .select_related("unit", "unit__region", "leader", "officer")
        .order_by("unit__region_id", "unit__sort_order", "unit_id")
    )


def duty_latest_end(*, actor: Actor, unit: CommandUnit) -> dt.datetime | None:
    """When the unit's last scheduled shift ends: where the next one naturally starts."""
    shift = DutyShift.objects.visible_to(actor).filter(unit=unit).order_by("-ends_at").first()
    return shift.ends_at if shift else None
