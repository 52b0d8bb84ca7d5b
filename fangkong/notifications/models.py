"""In-app alerts: addressed to a region, read by the people whose scope covers it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedModel


class Level(models.TextChoices):
    INFO = "info", _("提示")
    WARNING = "warning", _("预警")
    DANGER = "danger", _("紧急")


class Notification(ScopedModel):
    # The foreign key column holds the division code; "region__code" filters it without a join.
    scope_field = "region__code"
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("接收地区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=64)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, default=Level.INFO)
    message = models.CharField(_("内容"), max_length=500)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "created_at"], name="notification_region_time")]

    def __str__(self) -> str:
        return self.message[:60]

    @property
    def badge(self) -> str:
        return {"danger": "red", "warning": "orange"}.get(self.level, "blue")
