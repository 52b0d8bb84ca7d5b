"""Division codes on arrival forms: read any spelling, check it exists, name it.

The division tree is reference data that changes once a year, so the codes and names of all
provinces, cities and counties, and of everything under the home city, are held in process
(a few thousand entries) for PLACES_TTL seconds: validating an origin or a destination on the
checkpoint hot path then costs no query.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from fangkong.regions.models import Level, Region
from fangkong.riskareas.codes import compact_code

PLACES_TTL = 300.0
_lock = threading.Lock()
_state: dict = {"loaded": 0.0, "names": {}, "by_name": None}


def _names() -> dict[str, str]:
    now = time.monotonic()
    if now - _state["loaded"] < PLACES_TTL and _state["names"]:
        return _state["names"]
    city = settings.HOME_CITY_CODE
    rows = Region.objects.filter(level__lte=Level.COUNTY).values_list("code", "name")
    names = dict(rows)
    names.update(Region.objects.filter(code__startswith=city).values_list("code", "name"))
    with _lock:
        _state.update(loaded=now, names=names, by_name=None)
    return names


def forget_places() -> None:
    with _lock:
        _state.update(loaded=0.0, names={}, by_name=None)


def known_code(raw: str | None) -> str | None:
    """The compact code of a known division (any level, padded or not), or None."""
    code = "".join((raw or "").split())
    if not code.isdigit():
        return None
    names = _names()
    if code in names:
        return code
    compact = compact_code(code)
    if compact in names:
        return compact
    # A township or village outside the home city: known when its county is.
    if len(compact) in (9, 12) and compact[:6] in names:
        return compact
    return None


def home_code(raw: str | None) -> str | None:
    """A known division inside the home city (a destination), or None."""
    code = known_code(raw)
    if code is None or not code.startswith(settings.HOME_CITY_CODE) or len(code) < 6:
        return None
    if code not in _names():
        return None
    return code


# Names the division data gives levels that are no place of their own ("重庆市 县 秀山…").
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


def place_name(code: str) -> str:
    """'湖北省 武汉市 武昌区' for a county; the nearest known names for deeper codes."""
    names = _names()
    parts = [names[c] for c in (code[:2], code[:4], code[:6], code[:9], code) if c in names]
    return " ".join(p for p in dict.fromkeys(parts) if p not in PLACEHOLDER_NAMES) or code


def city_code(text: str) -> str | None:
    """The code of a city (or a province) written by name as a travel card shows it: "武汉市",
    "武汉", "湖北省武汉市", "北京市". None when no place, or more than one, has that name."""
    key = "".join((text or "").split())
    return _by_name().get(key) if key else None


def _by_name() -> dict[str, str]:
    names = _names()
    by_name = _state["by_name"]
    if by_name is not None:
        return by_name
    found: dict[str, set[str]] = {}
    for code, name in names.items():
        if len(code) not in (2, 4) or name in PLACEHOLDER_NAMES:
            continue
        province = names.get(code[:2], "") if len(code) == 4 else ""
        for spelling in _spellings(province, name):
            found.setdefault(spelling, set()).add(code)
    by_name = {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}
    with _lock:
        _state["by_name"] = by_name
    return by_name


def _spellings(province: str, name: str) -> set[str]:
    short = name.removesuffix("市") if len(name) > 2 else name
    plain_province = province.removesuffix("省") if len(province) > 2 else province
    spellings = {name, short}
    if province:
        spellings |= {p + n for p in (province, plain_province) for n in (name, short)}
    return spellings
