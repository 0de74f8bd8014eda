"""Verifying: offline with only the file, the receipt and the public key; on the public page;
through the API. A changed file or a doctored receipt is refused with the reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from ipshield.evidence import ledger
from tests.evidence.factories import CONTENT, doctored, preserve, receipt_of, write_receipt

ROOT = Path(__file__).resolve().parents[2]

# How each forgery must be explained: the failing check and words of its reason (zh, en).
FORGERIES = {
    "proof_byte": ("inclusion", "包含证明不能从存证内容推导出", "does not lead from the leaf"),
    "leaf_time": ("inclusion", "存证内容（leaf", "leaf (file hashes, name"),
    "leaf_time_and_hash": ("inclusion", "包含证明不能从存证内容推导出", "does not lead"),
    "signature": ("signature", "签名树头的签名无效", "signature is invalid"),
    "index": ("position", "超出了树的大小", "is beyond its tree size"),
}


@pytest.fixture
def preserved(world, tmp_path):
    """Three preserved files (so proofs are not empty); the middle one with its receipt."""
    preserve(world.holder_user, b"first")
    item = preserve(world.holder_user)
    other = preserve(world.holder_user, b"third")
    file_path = tmp_path / "进货单.txt"
    file_path.write_bytes(CONTENT)
    receipt = receipt_of(item)
    assert receipt["inclusion_proof"]
    return {
        "item": item,
        "file": file_path,
        "receipt": receipt,
        "receipt_path": write_receipt(tmp_path, receipt),
        "other_receipt": receipt_of(other),
    }


def _cli(*args: object) -> str:
    from io import StringIO

    out = StringIO()
    call_command("evidence", "verify", *map(str, args), stdout=out)
    return out.getvalue()


# -- Offline, on the command line ----------------------------------------------------------------


def test_receipt_verifies_offline_with_the_public_key(preserved, public_key_file):
    out = _cli(preserved["file"], preserved["receipt_path"], "--public-key", public_key_file)
    when = timezone.localtime(preserved["item"].created_at).strftime("%Y-%m-%d %H:%M:%S")
    assert out.startswith("通过：")
    assert "VERIFIED" in out and f"entry {preserved['item'].leaf_index}" in out
    assert when in out and len(out.strip().splitlines()) == 1


def test_offline_check_needs_no_database_and_no_key_dir(preserved, public_key_file, tmp_path):
    """A separate process, its data directory empty: only the three files are used."""
    empty = tmp_path / "empty-data-dir"
    empty.mkdir()
    env = {
        **os.environ,
        "IPSHIELD_DATA_DIR": str(empty),
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/none",  # unreachable on purpose
        "PYTHONPATH": str(ROOT / "src"),
    }
    command = [sys.executable, "-m", "ipshield.cli", "evidence", "verify"]
    ok = subprocess.run(  # noqa: S603 - our own command, arguments from the test
        [*command, preserved["file"], preserved["receipt_path"], "--public-key", public_key_file],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "通过" in ok.stdout and "VERIFIED" in ok.stdout
    changed = tmp_path / "changed.txt"
    changed.write_bytes(CONTENT + b" ")
    bad = subprocess.run(  # noqa: S603
        [*command, changed, preserved["receipt_path"], "--public-key", public_key_file],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    assert "未通过" in bad.stderr and "differs from the receipt's" in bad.stderr
    # Nothing of an installation was created: no ledger, no key pair, no database.
    assert not (empty / "ledger").exists() and not (empty / "keys").exists()
    assert not list(empty.glob("*.sqlite3"))


def test_a_changed_file_fails_offline(preserved, public_key_file, tmp_path):
    changed = tmp_path / "changed.txt"
    changed.write_bytes(CONTENT.replace(b"20", b"30"))
    with pytest.raises(CommandError) as failed:
        _cli(changed, preserved["receipt_path"], "--public-key", public_key_file)
    message = str(failed.value)
    assert message.startswith("未通过：文件的 SHA-256")
    assert "differs from the receipt's" in message


@pytest.mark.parametrize("how", list(FORGERIES))
def test_a_doctored_receipt_fails_offline_with_the_reason(
    preserved, public_key_file, tmp_path, how
):
    _check, zh, en = FORGERIES[how]
    bad = doctored(preserved["receipt"], how, other=preserved["other_receipt"])
    with pytest.raises(CommandError) as failed:
        _cli(
            preserved["file"],
            write_receipt(tmp_path, bad, "bad.json"),
            "--public-key",
            public_key_file,
        )
    assert zh in str(failed.value) and en in str(failed.value)


def test_another_key_is_refused_offline(preserved, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(CommandError) as failed:
        _cli(preserved["file"], preserved["receipt_path"], "--public-key", stranger)
    assert "签名树头的签名无效" in str(failed.value)
    assert "the receipt names the key" in str(failed.value)  # fingerprints differ


def test_offline_input_errors_are_named(preserved, public_key_file, tmp_path):
    not_json = tmp_path / "receipt.pdf"
    not_json.write_bytes(b"%PDF-1.4 not a receipt")
    with pytest.raises(CommandError, match=r"不是有效的 JSON.*not valid JSON"):
        _cli(preserved["file"], not_json, "--public-key", public_key_file)
    no_field = write_receipt(
        tmp_path, {k: v for k, v in preserved["receipt"].items() if k != "inclusion_proof"}
    )
    with pytest.raises(CommandError, match="inclusion_proof"):
        _cli(preserved["file"], no_field, "--public-key", public_key_file)
    with pytest.raises(CommandError, match="no such file"):
        _cli(tmp_path / "missing.txt", preserved["receipt_path"], "--public-key", public_key_file)


def test_on_the_server_the_key_dir_supplies_the_key(preserved):
    assert "VERIFIED" in _cli(preserved["file"], preserved["receipt_path"])


# -- The public verify page ----------------------------------------------------------------------


def _page(client: Client, **data) -> str:
    response = client.post("/verify/", data)
    return response.content.decode()


def _upload(content: bytes = CONTENT, name: str = "进货单.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _receipt_upload(receipt: dict) -> SimpleUploadedFile:
    return SimpleUploadedFile("receipt.json", json.dumps(receipt).encode(), "application/json")


def test_page_verifies_file_and_receipt_without_sign_in(preserved):
    client = Client()
    html = _page(client, file=_upload(), receipt=_receipt_upload(preserved["receipt"]))
    assert 'data-ok="true"' in html and "已存证，核验通过" in html
    for check in ("file_hash", "position", "head", "signature", "inclusion", "ledger"):
        assert f'class="ok" data-check="{check}"' in html
    assert "进货单.txt" in html  # with the receipt in hand, the leaf's details are shown


def test_page_finds_a_file_by_hash_alone_and_says_when(preserved):
    item = preserved["item"]
    when = timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M:%S")
    for response in (
        Client().post("/verify/", {"sha256": item.sha256.upper()}),
        Client().get(f"/verify/?sha256={item.sha256}"),  # the certificate's QR code
    ):
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-ok="true"' in html and when in html
        assert f"第 {item.leaf_index} 条" in html
        assert "测试holder" not in html  # who preserved it is not public


def test_page_says_when_nothing_was_preserved(db):
    html = _page(Client(), sha256="ab" * 32)
    assert "未找到存证记录" in html and 'data-ok="false"' in html


def test_page_explains_a_changed_file(preserved):
    html = _page(
        Client(), file=_upload(CONTENT + b"!"), receipt=_receipt_upload(preserved["receipt"])
    )
    assert 'data-ok="false"' in html and "核验未通过" in html
    assert 'class="bad" data-check="file_hash"' in html
    assert "文件在存证后被改动过" in html


@pytest.mark.parametrize("how", list(FORGERIES))
def test_page_explains_a_doctored_receipt(preserved, how):
    check, zh, _en = FORGERIES[how]
    bad = doctored(preserved["receipt"], how, other=preserved["other_receipt"])
    html = _page(Client(), file=_upload(), receipt=_receipt_upload(bad))
    assert 'data-ok="false"' in html
    assert f'class="bad" data-check="{check}"' in html
    assert zh in html


def test_page_verifies_a_pasted_receipt_in_english(preserved):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/verify/"})
    bad = doctored(preserved["receipt"], "signature", other=preserved["other_receipt"])
    html = _page(client, sha256=preserved["item"].sha256, receipt_text=json.dumps(bad))
    assert "NOT VERIFIED: The signed tree head&#x27;s signature is invalid" in html


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({}, "file", "请上传要核验的文件"),
        ({"file": "empty"}, "file", "上传的文件是空的"),
        ({"sha256": "12345"}, "sha256", "64 位十六进制"),
        ({"sha256": "ab" * 32, "receipt": "not-json"}, "receipt", "不是有效的 JSON"),
        ({"sha256": "ab" * 32, "receipt_text": "{not json"}, "receipt_text", "不是有效的 JSON"),
        ({"sha256": "ab" * 32, "receipt_text": '{"version": 2}'}, "receipt_text", "版本"),
        ({"file": "content", "sha256": "ab" * 32}, "sha256", "只需提供其中之一"),
    ],
)
def test_page_names_the_bad_field(db, data, field, words):
    post = dict(data)
    if post.get("file") == "empty":
        post["file"] = SimpleUploadedFile("empty.txt", b"")
    elif post.get("file") == "content":
        post["file"] = _upload()
    if post.get("receipt") == "not-json":
        post["receipt"] = SimpleUploadedFile("receipt.json", b"%PDF-1.4")
    response = Client().post("/verify/", post)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'data-field="{field}"' in html and words in html
    assert 'data-testid="verdict"' not in html


def test_page_refuses_an_oversized_file_by_the_setting(db, settings):
    settings.IPSHIELD_EVIDENCE_MAX_MB = 0.001
    response = Client().post("/verify/", {"file": _upload(b"x" * 2000)})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="file"' in html and "文件太大" in html


def test_public_key_is_published_with_its_fingerprint(db):
    response = Client().get("/verify/public-key.pem")
    assert response.status_code == 200
    pem = response.content.decode()
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert pem == ledger.public_key_pem()
    fingerprint = ledger.key_fingerprint(pem)
    html = Client().get("/verify/").content.decode()
    assert fingerprint[:4] + " " + fingerprint[4:8] in html
    assert pem.strip().splitlines()[1] in html


# -- The API -------------------------------------------------------------------------------------


def _api(body: dict) -> tuple[int, dict]:
    response = Client().post("/api/v1/verify", body, content_type="application/json")
    return response.status_code, response.json()


def test_api_verifies_hash_and_receipt(preserved):
    item = preserved["item"]
    status, body = _api({"sha256": item.sha256, "receipt": preserved["receipt"]})
    assert status == 200 and body["verified"] and body["preserved"]
    assert body["leaf_index"] == item.leaf_index and body["times_preserved"] == 1
    assert {c["code"] for c in body["checks"]} >= {"file_hash", "signature", "inclusion"}
    status, body = _api({"sha256": item.sha256})  # the platform's records alone
    assert status == 200 and body["verified"]


def test_api_explains_a_doctored_receipt(preserved):
    bad = doctored(preserved["receipt"], "proof_byte")
    status, body = _api({"sha256": preserved["item"].sha256, "receipt": json.dumps(bad)})
    assert status == 200 and not body["verified"]
    failed = [c for c in body["checks"] if not c["ok"]]
    assert [c["code"] for c in failed] == ["inclusion"]
    assert body["verdict"].startswith("未通过：包含证明不能从存证内容推导出")


def test_api_names_bad_input(db):
    status, body = _api({"sha256": "xyz"})
    assert status == 400 and body["field"] == "sha256" and body["code"] == "sha256_invalid"
    status, body = _api({"sha256": "ab" * 32, "receipt": "not json"})
    assert status == 400 and body["field"] == "receipt" and body["code"] == "receipt_invalid"
    status, body = _api({"sha256": "ab" * 32, "receipt": {"version": 1}})
    assert status == 400 and "algorithm" in body["message"]
