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
