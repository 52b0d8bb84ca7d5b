"""What every page of the shell needs: the actor, its navigation and today's duty."""

from django.conf import settings

from .navigation import navigation_for


def shell(request):
    actor = getattr(request, "actor", None)
    return {
        "platform_name": settings.PLATFORM_NAME,
        "actor": actor,
        "navigation": navigation_for(actor) if actor else [],
    }
