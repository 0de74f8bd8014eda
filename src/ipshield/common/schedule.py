"""Daily background jobs. Django Tasks has no scheduler, so the worker keeps one run of each
daily task queued for the next morning; each run re-queues the next when the worker starts or
after it finishes (``ensure_daily``)."""

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
]


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    local = (now or timezone.now()).astimezone(ZoneInfo("Asia/Shanghai"))
    candidate = local.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def ensure_daily(now: dt.datetime | None = None) -> list[str]:
    """Queue the next run of every daily task that has none waiting. Returns what it queued."""
    from django_tasks_db.models import DBTaskResult

    queued = []
    for path in DAILY_TASKS:
        waiting = DBTaskResult.objects.filter(task_path=path, status="READY").exists()
        if not waiting:
            import_string(path).using(run_after=next_run(now)).enqueue()
            queued.append(path)
    return queued
