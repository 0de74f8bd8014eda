from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "ipshield.cooperation"
    label = "cooperation"
    verbose_name = _("协作与移送")
