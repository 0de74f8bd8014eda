"""Who sees which preserved evidence, receipts, and the public lookup by hash.

- Everyone sees the evidence they preserved themselves.
- Staff see the evidence of the cases their unit may see (owned, or shared to it).
- Staff see their unit's attachments outside cases (progress reports, minutes …), and what
  the apps that attach files register with :func:`register_scope` (supervision: the plan's
  office sees the attachments of the reports it reviews).
- Auditors, leading-group members and administrators see all evidence.
- The public verify page learns only *that* and *when* a hash was preserved, never by whom.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.cases.models import Case, Source
from ipshield.cases.selectors import case_list
from ipshield.cases.workflow import FINAL
from ipshield.common.errors import InvalidInput
from ipshield.engines.ledger import LogError, SignedTreeHead
from ipshield.evidence import errors, ledger
from ipshield.evidence.models import EvidenceItem
from ipshield.evidence.receipts import (
    Receipt,
    Text,
    Verification,
    build_receipt,
    parse_receipt,
    verify_receipt,
)

# (actor, profile) -> a condition on EvidenceItem adding what the actor may see, or None
_SCOPES: list[Callable[[Any, Any], Q | None]] = []


def register_scope(scope: Callable[[Any, Any], Q | None]) -> None:
    """Let an app that attaches evidence outside cases widen who sees it (from ``ready``)."""
    if scope not in _SCOPES:
        _SCOPES.append(scope)


def evidence_list(*, actor: Any) -> QuerySet[EvidenceItem]:
    """The evidence ``actor`` may see, newest first."""
    items = EvidenceItem.objects.select_related("case", "unit", "owner__profile")
    if not getattr(actor, "is_authenticated", False):
        return items.none()
    if sees_all_units(actor):
        return items
    visible = Q(owner=actor)
    profile = profile_of(actor)
    if profile is not None and profile.is_staff_member:
        visible |= Q(case_id__in=case_list(actor=actor).order_by().values("pk"))
        visible |= Q(case__isnull=True, unit_id=profile.unit_id)
        for scope in _SCOPES:
            extra = scope(actor, profile)
            if extra is not None:
                visible |= extra
    return items.filter(visible)


def evidence_get(*, actor: Any, item_id: int) -> EvidenceItem | None:
    return evidence_list(actor=actor).filter(pk=item_id).first()


def evidence_for_case(*, actor: Any, case: Case) -> QuerySet[EvidenceItem]:
    return evidence_list(actor=actor).filter(case=case).order_by("leaf_index")


def can_preserve_on_case(*, actor: Any, case: Case) -> bool:
    """Whether the case page offers the upload: staff of the handling unit who may write."""
    profile = profile_of(actor)
    if profile is None or profile.read_only or case.status in FINAL:
        return False
    return profile.is_staff_member and profile.unit_id == case.unit_id


def complaints_for_evidence(user: Any) -> QuerySet[Case]:
    """The open complaints ``user`` submitted, to which they may add evidence."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return (
        Case.objects.filter(submitted_by=user, source=Source.COMPLAINT)
        .exclude(status__in=FINAL)
        .order_by("-received_at", "-id")
    )


def evidence_by_sha256(sha256: str) -> QuerySet[EvidenceItem]:
    """Public lookup: the preservations of a file by its SHA-256, earliest first."""
    return EvidenceItem.objects.filter(sha256=sha256.strip().lower()).order_by("leaf_index")


# -- Receipts ---------------------------------------------------------------------------------


def verify_url(sha256: str) -> str:
    return f"{settings.IPSHIELD_BASE_URL}{reverse('verify:page')}?sha256={sha256}"


def public_key_url() -> str:
    return f"{settings.IPSHIELD_BASE_URL}{reverse('verify:public-key')}"


def item_head(item: EvidenceItem) -> SignedTreeHead:
    """The signed tree head issued right after ``item`` was appended (kept in its row)."""
    log = ledger.evidence_log()
    return SignedTreeHead(
        origin=log.origin,
        algorithm=log.algorithm,
        tree_size=item.tree_size,
        root=bytes.fromhex(item.head_root),
        timestamp=item.head_timestamp,
        signature=bytes.fromhex(item.head_signature),
    )


