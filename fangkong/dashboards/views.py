"""The command dashboard page and its big-screen mode; both draw from dashboard_data."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from fangkong.core.decorators import actor_required
from fangkong.core.roles import Perm
from fangkong.regions.models import Region

from .selectors import CATEGORY_LABELS, dashboard_data
from .tasks import request_refresh

FIGURE_CARDS = (
    ("measures.centralised", "集中隔离在管", "人"),
    ("measures.home_quarantine", "居家隔离", "人"),
    ("measures.home_monitoring", "居家健康监测", "人"),
    ("screening.open", "排查核查中", "条"),
    ("screening.overdue", "排查逾期", "条"),
    ("screening.four_clear_rate", "四清率", "%"),
    ("arrivals.new", "今日来返报备", "人"),
    ("checks.total", "今日卡口查验", "人次"),
    ("tests.sampled", "今日核酸采样", "人次"),
    ("tests.positive", "今日阳性", "人"),
    ("arrivals.overdue_tests", "落地检逾期", "人"),
    ("measures.overdue_tests", "管控核酸逾期", "人次"),
)


CHILD_COLUMNS = (
    ("screening.total", "排查总数"),
    ("screening.open", "核查中"),
    ("screening.overdue", "逾期"),
    ("screening.four_clear_rate", "四清率%"),
    ("measures.centralised", "集中隔离"),
    ("measures.home_quarantine", "居家隔离"),
    ("measures.home_monitoring", "居家监测"),
    ("arrivals.new", "来返"),
    ("checks.total", "卡口查验"),
    ("tests.sampled", "采样"),
    ("tests.positive", "阳性"),
)
ALERT_KEYS = (
    "screening.overdue",
    "tests.positive",
    "arrivals.overdue_tests",
    "measures.overdue_tests",
)


def _child_rows(children: list[dict]) -> list[dict]:
    return [
        {"code": c["code"], "name": c["name"],
         "cells": [{"label": label, "value": c["figures"].get(k, 0),
                    "alert": k in ALERT_KEYS and c["figures"].get(k, 0) > 0}
                   for k, label in CHILD_COLUMNS]}
        for c in children
    ]  # fmt: skip


def _breadcrumb(actor, region: Region) -> list[Region]:
    codes = [c for c in region.path.split("/") if c.startswith(actor.region.code)]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def _page(request, *, screen: bool):
    actor = request.actor
    data = dashboard_data(actor=actor, region_code=request.GET.get("region"))
    if data["stale"]:
        request_refresh()
    region = Region(code=data["region"]["code"], name=data["region"]["name"],
                    level=data["region"]["level"])  # fmt: skip
    figures = data["figures"]
    cards = [
        {"key": k, "label": label, "unit": unit, "value": figures.get(k, 0),
         "alert": k in ALERT_KEYS and figures.get(k, 0) > 0}
        for k, label, unit in FIGURE_CARDS
    ]  # fmt: skip
    api = reverse("api:dashboard_get")
    query = f"?region={region.code}" if request.GET.get("region") else ""
    region.path = "/".join(region.code[:n] for n in (2, 4, 6, 9, 12) if n <= len(region.code))
    return render(request, "dashboards/screen.html" if screen else "dashboards/dashboard.html", {
        "data": data, "cards": cards, "region": region,
        "updated_text": (data["updated_at"] or "")[:16].replace("T", " "),
        "children": _child_rows(data["children"]),
        "child_columns": [label for _, label in CHILD_COLUMNS],
        "breadcrumb": _breadcrumb(actor, region), "categories": CATEGORY_LABELS,
        "api_url": api + query, "drill": region.level < 4,
        "screen_url": reverse("dashboards:screen") + query,
    })  # fmt: skip


@actor_required(Perm.DASHBOARD_VIEW)
def dashboard(request):
    return _page(request, screen=False)


@actor_required(Perm.DASHBOARD_VIEW)
def screen(request):
    return _page(request, screen=True)
