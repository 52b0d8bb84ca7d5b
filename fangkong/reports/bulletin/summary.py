"""The prose of the bulletin's first section, from the city's figures."""

from __future__ import annotations

from .content import BulletinContent, cutoff_text, figure_value


def overview_paragraphs(c: BulletinContent) -> list[str]:
    f = c.city_figures

    def v(key: str) -> str:
        return figure_value(f, key)

    paragraphs = []
    if "measures.centralised" in f:
        paragraphs.append(
            f"截至{cutoff_text(c)}，集中隔离在管{v('measures.centralised')}人（其中密接"
            f"{v('measures.centralised.close_contact')}人，次密接"
            f"{v('measures.centralised.secondary_contact')}人，境外返回"
            f"{v('measures.centralised.inbound')}人，中高风险地区来返"
            f"{v('measures.centralised.risk_area')}人），居家隔离{v('measures.home_quarantine')}"
            f"人，居家健康监测{v('measures.home_monitoring')}人；{c.window_text}新增管控"
            f"{v('measures.admitted')}人，解除管控{v('measures.released')}人。"
        )
    if "screening.received" in f:
        paragraphs.append(
            f"重点人群排查：{c.window_text}新接收排查信息{v('screening.received')}条，完成核查"
            f"{v('screening.checked')}条，尚在核查{v('screening.open')}条，其中逾期未反馈"
            f"{v('screening.overdue')}条，四清率{v('screening.four_clear_rate')}%。"
        )
    parts = []
    if "tests.sampled" in f:
        parts.append(f"核酸采样{v('tests.sampled')}人次，检出阳性{v('tests.positive')}人")
    if "arrivals.new" in f:
        parts.append(f"新增来返报备{v('arrivals.new')}人")
    if "checks.total" in f:
        parts.append(
            f"各健康监测服务点查验{v('checks.total')}人次，现场采样"
            f"{v('checks.sample_on_site')}人次，转运{v('checks.transfer')}人"
        )
    if parts:
        paragraphs.append("；".join(parts) + "。")
    return paragraphs


def reporting_paragraph(c: BulletinContent) -> str:
    expected = len(c.units)
    on_time = len(c.with_status("on_time"))
    zero = len(c.with_status("zero"))
    late = c.with_status("late")
    missing = c.with_status("missing", "pending")
    returned = c.with_status("returned")
    text = (
        f"应报送单位{expected}个，按时报送{on_time}个，零报告{zero}个，迟报{len(late)}个，"
        f"缺报{len(missing)}个"
    )
    if returned:
        text += f"，退回修改{len(returned)}个"
    text += "。"
    if late:
        text += "迟报单位：" + "、".join(u.name for u in late) + "。"
    if missing:
        text += "缺报单位：" + "、".join(u.name for u in missing) + "。"
    return text
