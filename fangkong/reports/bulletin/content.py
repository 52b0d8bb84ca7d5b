"""What goes into the compiled bulletin (综合日报) of a day: gathered once, written twice.

The same BulletinContent feeds the Word document and the Excel workbook: the city's own
figures for the reporting window, each unit's reported figures and text, and who was late,
sent a zero report or is missing. Three queries for the reports plus the figure providers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from fangkong.org.models import UnitKind

from .. import figures as figure_registry
from ..models import DailyReport, ReportingPeriod
from ..schedule import UnitStatus, cutoff_at, status_of, window

CN_NUMERALS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (enough for section and list numbers)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return head + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class UnitEntry:
    name: str
    kind: str
    status: str
    submitted_at: dt.datetime | None
    is_zero: bool
    figures: dict[str, float]
    corrections: dict[str, str]
    texts: dict[str, str]

    @property
    def status_label(self) -> str:
        return str(UnitStatus(self.status).label)


@dataclass
class BulletinContent:
    period: ReportingPeriod
    day: dt.date
    number: int
    bulletin_name: str
    issuer: str
    title: str
    window_text: str
    city_figures: dict[str, float]
    figure_items: list[dict]
    text_sections: list[dict]
    units: list[UnitEntry] = field(default_factory=list)

    def with_status(self, *statuses: str) -> list[UnitEntry]:
        return [u for u in self.units if u.status in statuses]

    @property
    def counties(self) -> list[UnitEntry]:
        return [u for u in self.units if u.kind == UnitKind.HQ]


def gather(period: ReportingPeriod, day: dt.date, *, now: dt.datetime | None = None):
    now = now or timezone.now()
    template = period.template
    units = list(period.units.order_by("region_id", "sort_order", "id"))
    reports = {
        r.unit_id: r
        for r in DailyReport.objects.filter(period=period, day=day).exclude(
            first_submitted_at__isnull=True
        )
    }
    entries = []
    for unit in units:
        report = reports.get(unit.pk)
        entries.append(
            UnitEntry(
                name=unit.name,
                kind=unit.kind,
                status=status_of(report, period=period, day=day, now=now),
                submitted_at=report.first_submitted_at if report else None,
                is_zero=bool(report and report.is_zero),
                figures=report.figures if report else {},
                corrections=report.corrections if report else {},
                texts=report.texts if report else {},
            )
        )
    win = window(period, day, period.region_id)
    start, end = timezone.localtime(win.start), timezone.localtime(win.end)
    place = "全州" if period.region.name.endswith("州") else "全市"
    return BulletinContent(
        period=period,
        day=day,
        number=period.issue_number(day),
        bulletin_name=period.bulletin_name,
        issuer=f"{period.hq.name}综合组",
        title=f"{day.month}月{day.day}日{place}疫情防控工作情况",
        window_text=(
            f"{start.month}月{start.day}日{start.hour}时至{end.month}月{end.day}日{end.hour}时"
        ),
        city_figures=figure_registry.region_figures(win),
        figure_items=template.figure_items(),
        text_sections=template.text_items(),
        units=entries,
    )


def cutoff_text(content: BulletinContent) -> str:
    end = timezone.localtime(cutoff_at(content.period, content.day))
    return f"{end.month}月{end.day}日{end.hour}时"


def figure_value(figures: dict, key: str) -> str:
    value = figures.get(key)
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"
