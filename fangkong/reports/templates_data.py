"""The default daily report template, as data.

A figures section lists items {key, label, unit}; an item whose key a figure provider knows
(see figures.py) is pre-filled from the platform's own records for the unit's region. Text
sections are free text. A template is stored as a row (ReportTemplate.sections), so a period
can carry another template without a code change.

The words are stored in Chinese, as the bulletin prints them; they are marked for the catalogue
here (gettext_noop) and translated only where a page shows them (`shown`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

if TYPE_CHECKING:
    from .models import ReportTemplate

DEFAULT_TEMPLATE_NAME = "日报告（默认模板）"


def _fig(key: str, label: str, unit: str = _("人")) -> dict:
    return {"key": key, "label": label, "unit": unit}


DEFAULT_SECTIONS: list[dict] = [
    {
        "key": "cases",
        "kind": "figures",
        "title": _("疫情情况"),
        "items": [
            _fig("cases.new_local", _("新增本土确诊病例"), _("例")),
            _fig("cases.new_imported", _("新增境外输入病例"), _("例")),
            _fig("cases.new_asymptomatic", _("新增无症状感染者"), _("例")),
        ],
    },
    {
        "key": "screening",
        "kind": "figures",
        "title": _("重点人群排查"),
        "items": [
            _fig("screening.received", _("新接收排查信息"), _("条")),
            _fig("screening.checked", _("完成核查"), _("条")),
            _fig("screening.open", _("尚在核查"), _("条")),
            _fig("screening.overdue", _("逾期未反馈"), _("条")),
            _fig("screening.four_clear_rate", _("四清率"), "%"),
        ],
    },
    {
        "key": "quarantine",
        "kind": "figures",
        "title": _("隔离管控"),
        "items": [
            _fig("measures.centralised", _("集中隔离在管")),
            _fig("measures.centralised.close_contact", _("其中：密接")),
            _fig("measures.centralised.secondary_contact", _("其中：次密接")),
            _fig("measures.centralised.inbound", _("其中：境外返回")),
            _fig("measures.centralised.risk_area", _("其中：中高风险地区来返")),
            _fig("measures.home_quarantine", _("居家隔离在管")),
            _fig("measures.home_monitoring", _("居家健康监测在管")),
            _fig("measures.admitted", _("新增管控")),
            _fig("measures.released", _("解除管控")),
        ],
    },
    {
        "key": "tests",
        "kind": "figures",
        "title": _("核酸检测"),
        "items": [
            _fig("tests.sampled", _("采样"), _("人次")),
            _fig("tests.positive", _("阳性"), _("人")),
        ],
    },
    {
        "key": "checkpoints",
        "kind": "figures",
        "title": _("来返人员与卡口查验"),
        "items": [
            _fig("arrivals.new", _("新增来返报备")),
            _fig("checks.total", _("卡口查验"), _("人次")),
            _fig("checks.sample_on_site", _("现场采样"), _("人次")),
            _fig("checks.transfer", _("转运"), _("人")),
            _fig("checks.turn_back", _("劝返"), _("人")),
        ],
    },
    {
        "key": "other_figures",
        "kind": "figures",
        "title": _("疫苗接种与场所督查"),
        "items": [
            _fig("vaccination.doses", _("疫苗接种"), _("剂次")),
            _fig("inspection.venues", _("督查场所"), _("家")),
            _fig("inspection.problems", _("发现问题"), _("个")),
            _fig("inspection.fixed", _("整改到位"), _("个")),
        ],
    },
    {"key": "work_done", "kind": "text", "title": _("工作开展情况")},
    {"key": "problems", "kind": "text", "title": _("存在问题")},
    {"key": "next_steps", "kind": "text", "title": _("下步打算")},
    {"key": "other", "kind": "text", "title": _("其他事项")},
]


def shown(entry: dict) -> dict:
    """A template's item or section as a page shows it: label, unit and title translated.

    The default template's words are in the catalogue; a custom template's pass through."""
    return {**entry, **{k: gettext(entry[k]) for k in ("label", "unit", "title") if entry.get(k)}}


def default_template() -> ReportTemplate:
    from .models import ReportTemplate

    template, _created = ReportTemplate.objects.get_or_create(
        name=DEFAULT_TEMPLATE_NAME, defaults={"sections": DEFAULT_SECTIONS}
    )
    return template
