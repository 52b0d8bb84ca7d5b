"""Categories of people under epidemic control, shared by screening, measures and reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonCategory(models.TextChoices):
    RISK_AREA = "risk_area", _("中高风险地区来返")
    INBOUND = "inbound", _("涉外/入境")
    CLOSE_CONTACT = "close_contact", _("密接")
    SECONDARY_CONTACT = "secondary_contact", _("次密接")
    SPATIOTEMPORAL = "spatiotemporal", _("时空伴随")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高风险")
    MEDIUM = "medium", _("中风险")
    LOW = "low", _("低风险")


class HealthCode(models.TextChoices):
    GREEN = "green", _("绿码")
    YELLOW = "yellow", _("黄码")
    RED = "red", _("红码")
