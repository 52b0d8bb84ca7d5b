"""Reads for the home page: the actor's scope and what the actor may do."""

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .actor import Actor
from .roles import Perm

CAPABILITIES = [
    (Perm.PEOPLE_VIEW, _("查询辖区内人员信息（默认脱敏显示）")),
    (Perm.PEOPLE_REGISTER, _("登记人员，同一证件自动合并为同一人")),
    (Perm.PEOPLE_REVEAL, _("说明用途后查看证件号码、手机号明文，全程留痕")),
    (Perm.PEOPLE_EXPORT, _("导出人员名单（须审批并留痕）")),
    (Perm.REGIONS_VIEW, _("浏览辖区行政区划及各级人员数")),
    (Perm.ORG_VIEW, _("查看指挥体系、工作组和值班安排")),
    (Perm.ORG_MANAGE, _("维护指挥体系和工作组成员单位")),
    (Perm.DUTY_MANAGE, _("排定值班值守")),
    (Perm.AUDIT_VIEW, _("查阅操作日志和个人信息查阅日志")),
    (Perm.ACCOUNTS_MANAGE, _("管理用户账号和角色授权")),
    (Perm.API_TOKENS_MANAGE, _("管理对接系统的接口令牌")),
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
        "capabilities": [text for perm, text in CAPABILITIES if actor.can(perm)],
    }
