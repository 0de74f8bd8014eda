"""Reads of dispute resolution, with who may see what."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from ipshield.accounts.roles import ALL_UNITS_ROLES, Role
from ipshield.accounts.selectors import profile_of
from ipshield.disputes import workflow
from ipshield.disputes.models import Dispute, Organisation, Party, Side

# The staff of an organisation who run its disputes; of a court, those who decide.
ORG_ROLES = frozenset({Role.MEDIATOR, Role.UNIT_LEADER})
COURT_ROLES = frozenset({Role.CASE_OFFICER, Role.UNIT_LEADER})


def roles_of(user: Any) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_dispute_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._dispute_roles = cached
    return cached


def unit_id_of(user: Any) -> int | None:
    profile = profile_of(user)
    return profile.unit_id if profile is not None else None


def parties_of(user: Any, dispute: Dispute) -> list[Party]:
    if user is None or not user.is_authenticated:
        return []
    return [p for p in dispute.parties.all() if p.user_id == user.pk]


def sides_of(user: Any, dispute: Dispute) -> set[str]:
    """Which ``workflow`` sides ``user`` is on for ``dispute`` (empty: none)."""
    sides: set[str] = set()
    if user is None or not user.is_authenticated:
        return sides
    for party in parties_of(user, dispute):
        sides |= {workflow.PARTY, party.side}
    roles = roles_of(user)
    unit_id = unit_id_of(user)
    if unit_id is not None:
        if unit_id == dispute.organisation.unit_id and roles & ORG_ROLES:
            sides.add(workflow.ORG)
        confirmation = related(dispute, "confirmation")
        if confirmation is not None and confirmation.court_id == unit_id and roles & COURT_ROLES:
            sides.add(workflow.COURT)
        arbitration = related(dispute, "arbitration")
        if (
            arbitration is not None
            and arbitration.commission.unit_id == unit_id
            and roles & (ORG_ROLES | COURT_ROLES)
        ):
            sides.add(workflow.COMMISSION)
    if dispute.mediator_id is not None and dispute.mediator.user_id == user.pk:
        sides.add(workflow.MEDIATOR)
    return sides


def related(dispute: Dispute, name: str) -> Any:
    """The dispute's one-to-one row ``name`` (its confirmation, arbitration, agreement), or
    None when it has none."""
    try:
        return getattr(dispute, name)
    except ObjectDoesNotExist:
        return None


def disputes_for(user: Any) -> QuerySet[Dispute]:
    """The disputes ``user`` may read: parties their own; an organisation's staff its disputes;
    a court those it entrusted or was asked to confirm; a commission those referred to it; the
    unit that received a complaint the disputes made of it; auditors, the leading group and
    administrators all."""
    qs = Dispute.objects.select_related("organisation__unit", "mediator", "region")
    if user is None or not user.is_authenticated:
        return qs.none()
    roles = roles_of(user)
    if roles & ALL_UNITS_ROLES:
        return qs
    q = Q(parties__user=user) | Q(mediator__user=user)
    unit_id = unit_id_of(user)
    if unit_id is not None:
        q |= (
            Q(organisation__unit_id=unit_id)
            | Q(court_id=unit_id)
            | Q(confirmation__court_id=unit_id)
            | Q(arbitration__commission__unit_id=unit_id)
            | Q(case__unit_id=unit_id)
        )
    ids = Dispute.objects.filter(q).values("pk")
    return qs.filter(pk__in=ids)


def dispute_for(user: Any, pk: int) -> Dispute:
    """One dispute ``user`` may read, or ``Dispute.DoesNotExist`` (a 404, never a 403: the
    number of other people's disputes is not told)."""
    return disputes_for(user).get(pk=pk)


def applicant_of(dispute: Dispute) -> Party | None:
    return next((p for p in dispute.parties.all() if p.side == Side.APPLICANT), None)


def organisations(*, mediating: bool = True) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("unit", "unit__region")
    if mediating:
        qs = qs.exclude(kind__in=["arbitration", "court"])
    return qs
