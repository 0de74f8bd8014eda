from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "ipshield.disputes"
    label = "disputes"
    verbose_name = _("纠纷多元化解")

    def ready(self) -> None:
        from ipshield.cases.views import add_case_panel
        from ipshield.disputes.complaint_views import case_mediation

        add_case_panel(case_mediation)
