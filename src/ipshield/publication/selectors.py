"""Reads for publication, typical cases, file review and reporter rewards.

Public reads return only what is public right now: publications in their period (masked when
stored) and published typical cases. Staff reads are scoped to the unit like every other
unit-owned record (``accounts.selectors.scope_to_unit``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.utils import timezone

from ipshield.accounts.models import Unit
from ipshield.accounts.selectors import scope_to_unit
from ipshield.cases.models import Case, DecisionKind, Source
from ipshield.cases.selectors import case_list
from ipshield.cases.workflow import Status
from ipshield.engines.text import normalize_name
from ipshield.publication.models import (
    FileReview,
    Publication,
    PublicationStatus,
    ReporterReward,
    ReviewChecklist,
    TypicalCase,
)

# -- Public ---------------------------------------------------------------------------------------


def _current(today: dt.date | None = None) -> QuerySet[Publication]:
    today = today or timezone.localdate()
    # The period check also hides a publication whose expiry task has not run yet.
    return Publication.objects.filter(
        status=PublicationStatus.PUBLISHED, period_ends_on__gte=today
    ).select_related("unit")


def publication_public_list(
    *, q: str = "", unit_id: int | None = None, year: int | None = None
) -> QuerySet[Publication]:
    """Penalty decisions on the portal, newest first.

    ``q`` matches the party's name (as published, so a masked person's full name does not find
    them) or the decision number; Traditional, full-width and spaced spellings match too.
    """
    publications = _current()
    key = normalize_name(q or "")
    if key:
        publications = publications.filter(
            Q(infringer_name_normalized__contains=key) | Q(decision_number__icontains=q.strip())
        )
    if unit_id:
        publications = publications.filter(unit_id=unit_id)
    if year:
        publications = publications.filter(decided_on__year=year)
    return publications.order_by("-decided_on", "-id")


def publication_public_get(*, publication_id: int) -> Publication | None:
    return _current().filter(pk=publication_id).first()


def publication_public_units() -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=_current().values("unit_id")).order_by("name")


def publication_public_years() -> list[int]:
    return sorted({d.year for d in _current().dates("decided_on", "year")}, reverse=True)


def typical_case_public_list() -> QuerySet[TypicalCase]:
    return TypicalCase.objects.filter(published=True).select_related("unit")


def typical_case_public_get(*, typical_case_id: int) -> TypicalCase | None:
    return typical_case_public_list().filter(pk=typical_case_id).first()


# -- Staff: publications and typical cases --------------------------------------------------------


def publication_staff_list(*, actor: Any, status: str = "") -> QuerySet[Publication]:
    publications = scope_to_unit(Publication.objects.all(), actor=actor, unit_field="unit")
    if status:
        publications = publications.filter(status=status)
    return publications.select_related("unit", "case", "withdrawn_by__profile").order_by(
        "-published_at", "-id"
    )


def publication_staff_get(*, actor: Any, publication_id: int) -> Publication | None:
    return publication_staff_list(actor=actor).filter(pk=publication_id).first()


def publication_visible_to_staff(*, actor: Any, publication_id: int) -> bool:
    return publication_staff_list(actor=actor).filter(pk=publication_id).exists()


def typical_case_staff_list(*, actor: Any) -> QuerySet[TypicalCase]:
    return scope_to_unit(TypicalCase.objects.all(), actor=actor, unit_field="unit").select_related(
        "unit", "case"
    )


def typical_case_staff_get(*, actor: Any, typical_case_id: int) -> TypicalCase | None:
    return typical_case_staff_list(actor=actor).filter(pk=typical_case_id).first()


def typical_case_visible_to_staff(*, actor: Any, typical_case_id: int) -> bool:
    return typical_case_staff_list(actor=actor).filter(pk=typical_case_id).exists()


def typical_case_candidates(*, actor: Any) -> QuerySet[Case]:
    """Closed cases the actor may write up that are not typical cases yet."""
    return (
        case_list(actor=actor, status=Status.CLOSED)
        .filter(typical_case__isnull=True)
        .order_by("-closed_at", "-id")
    )


# -- Staff: file review ---------------------------------------------------------------------------


def active_checklists() -> QuerySet[ReviewChecklist]:
    return ReviewChecklist.objects.filter(active=True).order_by("name")


def file_review_list(*, actor: Any, year: int | None = None) -> QuerySet[FileReview]:
    reviews = scope_to_unit(FileReview.objects.all(), actor=actor, unit_field="unit")
    if year:
        reviews = reviews.filter(reviewed_at__year=year)
    return reviews.select_related("unit", "case", "checklist", "reviewer__profile")


def file_review_get(*, actor: Any, review_id: int) -> FileReview | None:
    return file_review_list(actor=actor).prefetch_related("scores").filter(pk=review_id).first()


def review_candidates(*, actor: Any, checklist: ReviewChecklist | None) -> QuerySet[Case]:
    """Closed cases the actor may see that have no review under ``checklist`` yet."""
    cases = case_list(actor=actor, status=Status.CLOSED)
    if checklist is not None:
        cases = cases.exclude(file_reviews__checklist=checklist)
    return cases.order_by("-closed_at", "-id")


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    unit_name: str
    count: int
    average: Decimal  # average percentage of the maximum, 0-100
    lowest: Decimal
    highest: Decimal


def _pct(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))


def file_review_rollup(*, actor: Any, year: int | None = None) -> list[UnitScore]:
    """Per unit: how many files were reviewed and their average score as a percentage, best
    first. Reviews under different checklists compare by percentage of each one's maximum."""
    rows = (
        file_review_list(actor=actor, year=year)
        .values("unit_id", "unit__name")
        .annotate(
            count=Count("id"),
            average=Avg("percentage"),
            lowest=Min("percentage"),
            highest=Max("percentage"),
        )
        .order_by("-average", "unit__name")
    )
    return [
        UnitScore(
            unit_id=row["unit_id"],
            unit_name=row["unit__name"],
            count=row["count"],
            average=_pct(row["average"]),
            lowest=_pct(row["lowest"]),
            highest=_pct(row["highest"]),
        )
        for row in rows
    ]


# -- Staff: reporter rewards ----------------------------------------------------------------------


def reward_list(*, actor: Any, status: str = "") -> QuerySet[ReporterReward]:
    rewards = scope_to_unit(ReporterReward.objects.all(), actor=actor, unit_field="unit")
    if status:
        rewards = rewards.filter(status=status)
    return rewards.select_related(
        "unit", "case", "proposed_by__profile", "decided_by__profile"
    ).order_by("-proposed_at", "-id")


def reward_get(*, actor: Any, reward_id: int) -> ReporterReward | None:
    return reward_list(actor=actor).filter(pk=reward_id).first()


def reward_visible_to_staff(*, actor: Any, reward_id: int) -> bool:
    return reward_list(actor=actor).filter(pk=reward_id).exists()


def reward_candidates(*, actor: Any) -> QuerySet[Case]:
    """Report-origin cases that ended in a penalty and have no reward yet."""
    return (
        case_list(actor=actor)
        .filter(
            source=Source.REPORT,
            decision_kind=DecisionKind.PENALTY,
            status__in=[Status.DECIDED, Status.PUBLISHED, Status.CLOSED],
            reporter_reward__isnull=True,
        )
        .order_by("-decided_at", "-id")
    )
