"""The command organisation: HQs, the comprehensive group, work groups, work teams, duty.

Later modules assign work to these units and collect daily reports from them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedModel


class UnitKind(models.TextChoices):
    HQ = "hq", _("指挥部")
    COMPREHENSIVE_GROUP = "comprehensive_group", _("综合组")
    WORK_GROUP = "work_group", _("工作组")
    WORK_TEAM = "work_team", _("工作专班")


class CommandUnit(ScopedModel):
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=UnitKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    duties = models.TextField(_("主要职责"), blank=True)
    reports_daily = models.BooleanField(_("须每日报告"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指挥体系单位")
        verbose_name_plural = _("指挥体系单位")
        ordering = ["region_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "parent", "name"], name="unit_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MemberUnit(ScopedModel):
    """A department seated in a work group: the lead unit (组长单位) or a member unit."""

    scope_field = "group__region__code"

    group = models.ForeignKey(CommandUnit, on_delete=models.CASCADE, related_name="members")
    department = models.CharField(_("单位名称"), max_length=100)
    is_lead = models.BooleanField(_("组长单位"), default=False)
    contact_name = models.CharField(_("联络人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")
        ordering = ["-is_lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "department"], name="member_unit_unique"),
            models.UniqueConstraint(
                fields=["group"], condition=models.Q(is_lead=True), name="one_lead_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.department


class DutyShift(ScopedModel):
    """24-hour duty (值班值守): who leads and who keeps the desk for a unit's shift."""

    scope_field = "unit__region__code"

    unit = models.ForeignKey(CommandUnit, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("带班领导"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("值班员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = models.CharField(_("值班电话"), max_length=20, blank=True)

    # Only on the shifts of the duty roster page (selectors.duty_roster); not a column.
    on_duty: bool

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        ordering = ["starts_at", "unit_id"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.unit} {start}"
