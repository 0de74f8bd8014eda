"""Background tasks of the documents app, run by ``ipshield worker``."""

from __future__ import annotations

from ipshield.common.tasks import task


@task()
def anchor_documents() -> int:
    """Daily: anchor any document version whose anchoring failed when it was stored."""
    from ipshield.common.schedule import ensure_daily
    from ipshield.documents.anchoring import anchor_pending

    done = anchor_pending()
    ensure_daily()
    return done
