"""Small helpers shared by the account views."""

from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from fangkong.core.flash import flash_errors, form_errors

__all__ = ["flash_errors", "form_errors", "safe_next"]


def safe_next(request, candidate: str | None) -> str:
    """A same-site redirect target, or the home page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)
