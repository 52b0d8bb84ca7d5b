"""The check page's places: where the traveller comes from (province, city, county) and
where they are going in the home city (county, township, village), picked; each select offers
the children of what is picked above it, loaded by the browser as the choice changes
(cascade.js) and rendered again with the page. The finest place picked is the code the check
is given, as the API takes it. The cities on the way are written as the travel card shows
them, by name ("湖北省武汉市，深圳"), or as codes."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.arrivals.places import city_code
from fangkong.regions.models import Level, Region

ORIGIN_FIELDS = ("origin_province", "origin_city", "origin_county")
DESTINATION_FIELDS = ("dest_county", "dest_township", "dest_village")
PICKED_MESSAGES = {
    "origin": gettext_lazy("请选择来源地，到县（区）"),
    "destination": gettext_lazy("请选择目的地，到乡镇（街道）或村（社区）"),
}


def unknown_cities_message(names: list[str]) -> str:
    return _("不认识的城市：%(names)s。请写城市名（如 武汉市）或区划代码") % {
        "names": "、".join(names)
    }


SEPARATORS = re.compile(r"[,，、;；\s]+")


def itinerary_codes(text: str) -> tuple[str, list[str]]:
    """The cities on the way as codes ("4201,4403"), and the names no city answers to (kept
    as written, for the check to refuse)."""
    codes, unknown = [], []
    for token in (t for t in SEPARATORS.split(text or "") if t):
        code = token if token.isdigit() else city_code(token)
        codes.append(code or token)
        if code is None:
            unknown.append(token)
    return ",".join(codes), unknown


def picked(values: dict[str, Any], fields: tuple[str, ...]) -> str:
    """The finest place picked among these selects, or ""."""
    return next((str(values[f]) for f in reversed(fields) if values.get(f)), "")


def picker_choices(values: dict[str, Any], home_county: str) -> dict[str, Any]:
    """The options of each select for the page as it is drawn (a query for each level that
    has a choice above it)."""
    dest_county = str(values.get("dest_county") or home_county)
    return {
        "provinces": Region.objects.filter(level=Level.PROVINCE).order_by("code"),
        "cities": _children(values.get("origin_province")),
        "origin_counties": _children(values.get("origin_city")),
        "dest_counties": _children(settings.HOME_CITY_CODE),
        "dest_county": dest_county,
        "townships": _children(dest_county),
        "villages": _children(values.get("dest_township")),
    }


def _children(code: Any) -> list[Region]:
    return list(Region.objects.filter(parent_id=code).order_by("code")) if code else []
