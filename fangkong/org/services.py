"""Writes to the command organisation: units, their member units, and duty shifts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.accounts.models import RoleAssignment, User
from fangkong.audit.services import audit_record, diff
from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.roles import Perm, Role
from fangkong.regions.models import Region

from .models import CommandUnit, DutyShift, MemberUnit, UnitKind
from .selectors import HQ_LEVELS

# Kinds that seat departments; a work group must name exactly one lead unit.
KINDS_WITH_MEMBERS = (UnitKind.COMPREHENSIVE_GROUP, UnitKind.WORK_GROUP, UnitKind.WORK_TEAM)
MAX_SHIFT = dt.timedelta(hours=48)
# Auditors and system administrators are kept apart from operational work (MLPS level 3).
NO_DUTY_ROLES = (Role.AUDITOR, Role.SYSADMIN)
_PHONE = re.compile(r"^[0-9][0-9\-]{4,19}$")
_NAME_MAX = 100


def split_departments(text: str) -> list[str]:
    """Department names from a textarea: one a line, or separated by 、，, ; blanks dropped."""
    parts = re.split(r"[\n\r、，,；;]+", text or "")
    return _unique(p.strip() for p in parts)


def _unique(names: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return seen


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    parent_id: int | None = None,
    region_code: str | None = None,
    duties: str = "",
    reports_daily: bool = False,
    sort_order: int = 0,
    lead_unit: str = "",
    member_units: Iterable[str] = (),
) -> CommandUnit:
    """Set up an HQ in a region, or a group or work team under an HQ."""
    actor.require(Perm.ORG_MANAGE)
    errors: dict[str, list[str]] = {}
    if kind not in UnitKind.values:
        raise ValidationFailed({"kind": [_("请选择单位类型")]})
    parent = _visible_hq(actor, parent_id, errors) if parent_id else None
    if kind == UnitKind.HQ:
        region = _hq_region(actor, region_code, parent, errors)
    else:
        if parent is None and "parent" not in errors:
            errors["parent"] = [_("工作组、综合组和工作专班须隶属于一个指挥部")]
        region = parent.region if parent else None
    name = _clean_name(name, errors)
    lead, members = _clean_members(kind, lead_unit, member_units, errors)
    if region is not None and name and not errors:
        _check_unique_name(region, parent, name, None, errors)
    if errors:
        raise ValidationFailed(errors)
    assert region is not None  # every way of missing the region recorded an error
    unit = CommandUnit.objects.create(
        region=region,
        kind=kind,
        name=name,
        parent=parent,
        duties=duties.strip(),
        reports_daily=reports_daily,
        sort_order=sort_order,
    )
    _write_members(unit, lead, members)
    audit_record(
        actor=actor,
        action="org.unit.created",
        obj=unit,
        changes={
            "kind": kind,
            "name": name,
            "region": unit.region_id,
            "parent": parent.pk if parent else None,
            "reports_daily": reports_daily,
            "lead_unit": lead,
            "member_units": members,
        },
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Actor,
    unit_id: int,
    name: str,
    duties: str = "",
    reports_daily: bool = False,
    sort_order: int = 0,
    lead_unit: str = "",
    member_units: Iterable[str] = (),
) -> CommandUnit:
    """Rename a unit, change its duties, and seat or unseat its lead and member units.

    Kind, region and parent stay as set up: moving a unit is setting up a new one.
    """
    actor.require(Perm.ORG_MANAGE)
    # Only inner joins under FOR UPDATE: PostgreSQL refuses to lock the nullable parent side.
    unit = (
        CommandUnit.objects.select_for_update()
        .select_related("region")
        .get_visible(actor, pk=unit_id)
    )
    errors: dict[str, list[str]] = {}
    name = _clean_name(name, errors)
    lead, members = _clean_members(unit.kind, lead_unit, member_units, errors)
    if name and not errors:
        _check_unique_name(unit.region, unit.parent, name, unit.pk, errors)
    if errors:
        raise ValidationFailed(errors)
    current = list(unit.members.all())
    before = {
        "name": unit.name,
        "duties": unit.duties,
        "reports_daily": unit.reports_daily,
        "sort_order": unit.sort_order,
        "lead_unit": next((m.department for m in current if m.is_lead), ""),
        "member_units": [m.department for m in current if not m.is_lead],
    }
    unit.name, unit.duties = name, duties.strip()
    unit.reports_daily, unit.sort_order = reports_daily, sort_order
    unit.save(update_fields=["name", "duties", "reports_daily", "sort_order"])
    _write_members(unit, lead, members, current=current)
    after = {
        "name": unit.name,
        "duties": unit.duties,
        "reports_daily": unit.reports_daily,
        "sort_order": unit.sort_order,
        "lead_unit": lead,
        "member_units": members,
    }
    changes = diff(before, after)
    if changes:
        audit_record(actor=actor, action="org.unit.updated", obj=unit, changes=changes)
    return unit


def _visible_hq(actor: Actor, parent_id: int, errors: dict[str, list[str]]) -> CommandUnit | None:
    try:
        parent = CommandUnit.objects.select_related("region").get_visible(actor, pk=parent_id)
    except NotFound:
        errors["parent"] = [_("上级单位不存在或不在您的辖区内")]
        return None
    if parent.kind != UnitKind.HQ:
        errors["parent"] = [_("上级单位须是指挥部")]
        return None
    return parent


def _hq_region(
    actor: Actor, code: str | None, parent: CommandUnit | None, errors: dict[str, list[str]]
) -> Region | None:
    if not code or not actor.sees_region_code(code):
        errors["region"] = [_("请选择您辖区内的区划")]
        return None
    region = Region.objects.filter(code=code, level__in=HQ_LEVELS).first()
    if region is None:
        errors["region"] = [_("指挥部只设在市州、县市区和乡镇（街道）")]
        return None
    if parent is not None and (parent.region_id == code or not code.startswith(parent.region_id)):
        errors["parent"] = [_("上级指挥部须设在%(region)s的上级区划") % {"region": region.name}]
    elif CommandUnit.objects.filter(region=region, kind=UnitKind.HQ).exists():
        errors["region"] = [_("%(region)s已设有指挥部") % {"region": region.name}]
    return region


def _clean_name(name: str, errors: dict[str, list[str]]) -> str:
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写单位名称")]
    elif len(name) > _NAME_MAX:
        errors["name"] = [_("名称不能超过%(max)d个字") % {"max": _NAME_MAX}]
    return name


def _clean_members(
    kind: str, lead_unit: str, member_units: Iterable[str], errors: dict[str, list[str]]
) -> tuple[str, list[str]]:
    lead = (lead_unit or "").strip()
    members = [m for m in _unique(m.strip() for m in member_units) if m != lead]
    too_long = [m for m in [lead, *members] if len(m) > _NAME_MAX]
    if too_long:
        errors["member_units"] = [
            _("单位名称不能超过%(max)d个字：%(name)s") % {"max": _NAME_MAX, "name": too_long[0]}
        ]
    if kind not in KINDS_WITH_MEMBERS:
        if lead or members:
            errors["member_units"] = [_("指挥部不设组长单位和成员单位，请在其下的工作组中设置")]
    elif kind == UnitKind.WORK_GROUP and not lead:
        errors["lead_unit"] = [_("工作组须有一个组长单位")]
    elif members and not lead:
        errors["lead_unit"] = [_("设有成员单位时须指定一个组长单位")]
    return lead, members


def _check_unique_name(
    region: Region,
    parent: CommandUnit | None,
    name: str,
    exclude_pk: int | None,
    errors: dict[str, list[str]],
) -> None:
    siblings = CommandUnit.objects.filter(region=region, parent=parent, name=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        errors["name"] = [_("同一上级下已有名为“%(name)s”的单位") % {"name": name}]


def _write_members(
    unit: CommandUnit, lead: str, members: list[str], *, current: list[MemberUnit] | None = None
) -> None:
    """Make the unit's seats exactly `lead` (as lead unit) plus `members`, keeping the contacts
    of departments that stay. The old lead steps down before the new one is seated, so the
    one-lead constraint holds at every statement."""
    current = current if current is not None else []
    wanted = {m: False for m in members}
    if lead:
        wanted[lead] = True
    existing = {m.department: m for m in current}
    gone = [m.pk for m in current if m.department not in wanted]
    if gone:
        MemberUnit.objects.filter(pk__in=gone).delete()
    demoted = [m.pk for m in current if m.is_lead and wanted.get(m.department) is False]
    promoted = [m.pk for m in current if not m.is_lead and wanted.get(m.department)]
    if demoted:
        MemberUnit.objects.filter(pk__in=demoted).update(is_lead=False)
    if promoted:
        MemberUnit.objects.filter(pk__in=promoted).update(is_lead=True)
    MemberUnit.objects.bulk_create(
        MemberUnit(group=unit, department=name, is_lead=is_lead)
        for name, is_lead in wanted.items()
        if name not in existing
    )


@transaction.atomic
def duty_assign(
    *,
    actor: Actor,
    unit_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    leader_id: int,
    officer_id: int,
    phone: str = "",
) -> DutyShift:
    """Put a leader and an officer on duty for a unit. Shifts of one unit never overlap."""
    actor.require(Perm.DUTY_MANAGE)
    try:
        # Locking the unit row serialises assignments to one unit, so two overlapping
        # shifts cannot both pass the check below.
        unit = (
            CommandUnit.objects.select_for_update()
            .select_related("region")
            .get_visible(actor, pk=unit_id)
        )
    except NotFound:
        raise ValidationFailed({"unit": [_("请选择您辖区内的值班单位")]}) from None
    errors: dict[str, list[str]] = {}
    if starts_at is None or ends_at is None:
        raise ValidationFailed({"starts_at": [_("请填写开始和结束时间")]})
    if ends_at <= starts_at:
        errors["ends_at"] = [_("结束时间须晚于开始时间")]
    elif ends_at - starts_at > MAX_SHIFT:
        errors["ends_at"] = [_("一个班次不能超过48小时，请分成几个班次")]
    leader = _duty_person(unit, leader_id, "leader", errors)
    officer = _duty_person(unit, officer_id, "officer", errors)
    if leader is not None and leader == officer:
        errors["officer"] = [_("带班领导和值班员不能是同一人")]
    phone = (phone or "").strip()
    if phone and not _PHONE.match(phone):
        errors["phone"] = [_("值班电话只能由数字和“-”组成，如 0743-8222110")]
    if not errors:
        clash = (
            DutyShift.objects.filter(unit=unit, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .select_related("leader", "officer")
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            errors["__all__"] = [
                _(
                    "与已排班次重叠：%(start)s 至 %(end)s（带班 %(leader)s，值班 %(officer)s）。"
                    "同一单位的班次不能重叠，请调整开始或结束时间。"
                )
                % {
                    "start": _local(clash.starts_at),
                    "end": _local(clash.ends_at),
                    "leader": clash.leader,
                    "officer": clash.officer,
                }
            ]
    if errors:
        raise ValidationFailed(errors)
    # Without errors both were found: _duty_person reports every person it cannot find.
    assert leader is not None and officer is not None
    shift = DutyShift.objects.create(
        unit=unit,
        starts_at=starts_at,
        ends_at=ends_at,
        leader=leader,
        officer=officer,
        phone=phone,
    )
    audit_record(
        actor=actor,
        action="org.duty.assigned",
        obj=shift,
        region_code=unit.region_id,
        changes={
            "unit": unit.pk,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "leader": leader.pk,
            "officer": officer.pk,
            "phone": phone,
        },
    )
    return shift


def _duty_person(
    unit: CommandUnit, user_id: int | None, field: str, errors: dict[str, list[str]]
) -> User | None:
    assignment = (
        RoleAssignment.objects.filter(
            user_id=user_id,
            user__is_active=True,
            active=True,
            region__code__startswith=unit.region_id,
        )
        .exclude(role__in=NO_DUTY_ROLES)
        .select_related("user")
        .first()
        if user_id
        else None
    )
    if assignment is None:
        errors[field] = [
            _("须选择在%(region)s辖区内有工作角色的人员") % {"region": unit.region.name}
        ]
        return None
    return assignment.user


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
