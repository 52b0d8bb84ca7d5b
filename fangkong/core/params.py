"""List pages' query parameters, read the same way everywhere: a filter that cannot be read
is left off (the list is shown whole), never an error page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_date

NAME_SEARCH_LENGTH = 30


def day_param(text: str | None) -> dt.date | None:
    """A day written YYYY-MM-DD (as a date input sends it), or None."""
    try:
        return parse_date((text or "").strip())
    except ValueError:
        return None


def name_param(text: str | None) -> str:
    """Part of a name to search for, trimmed and bounded."""
    return (text or "").strip()[:NAME_SEARCH_LENGTH]


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A local day as an aware range [start, end), so a date filter uses timestamp indexes."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)
