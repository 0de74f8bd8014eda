from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ipshield.accounts"
    label = "accounts"
    verbose_name = _("单位与人员")

    def ready(self) -> None:
        from ipshield.accounts.roles import sync_role_groups

        # Runs after every app's post_migrate; acts once, after the last app's permissions exist.
        post_migrate.connect(sync_role_groups, dispatch_uid="ipshield.sync_role_groups")
