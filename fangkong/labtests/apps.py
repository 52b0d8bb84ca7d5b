from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabtestsConfig(AppConfig):
    name = "fangkong.labtests"
    verbose_name = _("核酸检测")
