"""The workbench shell: the staff home page. Each app keeps its own workbench pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.shortcuts import render
from django.utils import timezone

from ipshield.accounts import selectors as account_selectors
from ipshield.accounts.pages import staff_required
from ipshield.cases import selectors as case_selectors
from ipshield.cases import workcalendar
from ipshield.cases.workflow import FINAL
from ipshield.common import inbox
from ipshield.registry import selectors as registry_selectors
from ipshield.registry.models import RightStatus

HOME_ITEMS = 10
INBOX_ROWS = 5  # per kind on the inbox page; the case list shows the rest


def _day(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def inbox_rows(items: Iterable[inbox.Item], today: dt.date) -> list[dict[str, Any]]:
    """The inbox's items as its table shows them, resolved here once (the template engine's
    lookups through items, their links and dates cost more than fetching them)."""
    rows = []
    for item in items:
        shown = item.shown
        rows.append(
            {
                "kind": item.kind,
                "label": item.label,
                "url": shown.url() if callable(shown.url) else shown.url,
                "reference": shown.reference,
                "title": shown.title,
                "due": _day(shown.due),
                "overdue": shown.due is not None and shown.due < today,
                "since": _day(shown.since),
            }
        )
    return rows


@staff_required
def home(request):
    counts = registry_selectors.workbench_counts(actor=request.user)
    counts["people"] = account_selectors.person_list(actor=request.user).count()
    counts["units"] = account_selectors.unit_list(actor=request.user).count()
    counts.update(case_selectors.case_deadline_counts(actor=request.user))
    can_verify = request.user.has_perm("registry.verify_ipright")
    pending = (
        registry_selectors.right_list(actor=request.user, status=RightStatus.PENDING)[:8]
        if can_verify
        else []
    )
    today = timezone.localdate()
    work, waiting = inbox.summary_for(request.user, limit=HOME_ITEMS)
    calendar_notice = workcalendar.open_limits_notice(
        cases=case_selectors.case_list(actor=request.user).exclude(status__in=FINAL),
        today=today,
        soon_before=case_selectors.due_soon_before(today),
    )
    return render(
        request,
        "workbench/home.html",
        {
            "counts": counts,
            "pending": pending,
            "can_verify": can_verify,
            "calendar_notice": calendar_notice,
            "work": inbox_rows(work, today),
            "inbox_count": waiting,  # the navigation's count, already known
        },
    )


@staff_required
def work_inbox(request):
    """待办: what waits for the signed-in person, by kind, the most urgent of each first."""
    today = timezone.localdate()
    groups = [
        (group, inbox_rows(group.items, today))
        for group in inbox.groups_for(request.user, per_group=INBOX_ROWS)
    ]
    total = sum(group.count for group, _rows in groups)
    return render(
        request,
        "workbench/inbox.html",
        {
            "groups": groups,
            "total": total,
            "inbox_count": total,  # the navigation's count, already known
        },
    )
