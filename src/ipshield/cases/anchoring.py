"""Anchoring the case record in the evidence ledger.

Every case-record entry is appended, after its transaction commits, to the platform's evidence
ledger (``evidence.ledger``) as a ``case.event`` leaf that carries the entry's hash. A later
edit of an entry's row changes what the leaf would be; a deleted row leaves a leaf without a
row. Both are found by ``ipshield ledger audit`` (:func:`audit_case_record`) and on the case
page (:func:`check_case`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ipshield.cases.models import Case, CaseEvent, CaseEventAnchor

logger = logging.getLogger(__name__)
LEAF_TYPE = "case.event"


def event_leaf(event: CaseEvent) -> bytes:
    """The canonical leaf of an entry: what it is, where it sits in its chain, and its hash
    (which covers everything else the entry says)."""
    payload = {
        "type": LEAF_TYPE,
        "case_id": event.case_id,
        "seq": event.seq,
        "verb": event.verb,
        "at": event.at.isoformat(),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


def schedule(event: CaseEvent) -> None:
    """Anchor ``event`` (and any other unanchored entry written since) once the transaction
    commits; never inside it, so the ledger holds no entry that was rolled back."""
    since = event.pk
    transaction.on_commit(lambda: anchor_pending(since_id=since))


def anchor_pending(*, since_id: int = 0) -> int:
    """Append every entry from ``since_id`` on that has no anchor yet; returns how many.

    Failures are logged, not raised: the entry is kept and anchored by the next call (the
    daily job calls this with ``since_id=0``)."""
    from ipshield.evidence.ledger import evidence_log

    events = list(
        CaseEvent.objects.filter(pk__gte=since_id, anchor__isnull=True).order_by("pk")[:10000]
    )
    if not events:
        return 0
    try:
        log = evidence_log()
        first = log.append_many([event_leaf(e) for e in events])
        # A signed head over the new size: history up to here can no longer be rewritten
        # without a consistency proof failing against it.
        log.signed_tree_head()
    except Exception:
        logger.exception("Could not anchor %d case-record entries", len(events))
        return 0
    done = 0
    for event, index in zip(events, first, strict=True):
        try:
            with transaction.atomic():
                CaseEventAnchor.objects.create(event=event, leaf_index=index)
            done += 1
        except IntegrityError:
            pass  # another process anchored it first; its extra leaf is harmless
    return done


@dataclass(frozen=True)
class AnchorCheck:
    ok: bool
    anchored: int
    pending: int
    problem: str = ""


def check_case(case: Case) -> AnchorCheck:
    """Compare each of the case's entries with its ledger leaf (for the case page)."""
    from ipshield.evidence.ledger import evidence_log

    events = list(CaseEvent.objects.filter(case=case).select_related("anchor").order_by("seq"))
    anchored = [e for e in events if hasattr(e, "anchor")]
    if not anchored:
        return AnchorCheck(ok=True, anchored=0, pending=len(events))
    log = evidence_log()
    for event in anchored:
        index = event.anchor.leaf_index
        if index >= log.size or log.leaf(index) != event_leaf(event):
            return AnchorCheck(
                ok=False,
                anchored=len(anchored),
                pending=len(events) - len(anchored),
                problem=_("第 %(seq)s 条记录与存证账本不一致（数据库中的记录被改动过）。")
                % {"seq": event.seq},
            )
    return AnchorCheck(ok=True, anchored=len(anchored), pending=len(events) - len(anchored))


def audit_case_record(leaves: Any) -> tuple[int, str]:
    """Walk ``(index, data)`` of the ledger's leaves against the anchored entries.

    Returns (entries checked, first problem or ""). A ``case.event`` leaf whose entry is gone
    means a deleted row; a leaf that differs from its entry means an edited row."""
    anchors = dict(
        CaseEventAnchor.objects.values_list("leaf_index", "event_id").iterator(chunk_size=5000)
    )
    checked = 0
    for index, data in leaves:
        if b'"type":"case.event"' not in data:
            continue
        event_id = anchors.pop(index, None)
        if event_id is None:
            leaf = json.loads(data)
            exists = CaseEvent.objects.filter(case_id=leaf["case_id"], seq=leaf["seq"]).exists()
            if not exists:
                return checked, (
                    f"案件 {leaf['case_id']} 的第 {leaf['seq']} 条执法记录已从数据库删除（账本第 "
                    f"{index} 条） / case {leaf['case_id']} record entry {leaf['seq']} was "
                    f"deleted from the database (leaf {index})"
                )
            continue  # a second leaf of an entry anchored twice by racing processes
        event = CaseEvent.objects.get(pk=event_id)
        if event_leaf(event) != data:
            return checked, (
                f"案件 {event.case_id} 的第 {event.seq} 条执法记录与账本第 {index} 条不符（数据库中"
                f"的记录被改动过） / case {event.case_id} record entry {event.seq} differs from "
                f"leaf {index} (the row was altered)"
            )
        checked += 1
    if anchors:
        index = min(anchors)
        return checked, (
            f"锚定记录指向账本第 {index} 条，但账本中没有 / an anchor points at leaf {index}, "
            "which the ledger does not hold"
        )
    return checked, ""
