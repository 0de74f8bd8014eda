from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "ipshield.supervision"
    label = "supervision"
    verbose_name = _("方案督办")

    def ready(self) -> None:
        from ipshield.common.inbox import register
        from ipshield.evidence.selectors import register_scope
        from ipshield.supervision.inbox import SOURCES
        from ipshield.supervision.selectors import evidence_scope

        register(*SOURCES)
        register_scope(evidence_scope)
