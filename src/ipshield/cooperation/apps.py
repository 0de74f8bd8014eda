from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "ipshield.cooperation"
    label = "cooperation"
    verbose_name = _("协作与移送")

    def ready(self) -> None:
        from ipshield.cases.views import add_case_panel
        from ipshield.common.inbox import register
        from ipshield.cooperation.inbox import SOURCES
        from ipshield.cooperation.views import case_cooperation

        add_case_panel(case_cooperation)
        register(*SOURCES)
