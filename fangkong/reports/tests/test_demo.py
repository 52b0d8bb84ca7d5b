"""The demo builder: a period around today, reports, a missing unit, yesterday's bulletin."""

import datetime as dt
import random

from django.utils import timezone

from fangkong.reports.demo import build_reports_demo
from fangkong.reports.models import Bulletin, BulletinStatus, DailyReport, ReportingPeriod


def test_demo_builds_a_period_with_reports_and_yesterdays_bulletin(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    counts = build_reports_demo(world, random.Random(7))
    period = ReportingPeriod.objects.get()
    today = timezone.localdate()
    assert period.starts_on == today - dt.timedelta(days=15) and period.ends_on > today
    assert "两节" in period.name and period.ends_on.month == 3 and period.ends_on.day == 15
    assert counts["reports"] > 0.8 * period.units.count() * 16
    assert counts["zero"] > 0 and counts["late"] > 0
    today_units = set(DailyReport.objects.filter(day=today).values_list("unit_id", flat=True))
    assert len(today_units) == period.units.count() - 1
    assert DailyReport.objects.filter(status="returned").count() == 1
    bulletins = Bulletin.objects.filter(day=today - dt.timedelta(days=1))
    assert {b.format for b in bulletins} == {"docx", "xlsx"}
    assert all(b.status == BulletinStatus.DONE for b in bulletins)
