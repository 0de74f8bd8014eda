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
