"""``ipshield backup`` under concurrent uploads, ``ipshield restore`` into a fresh data directory:
every receipt of the backed-up rows checks out against the restored ledger, files and key, and
the audit passes. The uploads run in a thread; the backup waits (on a condition, not a clock)
for an upload to complete after its database snapshot and again after its ledger copy, so the
ledger copy is always longer than the snapshot and the upload tree holds a file without a row.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ipshield.common import backup as backups
from ipshield.engines.ledger import Log
from ipshield.engines.ledger.heads import PUBLIC_KEY_FILE
from ipshield.evidence.models import EvidenceItem
from ipshield.evidence.receipts import parse_receipt, sha256_of_stream, verify_receipt
from tests.cases.factories import receive
from tests.evidence.factories import preserve, receipt_of

pytestmark = pytest.mark.django_db(transaction=True)

SAFETY = 300  # seconds: only so a broken uploader fails the test instead of hanging it


class Uploader(threading.Thread):
    """Preserves files one after another until told to stop; counts completed uploads."""

    def __init__(self, user):
        super().__init__(daemon=True)
        self.user = user
        self.done = 0
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                preserve(self.user, f"concurrent upload {self.done}".encode(), "图.txt")
                with self.changed:
                    self.done += 1
                    self.changed.notify_all()
        except BaseException as error:  # reported by the test
            self.error = error
            with self.changed:
                self.changed.notify_all()
        finally:
            connection.close()

    def wait_for_one_more(self):
        with self.changed:
            target = self.done + 1
            assert self.changed.wait_for(
                lambda: self.done >= target or self.error is not None, timeout=SAFETY
            )
        assert self.error is None, self.error


def _fresh_database_url(tmp_path) -> tuple[str | None, str | None]:
    """A database for the restored installation: SQLite in its data dir, or a new PG one."""
    if connection.vendor == "sqlite":
        return None, None
    name = f"ipshield_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    return f"postgres://{auth}@{params['HOST']}:{params['PORT']}/{name}", name


def _drop_database(name: str | None) -> None:
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ipshield(env, *args):
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "ipshield.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=SAFETY,
    )


def test_backup_under_concurrent_uploads_restores_every_receipt(world, data_dir, tmp_path):
    case = receive(world)  # case-record entries, anchored in the same ledger
    early = [preserve(world.holder_user, b"before %d" % n) for n in range(3)]
    early.append(preserve(world.officer, b"on the case", case=case))
    uploader = Uploader(world.holder_user)
    uploader.start()
    uploader.wait_for_one_more()

    def step(name):
        if name in ("database", "ledger"):
            uploader.wait_for_one_more()  # an upload completes between the backup's steps

    dest = tmp_path / "backup"
    messages: list[str] = []
    try:
        result = backups.backup(dest, say=messages.append, step=step)
    finally:
        uploader.stop.set()
        uploader.join(SAFETY)
    assert uploader.error is None
    items = list(EvidenceItem.objects.order_by("pk"))
    receipts = {item.pk: receipt_of(item) for item in items}

    manifest = json.loads((dest / "manifest.json").read_text())
    # The snapshot was taken while uploads went on: some rows are not in it...
    assert len(early) < result.evidence_rows < len(items)
    assert manifest["database"]["evidence_rows"] == result.evidence_rows
    assert manifest["database"]["case_record_anchors"] == result.anchors > 0
    # ...and the ledger, copied after it, is ahead of it: never behind.
    assert result.tree_size > manifest["database"]["leaves_needed"]
    assert result.skipped_leftovers >= 1  # a file stored after the snapshot is not copied
    assert len(messages) >= 5
    backups.verify(dest)

    url, database = _fresh_database_url(tmp_path)
    target = tmp_path / "restored"
    env = {**os.environ, "IPSHIELD_DATA_DIR": str(target), "IPSHIELD_ENV": "test"}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    try:
        restored = _ipshield(env, "restore", str(dest))
        assert restored.returncode == 0, restored.stderr + restored.stdout
        assert f"核验了 {result.evidence_rows} 份回执" in restored.stdout
        audit = _ipshield(env, "ledger", "audit")
        assert audit.returncode == 0, audit.stderr + audit.stdout
        assert f"{result.evidence_rows} 条存证记录" in audit.stdout

        again = _ipshield(env, "restore", str(dest))  # the target now holds data
        assert again.returncode == 1 and "--force" in again.stderr
        forced = _ipshield(env, "restore", "--force", str(dest))
        assert forced.returncode == 0, forced.stderr + forced.stdout
        (aside,) = target.glob("replaced-*")  # what was there is moved, never deleted
        assert (aside / "ledger" / "evidence" / "ledger.json").exists()
    finally:
        _drop_database(database)

    # Every receipt issued for a row in the backup verifies against the restored installation.
    public_key = (target / "keys" / PUBLIC_KEY_FILE).read_bytes()
    log = Log(target / "ledger" / "evidence", create=False)
    try:
        assert log.size == result.tree_size
        for item in items[: result.evidence_rows]:  # one uploader: rows commit in pk order
            with (target / "uploads" / item.file.name).open("rb") as stream:
                sha256 = sha256_of_stream(stream)
            checked = verify_receipt(
                parse_receipt(receipts[item.pk]), sha256=sha256, public_key=public_key, log=log
            )
            assert checked.ok, checked.verdict
        for item in items[result.evidence_rows :]:
            assert not (target / "uploads" / item.file.name).exists()
    finally:
        log.close()


def test_backup_refuses_a_destination_that_holds_files(world, data_dir, tmp_path):
    dest = tmp_path / "occupied"
    dest.mkdir()
    (dest / "something").write_text("x")
    with pytest.raises(CommandError, match="不为空"):
        call_command("backup", str(dest))


def test_a_damaged_backup_is_refused_before_anything_is_restored(world, data_dir, tmp_path):
    preserve(world.holder_user, b"one")
    dest = tmp_path / "backup"
    call_command("backup", str(dest), stdout=open(os.devnull, "w"))  # noqa: SIM115
    entries = dest / "ledger" / "evidence" / "entries.dat"
    entries.write_bytes(entries.read_bytes().replace(b'"size":3', b'"size":4'))
    with pytest.raises(backups.BackupError, match=r"entries\.dat"):
        backups.verify(dest)
    (dest / "manifest.json").unlink()
    with pytest.raises(CommandError, match=r"manifest\.json"):
        call_command("restore", str(dest))


def test_backup_and_restore_are_documented():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    operations = (root / "docs" / "operations.md").read_text(encoding="utf-8")
    for command in ("ipshield backup", "ipshield restore", "ipshield ledger audit --repair"):
        assert command in readme and command in operations, command
