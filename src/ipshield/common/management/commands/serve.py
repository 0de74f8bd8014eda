"""``ipshield serve``: collect static files and serve the site with waitress.

Waitress runs Python code, and one Python process runs Python code on one core at a time (the
GIL), so on a POSIX system ``serve`` starts several waitress processes (``--processes``, one per
core by default) that share one listening socket: the application is imported once, then each
process is forked and accepts connections from the same queue. Measured with
``benchmarks/load.py``: 50 signed-in officers on the case list on a 2-core machine. On Windows
(no fork) one process serves.

Unless ``--no-worker`` is given, it also starts the background task worker (``ipshield worker``)
as a child process, so a one-machine demo runs imports, feed polls and the daily jobs without a
second terminal; the worker is stopped when serve exits. Run the worker separately (and pass
``--no-worker``) when several app servers share one database.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

WORKER_STOP_SECONDS = 10
SERVER_STOP_SECONDS = 15
# Threads per process: enough to overlap database waits, few enough that one process's threads
# do not queue behind each other on the GIL.
DEFAULT_THREADS = 6
MAX_DEFAULT_PROCESSES = 4
# A process that dies sooner than this after it started is not restarted again and again.
RESTART_BACKOFF_SECONDS = 1.0


def can_fork() -> bool:
    return hasattr(os, "fork")


def default_processes() -> int:
    """One serving process per core (at most four), or one where processes cannot be forked."""
    if not can_fork():
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_PROCESSES))


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {number}")
    return number


class Command(BaseCommand):
    help = (
        "Serve IPShield over HTTP with waitress (a production WSGI server), in one process per "
        "CPU core, with the background task worker as a child process unless --no-worker is "
        "given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--processes",
            type=_positive,
            default=None,
            help=(
                "Serving processes sharing the port (default: one per CPU core, at most "
                f"{MAX_DEFAULT_PROCESSES}; always 1 where processes cannot be forked, e.g. "
                "Windows)."
            ),
        )
        parser.add_argument(
            "--threads",
            type=_positive,
            default=DEFAULT_THREADS,
            help=f"Request threads per serving process (default {DEFAULT_THREADS}).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background task worker (run `ipshield worker` yourself).",
        )

    def handle(self, *args, **options):
        from django.db import connections

        from ipshield.config.wsgi import application

        processes = options["processes"] or default_processes()
        if processes > 1 and not can_fork():
            self.stderr.write("  --processes needs fork (POSIX); serving in one process")
            processes = 1
        threads = options["threads"]
        call_command("collectstatic", interactive=False, verbosity=0)
        listener = _listen(options["host"], options["port"])
        url = f"http://{_url_host(options['host'])}:{listener.getsockname()[1]}"
        self.stdout.write(self.style.SUCCESS(f"IPShield 知保 serving on {url}"))
        self.stdout.write(f"  portal 门户: {url}/   workbench 工作台: {url}/workbench/")
        self.stdout.write(f"  API docs 接口文档: {url}/api/v1/docs   data: {settings.DATA_DIR}")
        self.stdout.write(
            f"  {processes} process(es) x {threads} threads 进程 x 线程 (--processes, --threads)"
        )
        self.stdout.flush()
        # Nothing opened before the fork may be shared by the children: database connections
        # are per process.
        connections.close_all()
        stopping = threading.Event()
        pool = _Pool(application, listener, processes=processes, threads=threads)
        previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        worker = None
        try:
            pool.start()
            worker = None if options["no_worker"] else self._start_worker(stopping)
            self.stdout.write("  Ctrl+C to stop 按 Ctrl+C 停止")
            self.stdout.flush()
            pool.run(stopping, self.stderr)
        except KeyboardInterrupt:
            pass
        finally:
            stopping.set()
            signal.signal(signal.SIGTERM, previous)
            pool.stop()
            if worker is not None:
                _stop(worker)
            listener.close()

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


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket every serving process accepts from."""
    family, kind, proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listener = socket.socket(family, kind, proto)
    if os.name != "nt":  # on Windows this would let a second server take the same port
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(address)
    listener.listen(1024)
    listener.set_inheritable(True)
    return listener


def _serve_forever(application, listener: socket.socket, threads: int) -> None:
    from waitress import serve

    serve(application, sockets=[listener], threads=threads, ident="IPShield")


class _Pool:
    """The serving processes: forked from this one, restarted if one dies, stopped together."""

    def __init__(self, application, listener: socket.socket, *, processes: int, threads: int):
        self.application = application
        self.listener = listener
        self.processes = processes
        self.threads = threads
        self.children: dict[int, float] = {}

    def start(self) -> None:
        if self.processes == 1:
            return
        for _ in range(self.processes):
            self._fork()

    def run(self, stopping: threading.Event, stderr) -> None:
        if self.processes == 1:
            _serve_forever(self.application, self.listener, self.threads)
            return
        # Each child is waited for by its pid: the task worker is a child too, and its own
        # watcher waits for it.
        while self.children and not stopping.is_set():
            time.sleep(0.5)
            for pid, started in list(self.children.items()):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done == 0:
                    continue
                del self.children[pid]
                if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                    # waitress returned: the process was told to stop, it did not die.
                    continue
                stderr.write(
                    f"  serving process {pid} stopped ({_describe(status)}); starting another"
                )
                if time.monotonic() - started < RESTART_BACKOFF_SECONDS:
                    time.sleep(RESTART_BACKOFF_SECONDS)
                self._fork()

    def _fork(self) -> None:
        pid = os.fork()
        if pid == 0:  # the child: serve until told to stop, never return into the parent's code
            code = 0
            try:
                signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
                signal.signal(signal.SIGINT, _raise_keyboard_interrupt)
                _serve_forever(self.application, self.listener, self.threads)
            except KeyboardInterrupt:
                pass
            except BaseException:  # reported; the parent starts another
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.children[pid] = time.monotonic()

    def stop(self) -> None:
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                self.children.pop(pid, None)
        deadline = time.monotonic() + SERVER_STOP_SECONDS
        while self.children and time.monotonic() < deadline:
            for pid in list(self.children):
                try:
                    done, _status = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done = pid
                if done:
                    del self.children[pid]
            time.sleep(0.05)
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self.children.clear()


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


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
