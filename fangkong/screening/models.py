"""Key-population screening: lists pushed down (batches), one record per row, verified to
the four clears (四清), and re-pushes of people who are not in this city.

A record is scoped on the region it is assigned to. Records of the same person are merged:
a repeated row of one file (merge_kind "file") or an open record of the person from an
earlier list (merge_kind "list") points at the primary record through merged_into, mirrors
its state, and is never counted a second time in region figures.
"""

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.core.categories import PersonCategory
from fangkong.core.fields import EncryptedTextField
from fangkong.core.identity import mask_document, mask_mobile, mask_name
from fangkong.core.scoping import ScopedModel, ScopedQuerySet

if TYPE_CHECKING:
    from fangkong.core.actor import Actor


class Source(models.TextChoices):
    PROVINCE = "province", _("省级推送")
    BIG_DATA = "big_data", _("市大数据")
    CHECKPOINT = "checkpoint", _("卡口推送")
    SELF_REPORT = "self_report", _("主动报备")
    SWEEP = "sweep", _("社区摸排")
    TRACING = "tracing", _("流调溯源")


class BatchStatus(models.TextChoices):
    OPEN = "open", _("核查中")
    DONE = "done", _("已闭环")


class Status(models.TextChoices):
    PUSHED = "pushed", _("已推送")
    RECEIVED = "received", _("已签收")
    CHECKING = "checking", _("核查中")
    CLOSED = "closed", _("已闭环")


class Outcome(models.TextChoices):
    CONTROLLED = "controlled", _("已落实管控")
    NOT_LOCAL = "not_local", _("不在本地")
    LEFT = "left", _("已离开")
    NOT_FOUND = "not_found", _("查无此人")
    WRONG_INFO = "wrong_info", _("信息有误")


class MergeKind(models.TextChoices):
    NONE = "", _("主记录")
    FILE = "file", _("同一文件重复")
    LIST = "list", _("与在办名单合并")


