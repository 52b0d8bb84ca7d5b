from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskAreasConfig(AppConfig):
    name = "fangkong.riskareas"
    label = "riskareas"
    verbose_name = _("风险地区")
