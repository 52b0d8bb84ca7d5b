"""Versioned control policy: stage sequences per category and the arrival rules.

A policy is city-wide reference data (not tied to a region). Every edit bumps `version` and
stores a full snapshot in PolicyVersion, so a measure can always say which rules it ran under.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureType(models.TextChoices):
    CENTRALISED = "centralised", _("集中隔离")
    HOME_QUARANTINE = "home_quarantine", _("居家隔离")
    HOME_MONITORING = "home_monitoring", _("居家健康监测")
    SELF_MONITORING = "self_monitoring", _("自我健康监测")


class StageKey(models.TextChoices):
    """Who a stage sequence applies to: a person category, risk areas split by level."""

    CLOSE_CONTACT = "close_contact", _("密接")
    SECONDARY_CONTACT = "secondary_contact", _("次密接")
    INBOUND = "inbound", _("入境人员")
    RISK_AREA_HIGH = "risk_area_high", _("高风险地区来返")
    RISK_AREA_MEDIUM = "risk_area_medium", _("中风险地区来返")


class ArrivalScope(models.TextChoices):
    OUT_OF_PROVINCE = "out_of_province", _("省外来返人员")
    OUTSIDE_CITY = "outside_city", _("市外来返人员")
    ALL = "all", _("所有来返人员")
    NONE = "none", _("不适用")


class Policy(models.Model):
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    effective_from = models.DateField(_("生效日期"))
    active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    # {stage key: [{"type": MeasureType, "days": int, "test_days": [int, ...]}, ...]};
    # a key that is absent means the category is not managed under this policy.
    stages = models.JSONField(_("管控阶段"), default=dict)
    certificate_validity_hours = models.PositiveSmallIntegerField(
        _("核酸证明有效期（小时）"), default=48
    )
    arrival_test_window_hours = models.PositiveSmallIntegerField(
        _("抵达后检测时限（小时）"), default=24
    )
    monitoring_days = models.PositiveSmallIntegerField(_("健康监测天数"), default=14)
    arrival_applies_to = models.CharField(
        _("来返规则适用于"),
        max_length=20,
        choices=ArrivalScope.choices,
        default=ArrivalScope.OUT_OF_PROVINCE,
    )
    turn_back_enabled = models.BooleanField(_("启用劝返"), default=False)
    turn_back_origins = models.JSONField(_("劝返来源地区划代码"), default=list, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("防控政策")
        verbose_name_plural = _("防控政策")
        ordering = ["effective_from", "id"]
        constraints = [models.UniqueConstraint(fields=["code"], name="policy_code_unique")]

    def __str__(self) -> str:
        return _("%(name)s（%(detail)s）") % {"name": self.name, "detail": f"v{self.version}"}


class PolicyVersion(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版本"))
    snapshot = models.JSONField(_("内容"))
    reason = models.CharField(_("修改原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")
        ordering = ["policy", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "version"], name="policy_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} v{self.version}"
