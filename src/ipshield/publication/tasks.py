"""Background tasks of the publication app, run by ``ipshield worker``."""

from __future__ import annotations

from ipshield.common.tasks import task
from ipshield.publication import services


@task()
def expire_publications() -> int:
    """Daily: stop publishing penalty decisions whose statutory period has ended."""
    from ipshield.common.schedule import ensure_daily

    expired = services.publications_expire_due()
    ensure_daily()
    return expired
