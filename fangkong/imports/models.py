"""Import jobs (progress, file hash, outcome) and column mappings remembered per source."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    REFUSED = "refused", _("已拒绝")
    FAILED = "failed", _("出错")


class ImportJob(ScopedModel):
    """One uploaded file on its way in. Lives outside the import's transaction, so the
    progress it shows is visible while the rows are still being staged."""

    kind = models.CharField(_("类型"), max_length=32)
    filename = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    size = models.BigIntegerField(_("大小"), default=0)
    path = models.CharField(_("存储位置"), max_length=500, blank=True)
    options = models.JSONField(_("选项"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_read = models.PositiveIntegerField(_("已读行数"), default=0)
    rows_expected = models.PositiveIntegerField(_("预计行数"), null=True, blank=True)
    message = models.TextField(_("说明"), blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    object_id = models.CharField(_("生成对象"), max_length=64, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role = models.CharField(_("角色"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "sha256"], name="importjob_kind_sha")]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.REFUSED, JobStatus.FAILED)


class ColumnMapping(models.Model):
    """A header the recogniser did not know, mapped once by a user for a given source and
    kind of list, and applied to every later file from that source."""

    kind = models.CharField(_("类型"), max_length=32)
    source = models.CharField(_("来源"), max_length=100)
    header = models.CharField(_("表头（规范化）"), max_length=100)
    label = models.CharField(_("表头原文"), max_length=100)
    field = models.CharField(_("对应字段"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("列映射")
        verbose_name_plural = _("列映射")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source", "header"], name="column_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.label} → {self.field}"
