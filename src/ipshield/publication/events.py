"""Audit events of the publication app: one typed function per verb.

They write to the shared audit trail (:class:`ipshield.audit.models.AuditEvent`) inside the
calling service's transaction. Their verbs belong to the one closed list,
:class:`ipshield.audit.models.Verb`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ipshield.audit.events import record_event
from ipshield.audit.models import AuditEvent, Verb

_record = record_event


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def publication_created(*, actor: Any, publication: Any) -> AuditEvent:
    return _record(
        Verb.PUBLICATION_CREATED,
        actor=actor,
        target=publication,
        case_id=publication.case_id,
        period_months=publication.period_months,
        period_ends_on=publication.period_ends_on.isoformat(),
    )


def publication_withdrawn(*, actor: Any, publication: Any) -> AuditEvent:
    return _record(
        Verb.PUBLICATION_WITHDRAWN,
        actor=actor,
        target=publication,
        reason=publication.withdrawal_reason,
        revoked_on=publication.revoked_on.isoformat(),
        due_on=publication.withdrawal_due_on.isoformat(),
        late=publication.withdrawn_late,
    )


def publication_expired(*, publication: Any, today: dt.date) -> AuditEvent:
    return _record(
        Verb.PUBLICATION_EXPIRED,
        actor=None,
        target=publication,
        period_ends_on=publication.period_ends_on.isoformat(),
        on=today.isoformat(),
    )


def typical_case_created(*, actor: Any, typical_case: Any) -> AuditEvent:
    return _record(
        Verb.TYPICAL_CASE_CREATED,
        actor=actor,
        target=typical_case,
        case_id=typical_case.case_id,
        title=typical_case.title,
    )


def typical_case_updated(*, actor: Any, typical_case: Any, changed: list[str]) -> AuditEvent:
    return _record(Verb.TYPICAL_CASE_UPDATED, actor=actor, target=typical_case, changed=changed)


def typical_case_published(*, actor: Any, typical_case: Any) -> AuditEvent:
    return _record(Verb.TYPICAL_CASE_PUBLISHED, actor=actor, target=typical_case)


def typical_case_unpublished(*, actor: Any, typical_case: Any) -> AuditEvent:
    return _record(Verb.TYPICAL_CASE_UNPUBLISHED, actor=actor, target=typical_case)


def file_review_created(*, actor: Any, review: Any) -> AuditEvent:
    return _record(
        Verb.FILE_REVIEW_CREATED,
        actor=actor,
        target=review,
        case_id=review.case_id,
        checklist_id=review.checklist_id,
        total=str(review.total_points),
        max=str(review.max_points),
    )


def reward_proposed(*, actor: Any, reward: Any) -> AuditEvent:
    return _record(
        Verb.REWARD_PROPOSED,
        actor=actor,
        target=reward,
        case_id=reward.case_id,
        amount=_money(reward.amount),
        basis=reward.basis,
    )


def reward_approved(*, actor: Any, reward: Any) -> AuditEvent:
    return _record(
        Verb.REWARD_APPROVED,
        actor=actor,
        target=reward,
        amount=_money(reward.amount),
        note=reward.decision_note,
    )


def reward_refused(*, actor: Any, reward: Any) -> AuditEvent:
    return _record(Verb.REWARD_REFUSED, actor=actor, target=reward, reason=reward.decision_note)


def reward_paid(*, actor: Any, reward: Any) -> AuditEvent:
    return _record(
        Verb.REWARD_PAID,
        actor=actor,
        target=reward,
        amount=_money(reward.amount),
        paid_on=reward.paid_on.isoformat(),
        reference=reward.payment_reference,
    )
