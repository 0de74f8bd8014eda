"""``ipshield createadmin``: create (or reset) a system administrator."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ipshield.accounts import services
from ipshield.accounts.models import Unit
from ipshield.accounts.roles import Role
from ipshield.common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create a system administrator (superuser with the sysadmin role). The password is read "
        "from IPSHIELD_ADMIN_PASSWORD or prompted for."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="系统管理员", help="Display name.")
        parser.add_argument("--unit", help="Name of the unit the administrator belongs to.")

    @transaction.atomic
    def handle(self, *args, **options):
        password = os.environ.get("IPSHIELD_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(name=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit named {options['unit']!r}.")
        user_model = get_user_model()
        user = user_model.objects.filter(username=options["username"]).first()
        try:
            if user is None:
                user = services.person_create(
                    actor=None,
                    username=options["username"],
                    display_name=options["name"],
                    roles=[Role.SYSADMIN],
                    unit=unit,
                    password=password,
                )
            else:
                services.person_set_roles(actor=None, user=user, roles=[Role.SYSADMIN])
                user.set_password(password)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        user.is_superuser = True
        user.is_staff = True
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.username} is ready."))
