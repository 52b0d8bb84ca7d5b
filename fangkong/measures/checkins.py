"""Twice-daily check-ins (temperature, symptoms), by staff or through a personal link.

The personal link carries a random token (32 bytes); only its SHA-256 is stored, so the link
can be shown once and re-issued, never read back. It stops working when the measure ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.roles import Perm

from .access import measure_get, measures_for
from .models import RUNNING, CheckIn, Measure, Slot

# A slot counts as missed once its deadline has passed on the same day.
SLOT_DEADLINES = {Slot.MORNING: dt.time(12, 0), Slot.EVENING: dt.time(20, 0)}
RATE_LIMITS = {"token": (10, 600), "ip": (30, 600)}  # (requests, window seconds)


class RateLimited(Exception):
    pass


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def slot_at(at: dt.datetime) -> str:
    return Slot.MORNING if timezone.localtime(at).time() < dt.time(14, 0) else Slot.EVENING


def _clean(temperature, symptoms: str) -> tuple[Decimal, str]:
    try:
        value = Decimal(str(temperature)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed({"temperature": [_("请填写体温，如 36.5")]}) from None
    if not Decimal("34.0") <= value <= Decimal("43.0"):
        raise ValidationFailed({"temperature": [_("体温应在34.0到43.0之间")]})
    return value, " ".join((symptoms or "").split())[:200]


def _save(measure: Measure, *, temperature, symptoms, at, by_person, user) -> CheckIn:
    value, symptoms = _clean(temperature, symptoms)
    local = timezone.localtime(at)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                measure=measure,
                day=local.date(),
                slot=slot_at(at),
                temperature=value,
                symptoms=symptoms,
                by_person=by_person,
                recorded_by=user,
                at=at,
            )
    except IntegrityError:
        raise ValidationFailed({"slot": [_("本时段已打卡，无需重复填报")]}) from None
    if checkin.fever or symptoms:
        from fangkong.notifications.services import notify

        notify(
            region_code=measure.region_id,
            kind="measures.fever",
            link=f"/measures/{measure.pk}/",
            message=_("%(name)s 体温 %(t)s℃ %(s)s，请及时处置")
            % {"name": measure.person.masked_name, "t": value, "s": symptoms},
        )
    return checkin


@transaction.atomic
def checkin_record(
    *, actor: Actor, measure_id: int, temperature, symptoms: str = "", at: dt.datetime | None = None
) -> CheckIn:
    actor.require(Perm.MEASURES_MANAGE)
    measure = measure_get(actor=actor, pk=measure_id)
    if not measure.running:
        raise ValidationFailed({"status": [_("措施已结束")]})
    return _save(
        measure,
        temperature=temperature,
        symptoms=symptoms,
        at=at or timezone.now(),
        by_person=False,
        user=actor.user,
    )


@transaction.atomic
def checkin_link_issue(*, actor: Actor, measure_id: int) -> str:
    """A new personal link token (the previous one stops working); shown once."""
    actor.require(Perm.MEASURES_MANAGE)
    measure = measure_get(actor=actor, pk=measure_id)
    if not measure.running:
        raise ValidationFailed({"status": [_("措施已结束，不能生成打卡链接")]})
    token = secrets.token_urlsafe(32)
    measure.checkin_token_hash = token_hash(token)
    measure.save(update_fields=["checkin_token_hash"])
    audit_record(actor=actor, action="measures.checkin_link.issued", obj=measure)
    return token


def _hit(kind: str, key: str) -> None:
    limit, window = RATE_LIMITS[kind]
    cache_key = f"checkin-rate:{kind}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    cache.add(cache_key, 0, window)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, window)
        count = 1
    if count > limit:
        raise RateLimited()


def measure_for_token(token: str, *, ip: str | None) -> Measure:
    """The running measure a personal link belongs to; rate-limited per token and per IP."""
    _hit("ip", ip or "-")
    _hit("token", token or "-")
    if not token or len(token) > 100:
        raise NotFound(Measure._meta.verbose_name)
    measure = (
        Measure.objects.select_related("person")
        .filter(checkin_token_hash=token_hash(token), status__in=RUNNING)
        .first()
    )
    if measure is None:
        raise NotFound(Measure._meta.verbose_name)
    return measure


@transaction.atomic
def checkin_by_link(*, token: str, ip: str | None, temperature, symptoms: str = "") -> CheckIn:
    measure = measure_for_token(token, ip=ip)
    return _save(
        measure,
        temperature=temperature,
        symptoms=symptoms,
        at=timezone.now(),
        by_person=True,
        user=None,
    )


def missed_checkins(*, actor: Actor, at: dt.datetime | None = None) -> QuerySet[Measure]:
    """Running measures that missed today's latest slot whose deadline has passed."""
    at = at or timezone.now()
    local = timezone.localtime(at)
    due = [slot for slot, deadline in SLOT_DEADLINES.items() if local.time() >= deadline]
    qs = measures_for(actor).filter(status__in=RUNNING, started_at__date__lt=local.date())
    if not due:
        return qs.none()
    done = CheckIn.objects.filter(measure=OuterRef("pk"), day=local.date(), slot=due[-1])
    return (
        qs.annotate(done=Exists(done)).filter(done=False).select_related("person", "site", "region")
    )
