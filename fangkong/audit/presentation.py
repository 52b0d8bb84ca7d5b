"""How audit entries read on screen: field labels instead of column names, roles by name."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from fangkong.core.roles import Role
from fangkong.core.text import list_text

from .models import ChangeEntry


@cache
def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def field_label(object_type: str, field: str) -> str:
    model = _model(object_type)
    name = field.removesuffix("_id")
    if model is None:
        return field
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return field
    if model_field.auto_created and not model_field.concrete:
        # A reverse relation (a count of the records a change touched) has no label of its own.
        return str(model_field.related_model._meta.verbose_name_plural)
    return str(model_field.verbose_name)


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def change_lines(entry: ChangeEntry) -> list[dict[str, str]]:
    """One line per changed field: label, old and new (secrets stay '***')."""
    lines = []
    for field, value in (entry.changes or {}).items():
        label = field_label(entry.object_type, field)
        if isinstance(value, list) and len(value) == 2:
            lines.append({"label": label, "old": _shown(value[0]), "new": _shown(value[1])})
        else:
            lines.append({"label": label, "old": "", "new": _shown(value)})
    return lines


def role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def reveal_field_labels(fields: list[str], object_type: str = "people.person") -> str:
    return list_text(field_label(object_type, field) for field in fields or [])
