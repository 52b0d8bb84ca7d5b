from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "fangkong.measures"
    verbose_name = _("管控措施")
