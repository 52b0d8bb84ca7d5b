"""Risk areas (风险地区): national reference data, published daily, with their history.

An area is identified by the division code of the place it lies in (a county, township or
village, anywhere in China) and its published name. It is not scoped: every official may
read the national list, only the city HQ edits it. Codes are stored in compact form
(420106, 420106001, 420106001001); they need not exist in the loaded division tree, since
the tree holds townships and villages only for the home city.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.categories import RiskLevel

LEVEL_RANK: dict[str, int] = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class RiskArea(models.Model):
    code = models.CharField(_("地区代码"), max_length=12)
    county_code = models.CharField(_("所在县级区划"), max_length=6)
    name = models.CharField(_("风险区名称"), max_length=200)
    level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    effective_from = models.DateTimeField(_("生效时间"))
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("风险地区")
        verbose_name_plural = _("风险地区")
        ordering = ["-effective_from", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "name", "effective_from"], name="riskarea_natural_key"
            )
        ]
        indexes = [models.Index(fields=["county_code"], name="riskarea_county")]

    def __str__(self) -> str:
        return _("%(name)s（%(detail)s）") % {"name": self.name, "detail": self.get_level_display()}

    def in_force_at(self, at) -> bool:
        return self.effective_from <= at and (self.lifted_at is None or at < self.lifted_at)


class RiskAreaChange(models.Model):
    """One line of an area's history: created, edited, lifted, re-imported."""

    area = models.ForeignKey(RiskArea, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("操作"), max_length=20)
    changes = models.JSONField(_("变更"), default=dict)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("风险地区变更")
        verbose_name_plural = _("风险地区变更")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.area_id} {self.action}"
