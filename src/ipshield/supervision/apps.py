from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "ipshield.supervision"
    label = "supervision"
    verbose_name = _("方案督办")

    def ready(self) -> None:
        from ipshield.common.inbox import register
        from ipshield.supervision.inbox import SOURCES

        register(*SOURCES)
