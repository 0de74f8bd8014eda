"""Background tasks of the accounts app: sending notices by e-mail and SMS, the daily digest."""

from __future__ import annotations

from ipshield.common.tasks import task


@task()
def deliver_notices(ids: list[int]) -> int:
    """Send the notices ``ids`` by e-mail and SMS as their readers chose; returns how many
    messages went out."""
    from ipshield.accounts.delivery import deliver

    return deliver(ids)


@task()
def send_notice_digests() -> int:
    """Daily: one e-mail per person who chose the digest, with what they have not read."""
    from ipshield.accounts.delivery import send_digests
    from ipshield.common.schedule import ensure_daily

    sent = send_digests()
    ensure_daily()
    return sent
