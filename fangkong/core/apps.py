from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fangkong.core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the scoping system check)
