"""Hashing each document version into the evidence ledger, after its transaction commits
(the pattern of ``cases.anchoring``): the ledger holds no version that was rolled back, and a
version whose anchoring failed is anchored by the next call or the daily task."""

from __future__ import annotations

import json
import logging

from django.db import transaction
from django.utils import timezone

from ipshield.documents.models import CaseDocument

logger = logging.getLogger(__name__)
LEAF_TYPE = "document.version"


def document_leaf(document: CaseDocument) -> bytes:
    """The canonical leaf of a version: which document of which case, and the file's hash."""
    payload = {
        "type": LEAF_TYPE,
        "case_id": document.case_id,
        "document_id": document.pk,
        "kind": document.kind,
        "version": document.version,
        "format": document.format,
        "source": document.source,
        "sha256": document.sha256,
        "size": document.size,
        "at": document.created_at.isoformat(),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


def schedule(document: CaseDocument) -> None:
    since = document.pk
    transaction.on_commit(lambda: anchor_pending(since_id=since))


def anchor_pending(*, since_id: int = 0) -> int:
    """Append every version from ``since_id`` on that has no leaf yet; returns how many.
    Failures are logged, not raised: the version stays and is anchored later."""
    from ipshield.evidence.ledger import append_and_sign

    done = 0
    pending = CaseDocument.objects.filter(pk__gte=since_id, leaf_index__isnull=True)
    for document in pending.order_by("pk")[:1000]:
        try:
            index, _head = append_and_sign(document_leaf(document))
        except Exception:
            logger.exception("Could not anchor document version %s", document.pk)
            return done
        # Another process may have anchored it meanwhile: the first index stays.
        updated = CaseDocument.objects.filter(pk=document.pk, leaf_index__isnull=True).update(
            leaf_index=index, anchored_at=timezone.now()
        )
        done += updated
    return done


def check(document: CaseDocument) -> bool | None:
    """Whether the version's leaf matches the row (None while it is not anchored yet)."""
    from ipshield.evidence.ledger import evidence_log

    if document.leaf_index is None:
        return None
    log = evidence_log()
    return document.leaf_index < log.size and log.leaf(document.leaf_index) == document_leaf(
        document
    )
