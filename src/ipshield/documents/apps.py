from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "ipshield.documents"
    label = "documents"
    verbose_name = _("文书")

    def ready(self) -> None:
        from ipshield.cases.views import add_case_panel
        from ipshield.documents.case_kinds import register_case_kinds
        from ipshield.documents.views import case_documents

        register_case_kinds()
        add_case_panel(case_documents)
