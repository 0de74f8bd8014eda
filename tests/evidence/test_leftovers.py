"""A writer killed mid-upload (``kill -9``) leaves a stored file without a row: the audit lists
it and ``ledger audit --repair`` moves it to quarantine. The writer is a real process that
pauses at a chosen point and says so on a pipe; the test waits for that line, never a clock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from ipshield.evidence.models import EvidenceItem
from tests.evidence.factories import preserve

pytestmark = pytest.mark.django_db(transaction=True)

WRITER = textwrap.dedent(
    """
    import os, sys
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from ipshield.evidence import ledger, services

    mode = sys.argv[1]
    real = ledger.append_and_sign

    def paused(leaf):
        if mode == "after_leaf":
            real(leaf)
        print("paused", flush=True)  # the test kills us once it reads this line
        sys.stdin.read()  # never returns: nobody writes

    ledger.append_and_sign = paused
    user = get_user_model().objects.get(username="holder")
    upload = SimpleUploadedFile("报告.html", b"<html><script>1</script>", content_type="image/png")
    services.evidence_preserve(actor=user, upload=upload)
    """
)


def _database_url() -> str:
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    return f"postgres://{auth}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


def _kill_a_writer_mid_upload(data_dir, tmp_path, mode: str) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {
        **os.environ,
        "IPSHIELD_DATA_DIR": str(data_dir),
        "IPSHIELD_ENV": "test",
        "DATABASE_URL": _database_url(),
        "IPSHIELD_BASE_URL": "https://ipshield.example.gov.cn",
    }
    writer = subprocess.Popen(  # noqa: S603 (the writer script above)
        [sys.executable, str(script), mode],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = writer.stdout.readline()  # blocks until the writer is mid-upload (or dies)
        assert line.strip() == "paused", writer.stderr.read()
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait()
        writer.stdin.close()
        writer.stdout.close()
        writer.stderr.close()
    assert writer.returncode == -signal.SIGKILL


def _audit(*args: str) -> str:
    out = StringIO()
    call_command("ledger", "audit", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("mode", ["before_leaf", "after_leaf"])
def test_a_file_left_by_a_killed_writer_is_reported_and_quarantined(
    world, data_dir, tmp_path, mode
):
    kept = preserve(world.holder_user, b"kept")
    _kill_a_writer_mid_upload(data_dir, tmp_path, mode)
    assert EvidenceItem.objects.count() == 1
    stored = sorted(p for p in (data_dir / "uploads" / "evidence").rglob("*") if p.is_file())
    assert len(stored) == 2
    leftover = next(p for p in stored if p.name != os.path.basename(kept.file.name))
    assert leftover.suffix == ".bin"  # detected as HTML: never stored as .html (nor .png)

    out = _audit()
    assert "1 stored files have no evidence row" in out and "OK:" in out
    assert leftover.relative_to(data_dir / "uploads").as_posix() in out
    if mode == "after_leaf":
        assert "1 leaves have no evidence row" in out

    out = _audit("--repair")
    assert "moved 1 stored files without an evidence row" in out
    assert not leftover.exists()
    quarantined = list((data_dir / "quarantine").rglob(leftover.name))
    assert len(quarantined) == 1 and quarantined[0].read_bytes() == b"<html><script>1</script>"
    assert (data_dir / "uploads" / kept.file.name).exists()
    assert "stored files" not in _audit()
