"""A screening page's query parameters: the region it is narrowed to, the page number; and what
a progress page narrowed to a region shows around its figures."""

from __future__ import annotations

from typing import Any

from fangkong.core.actor import Actor
from fangkong.regions.models import Region
from fangkong.regions.selectors import region_breadcrumb, region_or_none

from .links import figure_links, link_region_rows
from .models import ScreeningBatch


def region_param(request) -> Region | None:
    """The region a progress page or record list is narrowed to (?region=), or None; one
    the actor does not see is NotFound, like a missing one."""
    return region_or_none(request.actor, request.GET.get("region", ""))


def batch_or_none(actor: Actor, pk: int | str | None) -> ScreeningBatch | None:
    """The batch of an id the actor sees (NotFound otherwise), or None without an id."""
    from . import selectors

    return selectors.batch_get(actor=actor, pk=pk) if pk not in (None, "") else None


def record_filters(actor: Actor, query) -> dict[str, Any]:
    """A record list's filters from its query (the page's, or a form asking for its sheet):
    batch, region (and `here`), status. A batch or region the actor does not see is NotFound."""
    region = region_or_none(actor, query.get("region", ""))
    return {
        "batch": batch_or_none(actor, query.get("batch", "")),
        "region": region,
        "here": region is not None and query.get("here") == "1",
        "status": query.get("status", ""),
    }


def region_trail(actor: Actor, region: Region | None) -> list[Region]:
    """The regions from the actor's own down to this one, for the breadcrumb."""
    return region_breadcrumb(actor=actor, region=region) if region is not None else []


def page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def opened_at(
    actor: Actor, region: Region | None, batch: ScreeningBatch | None, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    """A progress page's region (None: the actor's own), its breadcrumb, and the links of its
    figures and of its regions' rows (added to the rows)."""
    link_region_rows(rows, batch=batch)
    return {
        "within": region,
        "trail": region_trail(actor, region),
        "figure_links": figure_links(batch=batch, region=region.code if region else ""),
    }
