"""``ipshield serve``: its options, several serving processes on one port, a quiet log."""

from __future__ import annotations

import io
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import CommandError, call_command

from ipshield.common.management.commands import serve

STOP_SECONDS = 60  # a safety net for a hung server, not a speed budget


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--processes", "0"], "must be 1 or more"),
        (["--threads", "-2"], "must be 1 or more"),
        (["--processes", "two"], "expected a whole number"),
    ],
)
def test_bad_counts_are_refused_by_name(args, message):
    with pytest.raises(CommandError) as refused:
        call_command("serve", *args)
    assert message in str(refused.value)
    assert args[0].lstrip("-") in str(refused.value)


def test_one_process_per_core_at_most_four(monkeypatch):
    monkeypatch.setattr(serve, "can_fork", lambda: True)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert serve.default_processes() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 32)
    assert serve.default_processes() == serve.MAX_DEFAULT_PROCESSES
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert serve.default_processes() == 1


def test_one_process_where_there_is_no_fork(monkeypatch):
    monkeypatch.setattr(serve, "can_fork", lambda: False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert serve.default_processes() == 1


def test_waiting_requests_are_not_logged_but_server_errors_are():
    # Waitress warns "Task queue depth is N" for every request that waits for a thread.
    assert not logging.getLogger("waitress.queue").isEnabledFor(logging.WARNING)
    assert logging.getLogger("waitress.queue").isEnabledFor(logging.ERROR)
    assert logging.getLogger("waitress").isEnabledFor(logging.WARNING)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="several processes need fork")
def test_two_processes_serve_one_port_quietly_and_stop_together(tmp_path):
    env = {**os.environ, "IPSHIELD_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "ipshield.cli", "serve", "--no-worker", "--port", "0"]
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [*command, "--processes", "2", "--threads", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()
    serving = []

    def read() -> None:
        for line in server.stdout:
            output.append(line)
            if "Serving on" in line:
                serving.append(line)
                if len(serving) == 2:
                    ready.set()
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(STOP_SECONDS), output
        assert len(serving) == 2, "".join(output)
        url = next(line for line in output if "serving on" in line).split()[-1]
        port = int(url.rsplit(":", 1)[1])

        def fetch(_: int) -> int:
            static = f"{url}/static/ipshield/site.css"  # http://127.0.0.1:<port>
            with urllib.request.urlopen(static, timeout=30) as r:  # noqa: S310
                r.read()
                return r.status

        # One thread per process and twenty requests at once: most of them wait in the queue.
        with ThreadPoolExecutor(20) as pool:
            assert set(pool.map(fetch, range(40))) == {200}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(STOP_SECONDS)
        reader.join(STOP_SECONDS)
    assert server.returncode == 0, "".join(output)
    log = "".join(output)
    assert "Task queue depth" not in log
    assert "Traceback" not in log
    # No serving process outlived the command: nobody accepts on the port any more.
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))


def test_throttle_counts_are_shared_by_the_serving_processes():
    # Failed tracking attempts and credit checks are counted in the cache; each serving process
    # must see the others' counts, or N processes would allow N times the attempts.
    from django.core.cache import cache

    cache.set("shared-count", 7, 60)
    reader = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.core.cache import cache; "
            "print(cache.get('shared-count'))",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ipshield.config.settings"},
        capture_output=True,
        text=True,
        timeout=STOP_SECONDS,
    )
    cache.delete("shared-count")
    assert reader.stdout.strip() == "7", reader.stderr


def test_processes_that_return_are_not_started_again(monkeypatch):
    # waitress returns only when told to stop; a process that ends with exit code 0 stopped on
    # purpose, so the pool ends when all have (before, it forked replacements without end).
    import waitress

    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(waitress, "serve", lambda *a, **k: None)
    err = io.StringIO()
    call_command("serve", "--port", "0", "--processes", "2", "--no-worker", stderr=err)
    assert "starting another" not in err.getvalue()
