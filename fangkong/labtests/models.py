"""Nucleic-acid (NAT) tests: one row per sample, with its result once the lab reports it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedModel


class Result(models.TextChoices):
    PENDING = "pending", _("待出结果")
    NEGATIVE = "negative", _("阴性")
    POSITIVE = "positive", _("阳性")


class Purpose(models.TextChoices):
    SCHEDULED = "scheduled", _("管控期间检测")
    ARRIVAL = "arrival", _("抵达后检测")
    CHECKPOINT = "checkpoint", _("卡口采样")
    ROUTINE = "routine", _("常态化检测")
    OTHER = "other", _("其他")


class NatTest(ScopedModel):
    # The foreign key column holds the division code; "region__code" filters it without a join.
    scope_field = "region__code"
    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="nat_tests"
    )
    # The person's region when the sample was recorded: who may see the result.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    sampled_at = models.DateTimeField(_("采样时间"))
    result = models.CharField(
        _("结果"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    lab = models.CharField(_("检测机构"), max_length=100, blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    purpose = models.CharField(
        _("检测目的"), max_length=12, choices=Purpose.choices, default=Purpose.OTHER
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("核酸检测")
        verbose_name_plural = _("核酸检测")
        ordering = ["-sampled_at", "-id"]
        indexes = [
            models.Index(fields=["person", "sampled_at"], name="nattest_person_time"),
            models.Index(fields=["region", "sampled_at"], name="nattest_region_time"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.sampled_at:%Y-%m-%d %H:%M} {self.get_result_display()}"

    @property
    def badge(self) -> str:
        return {"positive": "red", "negative": "green"}.get(self.result, "blue")
