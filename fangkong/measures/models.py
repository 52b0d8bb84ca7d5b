"""Quarantine sites and rooms; measures with their stages, placements, tests and check-ins."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.core.categories import PersonCategory
from fangkong.core.scoping import ScopedManager, ScopedModel
from fangkong.policies.models import MeasureType


class SiteKind(models.TextChoices):
    DEDICATED = "dedicated", _("专用隔离场所")
    HOTEL = "hotel", _("宾馆酒店")
    OTHER = "other", _("其他")


class SiteStatus(models.TextChoices):
    STANDBY = "standby", _("备用")
    ACTIVE = "active", _("启用")
    CLOSED = "closed", _("关闭")


class Site(ScopedModel):
    # The foreign key column holds the division code; "region__code" filters it without a join.
    scope_field = "region__code"
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("类型"), max_length=12, choices=SiteKind.choices, default=SiteKind.DEDICATED
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.STANDBY
    )
    officer = models.CharField(_("负责人"), max_length=60, blank=True)
    officer_phone = models.CharField(_("负责人电话"), max_length=20, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        blank=True,
        related_name="quarantine_sites",
    )
    # Readiness checklist (speech: 定点隔离场所的准备和管理).
    supplies_ready = models.BooleanField(_("物资到位"), default=False)
    staff_ready = models.BooleanField(_("人员到位"), default=False)
    last_drill_on = models.DateField(_("最近演练日期"), null=True, blank=True)
    warning_percent = models.PositiveSmallIntegerField(_("容量预警线（%）"), default=90)
    notes = models.TextField(_("备注"), blank=True)

    # Only on the sites a page colours by occupancy (selectors.occupancy_badge); not a column.
    badge: str

    class Meta:
        verbose_name = _("隔离点")
        verbose_name_plural = _("隔离点")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    scope_field = "site__region__code"
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="rooms")
    number = models.CharField(_("房间号"), max_length=20)
    floor = models.SmallIntegerField(_("楼层"), default=1)
    beds = models.PositiveSmallIntegerField(_("床位"), default=1)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("房间")
        verbose_name_plural = _("房间")
        ordering = ["site", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="room_number_unique")
        ]

    def __str__(self) -> str:
        return self.number


class Source(models.TextChoices):
    SCREENING = "screening", _("排查核实")
    CHECKPOINT = "checkpoint", _("卡口查验")
    ARRIVAL = "arrival", _("来返报备")
    INVESTIGATION = "investigation", _("流调溯源")
    MANUAL = "manual", _("手工登记")


class Status(models.TextChoices):
    ACTIVE = "active", _("管控中")
    BLOCKED = "blocked", _("不能解除")
    HOSPITAL = "hospital", _("转运救治")
    COMPLETED = "completed", _("期满解除")
    RELEASED_EARLY = "released_early", _("提前解除")
    CANCELLED = "cancelled", _("已撤销")


RUNNING = (Status.ACTIVE, Status.BLOCKED)
STATUS_BADGE: dict[str, str] = {
    Status.ACTIVE: "blue", Status.BLOCKED: "red", Status.HOSPITAL: "red",
    Status.COMPLETED: "green", Status.RELEASED_EARLY: "grey", Status.CANCELLED: "grey",
}  # fmt: skip


class Measure(ScopedModel):
    # The foreign key column holds the division code; "region__code" filters it without a join.
    scope_field = "region__code"
    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="measures"
    )
    # Who answers for the person now: the site's region in centralised quarantine, the
    # person's village at home (so the village grid worker sees it).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("责任地区"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("人员类别"), max_length=20, choices=PersonCategory.choices)
    risk_level = models.CharField(_("风险等级"), max_length=10, blank=True)
    policy = models.ForeignKey(
        "policies.Policy", verbose_name=_("政策"), on_delete=models.PROTECT, related_name="+"
    )
    policy_version = models.PositiveIntegerField(_("政策版本"))
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    source_ref = models.CharField(_("来源编号"), max_length=64, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    measure_type = models.CharField(_("当前管控方式"), max_length=20, choices=MeasureType.choices)
    stage_order = models.PositiveSmallIntegerField(_("当前阶段"), default=1)
    started_at = models.DateTimeField(_("开始时间"))
    stage_ends_at = models.DateTimeField(_("本阶段期满"))
    planned_end_at = models.DateTimeField(_("计划解除时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    blocked_reason = models.CharField(_("不能解除原因"), max_length=300, blank=True)
    # The earliest pending scheduled test, kept by the services (schedule.next_test_due_sync)
    # so lists and counts of overdue people need no join to the tests.
    next_test_due = models.DateField(_("下次应检日期"), null=True, blank=True)
    site = models.ForeignKey(
        Site,
        verbose_name=_("隔离点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("房间"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checkin_token_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("管控措施")
        verbose_name_plural = _("管控措施")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=RUNNING),
                name="one_running_measure_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "measure_type", "site"], name="measure_status_site"),
            models.Index(fields=["region", "status"], name="measure_region_status"),
            models.Index(fields=["checkin_token_hash"], name="measure_checkin_token"),
            models.Index(fields=["status", "stage_ends_at"], name="measure_due"),
            # Admissions and releases of a day (overview, reports) filter on these.
            models.Index(fields=["started_at"], name="measure_started"),
            models.Index(fields=["ended_at"], name="measure_ended"),
            # Covers the overview's grouped count (in care by county, type, category, overdue).
            models.Index(
                fields=["status", "region", "measure_type", "category", "next_test_due"],
                name="measure_care",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.get_measure_type_display()}"

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def badge(self) -> str:
        return STATUS_BADGE.get(self.status, "grey")


class StageStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    CURRENT = "current", _("进行中")
    DONE = "done", _("已完成")
    SKIPPED = "skipped", _("未执行")


class MeasureStage(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("序号"))
    measure_type = models.CharField(_("管控方式"), max_length=20, choices=MeasureType.choices)
    days = models.PositiveSmallIntegerField(_("天数"))
    test_days = models.JSONField(_("检测日"), default=list)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("期满"))
    status = models.CharField(
        _("状态"), max_length=10, choices=StageStatus.choices, default=StageStatus.PLANNED
    )

    class Meta:
        ordering = ["measure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "order"], name="stage_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_measure_type_display()} {self.days}d"


class Placement(models.Model):
    scope_field = "site__region__code"
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="placements")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="placements")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="placements")
    bed = models.PositiveSmallIntegerField(_("床位号"), default=1)
    started_at = models.DateTimeField(_("入住时间"))
    ended_at = models.DateTimeField(_("离开时间"), null=True, blank=True)
    reason = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager()

    # Only on the page of placements that selectors.decorate_placements decorates; not columns.
    next_due: dt.date | None
    last_checkin_at: dt.datetime | None
    last_temperature: Decimal | None
    due_badge: str

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # No double booking: a bed holds one person, a person holds one bed.
            models.UniqueConstraint(
                fields=["room", "bed"],
                condition=Q(ended_at__isnull=True),
                name="bed_single_occupancy",
            ),
            models.UniqueConstraint(
                fields=["measure"],
                condition=Q(ended_at__isnull=True),
                name="one_open_placement_per_measure",
            ),
            models.CheckConstraint(condition=Q(bed__gte=1), name="bed_number_positive"),
        ]
        indexes = [models.Index(fields=["site", "ended_at"], name="placement_site_open")]

    def __str__(self) -> str:
        return f"{self.site_id}/{self.room_id}#{self.bed}"


class SampleStatus(models.TextChoices):
    PENDING = "pending", _("待检测")
    NEGATIVE = "negative", _("阴性")
    POSITIVE = "positive", _("阳性")
    WAIVED = "waived", _("免检")


class ScheduledTest(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="scheduled_tests")
    stage = models.ForeignKey(MeasureStage, on_delete=models.CASCADE, related_name="tests")
    day_number = models.PositiveSmallIntegerField(_("第几天"))
    due_date = models.DateField(_("应检日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=SampleStatus.choices, default=SampleStatus.PENDING
    )
    test = models.ForeignKey(
        "labtests.NatTest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["measure", "due_date"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="scheduled_test_due"),
            models.Index(fields=["measure", "status", "due_date"], name="scheduled_test_next"),
        ]

    def __str__(self) -> str:
        return f"D{self.day_number} {self.due_date}"


class Slot(models.TextChoices):
    MORNING = "morning", _("上午")
    EVENING = "evening", _("下午")


class CheckIn(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="checkins")
    day = models.DateField(_("日期"))
    slot = models.CharField(_("时段"), max_length=8, choices=Slot.choices)
    temperature = models.DecimalField(_("体温"), max_digits=3, decimal_places=1)
    symptoms = models.CharField(_("症状"), max_length=200, blank=True)
    by_person = models.BooleanField(_("本人填报"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("填报时间"))

    class Meta:
        ordering = ["measure", "-day", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "day", "slot"], name="one_checkin_per_slot")
        ]
        indexes = [models.Index(fields=["measure", "at"], name="checkin_latest")]

    def __str__(self) -> str:
        return f"{self.day} {self.slot} {self.temperature}"

    @property
    def fever(self) -> bool:
        return self.temperature >= Decimal("37.3")
