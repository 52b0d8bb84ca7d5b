"""The region browser: a region, the way down from the actor's own, and its children."""

from django.shortcuts import render

from fangkong.core.decorators import actor_required
from fangkong.core.roles import Perm

from .selectors import region_breadcrumb, region_children, region_get, region_people_count


@actor_required(Perm.REGIONS_VIEW)
def browse(request):
    """The actor's own region."""
    return _region_page(request, request.actor.region.code)


@actor_required(Perm.REGIONS_VIEW)
def detail(request, code: str):
    return _region_page(request, code)


def _region_page(request, code: str):
    actor = request.actor
    region = region_get(actor=actor, code=code)
    return render(
        request,
        "regions/browse.html",
        {
            "region": region,
            "breadcrumb": region_breadcrumb(actor=actor, region=region),
            "children": region_children(actor=actor, region=region),
            "people_count": region_people_count(actor=actor, region=region),
            "parent_visible": region.code != actor.scope_prefix,
        },
    )
