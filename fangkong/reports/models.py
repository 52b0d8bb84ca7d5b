"""Daily reports (日报告、零报告): periods, templates as data, reports and their versions.

A reporting period names the units that must report every day and the daily cut-off; the
report for day D covers the 24 hours up to D's cut-off. A report is stored once per unit and
day; every submission, zero report, resubmission and amendment is a ReportVersion, all kept.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedModel

DEFAULT_CUTOFF = dt.time(16, 0)


def default_cutoff() -> dt.time:
    # A callable: Django's check for a fixed time default fires whenever the check runs within
    # ten seconds of that time of day.
    return DEFAULT_CUTOFF


class ReportTemplate(models.Model):
    """Sections of figures and text, as data (see templates_data.DEFAULT_SECTIONS)."""

    scoping_exempt = "reference data: report templates carry no personal or regional data"

    name = models.CharField(_("名称"), max_length=100, unique=True)
    sections = models.JSONField(_("栏目"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报告模板")
        verbose_name_plural = _("报告模板")

    def __str__(self) -> str:
        return self.name

    def figure_items(self) -> list[dict]:
        return [
            item
            for section in self.sections
            if section.get("kind") == "figures"
            for item in section.get("items", [])
        ]

    def text_items(self) -> list[dict]:
        return [s for s in self.sections if s.get("kind") == "text"]


class ReportingPeriod(ScopedModel):
    """A special period (e.g. 2022年“两节”特护期) during which units report every day."""

    scope_field = "region__code"

    name = models.CharField(_("名称"), max_length=100)
    hq = models.ForeignKey(
        "org.CommandUnit", verbose_name=_("指挥部"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    cutoff = models.TimeField(_("每日截止时间"), default=default_cutoff)
    remind_minutes = models.PositiveSmallIntegerField(_("截止前提醒（分钟）"), default=60)
    template = models.ForeignKey(
        ReportTemplate, verbose_name=_("报告模板"), on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField(
        "org.CommandUnit", verbose_name=_("报告单位"), related_name="reporting_periods"
    )
    bulletin_name = models.CharField(_("日报名称"), max_length=60, default="疫情防控工作日报")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报告周期")
        verbose_name_plural = _("报告周期")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def issue_number(self, day: dt.date) -> int:
        """第 N 期: the bulletin of the period's first day is number 1."""
        return (day - self.starts_on).days + 1


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")


class DailyReport(ScopedModel):
    # The unit's region, copied so that scoping needs no join.
    scope_field = "region__code"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(
        "org.CommandUnit", verbose_name=_("报告单位"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("报告日"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    is_zero = models.BooleanField(_("零报告"), default=False)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    prefilled = models.JSONField(_("平台预填"), default=dict, blank=True)
    corrections = models.JSONField(_("更正说明"), default=dict, blank=True)
    texts = models.JSONField(_("文字情况"), default=dict, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=0)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    late = models.BooleanField(_("迟报"), default=False)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("日报告")
        verbose_name_plural = _("日报告")
        ordering = ["day", "unit__sort_order", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "day"], name="one_report_a_day")
        ]
        indexes = [models.Index(fields=["period", "day", "unit"], name="report_period_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%Y-%m-%d}"


class VersionKind(models.TextChoices):
    SUBMIT = "submit", _("报送")
    ZERO = "zero", _("零报告")
    RESUBMIT = "resubmit", _("退回后重报")
    AMEND = "amend", _("截止后更正")


class ReportVersion(models.Model):
    scope_field = "report__region__code"

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    kind = models.CharField(_("类型"), max_length=10, choices=VersionKind.choices)
    is_zero = models.BooleanField(_("零报告"), default=False)
    figures = models.JSONField(default=dict)
    prefilled = models.JSONField(default=dict)
    corrections = models.JSONField(default=dict)
    texts = models.JSONField(default=dict)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    late = models.BooleanField(_("截止后提交"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class ReminderKind(models.TextChoices):
    REMINDER = "reminder", _("催报")
    ESCALATION = "escalation", _("缺报上报")


class ReminderLog(models.Model):
    """One row per reminder or escalation sent, so that a tick never sends one twice."""

    scope_field = "period__region__code"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    # The unit chased, or for an escalation the HQ it went to.
    unit = models.ForeignKey("org.CommandUnit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    sent_at = models.DateTimeField()
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "day", "kind"],
                name="reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day:%Y-%m-%d}"


class BulletinStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("失败")


class BulletinFormat(models.TextChoices):
    DOCX = "docx", _("Word 文档")
    XLSX = "xlsx", _("Excel 工作簿")


class Bulletin(ScopedModel):
    """A compiled bulletin (综合日报) for a day, archived with its date."""

    scope_field = "region__code"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="bulletins")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"))
    number = models.PositiveSmallIntegerField(_("期数"))
    format = models.CharField(_("格式"), max_length=8, choices=BulletinFormat.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.QUEUED
    )
    file = models.FileField(_("文件"), upload_to="bulletins/%Y/", blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("综合日报")
        verbose_name_plural = _("综合日报")
        ordering = ["-day", "-created_at"]
        indexes = [models.Index(fields=["period", "day"], name="bulletin_period_day")]

    def __str__(self) -> str:
        return f"{self.period.bulletin_name} 第{self.number}期 {self.day:%Y-%m-%d}"
