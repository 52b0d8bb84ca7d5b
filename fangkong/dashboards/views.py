"""The command dashboard page and its big-screen mode; both draw from dashboard_data."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.core.decorators import actor_required
from fangkong.core.roles import Perm
from fangkong.regions.models import Region

from .selectors import CATEGORY_LABELS, dashboard_data
from .tasks import request_refresh

# Counting words after a figure, as in the report template: 人 people, 条 records, 人次
# person-times.
PEOPLE = _("人")
RECORDS = _("条")
PERSON_TIMES = _("人次")

FIGURE_CARDS = (
    ("measures.centralised", _("集中隔离在管"), PEOPLE),
    ("measures.home_quarantine", _("居家隔离"), PEOPLE),
    ("measures.home_monitoring", _("居家健康监测"), PEOPLE),
    ("screening.open", _("排查核查中"), RECORDS),
    ("screening.overdue", _("排查逾期"), RECORDS),
    ("screening.four_clear_rate", _("四清率"), "%"),
    ("arrivals.new", _("今日来返报备"), PEOPLE),
    ("checks.total", _("今日卡口查验"), PERSON_TIMES),
    ("tests.sampled", _("今日核酸采样"), PERSON_TIMES),
    ("tests.positive", _("今日阳性"), PEOPLE),
    ("arrivals.overdue_tests", _("落地检逾期"), PEOPLE),
    ("measures.overdue_tests", _("管控核酸逾期"), PERSON_TIMES),
)


CHILD_COLUMNS = (
    ("screening.total", _("排查总数")),
    ("screening.open", _("核查中")),
    ("screening.overdue", _("逾期")),
    ("screening.four_clear_rate", _("四清率%")),
    ("measures.centralised", _("集中隔离")),
    ("measures.home_quarantine", _("居家隔离")),
    ("measures.home_monitoring", _("居家监测")),
    ("arrivals.new", _("来返")),
    ("checks.total", _("卡口查验")),
    ("tests.sampled", _("采样")),
    ("tests.positive", _("阳性")),
)
ALERT_KEYS = (
    "screening.overdue",
    "tests.positive",
    "arrivals.overdue_tests",
    "measures.overdue_tests",
)


def _chart_labels() -> dict:
    """The charts' words in the reader's language, for dashboard.js (a json_script beside the
    data: the big screen refreshes the figures from the API, the words stay)."""
    from fangkong.reports.schedule import UnitStatus

    return {
        "status": {value: str(label) for value, label in UnitStatus.choices},
        "trend": {
            "screening.received": _("新接收排查"),
            "screening.checked": _("完成核查"),
            "measures.admitted": _("新增管控"),
            "measures.released": _("解除管控"),
            "tests.sampled": _("核酸采样"),
            "tests.positive": _("阳性"),
            "arrivals.new": _("来返报备"),
            "checks.total": _("卡口查验"),
        },
        "children": {
            "screening.total": _("排查总数"),
            "screening.open": _("核查中"),
            "screening.overdue": _("逾期"),
            "screening.four_clear_rate": _("四清率"),
        },
        "records": RECORDS,
        # Translators: an ECharts tooltip; keep {b} (the category), {c} (people), {d} (per cent).
        "people_tooltip": _("{b}：{c} 人（{d}%）"),
        # Translators: an ECharts tooltip; keep {b} (the status) and {c} (the number of units).
        "units_tooltip": _("{b}：{c} 个单位"),
        "no_period": _("暂无报告周期"),
    }


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
        "chart_labels": _chart_labels(),
        "api_url": api + query, "drill": region.level < 4,
        "screen_url": reverse("dashboards:screen") + query,
    })  # fmt: skip


@actor_required(Perm.DASHBOARD_VIEW)
def dashboard(request):
    return _page(request, screen=False)


@actor_required(Perm.DASHBOARD_VIEW)
def screen(request):
    return _page(request, screen=True)
