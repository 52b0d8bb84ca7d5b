"""Who sees which measures and sites.

Region scoping as everywhere, plus one narrowing: quarantine-site staff see only the sites they
staff and the people placed there (a site's staff must not browse another site's residents).
"""

from __future__ import annotations

from django.db.models import QuerySet

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.roles import Role

from .models import Measure, Site


def _site_staff(actor: Actor) -> bool:
    return actor.role == Role.SITE_STAFF


def sites_for(actor: Actor) -> QuerySet[Site]:
    qs = Site.objects.visible_to(actor)
    if _site_staff(actor):
        qs = qs.filter(staff=actor.user) if actor.user is not None else qs.none()
    return qs


def measures_for(actor: Actor) -> QuerySet[Measure]:
    qs = Measure.objects.visible_to(actor)
    if _site_staff(actor):
        qs = qs.filter(site__in=sites_for(actor).values("pk"))
    return qs


def measure_get(*, actor: Actor, pk: int, for_update: bool = False) -> Measure:
    qs = measures_for(actor).select_related("person", "site", "room", "policy")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (Measure.DoesNotExist, ValueError, TypeError):
        raise NotFound(Measure._meta.verbose_name) from None


def site_get(*, actor: Actor, pk: int) -> Site:
    try:
        return sites_for(actor).get(pk=pk)
    except (Site.DoesNotExist, ValueError, TypeError):
        raise NotFound(Site._meta.verbose_name) from None
