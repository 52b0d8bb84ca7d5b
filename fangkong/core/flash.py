"""A service's validation errors shown to the user as messages on the next page."""

from django.contrib import messages
from django.http import HttpRequest

from .errors import ValidationFailed


def flash_errors(request: HttpRequest, exc: ValidationFailed) -> None:
    for texts in exc.errors.values():
        for text in texts:
            messages.error(request, text)
