"""Checkpoints (健康监测服务点) and the record of every check made at one.

A CheckRecord is written on the hot path of the checkpoint API: one row per person checked,
holding the facts, the verdict and its reasons. It is also the audit of the check (who,
where, when, what was decided), so no separate audit entry is written per check; see
docs/decisions/0020-checkpoint-hot-path.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.core.categories import HealthCode
from fangkong.core.scoping import ScopedModel

from .verdict import Verdict


class CheckpointType(models.TextChoices):
    HIGH_SPEED_RAIL = "high_speed_rail", _("高铁站")
    RAIL = "rail", _("火车站")
    BUS = "bus", _("汽车站")
    HIGHWAY_EXIT = "highway_exit", _("高速路口")
    ROAD_CROSSING = "road_crossing", _("国省道路口")


class CheckpointStatus(models.TextChoices):
    ACTIVE = "active", _("运行中")
    STANDBY = "standby", _("待命")
    CLOSED = "closed", _("已撤除")


class Checkpoint(ScopedModel):
    scope_field = "region__code"

    code = models.SlugField(_("编号"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    type = models.CharField(_("类型"), max_length=20, choices=CheckpointType.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在地"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("位置"), max_length=200, blank=True)
    leads_to = models.CharField(_("连接方向"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CheckpointStatus.choices, default=CheckpointStatus.ACTIVE
    )
    staff_on_duty = models.CharField(_("在岗人员"), max_length=200, blank=True)
    samples_on_site = models.BooleanField(_("设临时采样点"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("健康监测服务点")
        verbose_name_plural = _("健康监测服务点")
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["code"], name="checkpoint_code_unique")]

    def __str__(self) -> str:
        return self.name


class CheckRecord(ScopedModel):
    scope_field = "region__code"

    # References from the busiest insert of the platform carry no database constraint: each
    # would cost a key-share lock on the referenced row per check (every concurrent check locks
    # the same checkpoint and county rows). PROTECT still holds in the ORM; checkpoints are
    # closed, never deleted; see docs/decisions/0020-checkpoint-hot-path.md.
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="checks", db_constraint=False,
        db_index=False,  # check_checkpoint_time leads with it
    )  # fmt: skip
    # The checkpoint's county, copied so that scoping needs no join.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在地"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    checked_at = models.DateTimeField(_("核验时间"))
    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    health_code = models.CharField(_("健康码"), max_length=8, choices=HealthCode.choices)
    itinerary = models.JSONField(_("行程"), default=list, blank=True)
    itinerary_star = models.BooleanField(_("行程卡带星号"), default=False)
    nat_sampled_at = models.DateTimeField(_("核酸采样时间"), null=True, blank=True)
    nat_result = models.CharField(_("核酸结果"), max_length=10, blank=True)
    temperature = models.DecimalField(_("体温"), max_digits=3, decimal_places=1, null=True)
    arrival_at = models.DateTimeField(_("抵达时间"))
    origin_code = models.CharField(_("来源地"), max_length=12)
    destination_code = models.CharField(_("目的地"), max_length=12)
    verdict = models.CharField(_("结论"), max_length=24, choices=Verdict.choices)
    reasons = models.JSONField(_("依据"), default=list)
    obligations = models.JSONField(_("后续义务"), default=list)
    pushed = models.BooleanField(_("推送村（社区）"), default=False)
    rules_version = models.CharField(_("规则版本"), max_length=100, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    api_token_id = models.BigIntegerField(null=True, blank=True)
    # The screening record a pushed check was turned into (fangkong.screening.sweeps), or the
    # open record of the same person it joined; empty until then. Never written on the hot
    # path; no constraint and no index of its own (check_screening_pending serves the sweep).
    screening_record = models.ForeignKey(
        "screening.ScreeningRecord",
        verbose_name=_("排查记录"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("核验记录")
        verbose_name_plural = _("核验记录")
        ordering = ["-checked_at"]
        indexes = [
            models.Index(fields=["checkpoint", "checked_at"], name="check_checkpoint_time"),
            # Pushed checks not yet turned into screening records: a few rows at any time, so
            # the sweep never reads the million others.
            models.Index(
                fields=["checked_at"],
                name="check_screening_pending",
                condition=Q(pushed=True, screening_record__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.checked_at:%Y-%m-%d %H:%M} {self.verdict}"
