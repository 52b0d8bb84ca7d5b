"""A service's validation errors shown to the user: as messages on the next page, or on the
form that was sent."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from .errors import ValidationFailed


def flash_errors(request: HttpRequest, exc: ValidationFailed) -> None:
    for texts in exc.errors.values():
        for text in texts:
            messages.error(request, text)


def form_errors(form: forms.BaseForm, exc: ValidationFailed) -> None:
    """Show a service's validation errors on the form, by field where the form has it."""
    for field, texts in exc.errors.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)
