from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "ipshield.common"
    label = "common"
