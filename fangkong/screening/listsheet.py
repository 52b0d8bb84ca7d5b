"""A record list as a sheet: the records behind one progress figure (all pages), for the
officials who chase them in Excel. Identifiers stay masked, as on the page; the export is
written to the access log. Rows are streamed, in constant memory."""

from __future__ import annotations

import tempfile

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.models import AccessKind
from fangkong.audit.services import access_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.imports.reports import safe_cell

from .models import ScreeningRecord

CHUNK = 2000
# A download is written while the user waits: a list longer than this is narrowed first (by
# region, batch or status), which the message says, rather than cut short.
SHEET_LIMIT = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[str]:
    return [
        _("批次"),
        _("原表行号"),
        _("类别"),
        _("姓名"),
        _("证件号码"),
        _("手机号"),
        _("现住址"),
        _("责任区划"),
        _("状态"),
        _("核查结果"),
        _("管控措施"),
        _("管控地点"),
        _("去向"),
        _("四清"),
        _("反馈截止"),
        _("逾期上报至"),
    ]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _values(r: ScreeningRecord) -> list[str]:
    return [
        f"#{r.batch_id} {r.batch.source}",
        str(r.row_number),
        r.batch.get_category_display(),
        r.masked_name,
        r.masked_document,
        r.masked_phone,
        r.address,
        r.region.name,
        _("待更正") if r.invalid else r.get_status_display(),
        r.get_outcome_display() if r.outcome else "",
        r.measure,
        r.place,
        r.destination,
        _("是") if r.four_clear else _("否"),
        _local(r.deadline),
        r.escalated_to.name if r.escalated_to else "",
    ]


def record_list_sheet(
    *, actor: Actor, records: QuerySet[ScreeningRecord], region_code: str, purpose: str
) -> str:
    """Write the records to a temporary .xlsx file and return its path."""
    actor.require(Perm.SCREENING_MANAGE)
    total = records.count()
    if total > SHEET_LIMIT:
        raise ValidationFailed(
            _("名单共 %(n)s 人，超过一次下载的上限 %(limit)s 人：请先按区划、批次或状态缩小范围")
            % {"n": f"{total:,}", "limit": f"{SHEET_LIMIT:,}"}
        )
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook = xlsxwriter.Workbook(
        handle.name,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = workbook.add_worksheet(_("核查名单"))
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for col, label in enumerate(_columns()):
        sheet.write_string(0, col, label, bold)
    count = 0
    for count, record in enumerate(records.iterator(chunk_size=CHUNK), start=1):
        for col, value in enumerate(_values(record)):
            if value:
                sheet.write_string(count, col, str(safe_cell(value)))
    sheet.freeze_panes(1, 0)
    workbook.close()
    access_record(
        actor=actor,
        kind=AccessKind.EXPORT,
        purpose=purpose,
        region_code=region_code,
        subject=_("核查名单（脱敏）"),
        fields=["name", "document_number", "phone"],
        row_count=count,
    )
    return handle.name
