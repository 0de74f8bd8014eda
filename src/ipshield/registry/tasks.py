"""Background tasks of the registry, run by ``ipshield worker``."""

from __future__ import annotations

from ipshield.common.tasks import task
from ipshield.registry import services


@task()
def expire_rights() -> int:
    """Daily: verified rights past their validity become expired."""
    from ipshield.common.schedule import ensure_daily

    expired = services.rights_expire_due()
    ensure_daily()
    return expired
