"""The left navigation, grouped by duty and filtered by what the actor may do.

Modules add their entries to NAVIGATION; an entry appears only when its permission is held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Perm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .actor import Actor


@dataclass(frozen=True)
class NavEntry:
    label: StrOrPromise
    url_name: str
    permission: str | None


@dataclass(frozen=True)
class NavGroup:
    label: StrOrPromise
    entries: tuple[NavEntry, ...]


NAVIGATION: list[NavGroup] = [
    NavGroup(
        _("工作台"),
        (
            NavEntry(_("首页"), "core:home", None),
            NavEntry(_("人员查询"), "people:search", Perm.PEOPLE_VIEW),
            NavEntry(_("登记人员"), "people:register", Perm.PEOPLE_REGISTER),
            NavEntry(_("行政区划"), "regions:browse", Perm.REGIONS_VIEW),
        ),
    ),
    NavGroup(
        _("排查"),
        (
            NavEntry(_("我的核查任务"), "screening:mine", Perm.SCREENING_VERIFY),
            NavEntry(_("核查进度"), "screening:progress", Perm.SCREENING_MANAGE),
            NavEntry(_("排查名单"), "screening:batches", Perm.SCREENING_VIEW),
            NavEntry(_("逾期清单"), "screening:overdue", Perm.SCREENING_VIEW),
            NavEntry(_("外推清单"), "screening:repushes", Perm.SCREENING_MANAGE),
            NavEntry(_("我的表格"), "screening:sheets", Perm.SCREENING_MANAGE),
        ),
    ),
    NavGroup(
        _("管控"),
        (
            NavEntry(_("隔离管控总览"), "measures:overview", Perm.MEASURES_VIEW),
            NavEntry(_("管控人员"), "measures:list", Perm.MEASURES_VIEW),
            NavEntry(_("登记管控"), "measures:start", Perm.MEASURES_MANAGE),
            NavEntry(_("逾期与漏报"), "measures:overdue", Perm.MEASURES_VIEW),
            NavEntry(_("隔离点"), "measures:sites", Perm.MEASURES_VIEW),
            NavEntry(_("防控政策"), "policies:list", Perm.POLICIES_VIEW),
            NavEntry(_("核酸结果"), "labtests:list", Perm.LABTESTS_VIEW),
            NavEntry(_("录入核酸结果"), "labtests:record", Perm.LABTESTS_RECORD),
            NavEntry(_("核酸结果导入"), "labtests:import", Perm.LABTESTS_RECORD),
            NavEntry(_("提醒与告警"), "notifications:inbox", Perm.NOTIFICATIONS_VIEW),
        ),
    ),
    NavGroup(
        _("来返与卡口"),
        (
            NavEntry(_("来返人员"), "arrivals:list", Perm.ARRIVALS_VIEW),
            NavEntry(_("来返逾期事项"), "arrivals:overdue", Perm.ARRIVALS_VIEW),
            NavEntry(_("健康监测"), "arrivals:monitoring", Perm.ARRIVALS_FOLLOW_UP),
            NavEntry(_("健康监测服务点"), "checkpoints:list", Perm.CHECKPOINTS_VIEW),
            NavEntry(_("风险地区"), "riskareas:list", Perm.RISKAREAS_VIEW),
            NavEntry(_("报备二维码"), "arrivals:qr_codes", Perm.ARRIVALS_VIEW),
        ),
    ),
    NavGroup(
        _("日报"),
        (
            NavEntry(_("本单位日报"), "reports:home", Perm.REPORTS_SUBMIT),
            NavEntry(_("报送情况"), "reports:board", Perm.REPORTS_VIEW),
            NavEntry(_("综合日报"), "reports:bulletins", Perm.REPORTS_VIEW),
        ),
    ),
    NavGroup(
        _("指挥"),
        (
            NavEntry(_("指挥大屏"), "dashboards:dashboard", Perm.DASHBOARD_VIEW),
            NavEntry(_("指挥体系"), "org:overview", Perm.ORG_VIEW),
            NavEntry(_("值班值守"), "org:duty", Perm.ORG_VIEW),
        ),
    ),
    NavGroup(
        _("系统"),
        (
            NavEntry(_("用户管理"), "accounts:users", Perm.ACCOUNTS_MANAGE),
            NavEntry(_("接口令牌"), "accounts:api_tokens", Perm.API_TOKENS_MANAGE),
            NavEntry(_("操作日志"), "audit:changes", Perm.AUDIT_VIEW),
            NavEntry(_("查阅日志"), "audit:access", Perm.AUDIT_VIEW),
        ),
    ),
]


def navigation_for(actor: Actor) -> list[dict[str, Any]]:
    groups = []
    for group in NAVIGATION:
        entries = []
        for e in group.entries:
            if e.permission is not None and not actor.can(e.permission):
                continue
            entries.append({"label": e.label, "url": reverse(e.url_name), "url_name": e.url_name})
        if entries:
            groups.append({"label": group.label, "entries": entries})
    return groups
