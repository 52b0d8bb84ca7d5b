"""The people under measures as a sheet: the list as filtered on its page (all pages), for the
officials who follow them in Excel. Identifiers stay masked, as on the page; each download is
written to the access log."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.audit.exports import logged_list_sheet
from fangkong.core.actor import Actor
from fangkong.core.downloads import local_minute
from fangkong.core.roles import Perm

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
        local_minute(measure.started_at),
        local_minute(measure.stage_ends_at),
        local_minute(measure.planned_end_at),
        measure.next_test_due.isoformat() if measure.next_test_due else "",
        measure.blocked_reason,
    ]


def measure_list_sheet(*, actor: Actor, measures: QuerySet[Measure], region_code: str) -> str:
    """The measures as a masked sheet (a temporary .xlsx file's path); the download is logged.
    A list longer than one download holds is refused: narrowed by region or status it fits."""
    actor.require(Perm.MEASURES_VIEW)
    actor.require(Perm.PEOPLE_EXPORT)
    return logged_list_sheet(
        actor=actor, listed=measures, values=_values, title=_("管控人员"), columns=_columns(),
        subject=_("管控人员名单（脱敏）"), purpose=str(MEASURES_PURPOSE), region_code=region_code,
    )  # fmt: skip
