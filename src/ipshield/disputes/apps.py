from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "ipshield.disputes"
    label = "disputes"
    verbose_name = _("纠纷多元化解")

    def ready(self) -> None:
        from ipshield.cases.views import add_case_panel
        from ipshield.common.inbox import register
        from ipshield.disputes.complaint_views import case_mediation
        from ipshield.disputes.inbox import SOURCES

        register(*SOURCES)
        add_case_panel(case_mediation)
