"""Audit events of the credit app: one typed function per verb (see audit.models.Verb)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ipshield.audit.events import record_event
from ipshield.audit.models import AuditEvent, Verb


def credit_record_created(*, actor: Any, record: Any) -> AuditEvent:
    return record_event(
        Verb.CREDIT_RECORD_CREATED,
        actor=actor,
        target=record,
        source=record.source,
        subject=record.subject_name,
        public_until=record.public_until.isoformat(),
    )


def credit_record_removed(*, actor: Any, record: Any, reason: str) -> AuditEvent:
    return record_event(Verb.CREDIT_RECORD_REMOVED, actor=actor, target=record, reason=reason)


def credit_record_hidden(*, record: Any, today: dt.date) -> AuditEvent:
    return record_event(
        Verb.CREDIT_RECORD_HIDDEN,
        actor=None,
        target=record,
        public_until=record.public_until.isoformat(),
        today=today.isoformat(),
    )


def joint_measure_saved(*, actor: Any, measure: Any, created: bool) -> AuditEvent:
    return record_event(
        Verb.JOINT_MEASURE_SAVED,
        actor=actor,
        target=measure,
        created=created,
        domain=measure.domain,
        title=measure.title,
        trigger=measure.trigger,
        active=measure.active,
    )


def list_step(*, actor: Any, entry: Any, step: str, reason: str = "") -> AuditEvent:
    """One step of the serious-dishonesty list workflow (proposed, reviewed, rejected, decided,
    notified, listed, removed)."""
    return record_event(
        Verb.LIST_STEP,
        actor=actor,
        target=entry,
        step=str(step),
        entity_id=entry.entity_id,
        ground=entry.ground,
        reason=reason,
    )
