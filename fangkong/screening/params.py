"""A screening page's query parameters: the region it is narrowed to, the page number."""

from __future__ import annotations

from fangkong.core.actor import Actor
from fangkong.regions.models import Region
from fangkong.regions.selectors import region_breadcrumb, region_get


def region_param(request) -> Region | None:
    """The region a progress page or record list is narrowed to (?region=), or None; one
    the actor does not see is NotFound, like a missing one."""
    code = request.GET.get("region", "")
    return region_get(actor=request.actor, code=code) if code else None


def region_trail(actor: Actor, region: Region | None) -> list[Region]:
    """The regions from the actor's own down to this one, for the breadcrumb."""
    return region_breadcrumb(actor=actor, region=region) if region is not None else []


def page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1
