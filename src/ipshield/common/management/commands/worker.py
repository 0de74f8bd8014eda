"""``ipshield worker``: run background tasks (deadline reminders, imports, monitoring runs)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the background task worker (Django Tasks, database backend); keeps the daily "
        "jobs (deadline reminders, right expiry) queued for 06:00 Asia/Shanghai and the "
        "periodic ones (listing feeds, every 5 minutes) queued."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run queued tasks, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args, **options):
        from ipshield.common.schedule import PERIODIC_TASKS, ensure_scheduled

        for path in ensure_scheduled():
            kind = "periodic" if path in PERIODIC_TASKS else "daily"
            self.stdout.write(f"scheduled {kind} task {path}")
        worker_args = ["--interval", str(options["interval"])]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args)
