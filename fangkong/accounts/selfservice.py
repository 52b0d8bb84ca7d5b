"""What a signed-in user does to their own account: password and second factor.

These need no role (a user without any assignment may still change a password), so they take
the user rather than an Actor and file their audit entries through events.record_account_event.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import TWO_FACTOR_REQUIRED

from . import totp
from .events import record_account_event
from .models import RoleAssignment, User


def set_new_password(user: User, password: str, *, field: str) -> None:
    """Apply the password policy (AUTH_PASSWORD_VALIDATORS) and set the password."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed({field: list(exc.messages)}) from None
    user.set_password(password)
    user.password_changed_at = timezone.now()


@transaction.atomic
def user_password_change(
    *, user: User, old_password: str, new_password: str, ip: str | None
) -> User:
    if not user.check_password(old_password):
        raise ValidationFailed({"old_password": [_("当前密码不正确，请重新输入")]})
    if old_password == new_password:
        raise ValidationFailed({"new_password1": [_("新密码不能与当前密码相同")]})
    set_new_password(user, new_password, field="new_password1")
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    record_account_event(action="accounts.user.password_changed", user=user, ip=ip)
    return user


@transaction.atomic
def user_totp_begin(*, user: User) -> str:
    """A secret for the authenticator app, kept (encrypted) until the user confirms a code.

    Reloading the set-up page shows the same QR code until the factor is enabled.
    """
    if user.totp_enabled:
        raise ValidationFailed(_("双因素认证已启用"))
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
        user.save(update_fields=["totp_secret"])
    return user.totp_secret


@transaction.atomic
def user_totp_enable(*, user: User, code: str, ip: str | None) -> User:
    if user.totp_enabled:
        raise ValidationFailed(_("双因素认证已启用"))
    step = totp.matching_step(secret=user.totp_secret, code=code)
    if step is None:
        raise ValidationFailed(
            {"code": [_("验证码不正确或已过期，请输入验证器应用中当前显示的6位数字")]}
        )
    user.totp_enabled = True
    user.totp_last_step = step
    user.save(update_fields=["totp_enabled", "totp_last_step"])
    record_account_event(action="accounts.user.totp_enabled", user=user, ip=ip)
    return user


def totp_mandatory(user: User) -> bool:
    return RoleAssignment.objects.filter(
        user=user, active=True, role__in=TWO_FACTOR_REQUIRED
    ).exists()


@transaction.atomic
def user_totp_disable(*, user: User, password: str, ip: str | None) -> User:
    if totp_mandatory(user):
        raise ValidationFailed(_("您的角色要求必须使用双因素认证，不能停用"))
    if not user.check_password(password):
        raise ValidationFailed({"password": [_("密码不正确，请重新输入")]})
    user.totp_enabled = False
    user.totp_secret = ""
    user.totp_last_step = None
    user.save(update_fields=["totp_enabled", "totp_secret", "totp_last_step"])
    record_account_event(action="accounts.user.totp_disabled", user=user, ip=ip)
    return user
