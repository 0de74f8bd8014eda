"""Preserving evidence: stored, hashed, logged, and a row only ever after its leaf."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes
from django.db import IntegrityError
from django.utils import timezone

from ipshield.cases import services as case_services
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.engines.ledger import audit, verify_inclusion
from ipshield.evidence import ledger, services
from ipshield.evidence.models import EvidenceItem
from ipshield.evidence.receipts import canonical_json, parse_receipt, verify_receipt
from tests.accounts.factories import make_person
from tests.cases.factories import receive
from tests.evidence.factories import CONTENT, preserve, receipt_of, upload
from tests.registry.factories import RightsHolderFactory


def _sm3(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def test_standalone_evidence_is_stored_hashed_and_logged(world, data_dir):
    RightsHolderFactory(user=world.holder_user, name="保德县红枣有限公司", region=world.county)
    item = preserve(world.holder_user)

    assert item.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert item.sm3 == _sm3(CONTENT)
    assert item.size == len(CONTENT) and item.original_name == "进货单.txt"
    assert item.case is None and item.unit is None
    stored = data_dir / "uploads" / item.file.name
    assert stored.read_bytes() == CONTENT

    log = ledger.evidence_log()
    assert log.path == data_dir / "ledger" / "evidence"
    assert (data_dir / "keys" / "ledger-signing-key.pem").exists()
    assert log.leaf(item.leaf_index) == item.leaf.encode()
    leaf = json.loads(item.leaf)
    assert canonical_json(leaf) == item.leaf.encode()  # the stored form is the canonical one
    assert leaf == {
        "type": "evidence.file",
        "sha256": item.sha256,
        "sm3": item.sm3,
        "size": len(CONTENT),
        "name": "进货单.txt",
        "detected_type": "text/plain; charset=utf-8",
        "declared_type": "text/plain",
        "submitter": {"id": world.holder_user.pk, "name": "测试holder"},
        "rights_holder": "保德县红枣有限公司",
        "unit": None,
        "case": None,
        "time": timezone.localtime(item.created_at).isoformat(timespec="milliseconds"),
    }
    assert leaf["time"].endswith("+08:00")
    # The head signed right after the append is complete at once: it covers the new leaf.
    assert item.tree_size == 1
    assert audit(log.path, key_dir=data_dir / "keys").ok


def test_receipt_is_complete_and_rebuilt_identically(world):
    first = preserve(world.holder_user, b"one")
    second = preserve(world.holder_user, b"two")
    receipt = receipt_of(first)
    preserve(world.holder_user, b"three")  # the log grows; the receipt stays the same
    assert receipt_of(first) == receipt
    assert receipt["version"] == 1 and receipt["algorithm"] == "sha256"
    assert receipt["leaf_index"] == first.leaf_index and receipt["tree_size"] == 1
    assert receipt_of(second)["tree_size"] == 2
    assert receipt_of(second)["inclusion_proof"] == [
        hashlib.sha256(b"\x00" + first.leaf.encode()).hexdigest()
    ]
    log = ledger.evidence_log()
    assert verify_inclusion(
        second.leaf.encode(),
        second.leaf_index,
        2,
        [bytes.fromhex(h) for h in receipt_of(second)["inclusion_proof"]],
        bytes.fromhex(receipt_of(second)["root"]),
    )
    assert receipt["public_key_fingerprint"] == ledger.key_fingerprint(log.public_key_pem())
    assert receipt["verify_url"].endswith(f"/verify/?sha256={first.sha256}")
    assert verify_receipt(
        parse_receipt(json.dumps(receipt)), sha256=first.sha256, public_key=log.public_key, log=log
    ).ok


def test_officer_preserves_on_a_case_of_their_unit(world):
    case = receive(world)
    item = preserve(
        world.officer, b"photo", "现场照片.jpg", case=case, content_type="application/octet-stream"
    )
    assert item.case == case and item.unit == world.market and item.owner == world.officer
    leaf = json.loads(item.leaf)
    assert leaf["case"] == case.number
    assert leaf["unit"] == {"id": world.market.pk, "name": "保德县市场监督管理局"}
    # The type comes from the bytes, never from the name; the client's claim is labelled so.
    assert leaf["detected_type"] == "text/plain; charset=utf-8"
    assert leaf["declared_type"] == "application/octet-stream"
    assert item.file.name.endswith(".bin")


def test_complaint_submitter_preserves_on_their_complaint(world):
    complaint = receive(world)  # submitted by world.holder_user
    item = preserve(world.holder_user, case=complaint)
    assert item.case == complaint and item.unit == world.market


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("officer_other", NotFound),  # another region's unit does not see the case
        ("auditor", PermissionDenied),  # read-only roles change nothing
        ("public_user", NotFound),  # not the submitter, not staff
    ],
)
def test_others_cannot_preserve_on_a_case(world, data_dir, who, error):
    case = receive(world)
    with pytest.raises(error):
        preserve(getattr(world, who), case=case)
    assert EvidenceItem.objects.count() == 0
    assert not (data_dir / "ledger").exists()  # refused before anything was logged


def test_a_shared_unit_reads_but_does_not_preserve(world):
    from ipshield.accounts.services import record_share

    case = receive(world)
    record_share(actor=world.officer, target=case, unit=world.culture, reason="协助调查")
    with pytest.raises(PermissionDenied) as refused:
        preserve(world.officer_culture, case=case)
    assert refused.value.code == "not_case_owner"


def test_closed_cases_take_no_more_evidence(world):
    case = receive(world)
    case_services.case_reject(actor=world.officer, case=case, reason="不属于本单位管辖")
    with pytest.raises(Conflict) as refused:
        preserve(world.officer, case=case)
    assert refused.value.code == "case_closed"


def test_only_rights_holders_preserve_standalone(world):
    with pytest.raises(PermissionDenied) as refused:
        preserve(world.public_user)
    assert refused.value.code == "not_a_rights_holder"
    with pytest.raises(PermissionDenied):
        preserve(world.officer)  # staff preserve on cases
    company = make_person("public", username="company")
    RightsHolderFactory(user=company)  # registered as a rights holder without the role
    assert preserve(company).owner == company


def test_empty_and_oversized_files_name_the_field(world, settings, data_dir):
    with pytest.raises(InvalidInput) as empty:
        services.evidence_preserve(actor=world.holder_user, upload=upload(b""))
    assert (empty.value.field, empty.value.code) == ("file", "upload_empty")
    settings.IPSHIELD_EVIDENCE_MAX_MB = 0.001  # 1,048 bytes
    with pytest.raises(InvalidInput) as large:
        services.evidence_preserve(actor=world.holder_user, upload=upload(b"x" * 1049))
    assert (large.value.field, large.value.code) == ("file", "upload_too_large")
    assert "上限为 1.0\xa0KB" in str(large.value.message)
    assert preserve(world.holder_user, b"x" * 1048).size == 1048
    with pytest.raises(InvalidInput) as missing:
        services.evidence_preserve(actor=world.holder_user, upload=None)
    assert missing.value.field == "file"


def test_the_default_limit_is_100_mb(settings):
    del settings.IPSHIELD_EVIDENCE_MAX_MB
    assert services.max_bytes() == 100 * 1024 * 1024


def test_a_failed_row_leaves_a_harmless_leaf_and_no_file(world, data_dir, monkeypatch):
    preserve(world.holder_user, b"kept")

    def fail(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(EvidenceItem, "save", fail)
    with pytest.raises(IntegrityError):
        preserve(world.holder_user, b"lost")
    monkeypatch.undo()
    assert EvidenceItem.objects.count() == 1
    log = ledger.evidence_log()
    assert log.size == 2  # the leaf was appended before the row failed
    assert json.loads(log.leaf(1))["sha256"] == hashlib.sha256(b"lost").hexdigest()
    stored = [p for p in (data_dir / "uploads").rglob("*") if p.is_file()]
    assert len(stored) == 1  # the failed upload's file was removed


def test_open_logs_are_keyed_by_data_directory(world, settings, tmp_path):
    first = ledger.evidence_log()
    # A leaf, not an evidence row: a database with rows refuses a second, empty ledger.
    ledger.append_and_sign(b'{"type":"test"}')
    other = tmp_path / "other-data"
    settings.DATA_DIR = other
    second = ledger.evidence_log()
    assert second is not first and second.path == other / "ledger" / "evidence"
    assert second.size == 0 and first.size == 1
    assert second.public_key != first.public_key  # each data directory has its own key
