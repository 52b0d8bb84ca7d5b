"""What every page of the shell needs: the actor, its navigation and today's duty."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for
from .roles import Role


def _duty_today(actor):
    from fangkong.org.selectors import duty_now

    return duty_now(actor=actor)


def shell(request):
    actor = getattr(request, "actor", None)
    context = {"platform_name": settings.PLATFORM_NAME, "actor": actor, "navigation": []}
    if actor is not None:
        context["navigation"] = navigation_for(actor)
        context["actor_role_label"] = Role(actor.role).label
        context["duty_today"] = SimpleLazyObject(lambda: _duty_today(actor))
    return context
