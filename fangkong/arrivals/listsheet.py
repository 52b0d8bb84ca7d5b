"""The arrivals list as a sheet: the list as filtered on its page (all pages), for the
officials who chase arrivals in Excel. Identifiers stay masked, as on the page; each download
is written to the access log."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.audit.exports import logged_list_sheet
from fangkong.core.actor import Actor
from fangkong.core.downloads import local_minute
from fangkong.core.roles import Perm
from fangkong.labtests.models import Result

from .models import Arrival
from .places import place_name

ARRIVALS_PURPOSE = gettext_lazy("导出来返人员名单跟踪落地管理")


def _columns() -> list[str]:
    return [
        _("姓名"), _("证件号码"), _("手机号"), _("来源地"), _("途经地"), _("交通方式"),
        _("车次/航班/车牌"), _("抵达时间"), _("目的地"), _("详细地址"), _("健康码"),
        _("核酸采样时间"), _("核酸结果"), _("结论"), _("状态"), _("来源"),
    ]  # fmt: skip


def _values(arrival: Arrival) -> list[str]:
    person = arrival.person
    return [
        person.masked_name, person.masked_document, person.masked_phone,
        place_name(arrival.origin_code),
        "，".join(place_name(str(code)) for code in arrival.itinerary or []),
        arrival.get_travel_mode_display() if arrival.travel_mode else "",
        arrival.travel_number, local_minute(arrival.arrived_at), arrival.region.name,
        arrival.address,
        arrival.get_health_code_display(), local_minute(arrival.nat_sampled_at),
        _result_label(arrival.nat_result), arrival.get_verdict_display(),
        arrival.get_status_display(), arrival.get_source_display(),
    ]  # fmt: skip


def _result_label(result: str) -> str:
    return str(Result(result).label) if result in Result.values else result


def arrival_list_sheet(*, actor: Actor, arrivals: QuerySet[Arrival], region_code: str) -> str:
    """The arrivals as a masked sheet (a temporary .xlsx file's path); the download is logged.
    A list longer than one download holds is refused: narrowed by day or region it fits."""
    actor.require(Perm.ARRIVALS_VIEW)
    actor.require(Perm.PEOPLE_EXPORT)
    return logged_list_sheet(
        actor=actor, listed=arrivals, values=_values,
        title=_("来返人员"), columns=_columns(), subject=_("来返人员名单（脱敏）"),
        purpose=str(ARRIVALS_PURPOSE), region_code=region_code,
    )  # fmt: skip
