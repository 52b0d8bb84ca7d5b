"""Reads of the division tree, as the actor may see it.

The tree itself is public reference data, but as pages it is browsed from the actor's own
region down: a county operator opens its county, townships and villages, never the city above
nor the county next door. People counts are always scoped with Person.visible_to(actor), and
only given to actors who may view people (None otherwise), as on the home page.
"""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Substr

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.roles import Perm
from fangkong.people.models import Person

from .models import CODE_LENGTHS, Region


def region_get(*, actor: Actor, code: str) -> Region:
    """The region with this code, if it lies in the actor's subtree; otherwise NotFound."""
    if not code.isdigit() or not actor.sees_region_code(code):
        raise NotFound(Region._meta.verbose_name)
    try:
        return Region.objects.select_related("parent").get(code=code)
    except Region.DoesNotExist:
        raise NotFound(Region._meta.verbose_name) from None


def region_children(*, actor: Actor, region: Region) -> list[Region]:
    """The region's children, each with `people_count`: people in its subtree the actor sees.

    Two queries however many children: the children, then one count of people grouped by
    the first n characters of their region code (all children of a region share one code
    length n). Without the people permission, people_count is None and the count is skipped.
    """
    _require_visible(actor, region)
    children = list(Region.objects.filter(parent=region).order_by("code"))
    counts = (
        _people_counts_by_prefix(actor, region, len(children[0].code))
        if children and actor.can(Perm.PEOPLE_VIEW)
        else None
    )
    for child in children:
        count = None if counts is None else counts.get(child.code, 0)
        # An annotation like those .annotate() adds; Region itself has no such field.
        child.people_count = count  # type: ignore[attr-defined]
    return children


def region_or_none(actor: Actor, code: str) -> Region | None:
    """The region of a code the actor sees (NotFound otherwise), or None without a code: a
    list narrowed to a region by a query parameter."""
    return region_get(actor=actor, code=code) if code else None


def region_child_choices(*, actor: Actor) -> list[Region]:
    """The regions one level below the actor's own, to narrow a list to one of them."""
    return list(Region.objects.filter(parent=actor.region).order_by("code"))


def region_people_count(*, actor: Actor, region: Region) -> int | None:
    """People in the region's subtree that the actor sees, including those placed directly
    on the region rather than on one of its children; None without the people permission."""
    _require_visible(actor, region)
    if not actor.can(Perm.PEOPLE_VIEW):
        return None
    return Person.objects.visible_to(actor).filter(region__code__startswith=region.code).count()


def region_breadcrumb(*, actor: Actor, region: Region) -> list[Region]:
    """The chain from the actor's region down to this one, both included."""
    _require_visible(actor, region)
    codes = [c for c in region.ancestor_codes() if len(c) >= len(actor.scope_prefix)]
    # Ancestor codes are prefixes of one another, so code order is top-down order.
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def region_resolve_division_code(code: str) -> Region | None:
    """The region a division code names, in whatever form it comes, or None.

    Accepts the compact codes (43, 4331, 433130, 433130101, 433130101001) and the padded
    forms used on forms and ID numbers: 6 digits (430000 → 43, 433100 → 4331) and 12 digits
    (433130000000 → 433130, 433130101000 → 433130101). When several readings exist, the most
    specific region that exists wins: 441900 is the county-level 东莞市, not the city 4419.
    """
    code = (code or "").strip()
    if not code.isdigit() or len(code) not in CODE_LENGTHS.values():
        return None
    candidates = [
        code[:length]
        for length in CODE_LENGTHS.values()
        if length <= len(code) and set(code[length:]) <= {"0"}
    ]
    found = list(Region.objects.filter(code__in=candidates))
    return max(found, key=lambda region: len(region.code), default=None)


def _people_counts_by_prefix(actor: Actor, region: Region, length: int) -> dict[str, int]:
    rows = (
        Person.objects.visible_to(actor)
        .filter(region__code__startswith=region.code)
        .annotate(prefix=Substr("region_id", 1, length))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["prefix"]: row["n"] for row in rows}


def _require_visible(actor: Actor, region: Region) -> None:
    if not actor.sees_region_code(region.code):
        raise NotFound(Region._meta.verbose_name)
