"""Headline figures for `fangkong stats --json`, contributed by each module.

A section provider is a function `provider(*, at: datetime) -> dict`; its dotted path is listed
in STATS_SECTIONS under the section's key. Modules append their own entry (arrivals, screening,
reports …); a provider whose module is not installed is skipped.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

STATS_SECTIONS: dict[str, str] = {
    "quarantine": "fangkong.measures.stats.quarantine_section",
    "reports": "fangkong.reports.stats.reports_section",
}


def collect(*, at: dt.datetime, only: list[str] | None = None) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for key, path in STATS_SECTIONS.items():
        if only and key not in only:
            continue
        module_name, _, attr = path.rpartition(".")
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        figures[key] = getattr(module, attr)(at=at)
    return figures
