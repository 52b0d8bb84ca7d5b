"""The person registry. Document numbers and phones are encrypted at rest; the blind
indexes (keyed HMAC of the normalised value) serve exact lookup and de-duplication."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.fields import EncryptedTextField
from fangkong.core.identity import DocumentType, mask_document, mask_mobile, mask_name
from fangkong.core.scoping import ScopedModel, region_index


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
    UNKNOWN = "", _("未知")


class Person(ScopedModel):
    # The foreign key column holds the division code; "region__code" filters it without a join.
    scope_field = "region__code"

    # Searched with name__contains, which no btree serves: no index (a bulk list of a million
    # people paid for two, the plain one and its varchar_pattern_ops copy).
    name = models.CharField(_("姓名"), max_length=60)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnic_group = models.CharField(_("民族"), max_length=20, blank=True)
    document_type = models.CharField(
        _("证件类型"), max_length=32, choices=DocumentType.choices, blank=True
    )
    document_number = EncryptedTextField(_("证件号码"), blank=True)
    document_index = models.CharField(max_length=32, blank=True)
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_index = models.CharField(max_length=32, blank=True)
    household_address = models.CharField(_("户籍地址"), max_length=200, blank=True)
    current_address = models.CharField(_("现住址"), max_length=200, blank=True)
    # A screening import writes up to a million people in one statement: no database
    # constraints on the references (each row would fire a check of the referenced row; the
    # ORM keeps PROTECT and SET_NULL), one index on the region for equality and the scoping
    # prefix (person_region), none on the registrar (nothing looks people up by it). See
    # docs/decisions/0030-screening-import.md.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("现住地区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    retain_until = models.DateField(_("保存期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_index"],
                condition=~models.Q(document_index=""),
                name="person_document_unique",
            )
        ]
        indexes = [
            models.Index(fields=["phone_index"], name="person_phone_index"),
            region_index("person_region"),
        ]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_document(self) -> str:
        return mask_document(self.document_number)

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone)
