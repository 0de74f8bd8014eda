from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "ipshield.credit"
    label = "credit"
    verbose_name = _("信用监管")

    def ready(self) -> None:
        from ipshield.credit import services
        from ipshield.publication import signals

        signals.publication_published.connect(
            services.on_publication_published, dispatch_uid="credit.record_from_publication"
        )
        signals.publication_withdrawn.connect(
            services.on_publication_withdrawn, dispatch_uid="credit.record_remove_for_publication"
        )
