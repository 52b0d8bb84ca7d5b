"""The people under measures as a sheet: the list as filtered on its page (all pages), for the
officials who follow them in Excel. Identifiers stay masked, as on the page; each download is
written to the access log."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.audit.models import AccessKind
from fangkong.audit.services import access_record
from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.imports.reports import safe_cell
from fangkong.screening.sheets import DIRECT_ROWS, streamed_workbook

from .models import Measure

MEASURES_PURPOSE = gettext_lazy("导出管控人员名单跟踪管控")


def _columns() -> list[str]:
    return [
        _("姓名"),
        _("证件号码"),
        _("手机号"),
        _("人员类别"),
        _("管控方式"),
        _("管控地点"),
        _("责任地区"),
        _("状态"),
        _("开始时间"),
        _("本阶段期满"),
        _("计划解除时间"),
        _("下次应检日期"),
        _("不能解除原因"),
    ]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _values(measure: Measure) -> list[str]:
    person, site, room = measure.person, measure.site, measure.room
    place = f"{site.name} {room.number if room else ''}".strip() if site else ""
    return [
        person.masked_name,
        person.masked_document,
        person.masked_phone,
        measure.get_category_display(),
        measure.get_measure_type_display(),
        place,
        measure.region.name,
        measure.get_status_display(),
        _local(measure.started_at),
        _local(measure.stage_ends_at),
        _local(measure.planned_end_at),
        measure.next_test_due.isoformat() if measure.next_test_due else "",
        measure.blocked_reason,
    ]


def measure_list_sheet(*, actor: Actor, measures: QuerySet[Measure], region_code: str) -> str:
    """Write the measures to a temporary .xlsx file and return its path; the download is
    logged. A list longer than a sheet written while the user waits is refused: narrowed by
    region or status it fits."""
    actor.require(Perm.MEASURES_VIEW)
    actor.require(Perm.PEOPLE_EXPORT)
    total = measures.count()
    if total > DIRECT_ROWS:
        raise ValidationFailed(
            _("共 %(n)s 人，超过一次导出的 %(limit)s 人：请按地区或状态缩小范围后再导出")
            % {"n": f"{total:,}", "limit": f"{DIRECT_ROWS:,}"}
        )
    path, workbook, sheet = streamed_workbook(_("管控人员"), _columns())
    count = 0
    for count, measure in enumerate(measures.iterator(chunk_size=2000), start=1):
        for col, value in enumerate(_values(measure)):
            if value:
                sheet.write_string(count, col, str(safe_cell(value)))
    sheet.freeze_panes(1, 0)
    workbook.close()
    access_record(
        actor=actor,
        kind=AccessKind.EXPORT,
        purpose=str(MEASURES_PURPOSE),
        region_code=region_code,
        subject=_("管控人员名单（脱敏）"),
        fields=["name", "document_number", "phone"],
        row_count=count,
    )
    return path
