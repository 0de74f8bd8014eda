"""Reads of cases, scoped by unit like every other unit-owned record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ipshield.accounts.selectors import scope_to_unit
from ipshield.cases.models import Case, CaseEvent, DecisionKind


def case_list(*, actor: Any, status: str = "", unit_id: int | None = None) -> QuerySet[Case]:
    cases = scope_to_unit(Case.objects.all(), actor=actor, unit_field="unit")
    if status:
        cases = cases.filter(status=status)
    if unit_id:
        cases = cases.filter(unit_id=unit_id)
    return cases.select_related("unit").order_by("deadline", "-received_at", "id")


def prior_penalties(entity: Any, *, years: int = 5) -> int:
    """How many penalty decisions ``entity`` received in the last ``years`` years."""
    if entity is None:
        return 0
    since = timezone.now() - dt.timedelta(days=365 * years)
    return Case.objects.filter(
        infringer=entity, decision_kind=DecisionKind.PENALTY, decided_at__gte=since
    ).count()


def case_visible_to(*, actor: Any, case_id: int) -> bool:
    return case_list(actor=actor).filter(pk=case_id).exists()


def case_record(*, case: Case, public_only: bool = False) -> QuerySet[CaseEvent]:
    events = CaseEvent.objects.filter(case=case).select_related("actor__profile", "unit")
    if public_only:
        events = events.filter(public=True)
    return events.order_by("seq")


def due_soon_before(today: dt.date) -> dt.date:
    """The first day that is no longer "due soon" (more than 3 working days after ``today``);
    the same rule as ``deadlines.overdue_state``, as a date a query can compare with."""
    from ipshield.cases import deadlines
    from ipshield.engines import workdays

    deadlines.load_calendar()
    return workdays.add_working_days(today, 4)


def case_deadline_counts(*, actor: Any) -> dict[str, int]:
    """How many of the cases ``actor`` sees are still open and overdue, or due within 3 working
    days — the two warning tiles of the workbench home, in one query."""
    from django.db.models import Count, Q

    from ipshield.cases.workflow import FINAL

    today = timezone.localdate()
    counts = (
        case_list(actor=actor)
        .exclude(status__in=FINAL)
        .filter(deadline__isnull=False)
        .order_by()
        .aggregate(
            overdue=Count("id", filter=Q(deadline__lt=today)),
            due_soon=Count(
                "id", filter=Q(deadline__gte=today, deadline__lt=due_soon_before(today))
            ),
        )
    )
    return {"cases_overdue": counts["overdue"], "cases_due_soon": counts["due_soon"]}
