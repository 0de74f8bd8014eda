"""`make demo` loads the demo data and serves: the command must not tell people to start a server
that is starting anyway, and `ipshield demo` alone still says how to start it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from django.core import management

from ipshield.common.management.commands import demo as demo_command

ROOT = Path(__file__).resolve().parents[1]


def test_demo_with_serve_says_the_server_is_starting_and_starts_it(db, monkeypatch):
    asked: list[str] = []
    real = management.call_command

    def call_command(name, *args, **options):
        if name == "serve":  # Django's dispatcher: record the request instead of serving
            asked.append(name)
            return None
        return real(name, *args, **options)

    monkeypatch.setattr(demo_command, "call_command", call_command)
    out = io.StringIO()
    management.call_command("demo", "--serve", stdout=out)
    text = out.getvalue()
    assert asked == ["serve"]
    assert "ipshield serve" not in text
    assert "Starting the server 正在启动服务" in text and "http://127.0.0.1:8000" in text


def test_demo_alone_says_how_to_start_the_server(db):
    out = io.StringIO()
    management.call_command("demo", stdout=out)
    assert "Start the server 启动服务: ipshield serve" in out.getvalue()


def test_make_demo_serves_through_the_demo_command():
    recipe = subprocess.run(  # noqa: S603 - make, on our own Makefile
        [shutil.which("make") or "/usr/bin/make", "-n", "-W", "pyproject.toml", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [line for line in recipe.splitlines() if re.search(r"/ipshield \w", line)]
    assert commands[-1].endswith("ipshield demo --serve")
    assert not any(line.endswith("ipshield serve") for line in commands)
