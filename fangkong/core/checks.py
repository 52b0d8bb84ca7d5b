"""System check: a model linked to a region must be scoped (or say why it is not)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks
from django.db import models

from .scoping import ScopedQuerySet


def _points_at_region(model: type[models.Model]) -> bool:
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey) and field.related_model is not None:
            meta = field.related_model._meta
            if (meta.app_label, meta.model_name) == ("regions", "region"):
                return True
    return False


@checks.register(checks.Tags.models)
def region_models_are_scoped(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if not model.__module__.startswith("fangkong.") or not _points_at_region(model):
            continue
        if getattr(model, "scoping_exempt", ""):
            continue
        queryset = model._default_manager.get_queryset()
        if not isinstance(queryset, ScopedQuerySet):
            errors.append(
                checks.Error(
                    f"{model._meta.label} points at a region but its default manager is not "
                    "scoped.",
                    hint="Use ScopedModel / ScopedManager, or set scoping_exempt with the reason.",
                    obj=model,
                    id="fangkong.E001",
                )
            )
    return errors
