"""API tokens: created once, shown once, stored as a SHA-256 digest, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import TWO_FACTOR_REQUIRED, Perm, Role, permissions_for

from .models import ApiToken

TOKEN_PREFIX = "fk_"
# Recording every use would turn each API read into a write; a minute's precision is enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _validate(*, actor: Actor | None, name: str, region, role: str) -> None:
    if not name.strip():
        raise ValidationFailed({"name": [_("请填写令牌名称，如对接的系统名")]})
    if role not in Role.values:
        raise ValidationFailed({"role": [_("未知角色：%(role)s") % {"role": role}]})
    if actor is not None and role in TWO_FACTOR_REQUIRED:
        # A token cannot present a second factor, so the web pages do not issue one with an
        # administrator role; only the operator at the server console can.
        raise ValidationFailed({"role": [_("接口令牌不能使用须双因素认证的角色")]})
    if actor is not None and not permissions_for(role) <= actor.permissions:
        # A token may do no more than its issuer: otherwise a system administrator, who sees
        # no personal data, could mint a token that does.
        raise ValidationFailed({"role": [_("不能签发权限超出本人角色的令牌")]})
    if actor is not None and not actor.sees_region_code(region.code):
        raise ValidationFailed({"region": [_("只能为本辖区内的区划创建令牌")]})


def _console_actor(region) -> Actor:
    """The operator at the server console: no user, no role, the token's region."""
    return Actor.build(user=None, region=region, role="")


@transaction.atomic
def api_token_create(*, actor: Actor | None, name: str, region, role: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plaintext, which is never stored.

    actor is None only for the operator's console command, which runs with shell access.
    """
    if actor is not None:
        actor.require(Perm.API_TOKENS_MANAGE)
    _validate(actor=actor, name=name, region=region, role=role)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name.strip(),
        digest=_digest(raw),
        prefix=raw[:10],
        region=region,
        role=role,
        created_by=actor.user if actor else None,
    )
    audit_record(
        actor=actor or _console_actor(region),
        action="accounts.api_token.created",
        obj=token,
        changes={"role": role, "region": region.code, "via": "web" if actor else "console"},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Actor | None, token_id: int) -> ApiToken:
    """Revoke a token; actor is None only for the console command."""
    if actor is not None:
        actor.require(Perm.API_TOKENS_MANAGE)
        token = ApiToken.objects.get_visible(actor, pk=token_id)
    else:
        token = ApiToken.objects.select_related("region").get(pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor or _console_actor(token.region),
            action="accounts.api_token.revoked",
            obj=token,
            changes={"via": "web" if actor else "console"},
        )
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("region")
        .filter(digest=_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
