"""Reads for the home page: the actor's scope and what the actor may do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .actor import Actor
from .roles import Perm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Capability:
    """A line of the home page's "what I can do": shown to holders of `permission` (and of
    `also`), unless they hold `unless` (a fuller line says it), linking to where the work is
    done."""

    permission: str
    text: StrOrPromise
    url_name: str = ""
    unless: tuple[str, ...] = ()
    also: tuple[str, ...] = ()


CAPABILITIES = [
    Capability(
        Perm.SCREENING_VERIFY, _("核查推送到本辖区的重点人员，当场反馈核查结果"), "screening:mine"
    ),
    Capability(
        Perm.SCREENING_IMPORT, _("导入上级推送的排查名单，跟踪核查直至“四清”"), "screening:batches"
    ),
    Capability(
        Perm.SCREENING_MANAGE,
        _("分派、改派排查对象，督办逾期，处理外推，下载反馈表"),
        "screening:progress",
    ),
    Capability(
        Perm.SCREENING_VIEW,
        _("查看排查名单和核查进度"),
        "screening:batches",
        unless=(Perm.SCREENING_IMPORT,),
    ),
    Capability(
        Perm.ARRIVALS_FOLLOW_UP, _("跟进来返人员的落地检测和14天健康监测"), "arrivals:monitoring"
    ),
    Capability(
        Perm.ARRIVALS_VIEW,
        _("查看来返人员和逾期事项"),
        "arrivals:list",
        unless=(Perm.ARRIVALS_FOLLOW_UP,),
    ),
    Capability(
        Perm.CHECKPOINTS_CHECK, _("在健康监测服务点核验健康码、行程和核酸证明"), "checkpoints:list"
    ),
    Capability(Perm.CHECKPOINTS_MANAGE, _("设立和维护健康监测服务点"), "checkpoints:list"),
    Capability(Perm.RISKAREAS_MANAGE, _("维护中高风险地区名单"), "riskareas:list"),
    Capability(
        Perm.MEASURES_MANAGE,
        _("登记集中隔离、居家隔离和健康监测，按政策检测，到期解除"),
        "measures:list",
    ),
    Capability(
        Perm.MEASURES_VIEW,
        _("查看管控人员、隔离点和逾期漏报"),
        "measures:overview",
        unless=(Perm.MEASURES_MANAGE,),
    ),
    Capability(Perm.SITES_MANAGE, _("管理集中隔离点的房间和容量"), "measures:sites"),
    Capability(Perm.LABTESTS_RECORD, _("录入、导入核酸检测结果"), "labtests:record"),
    Capability(Perm.POLICIES_MANAGE, _("制定防控政策的检测和解除规则"), "policies:list"),
    Capability(Perm.REPORTS_SUBMIT, _("每日报送本单位日报，没有情况也要零报告"), "reports:home"),
    Capability(Perm.REPORTS_REVIEW, _("审核各单位日报，编发综合日报"), "reports:board"),
    Capability(
        Perm.REPORTS_VIEW,
        _("查看日报报送情况和综合日报"),
        "reports:bulletins",
        unless=(Perm.REPORTS_SUBMIT, Perm.REPORTS_REVIEW),
    ),
    Capability(Perm.DASHBOARD_VIEW, _("查看指挥大屏"), "dashboards:dashboard"),
    Capability(Perm.NOTIFICATIONS_VIEW, _("接收本辖区的提醒与告警"), "notifications:inbox"),
    Capability(Perm.PEOPLE_VIEW, _("查询辖区内人员信息（默认脱敏显示）"), "people:search"),
    Capability(Perm.PEOPLE_REGISTER, _("登记人员，同一证件自动合并为同一人"), "people:register"),
    Capability(Perm.PEOPLE_REVEAL, _("说明用途后查看证件号码、手机号明文，全程留痕")),
    Capability(
        Perm.PEOPLE_EXPORT,
        _("下载外推人员名单（含完整证件号码，须说明用途，全程留痕）"),
        "screening:repushes",
        also=(Perm.SCREENING_MANAGE,),
    ),
    Capability(Perm.REGIONS_VIEW, _("浏览辖区行政区划及各级人员数"), "regions:browse"),
    Capability(Perm.ORG_VIEW, _("查看指挥体系、工作组和值班安排"), "org:overview"),
    Capability(Perm.ORG_MANAGE, _("维护指挥体系和工作组成员单位"), "org:overview"),
    Capability(Perm.DUTY_MANAGE, _("排定值班值守"), "org:duty"),
    Capability(Perm.AUDIT_VIEW, _("查阅操作日志和个人信息查阅日志"), "audit:changes"),
    Capability(Perm.ACCOUNTS_MANAGE, _("管理用户账号和角色授权"), "accounts:users"),
    Capability(Perm.API_TOKENS_MANAGE, _("管理对接系统的接口令牌"), "accounts:api_tokens"),
]


def capabilities_of(actor: Actor) -> list[dict[str, str]]:
    return [
        {"text": str(c.text), "url": reverse(c.url_name) if c.url_name else ""}
        for c in CAPABILITIES
        if all(actor.can(p) for p in (c.permission, *c.also))
        and not any(actor.can(p) for p in c.unless)
    ]


def home_summary(*, actor: Actor) -> dict[str, Any]:
    from fangkong.people.models import Person
    from fangkong.regions.models import Level, Region

    regions = (
        Region.objects.filter(code__startswith=actor.region.code)
        .exclude(code=actor.region.code)
        .values("level")
        .annotate(n=Count("*"))
        .order_by("level")
    )
    labels = dict(Level.choices)
    people = Person.objects.visible_to(actor).count() if actor.can(Perm.PEOPLE_VIEW) else None
    return {
        "people": people,
        "regions_by_level": [{"label": labels[r["level"]], "count": r["n"]} for r in regions],
        "capabilities": capabilities_of(actor),
    }
