"""Compiling the bulletin: requested by the comprehensive group, built in the background,
archived with its date (Bulletin rows and their files are kept)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm

from .bulletin.content import gather
from .models import Bulletin, BulletinFormat, BulletinStatus, ReportingPeriod


def bulletin_render(period: ReportingPeriod, day: dt.date, fmt: str) -> bytes:
    # The bulletin is an official document in Chinese whoever asks for it, even from an
    # English page (its status words and labels would follow the reader's language otherwise).
    with translation.override(settings.LANGUAGE_CODE):
        return _render(period, day, fmt)


def _render(period: ReportingPeriod, day: dt.date, fmt: str) -> bytes:
    content = gather(period, day)
    if fmt == BulletinFormat.DOCX:
        from .bulletin.docx_writer import write_docx

        return write_docx(content)
    if fmt == BulletinFormat.XLSX:
        from .bulletin.xlsx_writer import write_xlsx

        return write_xlsx(content)
    raise ValueError(f"unknown bulletin format {fmt!r}")


def bulletin_filename(period: ReportingPeriod, day: dt.date, fmt: str) -> str:
    return f"{period.bulletin_name}-第{period.issue_number(day)}期-{day.isoformat()}.{fmt}"


def bulletin_request(
    *, actor: Actor, period: ReportingPeriod, day: dt.date, fmt: str = BulletinFormat.DOCX
) -> Bulletin:
    """Queue the bulletin of a day; the page shows its progress and the file when done."""
    actor.require(Perm.REPORTS_REVIEW)
    if fmt not in BulletinFormat.values:
        raise ValidationFailed({"format": ["docx / xlsx"]})
    if not period.covers(day):
        raise ValidationFailed({"date": [_("该日期不在报告周期内")]})
    bulletin = Bulletin.objects.create(
        period=period,
        region_id=period.region_id,
        day=day,
        number=period.issue_number(day),
        format=fmt,
        created_by=actor.user,
    )
    audit_record(actor=actor, action="reports.bulletin.requested", obj=bulletin,
                 changes={"day": day.isoformat(), "format": fmt})  # fmt: skip
    from .tasks import compile_bulletin_task

    transaction.on_commit(lambda: compile_bulletin_task.enqueue(bulletin.pk))
    return bulletin


def bulletin_compile(bulletin_id: int) -> Bulletin:
    bulletin = Bulletin.objects.select_related("period", "period__template", "period__hq",
                                               "period__region").get(pk=bulletin_id)  # fmt: skip
    Bulletin.objects.filter(pk=bulletin_id).update(status=BulletinStatus.RUNNING)
    try:
        data = bulletin_render(bulletin.period, bulletin.day, bulletin.format)
    except Exception as exc:
        bulletin.status = BulletinStatus.FAILED
        bulletin.error = str(exc)[:300]
        bulletin.finished_at = timezone.now()
        bulletin.save(update_fields=["status", "error", "finished_at"])
        raise
    name = bulletin_filename(bulletin.period, bulletin.day, bulletin.format)
    bulletin.file.save(name, ContentFile(data), save=False)
    bulletin.status = BulletinStatus.DONE
    bulletin.finished_at = timezone.now()
    bulletin.save(update_fields=["file", "status", "finished_at"])
    return bulletin
