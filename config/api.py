"""The JSON API at /api/v1/: token (or session) authentication, error mapping, routers."""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from fangkong.accounts.middleware import client_ip
from fangkong.accounts.tokens import api_token_authenticate
from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound, PermissionDenied, ValidationFailed
from fangkong.core.http import ActorRequest


class BearerActorAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token acts with its role in its region."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        cast(ActorRequest, request).actor = Actor.build(
            user=None,
            region=api_token.region,
            role=api_token.role,
            api_token_id=api_token.pk,
            ip=client_ip(request),
        )
        return api_token


class SessionActorAuth:
    """A signed-in browser session with a role; CSRF is checked for unsafe methods."""

    def __call__(self, request: HttpRequest):
        actor = getattr(request, "actor", None)
        if actor is None or actor.user is None:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            from django.middleware.csrf import CsrfViewMiddleware

            reason = CsrfViewMiddleware(_no_view).process_view(request, _no_view, (), {})
            if reason is not None:
                return None
        return actor.user


def _no_view(request: HttpRequest) -> HttpResponse:
    """Stands in for the view in the CSRF check, which only reads its `csrf_exempt` flag."""
    raise NotImplementedError


api = NinjaAPI(
    title="Fangkong API",
    version="1",
    description="疫情防控指挥调度平台接口 · Fangkong epidemic prevention and control API",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[BearerActorAuth(), SessionActorAuth()],
)


def _error(request, status: int, detail, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, _("未认证：请在 Authorization 头中提供有效的令牌"))


@api.exception_handler(NotFound)
def on_not_found(request, exc):
    return _error(request, 404, _("未找到"))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, _("无权执行此操作"))


@api.exception_handler(ValidationFailed)
def on_invalid(request, exc):
    errors = [
        {"field": field, "message": str(message)}
        for field, messages in exc.errors.items()
        for message in messages
    ]
    return _error(request, 422, errors)


@api.exception_handler(NinjaValidationError)
def on_schema_invalid(request, exc):
    errors = [
        {"field": _field_name(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors
    ]
    return _error(request, 422, errors)


def _field_name(location) -> str:
    """("body", "payload", "phone") → "phone"; ("query", "date") → "date"."""
    parts = [str(p) for p in location]
    if parts and parts[0] in ("body", "form", "file") and len(parts) > 2:
        parts = parts[2:]
    elif parts and parts[0] in ("body", "form", "file", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts)


def _add_routers() -> None:
    from importlib import import_module

    for prefix, module in ROUTERS:
        api.add_router(prefix, import_module(module).router)


# Each domain app that offers an API exposes `router` in its api module. URLs are tried in this
# order: the checkpoints' check, the busiest endpoint, comes first.
ROUTERS = [
    ("/checkpoints", "fangkong.checkpoints.api"),
    ("/me", "fangkong.accounts.api"),
    ("/regions", "fangkong.regions.api"),
    ("/people", "fangkong.people.api"),
    ("/org", "fangkong.org.api"),
    ("/audit", "fangkong.audit.api"),
    ("/screening", "fangkong.screening.api"),
    ("/measures", "fangkong.measures.api"),
    ("/labtests", "fangkong.labtests.api"),
    ("/policies", "fangkong.policies.api"),
    ("/notifications", "fangkong.notifications.api"),
    ("/reports", "fangkong.reports.api"),
    ("/dashboard", "fangkong.dashboards.api"),
]
_add_routers()
