"""The case record (执法全过程记录): one typed function per kind of entry.

Entries are chained by hash: each stores the previous entry's hash and its own, computed over a
canonical encoding, so any later change to an entry, or a removed entry, is detectable
(:func:`verify_chain`). Call these only inside the service's transaction.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils import timezone

from ipshield.accounts.selectors import profile_of
from ipshield.cases.models import Case, CaseEvent, CaseEventVerb
from ipshield.cases.workflow import PUBLIC_STATUSES

GENESIS = "0" * 64


class _System:
    """The platform itself, as the actor of steps no person took (triage, statutory deadlines,
    duplicate detection). Recorded as no actor and no unit, with ``after["system"] = True`` so
    the case record can say 系统 instead of naming whoever set the step off."""

    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Any = _System()


def by_system(event: CaseEvent) -> bool:
    """Whether ``event`` is a step the platform took by itself (see :data:`SYSTEM`)."""
    return bool((event.after or {}).get("system")) and event.actor_id is None


def _digest(event: CaseEvent) -> str:
    payload = {
        "case": event.case_id,
        "seq": event.seq,
        "verb": event.verb,
        "actor": event.actor_id,
        "unit": event.unit_id,
        "at": event.at.isoformat(),
        "before": event.before,
        "after": event.after,
        "note": event.note,
        "public": event.public,
        "prev": event.prev_hash,
    }
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _append(
    case: Case,
    verb: str,
    *,
    actor: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    public: bool = False,
) -> CaseEvent:
    last = (
        CaseEvent.objects.select_for_update()
        .filter(case=case)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    if actor is SYSTEM:
        actor, after = None, {**(after or {}), "system": True}
    profile = profile_of(actor)
    event = CaseEvent(
        case=case,
        seq=seq,
        verb=verb,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=profile.unit if profile else None,
        at=timezone.now().replace(microsecond=0),
        before=before or {},
        after=after or {},
        note=note,
        public=public,
        prev_hash=prev,
    )
    event.hash = _digest(event)
    event.save()
    from ipshield.cases import anchoring

    anchoring.schedule(event)
    return event


def received(*, case: Case, actor: Any) -> CaseEvent:
    return _append(
        case,
        CaseEventVerb.RECEIVED,
        actor=actor,
        after={"source": case.source, "unit": case.unit_id, "track": case.track},
        public=True,
    )


def transitioned(
    *, case: Case, actor: Any, action: str, before: str, after: str, note: str = ""
) -> CaseEvent:
    return _append(
        case,
        CaseEventVerb.TRANSITION,
        actor=actor,
        before={"status": before},
        after={"status": after, "action": action},
        note=note,
        public=after in PUBLIC_STATUSES and before != after,
    )


def triaged(*, case: Case, actor: Any, track: str, unit_id: int, reasons: list[str]) -> CaseEvent:
    return _append(
        case,
        CaseEventVerb.TRIAGED,
        actor=actor,
        after={"track": track, "unit": unit_id, "reasons": reasons},
    )


def track_overridden(*, case: Case, actor: Any, before: str, after: str, reason: str) -> CaseEvent:
    return _append(
        case,
        CaseEventVerb.TRACK_OVERRIDDEN,
        actor=actor,
        before={"track": before},
        after={"track": after},
        note=reason,
    )


def duplicate_linked(*, case: Case, actor: Any, original: Case) -> CaseEvent:
    return _append(
        case, CaseEventVerb.DUPLICATE_LINKED, actor=actor, after={"duplicate_of": original.number}
    )


def deadline_set(*, case: Case, actor: Any, label: str, due: str, note: str = "") -> CaseEvent:
    return _append(
        case, CaseEventVerb.DEADLINE_SET, actor=actor, after={"label": label, "due": due}, note=note
    )


def attachment_added(*, case: Case, actor: Any, attachment: Any) -> CaseEvent:
    return _append(
        case,
        CaseEventVerb.ATTACHMENT_ADDED,
        actor=actor,
        after={
            "name": attachment.original_name,
            "sha256": attachment.sha256,
            "size": attachment.size,
        },
        public=True,
    )


def file_viewed(*, case: Case, actor: Any, attachment: Any) -> CaseEvent:
    return _append(
        case, CaseEventVerb.FILE_VIEWED, actor=actor, after={"attachment": attachment.pk}
    )


def identity_revealed(*, case: Case, actor: Any, reason: str) -> CaseEvent:
    return _append(case, CaseEventVerb.IDENTITY_REVEALED, actor=actor, note=reason)


def step_recorded(
    *, case: Case, actor: Any, step: str, details: dict[str, Any], note: str = ""
) -> CaseEvent:
    """A procedure step that is a record, not a move (``cases.procedure.STEPS``): service, a
    statement, a hearing notice, a discussion, a payment."""
    return _append(
        case, CaseEventVerb.STEP_RECORDED, actor=actor, after={"step": step, **details}, note=note
    )


def document_added(*, case: Case, actor: Any, document: Any, title: str) -> CaseEvent:
    """A version of a document (文书) generated or uploaded. ``title`` is the kind's Chinese
    title (its msgid), so that the record reads in each reader's language."""
    return _append(
        case,
        CaseEventVerb.DOCUMENT_ADDED,
        actor=actor,
        after={
            "document": document.pk,
            "kind": document.kind,
            "title": title,
            "version": document.version,
            "format": document.format,
            "source": document.source,
            "sha256": document.sha256,
            "size": document.size,
        },
    )


def document_viewed(*, case: Case, actor: Any, document: Any, title: str) -> CaseEvent:
    return _append(
        case,
        CaseEventVerb.DOCUMENT_VIEWED,
        actor=actor,
        after={
            "document": document.pk,
            "kind": document.kind,
            "title": title,
            "version": document.version,
        },
    )


def file_exported(*, case: Case, actor: Any, files: int, manifest_sha256: str) -> CaseEvent:
    """The whole electronic file (电子卷宗) downloaded as one ZIP: how many files it held and
    the SHA-256 of its manifest, which lists each file's own hash."""
    return _append(
        case,
        CaseEventVerb.FILE_EXPORTED,
        actor=actor,
        after={"files": files, "manifest_sha256": manifest_sha256},
    )


def note_added(*, case: Case, actor: Any, note: str) -> CaseEvent:
    return _append(case, CaseEventVerb.NOTE_ADDED, actor=actor, note=note)


def verify_chain(case: Case) -> int | None:
    """Return the sequence number of the first entry that does not check out, or None."""
    prev = GENESIS
    expected_seq = 1
    for event in CaseEvent.objects.filter(case=case).order_by("seq"):
        if event.seq != expected_seq or event.prev_hash != prev or _digest(event) != event.hash:
            return event.seq
        prev, expected_seq = event.hash, expected_seq + 1
    return None
