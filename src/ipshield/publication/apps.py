from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "ipshield.publication"
    label = "publication"
    verbose_name = _("公示与评查")
