"""Per-request identity: the idle timeout, the Actor, and the steps a user must finish first."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core.actor import Actor
from fangkong.core.roles import TWO_FACTOR_REQUIRED

from .models import RoleAssignment

SESSION_ASSIGNMENT = "fangkong_assignment"
SESSION_LAST_SEEN = "fangkong_last_seen"
SESSION_IDLE_LOGOUT = "fangkong_idle_logout"
# Refresh the last-seen stamp at most this often, to spare a session write per request.
_TOUCH_EVERY = 60
_ASSIGNMENTS_CACHE = "_fangkong_assignments"


def client_ip(request) -> str | None:
    """The client's address; behind N trusted reverse proxies, taken from X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


class IdleTimeoutMiddleware:
    """Sign out a session idle for longer than IDLE_TIMEOUT_SECONDS.

    The stamp is refreshed at most once a minute, so a session ends between 29 and 30 idle
    minutes: never later than the limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if now - last_seen > settings.IDLE_TIMEOUT_SECONDS:
                logout(request)
                request.session[SESSION_IDLE_LOGOUT] = True
            elif now - last_seen >= _TOUCH_EVERY or SESSION_LAST_SEEN not in request.session:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


def assignments_for(user) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=user, active=True)
        .select_related("region")
        .order_by("region_id", "role")
    )


def _session_assignments(request) -> list[RoleAssignment]:
    """The signed-in user's active assignments, read once per request."""
    cached = getattr(request, _ASSIGNMENTS_CACHE, None)
    if cached is None:
        cached = assignments_for(request.user)
        setattr(request, _ASSIGNMENTS_CACHE, cached)
    return cached


def actor_for_session(request) -> Actor | None:
    user = request.user
    if not user.is_authenticated:
        return None
    assignments = _session_assignments(request)
    if not assignments:
        return None
    wanted = request.session.get(SESSION_ASSIGNMENT)
    assignment = next((a for a in assignments if a.pk == wanted), assignments[0])
    return Actor.build(
        user=user,
        region=assignment.region,
        role=assignment.role,
        assignment_id=assignment.pk,
        ip=client_ip(request),
    )


def pending_step(request) -> str | None:
    """The page a signed-in user must visit before any other, if any.

    A temporary password must be replaced first; then holders of an administrator role set up
    their second factor (MLPS level 3 requires two-factor sign-in for administrators).
    """
    user = request.user
    if not user.is_authenticated:
        return None
    if user.must_change_password:
        return "accounts:password_change"
    if not user.totp_enabled and any(
        a.role in TWO_FACTOR_REQUIRED for a in _session_assignments(request)
    ):
        return "accounts:totp_setup"
    return None


def _always_open(path: str) -> bool:
    open_prefixes = (settings.STATIC_URL, "/i18n/", "/healthz", reverse("accounts:logout"))
    return path.startswith(open_prefixes)


class ActorMiddleware:
    """Build request.actor; hold back users who still owe a password change or a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = actor_for_session(request)
        step = pending_step(request)
        if step is not None:
            target = reverse(step)
            if request.path_info != target and not _always_open(request.path_info):
                return self._hold(request, target)
        return self.get_response(request)

    @staticmethod
    def _hold(request, target: str):
        if request.path_info.startswith("/api/"):
            message = _("请先在浏览器中完成修改密码或启用双因素认证")
            return JsonResponse({"detail": message}, status=403)
        return redirect(target)
