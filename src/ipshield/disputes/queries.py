"""Reads of dispute resolution for its pages, its API and its inbox (additive to
``selectors``): the list filters, the rows waiting for each kind of staff, the organisations a
party may apply to and the people a form offers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ipshield.accounts.models import Unit, UnitKind
from ipshield.disputes.models import (
    ConfirmationStatus,
    Dispute,
    Mediator,
    Organisation,
    OrganisationKind,
)
from ipshield.disputes.selectors import disputes_for
from ipshield.disputes.workflow import OPEN, Status

# ``?inbox=`` of the workbench list: one kind of waiting work (the same rows as the inbox).
INBOX_FILTERS = ("accept", "assign", "mediating", "court_accept", "court_decide", "award")


def online_organisations() -> QuerySet[Organisation]:
    """The mediation organisations that take applications online."""
    return (
        Organisation.objects.select_related("unit", "unit__region")
        .exclude(kind__in=[OrganisationKind.ARBITRATION, OrganisationKind.COURT])
        .filter(accepts_online=True)
        .order_by("kind", "unit__name")
    )


def courts() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=UnitKind.COURT).order_by("name")


def commissions() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("unit").filter(kind=OrganisationKind.ARBITRATION)


def mediators_of(organisation: Organisation) -> QuerySet[Mediator]:
    return Mediator.objects.filter(organisation=organisation).select_related("user")


def organisation_of_unit(unit_id: int | None) -> Organisation | None:
    if unit_id is None:
        return None
    return Organisation.objects.filter(unit_id=unit_id).first()


def waiting(kind: str, user: Any, unit_id: int | None) -> QuerySet[Dispute]:
    """The disputes waiting for ``user`` (of ``unit_id``) to do ``kind`` of work: the rows of
    the inbox and of the workbench list's ``?inbox=`` filter."""
    qs = Dispute.objects.select_related("organisation__unit")
    if kind == "accept":
        return qs.filter(organisation__unit_id=unit_id, status=Status.APPLIED).order_by(
            "applied_at", "id"
        )
    if kind == "assign":
        return qs.filter(organisation__unit_id=unit_id, status=Status.CONSENTED).order_by(
            "due_on", "id"
        )
    if kind == "mediating":
        return qs.filter(mediator__user=user, status=Status.MEDIATING).order_by("due_on", "id")
    if kind == "court_accept":
        return qs.filter(
            confirmation__court_id=unit_id,
            confirmation__status=ConfirmationStatus.APPLIED,
            confirmation__complete_on__isnull=False,
            status=Status.CONFIRMING,
        ).order_by("confirmation__complete_on", "id")
    if kind == "court_decide":
        return qs.filter(
            confirmation__court_id=unit_id,
            confirmation__status=ConfirmationStatus.ACCEPTED,
            status=Status.CONFIRMING,
        ).order_by("confirmation__accepted_on", "id")
    if kind == "award":
        return qs.filter(
            arbitration__commission__unit_id=unit_id, status=Status.ARBITRATION
        ).order_by("arbitration__referred_on", "id")
    return qs.none()


def dispute_list(
    user: Any,
    *,
    status: str = "",
    source: str = "",
    mediator: int | None = None,
    overdue: bool = False,
    inbox: str = "",
    unit_id: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Dispute]:
    """The disputes ``user`` may read, filtered as the workbench list asks."""
    qs = disputes_for(user)
    if inbox in INBOX_FILTERS:
        qs = qs.filter(pk__in=waiting(inbox, user, unit_id).values("pk"))
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if mediator:
        qs = qs.filter(mediator_id=mediator)
    if overdue:
        today = today or timezone.localdate()
        late = Q(deadlines__met_at__isnull=True, deadlines__due_on__lt=today)
        qs = qs.filter(pk__in=Dispute.objects.filter(late).values("pk"))
    return qs.order_by("-applied_at", "-id")


def open_statuses() -> frozenset[str]:
    return OPEN
