"""Background tasks of dispute resolution, run by ``ipshield worker``."""

from __future__ import annotations

from ipshield.common.tasks import task
from ipshield.disputes import record, services, sessions


@task()
def send_dispute_reminders() -> dict[str, int]:
    """Daily: time limits due soon or overdue, sessions tomorrow, and records and signatures
    not yet in the ledger."""
    from ipshield.common.schedule import ensure_daily

    sent = {
        "deadlines": services.reminders_send(),
        "sessions": sessions.session_reminders_send(),
        "anchored": record.anchor_pending(),
    }
    ensure_daily()
    return sent
