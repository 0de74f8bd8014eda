"""Audit events of the monitoring app: one typed function per verb.

They write to the shared audit trail (:class:`ipshield.audit.models.AuditEvent`) inside the
calling service's transaction. Their verbs belong to the one closed list,
:class:`ipshield.audit.models.Verb`.
"""

from __future__ import annotations

from typing import Any

from ipshield.audit.events import record_event
from ipshield.audit.models import AuditEvent, Verb

_record = record_event


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def protected_mark_added(*, actor: Any, mark: Any) -> AuditEvent:
    return _record(
        Verb.PROTECTED_MARK_ADDED,
        actor=actor,
        target=mark,
        kind=mark.kind,
        name=mark.name,
        right_id=mark.right_id,
        holder_id=mark.holder_id,
        unit_id=mark.unit_id,
        nice_classes=list(mark.nice_classes or []),
        price_min=_money(mark.price_min),
        price_max=_money(mark.price_max),
    )


def protected_mark_stopped(*, actor: Any, mark: Any) -> AuditEvent:
    return _record(
        Verb.PROTECTED_MARK_STOPPED, actor=actor, target=mark, kind=mark.kind, name=mark.name
    )


def counterfeit_term_changed(*, actor: Any, term: Any, created: bool) -> AuditEvent:
    return _record(
        Verb.COUNTERFEIT_TERM_CHANGED,
        actor=actor,
        target=term,
        created=created,
        term=term.term,
        weight=term.weight,
        active=term.active,
    )


def alert_dismissed(*, actor: Any, alert: Any) -> AuditEvent:
    return _record(
        Verb.ALERT_DISMISSED,
        actor=actor,
        target=alert,
        listing_id=alert.listing_id,
        mark_id=alert.mark_id,
        risk=alert.risk,
        reason=alert.dismissal_reason,
    )


def alert_to_lead(*, actor: Any, alert: Any) -> AuditEvent:
    return _record(
        Verb.ALERT_TO_LEAD,
        actor=actor,
        target=alert,
        listing_id=alert.listing_id,
        mark_id=alert.mark_id,
        risk=alert.risk,
        case_id=alert.case_id,
    )


def listing_feed_added(*, actor: Any, feed: Any) -> AuditEvent:
    return _record(
        Verb.LISTING_FEED_ADDED,
        actor=actor,
        target=feed,
        name=feed.name,
        url=feed.url,
        platform=feed.platform,
        interval_minutes=feed.interval_minutes,
    )


def listings_imported(*, listing_import: Any) -> AuditEvent:
    """Written when an import ends (done or failed), with what it did.

    The actor is the person who uploaded the file; a scheduled feed fetch has none.
    """
    return _record(
        Verb.LISTINGS_IMPORTED,
        actor=listing_import.actor,
        target=listing_import,
        unit_id=listing_import.unit_id,
        format=listing_import.format,
        feed_id=listing_import.feed_id,
        file_name=listing_import.file_name,
        status=listing_import.status,
        total=listing_import.total,
        created=listing_import.created_count,
        duplicates=listing_import.duplicate_count,
        errors=listing_import.error_count,
        alerts=listing_import.alert_count,
        failure=listing_import.failure,
    )
