"""Division codes as risk-area lists write them, reduced to the compact form we store."""

from __future__ import annotations


def compact_code(raw: str) -> str:
    """'420106' → '420106', '420106001000' → '420106001', '420100' → '4201', '430000' → '43'.

    Structural only (trailing zero groups); callers that know the tree may prefer
    regions.selectors.region_resolve_division_code, which tells 441900 (a county-level city)
    from a city code.
    """
    code = (raw or "").strip()
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) == 9 and code.endswith("000"):
        code = code[:6]
    if len(code) == 6 and code.endswith("00"):
        code = code[:4]
    if len(code) == 4 and code.endswith("00"):
        code = code[:2]
    return code


def county_scope(code: str) -> str:
    """The prefix a place is judged by: its county (or the whole city or province if that
    is all the code says). A village is affected when any risk area lies in its county."""
    return code[:6] if len(code) > 6 else code


def overlaps(area_code: str, scope: str) -> bool:
    """An area lies in the scope, or (a county-wide declaration) contains it."""
    return area_code.startswith(scope) or scope.startswith(area_code)
