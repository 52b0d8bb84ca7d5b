from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "fangkong.notifications"
    verbose_name = _("提醒与告警")
