"""Per-request identity: the idle timeout and the Actor."""

import time

from django.conf import settings
from django.contrib.auth import logout

from fangkong.core.actor import Actor

from .models import RoleAssignment

SESSION_ASSIGNMENT = "fangkong_assignment"
SESSION_LAST_SEEN = "fangkong_last_seen"
# Refresh the last-seen stamp at most this often, to spare a session write per request.
_TOUCH_EVERY = 60


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class IdleTimeoutMiddleware:
    """Sign out a session idle for longer than IDLE_TIMEOUT_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if now - last_seen > settings.IDLE_TIMEOUT_SECONDS:
                logout(request)
                request.session["fangkong_idle_logout"] = True
            elif now - last_seen >= _TOUCH_EVERY or SESSION_LAST_SEEN not in request.session:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


def assignments_for(user) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=user, active=True)
        .select_related("region")
        .order_by("region_id", "role")
    )


def actor_for_session(request) -> Actor | None:
    user = request.user
    if not user.is_authenticated:
        return None
    wanted = request.session.get(SESSION_ASSIGNMENT)
    query = RoleAssignment.objects.filter(user=user, active=True).select_related("region")
    assignment = (query.filter(pk=wanted).first() if wanted else None) or query.order_by(
        "region_id", "role"
    ).first()
    if assignment is None:
        return None
    return Actor.build(
        user=user,
        region=assignment.region,
        role=assignment.role,
        assignment_id=assignment.pk,
        ip=client_ip(request),
    )


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = actor_for_session(request)
        return self.get_response(request)
