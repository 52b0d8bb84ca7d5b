"""Figures the platform already knows, by region and time window, from each module.

A figure provider is a function

    provider(*, prefix: str, start: datetime, end: datetime, group: int) -> {code: {key: n}}

that counts its module's records in the regions whose code starts with `prefix`, for the
window (start, end], grouped by the first `group` digits of the region code (group equal to
len(prefix) gives one row for the whole region). Modules are read through dotted paths in
FIGURE_PROVIDERS; a provider whose module is not installed is skipped, so the reports work
before every module has landed. Counts only: rates are derived here from their parts so that
they roll up correctly.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from importlib import import_module

FIGURE_PROVIDERS: dict[str, str] = {
    "screening": "fangkong.reports.providers.screening_figures",
    "measures": "fangkong.reports.providers.measures_figures",
    "tests": "fangkong.reports.providers.labtests_figures",
    "arrivals": "fangkong.reports.providers.arrivals_figures",
    "checks": "fangkong.reports.providers.checkpoints_figures",
}

# Rates (percent, one decimal) derived from two summed counts.
DERIVED_RATES: dict[str, tuple[str, str]] = {
    "screening.four_clear_rate": ("screening.four_clear", "screening.total"),
}


@dataclass(frozen=True)
class Window:
    prefix: str
    start: dt.datetime
    end: dt.datetime


def _load(path: str):
    module_name, _, attr = path.rpartition(".")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, attr)


def collect(window: Window, *, group: int | None = None) -> dict[str, dict[str, float]]:
    """{region code (truncated to group): {figure key: value}} from every provider."""
    group = group or len(window.prefix)
    rows: dict[str, dict[str, float]] = defaultdict(dict)
    for path in FIGURE_PROVIDERS.values():
        provider = _load(path)
        if provider is None:
            continue
        result = provider(prefix=window.prefix, start=window.start, end=window.end, group=group)
        for code, figures in result.items():
            rows[code].update(figures)
    return {code: with_rates(figures) for code, figures in rows.items()}


def with_rates(figures: dict[str, float]) -> dict[str, float]:
    for key, (part, whole) in DERIVED_RATES.items():
        if whole in figures or part in figures:
            total = figures.get(whole) or 0
            figures[key] = round(100 * (figures.get(part) or 0) / total, 1) if total else 0.0
    return figures


def region_figures(window: Window) -> dict[str, float]:
    """The figures of one whole region for a window."""
    return collect(window).get(window.prefix, {})


def known_keys() -> set[str]:
    """Figure keys the installed providers answer (an empty window still names them)."""
    now = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    figures = region_figures(Window(prefix="-", start=now, end=now))
    return set(figures)


def prefill(*, template_items: list[dict], figures: dict[str, float]) -> dict[str, float]:
    """The template's items that the platform knows, with their values."""
    return {item["key"]: figures.get(item["key"], 0) for item in template_items
            if item["key"] in figures}  # fmt: skip
