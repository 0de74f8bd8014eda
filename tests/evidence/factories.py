"""Helpers for evidence tests: small uploads, preserved items, receipts on disk."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.evidence import selectors, services

CONTENT = "2026 年 1 月 5 日东关超市进货单：保德红枣 20 箱".encode()


def upload(content: bytes = CONTENT, name: str = "进货单.txt", content_type: str = "text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def preserve(
    actor, content: bytes = CONTENT, name: str = "进货单.txt", case=None, content_type="text/plain"
):
    return services.evidence_preserve(
        actor=actor, upload=upload(content, name, content_type), case=case
    )


def receipt_of(item) -> dict[str, Any]:
    return selectors.evidence_receipt(item)


def write_receipt(directory: Path, receipt: dict[str, Any], name: str = "receipt.json") -> Path:
    path = directory / name
    path.write_text(json.dumps(receipt, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def doctored(receipt: dict[str, Any], how: str, *, other: dict[str, Any] | None = None) -> dict:
    """A copy of ``receipt`` altered the way a forger might."""
    bad = copy.deepcopy(receipt)
    if how == "proof_byte":
        node = bytearray.fromhex(bad["inclusion_proof"][0])
        node[0] ^= 0x01
        bad["inclusion_proof"][0] = node.hex()
    elif how == "leaf_time":
        bad["leaf"]["time"] = "2025-12-31T23:59:59.000+08:00"  # back-dated
    elif how == "leaf_time_and_hash":
        from ipshield.engines.ledger import leaf_hash
        from ipshield.evidence.receipts import canonical_json

        bad["leaf"]["time"] = "2025-12-31T23:59:59.000+08:00"
        bad["leaf_hash"] = leaf_hash(canonical_json(bad["leaf"])).hex()
    elif how == "signature":
        assert other is not None
        bad["signed_tree_head"]["signature"] = other["signed_tree_head"]["signature"]
    elif how == "index":
        bad["leaf_index"] = bad["tree_size"]
    else:
        raise ValueError(how)
    return bad
