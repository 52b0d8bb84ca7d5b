from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "fangkong.policies"
    verbose_name = _("防控政策")
