from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "fangkong.audit"
    verbose_name = _("审计")

    def ready(self) -> None:
        from . import guard

        guard.install()
