"""``ipshield demo``: migrate the database and load the Baode County demo data."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from ipshield import demo
from ipshield.common.maintenance import database_optimize


class Command(BaseCommand):
    help = (
        "Create or update the database and load demo data (Baode County, Shanxi, and a corner of "
        "Harbin): units, the leading group, 200+ market entities, 100+ IP rights and one login "
        "per role. Safe to run again: nothing is duplicated and demo passwords are reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--serve",
            action="store_true",
            help="Serve the site right after loading (what `make demo` does).",
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        demo.load(stdout=self.stdout)
        database_optimize()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s 演示数据已载入"))
        if options["serve"]:
            self.stdout.write(f"  Starting the server 正在启动服务: open 请打开 {demo.URL}")
        else:
            self.stdout.write(
                f"  Start the server 启动服务: ipshield serve   then open 然后打开 {demo.URL}"
            )
        self.stdout.write(
            f"  portal 门户: {demo.URL}/   workbench 工作台: {demo.URL}/workbench/   "
            f"admin 后台: {demo.URL}/admin/"
        )
        if options["serve"]:
            call_command("serve")
