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
    """Every 15 minutes: link the records not resolved yet (entered while a process had no
    entity index) and try again those whose entity was not found when entities have been
    registered or changed since. Returns how many were linked or queued for an officer."""
    from django.db.models import Max, Q

    from ipshield.common.schedule import ensure_periodic
    from ipshield.credit.models import CreditRecord, MatchState
    from ipshield.credit.resolution import resolve_pending
    from ipshield.registry.models import Entity

    try:
        # A record with no entity found is tried again only when an entity has been registered
        # or changed since it was last resolved (resolving saves it, touching updated_at).
        latest = Entity.objects.aggregate(latest=Max("updated_at"))["latest"]
        pending = Q(match_state=MatchState.UNRESOLVED)
        if latest is not None:
            pending |= Q(match_state=MatchState.NEW, updated_at__lt=latest)
        counts = resolve_pending(CreditRecord.objects.filter(pending))
        return sum(n for state, n in counts.items() if state != MatchState.NEW)
    finally:
        ensure_periodic()