def _actor_reference() -> models.ForeignKey:
    """Who took a step on a record: kept without a database constraint or index, since every
    imported row would otherwise pay for them (decision 0030)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


class HealthCodeFlag(models.TextChoices):
    NONE = "", _("无")
    YELLOW = "yellow", _("黄码")
    RED = "red", _("红码")


class BatchQuerySet(ScopedQuerySet["ScreeningBatch"]):
    def visible_to(self, actor: "Actor") -> Self:
        """A list received above the actor (the city's push) concerns every level below it;
        one received below is the actor's too. Batches hold no personal data themselves:
        their records are scoped one by one."""
        above = [c for c in actor.region.path.split("/") if c]
        return self.filter(Q(region__code__startswith=actor.scope_prefix) | Q(region_id__in=above))


BatchManager = models.Manager.from_queryset(BatchQuerySet)


class ScreeningBatch(ScopedModel):
    """One pushed list, received by a region (normally the city)."""

    objects: ClassVar[BatchManager] = BatchManager()

    source = models.CharField(_("来源"), max_length=100)
    category = models.CharField(_("类别"), max_length=32, choices=PersonCategory.choices)
    received_at = models.DateTimeField(_("接收时间"))
    expected_rows = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    deadline_hours = models.PositiveSmallIntegerField(_("反馈时限（小时）"), default=24)
    deadline = models.DateTimeField(_("反馈截止"))
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("文件摘要"), max_length=64, blank=True, db_index=True)
    header = models.JSONField(_("表头"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.OPEN
    )
    # When its last record was closed (batch_status.py); empty while any is open.
    closed_at = models.DateTimeField(_("闭环时间"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    valid = models.PositiveIntegerField(_("有效行"), default=0)
    invalid = models.PositiveIntegerField(_("待更正行"), default=0)
    created_people = models.PositiveIntegerField(_("新建人员"), default=0)
    matched_people = models.PositiveIntegerField(_("匹配已有人员"), default=0)
    duplicates_in_file = models.PositiveIntegerField(_("文件内重复"), default=0)
    assigned = models.JSONField(_("分派"), default=dict, blank=True)
    # Set on the system batches that collect records opened outside an import (intake.py):
    # source, category, county and local day, e.g. "checkpoint:risk_area:433101:2026-11-29".
    intake_key = models.CharField(max_length=64, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("接收区划"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    # Only on the batches of the progress page (selectors.progress_page); not a column.
    progress: dict[str, Any]

    class Meta:
        verbose_name = _("排查批次")
        verbose_name_plural = _("排查批次")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake_key"], condition=~Q(intake_key=""), name="batch_intake_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.source} · {self.received_at:%m-%d %H:%M}"


class ScreeningRecord(ScopedModel):
    """One row of a list. No reference is a database constraint: the batch, person, region,
    merged_into and the user references are written by the import's merge (from rows it has
    just joined, under the batch it has just created) and by services, and every constraint
    costs the bulk insert one deferred trigger per row (see docs/decisions/0030). The ORM
    keeps the deletion rules (a batch's records go with it)."""

    # Indexed by the (batch, row_number) unique constraint; no separate index.
    batch = models.ForeignKey(
        ScreeningBatch, on_delete=models.CASCADE, related_name="records", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    row_number = models.PositiveIntegerField(_("原表行号"))
    # The sender's cells with identifier columns blanked; those live encrypted below.
    values = models.JSONField(_("原始内容"), default=list)
    secret_values = EncryptedTextField(_("原始证件与电话"), blank=True)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    name = models.CharField(_("姓名"), max_length=60, blank=True)
    document_type = models.CharField(_("证件类型"), max_length=32, blank=True)
    document_number = EncryptedTextField(_("证件号码"), blank=True)
    document_index = models.CharField(max_length=32, blank=True)
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_index = models.CharField(max_length=32, blank=True)
    address = models.CharField(_("现住址"), max_length=300, blank=True)
    source_place = models.CharField(_("来源地"), max_length=200, blank=True)
    arrived_at = models.DateTimeField(_("抵达时间"), null=True, blank=True)
    health_code = models.CharField(
        _("红黄码"), max_length=8, choices=HealthCodeFlag.choices, blank=True
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("责任区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    assigned_level = models.PositiveSmallIntegerField(_("分派层级"), default=0)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PUSHED
    )
    outcome = models.CharField(_("核查结果"), max_length=16, choices=Outcome.choices, blank=True)
    measure = models.CharField(_("管控措施"), max_length=100, blank=True)
    place = models.CharField(_("管控地点"), max_length=200, blank=True)
    destination = models.CharField(_("去向"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # The four clears, each with who and when.
    count_clear = models.BooleanField(_("人数清"), default=False)
    count_clear_by = _actor_reference()
    count_clear_at = models.DateTimeField(null=True, blank=True)
    identity_clear = models.BooleanField(_("人头清"), default=False)
    identity_clear_by = _actor_reference()
    identity_clear_at = models.DateTimeField(null=True, blank=True)
    location_clear = models.BooleanField(_("位置清"), default=False)
    location_clear_by = _actor_reference()
    location_clear_at = models.DateTimeField(null=True, blank=True)
    control_clear = models.BooleanField(_("管控清"), default=False)
    control_clear_by = _actor_reference()
    control_clear_at = models.DateTimeField(null=True, blank=True)
    four_clear = models.BooleanField(_("四清"), default=False)
    invalid = models.BooleanField(_("待更正"), default=False)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        db_index=False,
        db_constraint=False,
    )
    merge_kind = models.CharField(_("合并"), max_length=8, choices=MergeKind.choices, blank=True)
    # What opened a record outside an import ("arrival:12", "check:34"); empty for list rows.
    source_ref = models.CharField(_("来源记录"), max_length=40, blank=True)
    deadline = models.DateTimeField(_("反馈截止"))
    escalated_at = models.DateTimeField(_("逾期上报时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "regions.Region",
        verbose_name=_("上报至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = _actor_reference()
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    checked_by = _actor_reference()
    closed_at = models.DateTimeField(_("闭环时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("推送时间"))

    class Meta:
        verbose_name = _("排查记录")
        verbose_name_plural = _("排查记录")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="screening_row_unique"),
            # One record per arrival or check that opened one (list rows leave it empty).
            models.UniqueConstraint(
                fields=["source_ref"],
                condition=~Q(source_ref=""),
                name="screening_source_ref_unique",
            ),
        ]
        indexes = [
            # Progress pages aggregate from this index alone (region prefix, then batch).
            models.Index(
                fields=[
                    "region",
                    "batch",
                    "status",
                    "four_clear",
                    "merge_kind",
                    "invalid",
                    "deadline",
                ],
                name="screening_progress",
            ),
            models.Index(
                fields=["person"], name="screening_person", condition=Q(person__isnull=False)
            ),
            models.Index(
                fields=["merged_into"],
                name="screening_merged",
                condition=Q(merged_into__isnull=False),
            ),
            models.Index(
                fields=["deadline", "id"],
                name="screening_open_deadline",
                condition=~Q(status="closed"),
            ),
        ]

    def __str__(self) -> str:
        return f"{mask_name(self.name)} · {self.batch_id}#{self.row_number}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_document(self) -> str:
        return mask_document(self.document_number)

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def reassignable(self) -> bool:
        """Open, its own (not merged into another record) and complete: it may be moved."""
        return self.is_open and not self.invalid and self.merged_into_id is None


class PersonSource(models.Model):
    """A list that named an already known person: the person's screening history."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(ScreeningBatch, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(ScreeningRecord, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("来源"), max_length=100)
    category = models.CharField(_("类别"), max_length=32, choices=PersonCategory.choices)
    row_number = models.PositiveIntegerField(_("原表行号"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("人员来源")
        verbose_name_plural = _("人员来源")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} · {self.batch_id}#{self.row_number}"


class OutgoingRepush(ScopedModel):
    """A person found not to be here: pushed on to the city where they are."""

    record = models.OneToOneField(ScreeningRecord, on_delete=models.CASCADE, related_name="repush")
    target_place = models.CharField(_("推送至"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("发起区划"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    # Set when the HQ has sent the person on to the target city's HQ.
    sent_at = models.DateTimeField(_("已推送时间"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("推送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("外推记录")
        verbose_name_plural = _("外推记录")
        ordering = ["-created_at", "-id"]


class SheetKind(models.TextChoices):
    FEEDBACK = "feedback", _("核查反馈表")
    RECORDS = "records", _("核查名单（脱敏）")
    ERRORS = "errors", _("待更正行")


class SheetStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("出错")


class SheetJob(ScopedModel):
    """A sheet too long to write while its user waits (a big list's feedback, a long record
    list), written by the task worker to private storage. Only the user who asked sees it;
    each download is written to the access log. The file goes after SHEET_RETENTION_HOURS."""

    kind = models.CharField(_("表格"), max_length=16, choices=SheetKind.choices)
    batch = models.ForeignKey(
        ScreeningBatch, verbose_name=_("批次"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    # The record list's filters: region code, here, status.
    filters = models.JSONField(_("筛选"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.QUEUED
    )
    rows_expected = models.PositiveIntegerField(_("预计行数"), default=0)
    rows_written = models.PositiveIntegerField(_("已写行数"), default=0)
    path = models.CharField(_("存储位置"), max_length=500, blank=True)
    filename = models.CharField(_("文件名"), max_length=255)
    message = models.TextField(_("说明"), blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    role = models.CharField(_("角色"), max_length=32)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Not stored: what a record list was narrowed to, as sheetjobs._describe words it.
    narrowed: str = ""

    class Meta:
        verbose_name = _("表格生成任务")
        verbose_name_plural = _("表格生成任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="sheetjob_owner")]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in (SheetStatus.DONE, SheetStatus.FAILED)
