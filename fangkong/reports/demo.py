"""The demo's daily reports: a special period running from 15 days ago past today, reports
from most units on most days (a few late, a few zero reports, one returned), one unit not yet
in today, yesterday's bulletin compiled, and the dashboard's figures for the last 30 days.

Call build_reports_demo(world, rng) after the other modules' demo builders, so that the
pre-filled figures and the dashboard find their records.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import RoleAssignment

from .bulletins import bulletin_compile
from .models import (
    Bulletin,
    BulletinFormat,
    DailyReport,
    ReportingPeriod,
    ReportStatus,
    ReportVersion,
    VersionKind,
)
from .schedule import cutoff_at
from .services import ZERO_TEXT, default_units, platform_figures
from .templates_data import default_template

PERIOD_DAYS_BACK = 15
WORK = [
    "组织开展重点人群排查核实，对省推送名单逐条落实“四清”。",
    "督促各乡镇（街道）落实返乡人员全覆盖排查，做好健康监测。",
    "检查隔离点物资储备和人员配备，开展应急演练一次。",
    "在高铁站、汽车站和高速路口查验“两码”和核酸检测证明。",
    "对商超市场、餐饮场所开展疫情防控督查，督促落实扫码、测温、戴口罩。",
]
PROBLEMS = [
    "个别村（社区）返乡人员排查不够及时。",
    "部分场所“一米线”要求落实不到位。",
    "夜间卡口值守力量偏紧。",
    "",
]
NEXT = [
    "继续加强重点人群排查，确保24小时内反馈。",
    "加大督查力度，发现问题立行立改。",
    "做好春节期间疫情防控各项准备。",
]


def _period_end(today: dt.date) -> dt.date:
    """The next 15 March after today: the special period ends then."""
    end = dt.date(today.year, 3, 15)
    return end if end > today else dt.date(today.year + 1, 3, 15)


def _reporter(unit):
    found = (
        RoleAssignment.objects.filter(unit=unit, active=True)
        .exclude(role="hq_commander")
        .select_related("user")
        .first()
    )
    return found.user if found else None


def _texts(rng: random.Random) -> dict:
    return {
        "work_done": rng.choice(WORK),
        "problems": rng.choice(PROBLEMS),
        "next_steps": rng.choice(NEXT),
        "other": "",
    }


def _file(report, *, at, user, rng, zero=False, late=False, kind=None):
    report.prefilled = platform_figures(report=report)
    report.figures = dict(report.prefilled)
    report.is_zero = zero
    report.texts = {"work_done": ZERO_TEXT} if zero else _texts(rng)
    report.first_submitted_at = report.submitted_at = at
    report.late = late
    report.status = ReportStatus.SUBMITTED
    report.version = 1
    report.save()
    ReportVersion.objects.create(
        report=report, number=1, created_by=user, created_at=at, late=late,
        kind=kind or (VersionKind.ZERO if zero else VersionKind.SUBMIT), is_zero=zero,
        figures=report.figures, prefilled=report.prefilled, texts=report.texts,
    )  # fmt: skip


@transaction.atomic
def build_reports_demo(world, rng: random.Random) -> dict:
    now = timezone.now()
    today = timezone.localdate(now)
    units = default_units(world.hq)
    period = ReportingPeriod.objects.create(
        name=f"{_period_end(today).year}年“两节”疫情防控特护期",
        hq=world.hq,
        region_id=world.hq.region_id,
        starts_on=today - dt.timedelta(days=PERIOD_DAYS_BACK),
        ends_on=_period_end(today),
        template=default_template(),
    )
    period.units.set(units)
    reporters = {u.pk: _reporter(u) for u in units}
    # The last county HQ has not reported today: missing once the cut-off has passed.
    absent_today = units[-1]
    counts = {"reports": 0, "late": 0, "zero": 0, "missing": 0}
    for offset in range(PERIOD_DAYS_BACK, -1, -1):
        day = today - dt.timedelta(days=offset)
        cutoff = cutoff_at(period, day)
        for unit in units:
            roll = rng.random()
            if (day == today and unit == absent_today) or (day < today and roll < 0.03):
                counts["missing"] += 1
                continue
            late = day < today and roll > 0.94
            zero = not late and roll > 0.86
            if late:
                at = cutoff + dt.timedelta(minutes=rng.randint(5, 180))
            else:
                at = cutoff - dt.timedelta(minutes=rng.randint(20, 300))
            if day == today and at > now:
                at = now - dt.timedelta(minutes=rng.randint(1, 30))
            report = DailyReport(period=period, unit=unit, region_id=unit.region_id, day=day)
            _file(report, at=at, user=reporters[unit.pk], rng=rng, zero=zero, late=late)
            counts["reports"] += 1
            counts["late"] += late
            counts["zero"] += zero
    _return_one(period, today - dt.timedelta(days=1), world)
    for fmt in BulletinFormat.values:
        bulletin = Bulletin.objects.create(
            period=period, region_id=period.region_id, day=today - dt.timedelta(days=1),
            number=period.issue_number(today - dt.timedelta(days=1)), format=fmt,
            created_by=world.users.get("comprehensive"),
        )  # fmt: skip
        bulletin_compile(bulletin.pk)
    try:
        from fangkong.dashboards.snapshot import snapshot_refresh
    except ModuleNotFoundError:
        pass
    else:
        counts["figures"] = snapshot_refresh(days=30, now=now)
    return counts


def _return_one(period, day, world) -> None:
    report = (
        DailyReport.objects.filter(period=period, day=day, is_zero=False, unit__kind="work_group")
        .order_by("unit__sort_order")
        .first()
    )
    if report is None:
        return
    report.status = ReportStatus.RETURNED
    report.returned_at = cutoff_at(period, day) + dt.timedelta(hours=1)
    report.returned_by = world.users.get("comprehensive")
    report.return_reason = "“存在问题”一栏过于笼统，请补充具体村（社区）和整改时限。"
    report.save()
