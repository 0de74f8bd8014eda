from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ipshield.cases"
    label = "cases"
    verbose_name = _("案件办理")

    def ready(self) -> None:
        from ipshield.cases.inbox import SOURCES
        from ipshield.common.inbox import register

        register(*SOURCES)
