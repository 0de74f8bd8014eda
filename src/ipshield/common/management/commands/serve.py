"""``ipshield serve``: collect static files and serve the site with waitress."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve IPShield over HTTP with waitress (a production WSGI server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **options):
        from waitress import serve

        from ipshield.config.wsgi import application

        call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"IPShield 知保 serving on {url}"))
        self.stdout.write(f"  portal 门户: {url}/   workbench 工作台: {url}/workbench/")
        self.stdout.write(f"  API docs 接口文档: {url}/api/v1/docs   data: {settings.DATA_DIR}")
        self.stdout.write("  Ctrl+C to stop 按 Ctrl+C 停止")
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="IPShield",
        )
