"""Where the progress figures lead: a region's row opens the region's own progress (its
children), every figure opens the records it counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.regions.models import CODE_LENGTHS

from .models import ScreeningBatch

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIGURES = ("total", "pushed", "received", "checking", "closed", "overdue", "four_clear")
# The record list's tabs: the progress figures, in the order the pages show them.
TABS = (
    ("total", _("全部")),
    ("pushed", _("待签收")),
    ("received", _("已签收")),
    ("checking", _("核查中")),
    ("closed", _("已闭环")),
    ("overdue", _("逾期")),
    ("four_clear", _("四清")),
    ("invalid", _("待更正")),
)
VILLAGE_LENGTH = max(CODE_LENGTHS.values())


def records_url(
    *, batch: ScreeningBatch | None = None, region: str = "", here: bool = False, status: str = ""
) -> str:
    """The record list behind one figure ("total" is every record)."""
    query = {
        "batch": batch.pk if batch is not None else "",
        "region": region,
        "here": "1" if here else "",
        "status": "" if status == "total" else status,
    }
    encoded = urlencode({key: value for key, value in query.items() if value})
    return reverse("screening:records") + (f"?{encoded}" if encoded else "")


def figure_links(*, batch: ScreeningBatch | None, region: str = "") -> dict[str, str]:
    return {status: records_url(batch=batch, region=region, status=status) for status in FIGURES}


def link_region_rows(rows: list[dict[str, Any]], *, batch: ScreeningBatch | None) -> None:
    """Give each row of the regions' table its links. A row that is not a region holds the
    records placed on the region above itself (its address named nothing finer)."""
    for row in rows:
        here = not row["is_region"]
        row["links"] = {
            status: records_url(batch=batch, region=row["code"], here=here, status=status)
            for status in FIGURES
        }
        row["drill"] = (
            f"?{urlencode({'region': row['code']})}"
            if row["is_region"] and len(row["code"]) < VILLAGE_LENGTH
            else ""
        )


def status_tabs(
    counts: dict[str, int], *, batch: ScreeningBatch | None, region: str, here: bool
) -> list[tuple[str, StrOrPromise, int, str]]:
    """(status, label, count, link) for each tab of a record list."""
    return [
        (
            status,
            label,
            counts[status],
            records_url(batch=batch, region=region, here=here, status=status),
        )
        for status, label in TABS
    ]
