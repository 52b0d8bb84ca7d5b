"""The division tree: province → city → county → township → village.

The primary key is the statistical division code in its compact form (2, 4, 6, 9 or 12
digits). Each code begins with its parent's, which is what makes prefix scoping exact.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("省")
    CITY = 2, _("市/州")
    COUNTY = 3, _("县/市/区")
    TOWNSHIP = 4, _("乡镇/街道")
    VILLAGE = 5, _("村/社区")


CODE_LENGTHS: dict[int, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTHS.items()}


class CodeSystem(models.TextChoices):
    NBS_2023 = "nbs-2023", _("国家统计局统计用区划代码（2023）")


class Region(models.Model):
    # Reference data, not operational: everyone may read the division tree.
    scoping_exempt = "reference data: the public division tree"

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(
        _("简称"), max_length=100, blank=True, help_text=_("地址中常用的写法，如去掉“村民委员会”")
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=64, help_text=_("祖先代码链，如 43/4331/433130"))
    code_system = models.CharField(
        _("代码体系"), max_length=16, choices=CodeSystem.choices, default=CodeSystem.NBS_2023
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def division_code(self) -> str:
        """The familiar 6-digit form for province, city and county (433100, 433130)."""
        return self.code.ljust(6, "0") if len(self.code) < 6 else self.code

    def ancestor_codes(self) -> list[str]:
        return self.path.split("/")

    def contains(self, code: str) -> bool:
        return code.startswith(self.code)
