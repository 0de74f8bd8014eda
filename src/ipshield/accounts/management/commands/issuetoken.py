"""``ipshield issuetoken UNIT NAME``: issue an API token to a unit's system (shown once)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ipshield.accounts import services
from ipshield.accounts.models import ApiToken, Unit
from ipshield.common.errors import DomainError


class Command(BaseCommand):
    help = "Issue (or with --revoke PREFIX, revoke) an API token for another department's system."

    def add_arguments(self, parser):
        parser.add_argument("unit", nargs="?", help="Unit name, e.g. 保德县公安局")
        parser.add_argument("name", nargs="?", help="What the token is for")
        parser.add_argument("--role", action="append", default=None, help="Role(s) it acts with")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the token with this prefix")

    def handle(self, *args, **options):
        try:
            if options["revoke"]:
                token = ApiToken.objects.filter(prefix=options["revoke"]).first()
                if token is None:
                    raise CommandError(f"No token with prefix {options['revoke']!r}.")
                services.token_revoke(actor=None, token=token)
                self.stdout.write(self.style.SUCCESS(f"Revoked {token.prefix}…"))
                return
            if not options["unit"] or not options["name"]:
                raise CommandError("Give the unit name and what the token is for.")
            unit = Unit.objects.filter(name=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit named {options['unit']!r}.")
            roles = options["role"] or ["case_officer"]
            token, secret = services.token_issue(
                actor=None, unit=unit, name=options["name"], roles=roles
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Token for {unit.name} ({token.name}):"))
        self.stdout.write(secret)
        self.stdout.write(
            "Store it now: only its hash is kept. Send it as 'Authorization: Bearer <token>'."
        )
