"""Writes to the checkpoint registry (HQ and county operators). Each change is audited and
drops the in-process registry snapshot the check's hot path reads (other workers see it within
services.REGISTRY_TTL seconds)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.regions.models import Region

from .models import Checkpoint
from .services import forget_registry

FIELDS = ("name", "type", "region_id", "address", "leads_to", "status", "staff_on_duty",
          "samples_on_site")  # fmt: skip


def _values(actor: Actor, data: dict) -> dict:
    region = data.get("region") or data.get("region_id") or ""
    if not actor.sees_region_code(region) or not Region.objects.filter(code=region).exists():
        raise ValidationFailed({"region": [_("所在地应为本辖区内的县（市）或乡镇")]})
    values = {key: data[key] for key in FIELDS if key in data}
    values["region_id"] = region
    return values


@transaction.atomic
def checkpoint_create(*, actor: Actor, data: dict) -> Checkpoint:
    actor.require(Perm.CHECKPOINTS_MANAGE)
    values = _values(actor, data)
    try:
        with transaction.atomic():
            checkpoint = Checkpoint.objects.create(code=data["code"], **values)
    except IntegrityError:
        raise ValidationFailed({"code": [_("编号已被其他服务点使用")]}) from None
    audit_record(actor=actor, action="checkpoints.checkpoint.created", obj=checkpoint,
                 changes={"code": checkpoint.code, **values})  # fmt: skip
    forget_registry()
    transaction.on_commit(forget_registry)
    return checkpoint


@transaction.atomic
def checkpoint_update(*, actor: Actor, code: str, data: dict) -> Checkpoint:
    actor.require(Perm.CHECKPOINTS_MANAGE)
    checkpoint = Checkpoint.objects.select_for_update().get_visible(actor, code=code)
    values = _values(actor, data)
    changes = {
        key: [getattr(checkpoint, key), value]
        for key, value in values.items()
        if getattr(checkpoint, key) != value
    }
    if not changes:
        return checkpoint
    for key, value in values.items():
        setattr(checkpoint, key, value)
    checkpoint.save()
    audit_record(actor=actor, action="checkpoints.checkpoint.updated", obj=checkpoint,
                 changes=changes)  # fmt: skip
    forget_registry()
    transaction.on_commit(forget_registry)
    return checkpoint
