"""`fangkong reports-compile --date YYYY-MM-DD --format docx|xlsx --out FILE`."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fangkong.reports.bulletins import bulletin_render
from fangkong.reports.models import BulletinFormat, ReportingPeriod


class Command(BaseCommand):
    help = "Compile the daily bulletin (综合日报) of a date as a Word document or Excel workbook."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--format", choices=BulletinFormat.values, default="docx")
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--period", type=int, help="Period id (default: the home city's).")

    def handle(self, *args, date, format, out, period, **options):
        periods = ReportingPeriod.objects.filter(starts_on__lte=date, ends_on__gte=date)
        if period:
            periods = periods.filter(pk=period)
        chosen = (
            periods.filter(region_id=settings.HOME_CITY_CODE).order_by("-starts_on").first()
            or periods.order_by("region_id", "-starts_on").first()
        )
        if chosen is None:
            raise CommandError(f"no reporting period covers {date.isoformat()}")
        data = bulletin_render(chosen, date, format)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        self.stdout.write(
            f"{chosen.bulletin_name} 第{chosen.issue_number(date)}期 → {out} ({len(data):,} bytes)"
        )
