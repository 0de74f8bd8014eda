"""Scheduled background jobs. Django Tasks has no scheduler, so the worker keeps the next run of
each scheduled task queued:

* **daily** tasks (:data:`DAILY_TASKS`) run at 06:00 Asia/Shanghai; each run re-queues the next
  when the worker starts or after it finishes (``ensure_daily``);
* **periodic** tasks (:data:`PERIODIC_TASKS`) run every so often (the listing-feed poll every 5
  minutes, credit records' entity resolution every 15); the worker queues one to run at once
  when it starts, and each run queues the next one interval later when it finishes
  (``ensure_periodic``).

Either way at most one run of a task waits in the queue: a task with a run waiting is skipped.
``ipshield worker`` calls :func:`ensure_scheduled`, which does both.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.module_loading import import_string

DAILY_AT = dt.time(6, 0)
DAILY_TASKS = [
    "ipshield.cases.tasks.send_deadline_reminders",
    "ipshield.registry.tasks.expire_rights",
    "ipshield.publication.tasks.expire_publications",
    "ipshield.common.maintenance.optimize_database",
    "ipshield.cases.tasks.anchor_case_record",
    "ipshield.documents.tasks.anchor_documents",
    "ipshield.credit.tasks.hide_expired_records",
    "ipshield.credit.tasks.remove_expired_list_entries",
    "ipshield.supervision.tasks.send_supervision_reminders",
    "ipshield.disputes.tasks.send_dispute_reminders",
    "ipshield.accounts.tasks.send_notice_digests",
]
PERIODIC_TASKS: dict[str, dt.timedelta] = {
    "ipshield.monitoring.tasks.poll_listing_feeds": dt.timedelta(minutes=5),
    "ipshield.credit.tasks.resolve_new_records": dt.timedelta(minutes=15),
}


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    local = (now or timezone.now()).astimezone(ZoneInfo("Asia/Shanghai"))
    candidate = local.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def _waiting(path: str) -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=path, status="READY").exists()


def ensure_daily(now: dt.datetime | None = None) -> list[str]:
    """Queue the next run of every daily task that has none waiting. Returns what it queued."""
    queued = []
    for path in DAILY_TASKS:
        if not _waiting(path):
            import_string(path).using(run_after=next_run(now)).enqueue()
            queued.append(path)
    return queued


def ensure_periodic(now: dt.datetime | None = None, *, at_once: bool = False) -> list[str]:
    """Queue the next run of every periodic task that has none waiting: one interval after
    ``now`` (what a finishing run calls), or at once with ``at_once`` (the worker's start).
    Returns what it queued."""
    queued = []
    for path, every in PERIODIC_TASKS.items():
        if not _waiting(path):
            task = import_string(path)
            if not at_once:
                task = task.using(run_after=(now or timezone.now()) + every)
            task.enqueue()
            queued.append(path)
    return queued


def ensure_scheduled(now: dt.datetime | None = None) -> list[str]:
    """What the worker calls when it starts: daily tasks for the next morning, periodic tasks
    at once. Returns what it queued."""
    return ensure_daily(now) + ensure_periodic(now, at_once=True)
