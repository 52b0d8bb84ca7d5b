"""How the scoping matrix reaches reports' objects: per village, its county HQ's report and
bulletin in a county-level period."""

import datetime as dt

from django.core.files.base import ContentFile

from fangkong.org.models import CommandUnit, UnitKind
from fangkong.reports.models import Bulletin, BulletinStatus, DailyReport, ReportingPeriod
from fangkong.reports.templates_data import default_template

DAY = dt.date(2022, 1, 20)


def _period(village) -> ReportingPeriod:
    county = village.code[:6]
    hq = CommandUnit.objects.get(region_id=county, kind=UnitKind.HQ)
    period, created = ReportingPeriod.objects.get_or_create(
        name=f"矩阵报告周期{county}", hq=hq, region_id=county,
        starts_on=DAY - dt.timedelta(days=5), ends_on=DAY + dt.timedelta(days=5),
        defaults={"template": default_template()},
    )  # fmt: skip
    if created:
        period.units.set([hq])
    return period


def _report_kwargs(world, village) -> dict:
    period = _period(village)
    hq = period.hq
    report, _ = DailyReport.objects.get_or_create(
        period=period, unit=hq, day=DAY,
        defaults={"region_id": hq.region_id, "status": "submitted", "version": 1},
    )  # fmt: skip
    return {"pk": report.pk}


def _bulletin_kwargs(world, village) -> dict:
    period = _period(village)
    bulletin = Bulletin.objects.create(
        period=period, region_id=period.region_id, day=DAY, number=6, format="xlsx",
        status=BulletinStatus.DONE,
    )  # fmt: skip
    bulletin.file.save(f"matrix-{period.region_id}.xlsx", ContentFile(b"x"), save=True)
    return {"pk": bulletin.pk}


URL_CASES = {
    "reports:detail": _report_kwargs,
    "reports:return": _report_kwargs,
    "reports:bulletin_download": _bulletin_kwargs,
}

URL_EXEMPT = {
    "reports:form": "the actor's own unit's report for a date: no other unit is addressable",
    "reports:zero": "the actor's own unit's zero report for a date: no other unit is addressable",
}
