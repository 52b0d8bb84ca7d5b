"""Region scoping: every query of operational or personal data goes through visible_to(actor).

A division code begins with its parent's code (43 → 4331 → 433130 → 433130101 → 433130101001),
so a region's subtree is exactly the set of codes with its code as prefix. A scoped model names
the lookup that reaches its region code (`scope_field`: default "region__code", or a path such
as "unit__region__code"); visible_to filters `<scope_field>__startswith`, which Django resolves
to the foreign-key column itself (the code is the region's primary key), so there is no join.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from .errors import NotFound

if TYPE_CHECKING:
    from .actor import Actor

M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[M]):
    def visible_to(self, actor: Actor) -> Self:
        return self.filter(**{scope_lookup(self.model): actor.scope_prefix})

    def get_visible(self, actor: Actor, **lookup: Any) -> M:
        """One object in the actor's scope, or NotFound: missing and not-yours look alike."""
        try:
            return self.visible_to(actor).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise NotFound(self.model._meta.verbose_name) from None


def scope_lookup(model: type[models.Model]) -> str:
    """The prefix lookup for a model's region, e.g. "unit__region__code__startswith"."""
    field = getattr(model, "scope_field", "region__code")
    if not field.endswith("__code"):
        field = field.removesuffix("_id") + "__code"
    return f"{field}__startswith"


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class ScopedModel(models.Model):
    """Base for models that belong to a region; the manager exposes visible_to."""

    scope_field = "region__code"
    objects = ScopedManager()

    class Meta:
        abstract = True


def region_index(name: str, field: str = "region") -> models.Index:
    """One index on a region reference that serves both `region = x` and the scoping prefix
    `region LIKE 'x%'`: on PostgreSQL a varchar_pattern_ops index does both, where Django's
    default for a foreign key to a text key is two indexes (plain and pattern). Declare the
    field with db_index=False and list this index instead. Other databases get a plain index."""
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])
