"""Account management by a system administrator, inside the administrator's subtree.

Rules beyond the region scope (MLPS level 3, separation of duties):
- nobody changes their own role assignments: an administrator cannot widen their own access;
- the system administrator and the auditor are never the same person;
- an account that also holds a role above or beside the administrator's subtree is managed
  there (password, activity, second factor), so a lower level cannot take it over;
- an auditor's credentials are not reset by a system administrator (console only).
"""

from __future__ import annotations

import secrets

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm, Role
from fangkong.regions.models import Region

from .models import RoleAssignment, User
from .selectors import user_get, user_has_roles_elsewhere, user_holds_role
from .selfservice import set_new_password

# Roles that must be held by different people.
EXCLUSIVE_ROLES: dict[str, str] = {Role.SYSADMIN: Role.AUDITOR, Role.AUDITOR: Role.SYSADMIN}

_LOWER, _UPPER, _DIGITS = "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"


def temporary_password(length: int = 12) -> str:
    """A random password that meets the policy, without look-alike characters (l, 1, O, 0)."""
    rng = secrets.SystemRandom()
    chars = [rng.choice(_LOWER), rng.choice(_UPPER), rng.choice(_DIGITS)]
    chars += [rng.choice(_LOWER + _UPPER + _DIGITS) for _ in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)


def _issue_temporary_password(user: User) -> str:
    # A random draw can, very rarely, resemble the username; draw again.
    for _attempt in range(10):
        password = temporary_password()
        try:
            set_new_password(user, password, field="password")
        except ValidationFailed:
            continue
        return password
    raise RuntimeError("could not draw a temporary password that meets the policy")


def _is_self(actor: Actor, user: User) -> bool:
    return actor.user is not None and actor.user.pk == user.pk


def _check_grant(*, actor: Actor, user: User | None, region: Region, role: str) -> None:
    if role not in Role.values:
        raise ValidationFailed({"role": [_("请选择一个有效的角色")]})
    if not actor.sees_region_code(region.code):
        raise ValidationFailed({"region": [_("只能在本辖区内授权")]})
    if user is None:
        return
    if _is_self(actor, user):
        raise ValidationFailed({"role": [_("不能为自己授权或撤销自己的授权，请由其他管理员办理")]})
    conflicting = EXCLUSIVE_ROLES.get(role)
    if conflicting and user_holds_role(user=user, roles={conflicting}):
        raise ValidationFailed(
            {
                "role": [
                    _("%(user)s 已是%(other)s，不能再授予%(role)s：两个角色须由不同人员担任")
                    % {"user": user, "other": Role(conflicting).label, "role": Role(role).label}
                ]
            }
        )


def _check_manageable(*, actor: Actor, user: User, allow_self: bool = False) -> None:
    if not allow_self and _is_self(actor, user):
        raise ValidationFailed(_("不能在用户管理中操作自己的账号，请到“个人设置”办理"))
    if user_has_roles_elsewhere(actor=actor, user=user):
        raise ValidationFailed(_("该用户在本辖区以外另有授权，账号须由上级系统管理员管理"))


def _check_not_auditor(user: User) -> None:
    if user_holds_role(user=user, roles={Role.AUDITOR}):
        raise ValidationFailed(
            _("审计管理员的密码和双因素认证不能由系统管理员重置，请由运维人员在服务器上办理")
        )


@transaction.atomic
def user_create(
    *, actor: Actor, username: str, display_name: str, region: Region, role: str
) -> tuple[User, str]:
    """A new account with one role and a temporary password (returned once, never stored)."""
    actor.require(Perm.ACCOUNTS_MANAGE)
    username = username.strip()
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise ValidationFailed(
            {"username": [_("用户名只能包含字母、数字和 @ . + - _ 符号")]}
        ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            {"username": [_("用户名“%(name)s”已被使用，请换一个") % {"name": username}]}
        )
    _check_grant(actor=actor, user=None, region=region, role=role)
    user = User(username=username, display_name=display_name.strip(), must_change_password=True)
    password = _issue_temporary_password(user)
    user.save()
    assignment = RoleAssignment.objects.create(user=user, region=region, role=role)
    audit_record(
        actor=actor,
        action="accounts.user.created",
        obj=user,
        region_code=region.code,
        changes={"username": username, "display_name": user.display_name},
    )
    audit_record(
        actor=actor,
        action="accounts.role.granted",
        obj=assignment,
        changes={"user": username, "role": role, "region": region.code},
    )
    return user, password


