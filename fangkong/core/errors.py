"""Errors raised by services and selectors; views and the API translate them."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class PermissionDenied(DjangoPermissionDenied):
    """The actor lacks a permission (403). Out-of-scope objects are NotFound instead."""


class NotFound(Exception):
    """Missing, or outside the actor's scope: the two are indistinguishable on purpose (404)."""


class ValidationFailed(Exception):
    """Input was rejected. `errors` maps a field name to a list of readable messages."""

    def __init__(self, errors: dict[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()))
