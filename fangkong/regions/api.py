"""The division tree over the API, mounted at /regions.

`GET /regions/{code}` is scoped like the region pages; `GET /regions/resolve?code=` answers
any authenticated caller, since division codes are public reference data.
"""

from __future__ import annotations

from ninja import Router, Schema

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.http import ActorRequest
from fangkong.core.roles import Perm

from .models import Region
from .selectors import region_children, region_get, region_resolve_division_code

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: int
    level_label: str
    path: str

    @staticmethod
    def resolve_level_label(obj: Region) -> str:
        return str(obj.get_level_display())


class ChildOut(RegionOut):
    # People in the child's subtree; null for callers without the people permission.
    people_count: int | None


class RegionDetailOut(Schema):
    region: RegionOut
    # The parent, when the caller may open it too; null at the top of the caller's region.
    parent_code: str | None
    children: list[ChildOut]


@router.get("/resolve", response=RegionOut, summary="Resolve a division code")
def resolve(request: ActorRequest, code: str):
    """Any division code (43, 430000, 433100, 433130101000 …) → the region it names."""
    region = region_resolve_division_code(code)
    if region is None:
        raise NotFound(Region._meta.verbose_name)
    return region


@router.get("/{code}", response=RegionDetailOut, summary="A region and its children")
def detail(request: ActorRequest, code: str):
    """A region inside the caller's own, with its children and their people counts."""
    actor: Actor = request.actor
    actor.require(Perm.REGIONS_VIEW)
    region = region_get(actor=actor, code=code)
    children = region_children(actor=actor, region=region)
    parent_code = region.parent_id if region.code != actor.scope_prefix else None
    return {"region": region, "parent_code": parent_code, "children": children}