@transaction.atomic
def user_update(*, actor: Actor, user_id: int, display_name: str) -> User:
    actor.require(Perm.ACCOUNTS_MANAGE)
    user = user_get(actor=actor, pk=user_id)
    _check_manageable(actor=actor, user=user, allow_self=True)
    display_name = display_name.strip()
    if not display_name:
        raise ValidationFailed({"display_name": [_("请填写姓名")]})
    if display_name != user.display_name:
        audit_record(
            actor=actor,
            action="accounts.user.updated",
            obj=user,
            changes={"display_name": [user.display_name, display_name]},
        )
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    return user


@transaction.atomic
def user_set_active(*, actor: Actor, user_id: int, active: bool) -> User:
    actor.require(Perm.ACCOUNTS_MANAGE)
    user = user_get(actor=actor, pk=user_id)
    _check_manageable(actor=actor, user=user)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        action = "accounts.user.activated" if active else "accounts.user.deactivated"
        audit_record(actor=actor, action=action, obj=user)
    return user


@transaction.atomic
def user_unlock(*, actor: Actor, user_id: int) -> User:
    actor.require(Perm.ACCOUNTS_MANAGE)
    user = user_get(actor=actor, pk=user_id)
    _check_manageable(actor=actor, user=user)
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(actor=actor, action="accounts.user.unlocked", obj=user)
    return user


@transaction.atomic
def user_password_reset(*, actor: Actor, user_id: int) -> tuple[User, str]:
    """Issue a temporary password, shown once; the user must replace it at next sign-in."""
    actor.require(Perm.ACCOUNTS_MANAGE)
    user = user_get(actor=actor, pk=user_id)
    _check_manageable(actor=actor, user=user)
    _check_not_auditor(user)
    password = _issue_temporary_password(user)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.save(
        update_fields=[
            "password",
            "password_changed_at",
            "must_change_password",
            "failed_logins",
            "locked_until",
        ]
    )
    audit_record(actor=actor, action="accounts.user.password_reset", obj=user)
    return user, password


@transaction.atomic
def user_totp_reset(*, actor: Actor, user_id: int) -> User:
    """For a lost phone: the user sets up a new authenticator at the next sign-in."""
    actor.require(Perm.ACCOUNTS_MANAGE)
    user = user_get(actor=actor, pk=user_id)
    _check_manageable(actor=actor, user=user)
    _check_not_auditor(user)
    user.totp_enabled = False
    user.totp_secret = ""
    user.totp_last_step = None
    user.save(update_fields=["totp_enabled", "totp_secret", "totp_last_step"])
    audit_record(actor=actor, action="accounts.user.totp_reset", obj=user)
    return user


@transaction.atomic
def role_assignment_add(*, actor: Actor, user_id: int, region: Region, role: str) -> RoleAssignment:
    actor.require(Perm.ACCOUNTS_MANAGE)
    user = user_get(actor=actor, pk=user_id)
    _check_grant(actor=actor, user=user, region=region, role=role)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, region=region, role=role)
    if not created and assignment.active:
        raise ValidationFailed({"role": [_("该用户在此辖区已有这一角色")]})
    if not created:
        assignment.active = True
        assignment.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="accounts.role.granted",
        obj=assignment,
        changes={"user": user.username, "role": role, "region": region.code},
    )
    return assignment


@transaction.atomic
def role_assignment_remove(*, actor: Actor, user_id: int, assignment_id: int) -> RoleAssignment:
    """Withdraw a role; the row stays (inactive) so the user remains findable and auditable."""
    actor.require(Perm.ACCOUNTS_MANAGE)
    assignment: RoleAssignment = RoleAssignment.objects.select_related("user").get_visible(
        actor, pk=assignment_id, user_id=user_id, active=True
    )
    if _is_self(actor, assignment.user):
        raise ValidationFailed(_("不能为自己授权或撤销自己的授权，请由其他管理员办理"))
    assignment.active = False
    assignment.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="accounts.role.revoked",
        obj=assignment,
        changes={
            "user": assignment.user.username,
            "role": assignment.role,
            "region": assignment.region_id,
        },
    )
    return assignment
