"""The dashboard over the API, mounted at /dashboard."""

from __future__ import annotations

from ninja import Router

from fangkong.core.http import ActorRequest

from .selectors import dashboard_data
from .tasks import request_refresh

router = Router(tags=["dashboard"])


@router.get("", summary="指挥大屏数据", url_name="dashboard_get")
def dashboard_get(request: ActorRequest, region: str | None = None):
    """The dashboard's figures for the caller's region, or for `region` inside it (404 else)."""
    data = dashboard_data(actor=request.actor, region_code=region)
    if data["stale"]:
        request_refresh()
    return data
