"""Background tasks of plan supervision, run by ``ipshield worker``."""

from __future__ import annotations

from ipshield.common.tasks import task
from ipshield.supervision import services


@task()
def send_supervision_reminders() -> dict[str, int]:
    """Daily: reminders before assignments fall due, supervision notices after."""
    from ipshield.common.schedule import ensure_daily

    sent = services.reminders_send()
    ensure_daily()
    return sent
