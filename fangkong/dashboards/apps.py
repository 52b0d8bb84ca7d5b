from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "fangkong.dashboards"
    verbose_name = _("指挥调度大屏")
