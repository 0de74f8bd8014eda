"""Background tasks of the monitoring app, run by ``ipshield worker``."""

from __future__ import annotations

from typing import Any

from ipshield.common.tasks import task


def _summary(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "status": row.status,
        "created": row.created_count,
        "duplicates": row.duplicate_count,
        "errors": row.error_count,
        "alerts": row.alert_count,
    }


@task()
def run_listing_import(import_id: int) -> dict[str, Any] | None:
    """Run a queued listing import (``imports.listing_import_run``; a done one is left alone)."""
    from ipshield.monitoring import imports
    from ipshield.monitoring.models import ListingImport

    row = ListingImport.objects.filter(pk=import_id).first()
    if row is None:
        return None
    return _summary(imports.listing_import_run(listing_import=row))


@task()
def fetch_listing_feed(feed_id: int) -> dict[str, Any] | None:
    """Fetch one feed now (queued when a feed is added, so its listings arrive at once)."""
    from ipshield.monitoring import imports
    from ipshield.monitoring.models import ListingFeed

    feed = ListingFeed.objects.filter(pk=feed_id, active=True).first()
    if feed is None:
        return None
    return _summary(imports.listing_feed_fetch(feed=feed))


@task()
def poll_listing_feeds() -> int:
    """Every 5 minutes: fetch the feeds that are due; then queue the next poll.

    Returns how many feeds were fetched. The next run is queued even if this one fails, so one
    bad run never stops the polling.
    """
    from ipshield.common.schedule import ensure_periodic
    from ipshield.monitoring import imports

    try:
        return len(imports.listing_feeds_poll_due())
    finally:
        ensure_periodic()
