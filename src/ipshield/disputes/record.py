"""A dispute's record: every step, hash-chained per dispute and anchored in the evidence ledger.

:func:`append` is called inside a service's transaction; after the transaction commits the
pending entries (and signatures) are appended to the platform's evidence ledger as
``dispute.event`` / ``dispute.signature`` leaves and their leaf index stored, so the dispute
page can show each step's proof and :func:`check` can compare rows with leaves.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ipshield.disputes.models import Dispute, DisputeEvent, Signature

logger = logging.getLogger(__name__)
GENESIS = "0" * 64
EVENT_LEAF = "dispute.event"
SIGNATURE_LEAF = "dispute.signature"


def _digest(event: DisputeEvent) -> str:
    payload = {
        "dispute": event.dispute_id,
        "seq": event.seq,
        "verb": event.verb,
        "status": event.status,
        "actor": event.actor_id,
        "at": event.at.isoformat(),
        "params": event.params,
        "prev": event.prev_hash,
    }
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _name(actor: Any) -> str:
    if actor is None:
        return ""
    profile = getattr(actor, "profile", None)
    return (getattr(profile, "display_name", "") or actor.get_full_name() or actor.username)[:100]


def append(dispute: Dispute, verb: str, *, actor: Any, **params: Any) -> DisputeEvent:
    """Write one entry of ``dispute``'s record (inside the caller's transaction). ``params``
    must be JSON (codes, ids, dates as text); pages render them in the reader's language."""
    last = (
        DisputeEvent.objects.select_for_update()
        .filter(dispute=dispute)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event = DisputeEvent(
        dispute=dispute,
        seq=seq,
        verb=verb,
        status=dispute.status,
        actor=actor,
        actor_name=_name(actor),
        at=timezone.now().replace(microsecond=0),
        params=params,
        prev_hash=prev,
    )
    event.hash = _digest(event)
    event.save()
    transaction.on_commit(anchor_pending)
    return event


def event_leaf(event: DisputeEvent) -> bytes:
    payload = {
        "type": EVENT_LEAF,
        "dispute_id": event.dispute_id,
        "seq": event.seq,
        "verb": event.verb,
        "hash": event.hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


def signature_leaf(signature: Signature) -> bytes:
    """What a signature puts in the ledger: the agreement, the signer and the exact text's hash."""
    payload = {
        "type": SIGNATURE_LEAF,
        "agreement_id": signature.agreement_id,
        "version": signature.version,
        "party_id": signature.party_id,
        "signer_id": signature.signer_id,
        "sha256": signature.sha256,
        "at": signature.signed_at.isoformat(),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


def anchor_pending() -> int:
    """Append every entry and signature not yet in the ledger; returns how many. Failures are
    logged and retried by the next call (the daily task calls it too)."""
    from ipshield.evidence.ledger import evidence_log

    events = list(DisputeEvent.objects.filter(leaf_index__isnull=True).order_by("pk")[:5000])
    signatures = list(Signature.objects.filter(leaf_index__isnull=True).order_by("pk")[:5000])
    if not events and not signatures:
        return 0
    try:
        log = evidence_log()
        leaves = [event_leaf(e) for e in events] + [signature_leaf(s) for s in signatures]
        first = log.append_many(leaves)
        log.signed_tree_head()
    except Exception:
        logger.exception("Could not anchor %d dispute entries", len(events) + len(signatures))
        return 0
    indexes = list(first)
    for event, index in zip(events, indexes, strict=False):
        DisputeEvent.objects.filter(pk=event.pk, leaf_index__isnull=True).update(leaf_index=index)
    for signature, index in zip(signatures, indexes[len(events) :], strict=True):
        Signature.objects.filter(pk=signature.pk, leaf_index__isnull=True).update(leaf_index=index)
    return len(indexes)


@dataclass(frozen=True)
class Check:
    ok: bool
    anchored: int
    pending: int
    chain_ok: bool
    bad_seq: int | None = None


def check(dispute: Dispute) -> Check:
    """Recompute the chain and compare each anchored entry with its ledger leaf."""
    from ipshield.evidence.ledger import evidence_log

    events = list(DisputeEvent.objects.filter(dispute=dispute).order_by("seq"))
    prev, chain_ok, bad = GENESIS, True, None
    for event in events:
        if event.prev_hash != prev or _digest(event) != event.hash:
            chain_ok, bad = False, event.seq
            break
        prev = event.hash
    anchored = [e for e in events if e.leaf_index is not None]
    ok = chain_ok
    if ok and anchored:
        log = evidence_log()
        for event in anchored:
            index = event.leaf_index
            if index is None or index >= log.size or log.leaf(index) != event_leaf(event):
                ok, bad = False, event.seq
                break
    return Check(ok, len(anchored), len(events) - len(anchored), chain_ok, bad)


def signature_in_ledger(signature: Signature) -> bool | None:
    """Whether the signature's leaf is in the ledger as recorded (None: not anchored yet)."""
    from ipshield.evidence.ledger import evidence_log

    if signature.leaf_index is None:
        return None
    log = evidence_log()
    return signature.leaf_index < log.size and log.leaf(signature.leaf_index) == signature_leaf(
        signature
    )
