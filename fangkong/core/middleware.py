"""Security headers, including the content security policy."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Style attributes carry computed widths (progress bars); <style> blocks stay forbidden.
        "style-src-elem 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The interactive API docs page loads its own assets inline; it gets a looser policy.
_DOCS_CSP = "default-src 'self' 'unsafe-inline' data:; frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        is_docs = request.path.startswith("/api/v1/docs")
        response.headers.setdefault("Content-Security-Policy", _DOCS_CSP if is_docs else _CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), geolocation=(), microphone=()"
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if not settings.DEBUG:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
