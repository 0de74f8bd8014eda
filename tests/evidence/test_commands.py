"""``ipshield ledger audit``: clean after uploads; a changed byte or a changed row is reported."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.db import connection

from ipshield.evidence import ledger
from ipshield.evidence.models import EvidenceItem
from tests.evidence.factories import preserve


def _audit(*args: str) -> str:
    out = StringIO()
    call_command("ledger", "audit", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["evidence", "ledger"])
def test_commands_exist_and_have_help(name):
    command = load_command_class(get_commands()[name], name)
    assert len(command.help) > 40


def test_audit_before_anything_was_preserved(db):
    assert "尚未创建" in _audit()


def test_audit_is_clean_after_uploads(world):
    for n in range(5):
        preserve(world.holder_user, b"file %d" % n)
    out = _audit()
    assert "OK: consistent" in out
    assert "通过：账本 5 条，核验了 5 个签名树头，5 条存证记录、0 条执法记录与账本一致" in out


def test_audit_reports_a_changed_byte_of_the_entries(world, data_dir):
    preserve(world.holder_user, b"first")
    preserve(world.holder_user, b"second")
    ledger.close_all()
    entries = data_dir / "ledger" / "evidence" / "entries.dat"
    data = bytearray(entries.read_bytes())
    position = data.index(b'"size":') + 7  # the first leaf's size: 5 becomes 6
    data[position] += 1
    entries.write_bytes(bytes(data))
    with pytest.raises(CommandError) as failed:
        _audit()
    assert "leaf 0" in str(failed.value) and "altered" in str(failed.value)
    assert "不一致" in str(failed.value)


def test_audit_reports_a_changed_database_row(world):
    item = preserve(world.holder_user, b"first")
    with connection.cursor() as cursor:  # the ORM refuses to update evidence rows
        cursor.execute(
            "UPDATE evidence_evidenceitem SET sha256 = %s WHERE id = %s", ["0" * 64, item.pk]
        )
    with pytest.raises(CommandError, match=r"evidence row .* differs from leaf 0"):
        _audit()
    assert "OK: consistent" in _audit("--no-db")


def test_audit_lists_a_leaf_without_a_row_as_harmless(world):
    preserve(world.holder_user, b"first")
    ledger.append_and_sign(b'{"type":"evidence.file","sha256":"' + b"a" * 64 + b'"}')
    out = _audit()
    assert "1 leaves have no evidence row" in out and "OK:" in out


def test_evidence_rows_are_append_only(world):
    item = preserve(world.holder_user)
    with pytest.raises(RuntimeError):
        item.save()
    with pytest.raises(RuntimeError):
        EvidenceItem.objects.filter(pk=item.pk).delete()


def _move_ledger_away(data_dir, tmp_path):
    ledger.close_all()
    saved = tmp_path / "saved-ledger"
    (data_dir / "ledger" / "evidence").rename(saved)
    return saved


def test_audit_fails_when_the_ledger_is_missing_but_rows_exist(world, data_dir, tmp_path):
    preserve(world.holder_user, b"first")
    _move_ledger_away(data_dir, tmp_path)
    with pytest.raises(CommandError) as failed:
        _audit()
    message = str(failed.value)
    assert (
        "is missing" in message and "1 evidence rows" in message and "ipshield restore" in message
    )


def test_audit_fails_when_the_ledger_is_behind_the_database(world, data_dir, tmp_path):
    preserve(world.holder_user, b"first")
    ledger.close_all()
    old = tmp_path / "old-ledger"
    import shutil

    shutil.copytree(data_dir / "ledger" / "evidence", old)  # a backup taken too early
    preserve(world.holder_user, b"second")
    ledger.close_all()
    shutil.rmtree(data_dir / "ledger" / "evidence")
    shutil.copytree(old, data_dir / "ledger" / "evidence")
    with pytest.raises(CommandError, match=r"behind the database: it holds 1 leaves .* need 2"):
        _audit()


def test_no_second_ledger_is_started_while_rows_point_at_the_first(world, data_dir, tmp_path):
    preserve(world.holder_user, b"first")
    _move_ledger_away(data_dir, tmp_path)
    with pytest.raises(ledger.LedgerMissing) as refused:
        preserve(world.holder_user, b"second")
    assert refused.value.code == "ledger_missing"
    assert not (data_dir / "ledger" / "evidence" / "ledger.json").exists()
    assert EvidenceItem.objects.count() == 1
    assert not any(p.is_file() for p in (data_dir / "uploads").rglob("*") if "second" in p.name)


def test_no_new_signing_key_is_made_while_rows_point_at_the_ledger(world, data_dir):
    preserve(world.holder_user, b"first")
    ledger.close_all()
    (data_dir / "keys" / "ledger-signing-key.pem").unlink()
    with pytest.raises(ledger.LedgerMissing):
        preserve(world.holder_user, b"second")
    assert not (data_dir / "keys" / "ledger-signing-key.pem").exists()


def test_audit_fails_when_a_stored_file_is_missing(world, data_dir):
    item = preserve(world.holder_user, b"first")
    (data_dir / "uploads" / item.file.name).unlink()
    with pytest.raises(CommandError, match=r"file .* of evidence row .* is missing"):
        _audit()
