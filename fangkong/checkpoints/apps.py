from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    name = "fangkong.checkpoints"
    label = "checkpoints"
    verbose_name = _("健康监测服务点")
