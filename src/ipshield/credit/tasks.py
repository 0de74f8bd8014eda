"""Background tasks of the credit app, run by ``ipshield worker``."""

from __future__ import annotations

from ipshield.common.tasks import task
from ipshield.credit import services


@task()
def hide_expired_records() -> int:
    """Daily: stop publishing credit records whose publication period has ended."""
    from ipshield.common.schedule import ensure_daily

    hidden = services.records_hide_expired()
    ensure_daily()
    return hidden


@task()
def remove_expired_list_entries() -> int:
    """Daily: take entities off the serious-dishonesty list when their three years are over."""
    from ipshield.common.schedule import ensure_daily
    from ipshield.credit.listing import lists_remove_expired

    removed = lists_remove_expired()
    ensure_daily()
    return removed


@task()
def resolve_new_records() -> int:
    """Every 15 minutes: link the records not resolved yet (entered while this process had no
    entity index) and try again those whose entity was not found (entities registered since
    may match them now). Returns how many were linked or queued for an officer."""
    from ipshield.common.schedule import ensure_periodic
    from ipshield.credit.models import CreditRecord, MatchState
    from ipshield.credit.resolution import resolve_pending

    try:
        counts = resolve_pending(
            CreditRecord.objects.filter(match_state__in=(MatchState.UNRESOLVED, MatchState.NEW))
        )
        return sum(n for state, n in counts.items() if state != MatchState.NEW)
    finally:
        ensure_periodic()
