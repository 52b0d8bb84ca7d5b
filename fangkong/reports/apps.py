from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "fangkong.reports"
    verbose_name = _("日报告、零报告")
