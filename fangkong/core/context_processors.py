"""What every page of the shell needs: the actor, its navigation and today's duty."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for
from .roles import Role

if TYPE_CHECKING:
    from fangkong.org.models import DutyShift

    from .actor import Actor


def _duty_today(actor: Actor) -> DutyShift | None:
    from fangkong.org.selectors import duty_now

    return duty_now(actor=actor)


def shell(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    context: dict[str, Any] = {
        "platform_name": settings.PLATFORM_NAME,
        "actor": actor,
        "navigation": [],
    }
    if actor is not None:
        context["navigation"] = navigation_for(actor)
        context["actor_role_label"] = Role(actor.role).label
        context["duty_today"] = SimpleLazyObject(lambda: _duty_today(actor))
    return context
