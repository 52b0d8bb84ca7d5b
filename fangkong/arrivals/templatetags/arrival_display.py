"""Arrivals on screen: a division code as the place people know."""

from django import template

from fangkong.arrivals.places import place_name

register = template.Library()


@register.filter
def place(code: str) -> str:
    """'湖北省 武汉市 武昌区' for "420106" (names held in process: no query per row)."""
    return place_name(code or "")