def evidence_receipt(item: EvidenceItem) -> dict[str, Any]:
    """The receipt of ``item`` (JSON object, version 1): the same every time it is asked for.

    Raises ``ValueError`` if the ledger no longer holds the item's tree (see the audit).
    """
    log = ledger.evidence_log()
    head = item_head(item)
    proof = log.prove_inclusion(item.leaf_index, item.tree_size)
    return build_receipt(
        leaf=json.loads(item.leaf),
        leaf_index=item.leaf_index,
        head=head,
        proof=proof,
        fingerprint=ledger.key_fingerprint(log.public_key),
        verify_url=verify_url(item.sha256),
    )


@dataclass(frozen=True)
class Lookup:
    """What the platform's records say about a SHA-256 (no personal data: public)."""

    sha256: str
    count: int  # how many times this file was preserved
    first: EvidenceItem | None
    verification: Verification | None  # the earliest preservation, checked against the ledger
    ledger_problem: Text | None = None  # the row exists but the ledger cannot prove it


def lookup_by_sha256(sha256: str) -> Lookup:
    """Find a file's preservations by hash and check the earliest one's proof and signature."""
    items = evidence_by_sha256(sha256)
    first = items.first()
    if first is None:
        return Lookup(sha256, 0, None, None)
    log = ledger.evidence_log()
    try:
        receipt: Receipt = parse_receipt(evidence_receipt(first))
    except (ValueError, LogError):
        problem = Text(
            f"平台记录中有该文件（账本第 {first.leaf_index} 条），但账本中已找不到它的证明："
            "账本可能被改动或损坏，请联系平台管理员运行 ipshield ledger audit。",
            f"The platform's records hold this file (ledger entry {first.leaf_index}), but the "
            "ledger can no longer prove it: the ledger may have been altered or damaged; ask "
            "the platform's administrator to run ipshield ledger audit.",
        )
        return Lookup(sha256, items.count(), first, None, problem)
    verification = verify_receipt(receipt, sha256=sha256, public_key=log.public_key, log=log)
    return Lookup(sha256, items.count(), first, verification)


# -- Public verification (the /verify/ page and POST /api/v1/verify) ---------------------------

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def clean_sha256(value: str, *, field: str = "sha256") -> str:
    """A SHA-256 as 64 lowercase hex digits (spaces and colons dropped), else InvalidInput."""
    cleaned = re.sub(r"[\s:]", "", value or "").lower()
    if cleaned.startswith("sha256"):
        cleaned = cleaned[6:].lstrip("=-")
    if not _SHA256.match(cleaned):
        raise InvalidInput(
            _("SHA-256 应为 64 位十六进制数字（0-9、a-f）。"),
            field=field,
            code=errors.HASH_INVALID,
        )
    return cleaned


@dataclass(frozen=True)
class PublicVerification:
    """The answer of the public verify page / API for one file hash and an optional receipt."""

    sha256: str
    lookup: Lookup
    verification: Verification | None  # against the receipt given, if any

    @property
    def checked(self) -> Verification | None:
        return self.verification or self.lookup.verification

    @property
    def preserved(self) -> bool:
        return self.lookup.count > 0 or (self.verification is not None and self.verification.ok)

    @property
    def ok(self) -> bool:
        checked = self.checked
        return checked is not None and checked.ok

    @property
    def verdict(self) -> Text:
        if self.checked is not None:
            return self.checked.verdict
        if self.lookup.ledger_problem is not None:
            problem = self.lookup.ledger_problem
            return Text(f"未通过：{problem.zh}", f"NOT VERIFIED: {problem.en}")
        return Text(
            "未找到：本平台没有该文件的存证记录。如果您有存证回执，请一并上传回执核验。",
            "NOT FOUND: the platform holds no preservation of this file. If you have a "
            "receipt, upload it too.",
        )


def verify_public(
    *, sha256: str, receipt: str | bytes | dict[str, Any] | None
) -> PublicVerification:
    """Check a file's SHA-256, with its receipt if given, against the platform's ledger and key.

    Raises InvalidInput (field ``sha256``) or ReceiptError (field ``receipt``) for bad input.
    """
    sha256 = clean_sha256(sha256)
    parsed = parse_receipt(receipt) if receipt not in (None, "", b"") else None
    lookup = lookup_by_sha256(sha256)
    verification = None
    if parsed is not None:
        log = ledger.evidence_log()
        verification = verify_receipt(parsed, sha256=sha256, public_key=log.public_key, log=log)
    return PublicVerification(sha256, lookup, verification)
