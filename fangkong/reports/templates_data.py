"""The default daily report template, as data.

A figures section lists items {key, label, unit}; an item whose key a figure provider knows
(see figures.py) is pre-filled from the platform's own records for the unit's region. Text
sections are free text. A template is stored as a row (ReportTemplate.sections), so a period
can carry another template without a code change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import ReportTemplate

DEFAULT_TEMPLATE_NAME = "日报告（默认模板）"


def _fig(key: str, label: str, unit: str = "人") -> dict:
    return {"key": key, "label": label, "unit": unit}


DEFAULT_SECTIONS: list[dict] = [
    {
        "key": "cases",
        "kind": "figures",
        "title": "疫情情况",
        "items": [
            _fig("cases.new_local", "新增本土确诊病例", "例"),
            _fig("cases.new_imported", "新增境外输入病例", "例"),
            _fig("cases.new_asymptomatic", "新增无症状感染者", "例"),
        ],
    },
    {
        "key": "screening",
        "kind": "figures",
        "title": "重点人群排查",
        "items": [
            _fig("screening.received", "新接收排查信息", "条"),
            _fig("screening.checked", "完成核查", "条"),
            _fig("screening.open", "尚在核查", "条"),
            _fig("screening.overdue", "逾期未反馈", "条"),
            _fig("screening.four_clear_rate", "四清率", "%"),
        ],
    },
    {
        "key": "quarantine",
        "kind": "figures",
        "title": "隔离管控",
        "items": [
            _fig("measures.centralised", "集中隔离在管"),
            _fig("measures.centralised.close_contact", "其中：密接"),
            _fig("measures.centralised.secondary_contact", "其中：次密接"),
            _fig("measures.centralised.inbound", "其中：境外返回"),
            _fig("measures.centralised.risk_area", "其中：中高风险地区来返"),
            _fig("measures.home_quarantine", "居家隔离在管"),
            _fig("measures.home_monitoring", "居家健康监测在管"),
            _fig("measures.admitted", "新增管控"),
            _fig("measures.released", "解除管控"),
        ],
    },
    {
        "key": "tests",
        "kind": "figures",
        "title": "核酸检测",
        "items": [
            _fig("tests.sampled", "采样", "人次"),
            _fig("tests.positive", "阳性", "人"),
        ],
    },
    {
        "key": "checkpoints",
        "kind": "figures",
        "title": "来返人员与卡口查验",
        "items": [
            _fig("arrivals.new", "新增来返报备"),
            _fig("checks.total", "卡口查验", "人次"),
            _fig("checks.sample_on_site", "现场采样", "人次"),
            _fig("checks.transfer", "转运", "人"),
            _fig("checks.turn_back", "劝返", "人"),
        ],
    },
    {
        "key": "other_figures",
        "kind": "figures",
        "title": "疫苗接种与场所督查",
        "items": [
            _fig("vaccination.doses", "疫苗接种", "剂次"),
            _fig("inspection.venues", "督查场所", "家"),
            _fig("inspection.problems", "发现问题", "个"),
            _fig("inspection.fixed", "整改到位", "个"),
        ],
    },
    {"key": "work_done", "kind": "text", "title": "工作开展情况"},
    {"key": "problems", "kind": "text", "title": "存在问题"},
    {"key": "next_steps", "kind": "text", "title": "下步打算"},
    {"key": "other", "kind": "text", "title": "其他事项"},
]


def default_template() -> ReportTemplate:
    from .models import ReportTemplate

    template, _ = ReportTemplate.objects.get_or_create(
        name=DEFAULT_TEMPLATE_NAME, defaults={"sections": DEFAULT_SECTIONS}
    )
    return template
