"""A record list as a sheet: the records behind one progress figure (all pages), for the
officials who chase them in Excel. Identifiers stay masked, as on the page; the export is
written to the access log. Rows are streamed, in constant memory."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.models import AccessKind
from fangkong.audit.services import access_record
from fangkong.core.actor import Actor
from fangkong.core.categories import PersonCategory
from fangkong.core.errors import ValidationFailed
from fangkong.core.identity import mask_document, mask_mobile, mask_name
from fangkong.core.roles import Perm
from fangkong.imports.reports import safe_cell

from .models import Outcome, ScreeningRecord, Status
from .sheets import streamed_workbook

CHUNK = 2000
# A download is written while the user waits: a list longer than this is narrowed first (by
# region, batch or status), which the message says, rather than cut short.
SHEET_LIMIT = 100_000


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


FIELDS = (
    "batch_id",
    "batch__source",
    "batch__category",
    "row_number",
    "name",
    "document_number",
    "phone",
    "address",
    "region__name",
    "status",
    "invalid",
    "outcome",
    "measure",
    "place",
    "destination",
    "four_clear",
    "deadline",
    "escalated_to__name",
)


class Labels:
    """Choice labels and fixed words translated once per sheet, not once per row (a row's
    get_FOO_display() hashed its lazy choices anew: a third of the sheet's time)."""

    def __init__(self) -> None:
        self.category = {value: str(label) for value, label in PersonCategory.choices}
        self.status = {value: str(label) for value, label in Status.choices}
        self.outcome = {value: str(label) for value, label in Outcome.choices}
        self.invalid, self.yes, self.no = _("待更正"), _("是"), _("否")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _values(row: dict, labels: Labels) -> list[str]:
    return [
        f"#{row['batch_id']} {row['batch__source']}",
        str(row["row_number"]),
        labels.category.get(row["batch__category"], row["batch__category"]),
        mask_name(row["name"]),
        mask_document(row["document_number"]),
        mask_mobile(row["phone"]),
        row["address"],
        row["region__name"],
        labels.invalid if row["invalid"] else labels.status.get(row["status"], row["status"]),
        labels.outcome.get(row["outcome"], ""),
        row["measure"],
        row["place"],
        row["destination"],
        labels.yes if row["four_clear"] else labels.no,
        _local(row["deadline"]),
        row["escalated_to__name"] or "",
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
    path, workbook, sheet = streamed_workbook(_("核查名单"), _columns())
    count, labels = 0, Labels()
    rows = records.values(*FIELDS).iterator(chunk_size=CHUNK)
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(_values(row, labels)):
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
    return path
