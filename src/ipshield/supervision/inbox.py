"""What plan supervision puts in people's inboxes (``common.inbox``), registered in
``SupervisionConfig.ready``: for a unit, the assignments it owes soon or is late with; for the
plan's office, the progress reports waiting for review."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.roles import Role
from ipshield.common.inbox import Shown, Source
from ipshield.supervision.models import (
    Assignment,
    Cycle,
    IncidentReport,
    PlanStatus,
    ProgressReport,
    ReportStatus,
)
from ipshield.supervision.services import WRITERS
from ipshield.supervision.status import period_bounds, period_of

# the office's work goes to its officers and leaders (any writer of the unit may do it)
OFFICE = frozenset({Role.CASE_OFFICER, Role.UNIT_LEADER})

WINDOW = 30  # days before a due date an assignment enters the inbox


def _previous_end(today: dt.date, cycle: str) -> dt.date:
    bounds = period_bounds(period_of(today, cycle))
    assert bounds is not None
    return bounds[0] - dt.timedelta(days=1)


def _owed(user: Any, unit_id: int | None):
    today = timezone.localdate()
    dated = Q(due_on__isnull=False, due_on__lte=today + dt.timedelta(days=WINDOW))
    late_cycles = Q()
    for cycle in Cycle.values:
        previous_end = _previous_end(today, cycle)
        reported = ProgressReport.objects.filter(
            assignment=OuterRef("pk"), period_end__gte=previous_end
        ).exclude(status=ReportStatus.RETURNED)
        late_cycles |= Q(cycle=cycle, starts_on__lte=previous_end) & ~Exists(reported)
    return (
        Assignment.objects.filter(
            unit_id=unit_id,
            done_on__isnull=True,
            measure__done_on__isnull=True,
            measure__plan__status=PlanStatus.PUBLISHED,
        )
        .filter(dated | late_cycles)
        .select_related("measure")
        .order_by("due_on", "id")
    )


def _owed_shown(item: Assignment) -> Shown:
    return Shown(
        reference=item.measure.number,
        title=item.measure.title,
        url=partial(reverse, "workbench:supervision-unit", args=[item.measure.plan_id]),
        since=item.starts_on,
        due=item.due_on,
    )


def _to_review(user: Any, unit_id: int | None):
    return (
        ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED, assignment__measure__plan__office_unit_id=unit_id
        )
        .select_related("assignment__measure", "assignment__unit")
        .order_by("submitted_at", "id")
    )


def _review_shown(item: ProgressReport) -> Shown:
    return Shown(
        reference=item.period,
        title=f"{item.assignment.unit.name} · {item.assignment.measure.title}",
        url=partial(reverse, "workbench:supervision-report", args=[item.pk]),
        since=item.submitted_at,
    )


def _incidents(user: Any, unit_id: int | None):
    return (
        IncidentReport.objects.filter(group__office_unit_id=unit_id, acknowledged_at__isnull=True)
        .select_related("unit")
        .order_by("reported_at", "id")
    )


def _incident_shown(item: IncidentReport) -> Shown:
    return Shown(
        reference=item.unit.short_name or item.unit.name,
        title=item.title,
        url=partial(reverse, "workbench:supervision-incident", args=[item.pk]),
        since=item.reported_at,
    )


SOURCES = [
    Source(
        "supervision.owed",
        _("待报送的方案任务"),
        WRITERS,
        _owed,
        _owed_shown,
        order=40,
        more_url=reverse_lazy("workbench:supervision-plans"),
    ),
    Source(
        "supervision.review",
        _("待审核的任务进展"),
        OFFICE,
        _to_review,
        _review_shown,
        order=41,
        more_url=reverse_lazy("workbench:supervision-plans"),
    ),
    Source(
        "supervision.incident",
        _("待签收的重大事件报告"),
        OFFICE,
        _incidents,
        _incident_shown,
        order=42,
        more_url=reverse_lazy("workbench:supervision-incidents"),
    ),
]
