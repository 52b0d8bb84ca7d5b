"""Audit entries for a user's own account events (sign-in, password, second factor).

These happen before or outside a chosen role, so the entry is filed under the user's first
active role assignment, which puts it in front of the auditors above that region. Events with
no known user (a sign-in attempt under an unknown name) are filed under the deployment's home
city, whose auditors watch for password guessing across the whole deployment.
"""

from __future__ import annotations

import logging

from django.conf import settings

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.regions.models import Region

from .models import RoleAssignment, User

logger = logging.getLogger(__name__)


def _home_region() -> Region | None:
    return Region.objects.filter(code=settings.HOME_CITY_CODE).first()


def event_actor(*, user: User | None, ip: str | None, as_user: bool) -> Actor | None:
    """The actor an account event is recorded with; None when no region can hold it.

    as_user=False records the event without an operator (a failed sign-in is not known to be
    the account holder's doing).
    """
    assignment = None
    if user is not None:
        assignment = (
            RoleAssignment.objects.filter(user=user, active=True)
            .select_related("region")
            .order_by("region_id", "role")
            .first()
        )
    region: Region | None = assignment.region if assignment is not None else _home_region()
    role = assignment.role if assignment is not None and as_user else ""
    if region is None:
        return None
    return Actor.build(user=user if as_user else None, region=region, role=role, ip=ip)


def record_account_event(
    *, action: str, user: User | None, ip: str | None, as_user: bool = True, **changes
) -> None:
    actor = event_actor(user=user, ip=ip, as_user=as_user)
    if actor is None:
        logger.warning("no region to record %s for %s", action, getattr(user, "username", "?"))
        return
    audit_record(actor=actor, action=action, obj=user, changes=changes)
