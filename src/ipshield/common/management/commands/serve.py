"""``ipshield serve``: collect static files and serve the site with waitress.

Unless ``--no-worker`` is given, it also starts the background task worker (``ipshield worker``)
as a child process, so a one-machine demo runs imports, feed polls and the daily jobs without a
second terminal; the worker is stopped when serve exits. Run the worker separately (and pass
``--no-worker``) when several app processes share one database.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

WORKER_STOP_SECONDS = 10


class Command(BaseCommand):
    help = (
        "Serve IPShield over HTTP with waitress (a production WSGI server), with the background "
        "task worker as a child process unless --no-worker is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background task worker (run `ipshield worker` yourself).",
        )

    def handle(self, *args, **options):
        from waitress import serve

        from ipshield.config.wsgi import application

        call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"IPShield 知保 serving on {url}"))
        self.stdout.write(f"  portal 门户: {url}/   workbench 工作台: {url}/workbench/")
        self.stdout.write(f"  API docs 接口文档: {url}/api/v1/docs   data: {settings.DATA_DIR}")
        stopping = threading.Event()
        worker = None if options["no_worker"] else self._start_worker(stopping)
        self.stdout.write("  Ctrl+C to stop 按 Ctrl+C 停止")
        # Stopped by a service manager (SIGTERM): leave through `finally` so the worker stops too.
        previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        try:
            serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="IPShield",
            )
        except KeyboardInterrupt:
            pass
        finally:
            stopping.set()
            signal.signal(signal.SIGTERM, previous)
            if worker is not None:
                _stop(worker)

    def _start_worker(self, stopping: threading.Event) -> subprocess.Popen[bytes]:
        # The child inherits the environment (IPSHIELD_DATA_DIR, DATABASE_URL, ...), so it works
        # on the same database; cli.py has a __main__ guard for `python -m ipshield.cli`.
        worker = subprocess.Popen([sys.executable, "-m", "ipshield.cli", "worker"])
        self.stdout.write(
            f"  background worker 后台任务: started (pid {worker.pid}); "
            "use --no-worker to run `ipshield worker` separately"
        )

        def watch() -> None:
            code = worker.wait()
            if not stopping.is_set():
                self.stderr.write(
                    f"  background worker 后台任务 stopped (exit code {code}); the site keeps "
                    "running, but imports and feed polls wait until `ipshield worker` runs"
                )

        threading.Thread(target=watch, name="ipshield-worker-watch", daemon=True).start()
        return worker


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
