from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ipshield.cases"
    label = "cases"
    verbose_name = _("案件办理")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from ipshield.cases import deadlines
        from ipshield.cases.inbox import SOURCES
        from ipshield.common.inbox import register

        register(*SOURCES)
        request_started.connect(deadlines.request_started, dispatch_uid="cases.calendar.start")
        request_finished.connect(deadlines.request_finished, dispatch_uid="cases.calendar.end")
