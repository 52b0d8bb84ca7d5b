"""A record list as a sheet: the records behind one progress figure (all pages), for the
officials who chase them in Excel. Identifiers stay masked, as on the page; each download is
written to the access log. Rows are streamed, in constant memory."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.audit.models import AccessKind
from fangkong.audit.services import access_record
from fangkong.core.actor import Actor
from fangkong.core.categories import PersonCategory
from fangkong.core.downloads import DIRECT_ROWS, local_minute, streamed_workbook
from fangkong.core.errors import ValidationFailed
from fangkong.core.identity import mask_document, mask_mobile, mask_name
from fangkong.core.roles import Perm
from fangkong.imports.reports import safe_cell

from .models import Outcome, ScreeningRecord, Status

CHUNK = 2000
RECORDS_PURPOSE = gettext_lazy("导出核查名单跟踪核查")


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
        local_minute(row["deadline"]),
        row["escalated_to__name"] or "",
    ]


Progress = Callable[[int], None]


def write_record_list(
    records: QuerySet[ScreeningRecord], *, path: str | None = None, progress: Progress | None = None
) -> tuple[str, int]:
    """Write the records as a sheet (at `path`, default a temporary file): (path, rows)."""
    path, workbook, sheet = streamed_workbook(_("核查名单"), _columns(), path)
    count, labels = 0, Labels()
    rows = records.values(*FIELDS).iterator(chunk_size=CHUNK)
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(_values(row, labels)):
            if value:
                sheet.write_string(count, col, str(safe_cell(value)))
        if progress is not None and count % CHUNK == 0:
            progress(count)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return path, count


def record_list_logged(*, actor: Actor, region_code: str, purpose: str, rows: int) -> None:
    access_record(
        actor=actor,
        kind=AccessKind.EXPORT,
        purpose=purpose,
        region_code=region_code,
        subject=_("核查名单（脱敏）"),
        fields=["name", "document_number", "phone"],
        row_count=rows,
    )


def too_long_to_wait(total: int) -> ValidationFailed:
    return ValidationFailed(
        _("共 %(n)s 行，超过即时下载的 %(limit)s 行：请点“后台生成”，生成后在“我的表格”中下载")
        % {"n": f"{total:,}", "limit": f"{DIRECT_ROWS:,}"}
    )


def record_list_sheet(
    *, actor: Actor, records: QuerySet[ScreeningRecord], region_code: str, purpose: str
) -> str:
    """Write a short list to a temporary .xlsx file while the user waits and return its path;
    a longer one is refused here and written by the task worker (sheetjobs.py)."""
    actor.require(Perm.SCREENING_MANAGE)
    total = records.count()
    if total > DIRECT_ROWS:
        raise too_long_to_wait(total)
    path, count = write_record_list(records)
    record_list_logged(actor=actor, region_code=region_code, purpose=purpose, rows=count)
    return path
