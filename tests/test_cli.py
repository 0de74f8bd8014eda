"""The `ipshield` command: every IPShield command exists, is documented, and works."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.management import get_commands, load_command_class


def _ours() -> list[str]:
    # Every command an IPShield app defines, so that a new one cannot go undocumented.
    return sorted(name for name, app in get_commands().items() if app.startswith("ipshield"))


OURS = _ours()


@pytest.mark.parametrize("name", OURS)
def test_command_exists_and_has_help(name):
    commands = get_commands()
    assert name in commands
    command = load_command_class(commands[name], name)
    assert len(command.help) > 20


def test_console_script_lists_commands(tmp_path):
    env = {**os.environ, "IPSHIELD_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "ipshield.cli", "help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    for name in [*OURS, "migrate"]:
        assert name in result.stdout


def test_readme_documents_every_command():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in OURS:
        assert f"ipshield {name}" in readme, name


def test_createadmin(db, monkeypatch, capsys):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    monkeypatch.setenv("IPSHIELD_ADMIN_PASSWORD", "Root-admin-pass-2026")
    call_command("createadmin", "root")
    user = get_user_model().objects.get(username="root")
    assert user.is_superuser and user.is_staff and user.check_password("Root-admin-pass-2026")
    assert user.profile.roles == {"sysadmin"}


def test_createadmin_refuses_a_weak_password(db, monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setenv("IPSHIELD_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("createadmin", "root2")


@pytest.mark.django_db(transaction=True)
def test_worker_runs_queued_tasks(world):
    """A task enqueued by the app is picked up and run by `ipshield worker --batch`."""
    from django.core.management import call_command

    from ipshield.registry import services
    from ipshield.registry.models import RightKind, RightStatus
    from ipshield.registry.tasks import expire_rights
    from tests.registry.factories import RightsHolderFactory

    right = services.right_register(
        actor=None,
        holder=RightsHolderFactory(region=world.county),
        kind=RightKind.TRADEMARK,
        registration_number="3000",
        title="过期",
        nice_classes=[30],
        valid_until=dt.date(2001, 1, 1),
    )
    services.right_verify(actor=world.officer, right=right)
    result = expire_rights.enqueue()
    call_command("worker", "--batch")
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 1
    right.refresh_from_db()
    assert right.status == RightStatus.EXPIRED
