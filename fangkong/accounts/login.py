"""Sign-in: password, lockout after repeated failures, and the second factor.

The services return an outcome instead of raising, because a failed attempt must still commit
its effects (the failure counter, the lock, the audit entry).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import totp
from .events import record_account_event
from .models import User


class Outcome(Enum):
    SIGNED_IN = "signed_in"
    NEEDS_TOTP = "needs_totp"
    FAILED = "failed"
    LOCKED = "locked"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class LoginResult:
    outcome: Outcome
    user: User | None = None
    locked_until: dt.datetime | None = None


def _find(username: str) -> User | None:
    return User.objects.select_for_update().filter(username=username).first()


@transaction.atomic
def user_authenticate(*, username: str, password: str, ip: str | None) -> LoginResult:
    """Check a username and password; count failures and lock the account at the limit."""
    user = _find(username)
    if user is None:
        # Hash anyway, so an unknown name takes as long to refuse as a wrong password.
        User().set_password(password)
        record_account_event(
            action="accounts.login.failed",
            user=None,
            ip=ip,
            username=username[:150],
            reason="unknown_user",
        )
        return LoginResult(Outcome.FAILED)
    if user.is_locked():
        record_account_event(
            action="accounts.login.failed", user=user, ip=ip, as_user=False, reason="locked"
        )
        return LoginResult(Outcome.LOCKED, user, user.locked_until)
    if not user.check_password(password):
        return _fail(user, ip=ip, reason="wrong_password")
    if not user.is_active:
        record_account_event(
            action="accounts.login.failed", user=user, ip=ip, as_user=False, reason="inactive"
        )
        return LoginResult(Outcome.INACTIVE, user)
    if user.totp_enabled:
        return LoginResult(Outcome.NEEDS_TOTP, user)
    _succeed(user, ip=ip, factors=["password"])
    return LoginResult(Outcome.SIGNED_IN, user)


@transaction.atomic
def user_verify_totp(*, user_id: int, code: str, ip: str | None) -> LoginResult:
    """Second step: the code from the user's authenticator app. Failures count like passwords."""
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None:
        return LoginResult(Outcome.FAILED)
    if user.is_locked():
        return LoginResult(Outcome.LOCKED, user, user.locked_until)
    step = totp.matching_step(secret=user.totp_secret, code=code, after=user.totp_last_step)
    if step is None:
        return _fail(user, ip=ip, reason="wrong_totp")
    user.totp_last_step = step
    user.save(update_fields=["totp_last_step"])
    _succeed(user, ip=ip, factors=["password", "totp"])
    return LoginResult(Outcome.SIGNED_IN, user)


def _fail(user: User, *, ip: str | None, reason: str) -> LoginResult:
    user.failed_logins += 1
    record_account_event(
        action="accounts.login.failed",
        user=user,
        ip=ip,
        as_user=False,
        reason=reason,
        failures=user.failed_logins,
    )
    if user.failed_logins < settings.LOGIN_FAILURE_LIMIT:
        user.save(update_fields=["failed_logins"])
        return LoginResult(Outcome.FAILED, user)
    # The count starts afresh once the lock ends: five more tries, then another lock.
    user.failed_logins = 0
    user.locked_until = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    user.save(update_fields=["failed_logins", "locked_until"])
    record_account_event(
        action="accounts.user.locked",
        user=user,
        ip=ip,
        as_user=False,
        locked_until=user.locked_until,
    )
    return LoginResult(Outcome.LOCKED, user, user.locked_until)


def _succeed(user: User, *, ip: str | None, factors: list[str]) -> None:
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
    record_account_event(action="accounts.login.succeeded", user=user, ip=ip, factors=factors)
