"""Summary figures for the dashboard: one row per region, day and figure.

Refreshed in the background (snapshot.py) from the modules' figure providers, at the city,
county and township levels; a dashboard request reads a few hundred of these rows instead of
aggregating millions of operational records.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedModel


class RegionFigure(ScopedModel):
    scope_field = "region__code"

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The region's parent code, so that a region's children are one equality lookup.
    parent_code = models.CharField(max_length=12)
    day = models.DateField()
    key = models.CharField(max_length=48)
    value = models.FloatField()

    class Meta:
        verbose_name = _("汇总数据")
        verbose_name_plural = _("汇总数据")
        constraints = [
            models.UniqueConstraint(fields=["region", "day", "key"], name="region_figure_unique")
        ]
        indexes = [
            models.Index(fields=["parent_code", "day"], name="region_figure_children"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day} {self.key}={self.value}"


class SnapshotRun(models.Model):
    """When the figures of a day were last computed, for the "updated at" line."""

    scoping_exempt = "bookkeeping: no regional or personal data"

    city_code = models.CharField(max_length=12)
    day = models.DateField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["city_code", "day"], name="snapshot_run_unique")
        ]

    def __str__(self) -> str:
        return f"{self.city_code} {self.day}"
