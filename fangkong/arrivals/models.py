"""Arrivals (来返人员) and what each owes: the arrival test, 14 days of monitoring, the
village's verification, a transfer. Obligations are tracked until each is done or closed.

An Arrival belongs to its destination region (the village where possible), so the village's
grid worker sees it and the county sees all of its villages.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.categories import HealthCode
from fangkong.core.scoping import ScopedModel, region_index


class ArrivalSource(models.TextChoices):
    SELF_REPORT = "self_report", _("主动报备")
    CHECKPOINT = "checkpoint", _("卡口核验")


class TravelMode(models.TextChoices):
    HIGH_SPEED_RAIL = "high_speed_rail", _("高铁")
    RAIL = "rail", _("火车")
    BUS = "bus", _("长途客车")
    CAR = "car", _("自驾")
    PLANE = "plane", _("飞机")
    OTHER = "other", _("其他")


# The verdict's colour in lists, as the checkpoint's screen shows it.
VERDICT_BADGE = {
    "transfer": "red", "turn_back": "red", "sample_on_site": "orange",
    "pass_with_arrival_test": "blue", "pass": "green",
}  # fmt: skip


class ArrivalStatus(models.TextChoices):
    OPEN = "open", _("管理中")
    CLOSED = "closed", _("已闭环")


class Arrival(ScopedModel):
    scope_field = "region__code"

    # Written on the checkpoint hot path: no database constraint on the person and the region
    # (a key-share lock on the referenced row per insert; PROTECT holds in the ORM), and no
    # index of its own on the person (arrival_person_source leads with it).
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    # Indexed once, for equality and prefix alike (region_index below), where Django would add
    # a plain and a varchar_pattern_ops index on PostgreSQL: one index entry less per insert.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("目的地"), on_delete=models.PROTECT, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=ArrivalSource.choices)
    source_ref = models.CharField(_("来源记录"), max_length=40, blank=True)
    origin_code = models.CharField(_("来源地"), max_length=12)
    itinerary = models.JSONField(_("行程"), default=list, blank=True)
    travel_mode = models.CharField(
        _("交通方式"), max_length=20, choices=TravelMode.choices, blank=True
    )
    travel_number = models.CharField(_("车次/航班/车牌"), max_length=30, blank=True)
    arrived_at = models.DateTimeField(_("抵达时间"))
    health_code = models.CharField(_("健康码"), max_length=8, choices=HealthCode.choices)
    nat_sampled_at = models.DateTimeField(_("核酸采样时间"), null=True, blank=True)
    nat_result = models.CharField(_("核酸结果"), max_length=10, blank=True)
    vaccine_doses = models.PositiveSmallIntegerField(_("疫苗接种剂次"), null=True, blank=True)
    verdict = models.CharField(_("结论"), max_length=24)
    reasons = models.JSONField(_("依据"), default=list)
    status = models.CharField(
        _("状态"), max_length=8, choices=ArrivalStatus.choices, default=ArrivalStatus.OPEN
    )
    reports = models.PositiveSmallIntegerField(_("报备次数"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("来返人员")
        verbose_name_plural = _("来返人员")
        ordering = ["-arrived_at"]
        indexes = [
            models.Index(fields=["person", "source"], name="arrival_person_source"),
            region_index("arrival_region"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.region_id} {self.arrived_at:%Y-%m-%d}"

    @property
    def verdict_badge(self) -> str:
        return VERDICT_BADGE.get(self.verdict, "grey")

    def get_verdict_display(self) -> str:
        """The verdict in the reader's language (stored as its code, e.g. "pass")."""
        from fangkong.checkpoints.verdict import Verdict

        return str(Verdict(self.verdict).label) if self.verdict in Verdict.values else self.verdict


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("待完成")
    DONE = "done", _("已完成")
    CLOSED = "closed", _("已结束")


class ArrivalObligation(ScopedModel):
    """One thing an arrival owes, with its deadline. Overdue is open past due_at."""

    scope_field = "region__code"

    # Written with its arrival in one statement on the checkpoint hot path: no database
    # constraint (CASCADE holds in the ORM, which deletes obligations before their arrival).
    arrival = models.ForeignKey(
        Arrival, on_delete=models.CASCADE, related_name="obligations", db_constraint=False
    )
    # As on Arrival: no database constraint on person and region, and one index on the
    # region. No index on the person either: a test result finds the person's obligations
    # through their arrivals (arrival_person_source), one index entry less per obligation on
    # the checkpoint hot path.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    kind = models.CharField(_("事项"), max_length=24)
    due_at = models.DateTimeField(_("期限"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=ObligationStatus.choices, default=ObligationStatus.OPEN
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_ref = models.CharField(_("完成依据"), max_length=60, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    # Only on the monitoring list (selectors.monitoring_due decorates its rows); not columns.
    day_number: int
    total_days: int
    days_missed: int

    class Meta:
        verbose_name = _("来返义务")
        verbose_name_plural = _("来返义务")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["status", "kind", "due_at"], name="obligation_open_due"),
            region_index("obligation_region"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"

    def get_kind_display(self) -> str:
        """The kind in the reader's language (stored as its code, e.g. "arrival_test")."""
        from fangkong.checkpoints.verdict import ObligationKind

        return (
            str(ObligationKind(self.kind).label)
            if self.kind in ObligationKind.values
            else self.kind
        )


class MonitoringDay(ScopedModel):
    """A day of health monitoring recorded by the grid worker (or the person)."""

    scope_field = "obligation__region__code"

    obligation = models.ForeignKey(ArrivalObligation, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("日期"))
    temperature = models.DecimalField(_("体温"), max_digits=3, decimal_places=1, null=True)
    symptoms = models.CharField(_("症状"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("健康监测记录")
        verbose_name_plural = _("健康监测记录")
        constraints = [
            models.UniqueConstraint(fields=["obligation", "day"], name="monitoring_one_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.obligation_id} {self.day}"


class ReportAttempt(models.Model):
    """A self-report submission, kept for the per-address rate limit (keyed digest of the IP).

    A database table rather than the cache: the default cache is per process, and every
    worker must count the same submissions; see docs/decisions/0021-self-report-abuse.md.
    """

    key = models.CharField(max_length=32)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="report_attempt_key_at")]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.at:%Y-%m-%d %H:%M}"
