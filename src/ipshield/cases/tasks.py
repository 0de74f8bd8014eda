"""Background tasks of the cases app, run by ``ipshield worker``."""

from __future__ import annotations

from ipshield.cases.reminders import deadline_reminders_send
from ipshield.common.tasks import task


@task()
def send_deadline_reminders() -> int:
    """Daily: remind units of overdue and due-soon statutory time limits."""
    from ipshield.common.schedule import ensure_daily

    sent = deadline_reminders_send()
    ensure_daily()
    return sent


@task()
def anchor_case_record() -> int:
    """Daily: anchor any case-record entry whose anchoring failed when it was written."""
    from ipshield.cases.anchoring import anchor_pending
    from ipshield.common.schedule import ensure_daily

    done = anchor_pending()
    ensure_daily()
    return done
