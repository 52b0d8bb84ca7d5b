from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "fangkong.org"
    verbose_name = _("指挥体系")
