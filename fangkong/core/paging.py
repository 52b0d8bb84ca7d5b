"""One page of a list for the API: what a client needs to read the rest of it."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator


def api_page(items: Any, page: int, size: int) -> dict[str, Any]:
    """`count` and `pages` of the whole list, this `page` (past the last, the last) and its
    `results`: two queries for a queryset."""
    shown = Paginator(items, size).get_page(page)
    return {
        "count": shown.paginator.count,
        "page": shown.number,
        "pages": shown.paginator.num_pages,
        "results": list(shown.object_list),
    }
