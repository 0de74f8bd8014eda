"""Mediator recommendation for a dispute (issue 16): the reads, in a fixed handful of queries
whatever the number of mediators; the ranking itself is the pure engine
:mod:`ipshield.engines.mediators`.

Queries: the mediators (one ``values_list`` over the denormalised counters), the dispute's
parties, the declared conflicts matching any party's normalised name or entity (one query), the
recusals on the dispute, and the region's neighbours. Nothing is read per mediator.

By default the dispute's own organisation's mediators are ranked (it is the organisation that
assigns, and only its own mediators: ``services.dispute_assign``). ``organisation=None`` ranks
the mediators of every mediating organisation whose unit is in the dispute's region or one of
the regions above it: the bodies a party in that region could turn to (a county's committee,
the city's industry mediation, the province's protection centre), never another county's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from types import EllipsisType
from typing import Any

from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from ipshield.accounts.models import Region
from ipshield.disputes import reasons as catalogue
from ipshield.disputes.clusters import regions_above
from ipshield.disputes.models import Conflict, Dispute, Mediator, Organisation, OrganisationKind
from ipshield.disputes.services import recused
from ipshield.engines import mediators as engine

__all__ = ["Recommendation", "Recommendations", "recommend"]

NOT_MEDIATING = (OrganisationKind.ARBITRATION, OrganisationKind.COURT)


@dataclass(frozen=True)
class Recommendation:
    """A mediator with their score (None when left out) and reasons as ``{code, params,
    text}`` (render them with :meth:`rendered` or ``disputes.reasons.render``)."""

    mediator_id: int
    name: str
    organisation_id: int | None
    score: float | None
    reasons: list[dict[str, Any]]
    excluded: bool = False

    def rendered(self) -> list[str]:
        return catalogue.render_all(self.reasons)

    @property
    def code(self) -> str:
        """The exclusion reason's code (or the first reason's)."""
        return self.reasons[0]["code"] if self.reasons else ""


class Recommendations(list[Recommendation]):
    """The recommended mediators, best first (a list), and ``excluded``: every mediator left
    out, each with the reason (worded when first read)."""

    def __init__(self, ranked: Any = (), excluded: Any = ()) -> None:
        super().__init__(ranked)
        self._excluded = excluded
        self._built: list[Recommendation] | None = None

    @property
    def excluded(self) -> list[Recommendation]:
        if self._built is None:
            self._built = [
                Recommendation(
                    mediator_id=e.id,
                    name=e.candidate.name,
                    organisation_id=e.candidate.organisation,
                    score=None,
                    reasons=[e.reason.as_data()],
                    excluded=True,
                )
                for e in self._excluded
            ]
        return self._built


@lru_cache(maxsize=4096)
def _codes(text: str | None) -> tuple[str, ...]:
    """A JSON list of strings as a tuple, parsed once per distinct text (mediators share a
    handful of specialty and industry lists; Django's JSON decoding per row was the largest
    cost of a recommendation)."""
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _candidate(row: tuple[Any, ...]) -> engine.Candidate:
    """A row of ``_FIELDS`` as the engine's candidate (positional: the same order)."""
    pk, name, specialties, industries, region, available, max_load, active, closed, agreed = row[
        :10
    ]
    return engine.Candidate(
        pk,
        name,
        _codes(specialties),
        _codes(industries),
        region or "",
        bool(available and row[11]),
        max_load,
        active,
        closed,
        agreed,
        row[10],
    )


_FIELDS = (
    "pk",
    "name",
    "specialties_text",
    "industries_text",
    "region_id",
    "available",
    "max_load",
    "active_count",
    "closed_count",
    "agreed_count",
    "organisation_id",
    "user__is_active",
)


def _need(dispute: Dispute) -> engine.Need:
    parties = list(dispute.parties.all())
    names = {p.name_normalized for p in parties if p.name_normalized}
    entities = {p.entity_id for p in parties if p.entity_id}
    conflicts: dict[int, list[str]] = {}
    if names or entities:
        q = Q(name_normalized__in=names)
        if entities:
            q |= Q(entity_id__in=entities)
        for mediator_id, name in Conflict.objects.filter(q).values_list("mediator_id", "name"):
            found = conflicts.setdefault(mediator_id, [])
            if name not in found:
                found.append(name)
    region = dispute.region
    near = set(Region.objects.filter(parent_id=region.pk).values_list("pk", flat=True))
    if region.parent_id:
        near.add(region.parent_id)
    return engine.Need(
        right_kind=dispute.right_kind,
        industry=dispute.industry,
        region=region.pk,
        near=frozenset(near),
        conflicts={k: tuple(v) for k, v in conflicts.items()},
        recused=frozenset(m for m in recused(dispute) if isinstance(m, int)),
    )


def recommend(
    dispute: Dispute,
    *,
    limit: int = 10,
    organisation: Organisation | EllipsisType | None = ...,
) -> Recommendations:
    """The mediators best placed to mediate ``dispute``, best first, at most ``limit``; the
    result's ``excluded`` lists those left out (a declared conflict with a party, recused by a
    party, not available, load full), each with the reason."""
    mediators = Mediator.objects.order_by()  # the engine orders; no sort in the database
    if organisation is ...:
        mediators = mediators.filter(organisation_id=dispute.organisation_id)
    elif organisation is not None:
        mediators = mediators.filter(organisation_id=organisation.pk)
    else:
        organisations = Organisation.objects.filter(
            unit__region_id__in=regions_above(dispute.region)
        ).exclude(kind__in=NOT_MEDIATING)
        mediators = mediators.filter(
            organisation_id__in=list(organisations.values_list("pk", flat=True))
        )
    need = _need(dispute)
    mediators = mediators.annotate(
        specialties_text=Cast("specialties", TextField()),
        industries_text=Cast("industries", TextField()),
    )
    # The compiled query run on the cursor: Django's per-row converters cost more than the
    # ranking (the booleans come back as 0/1 on SQLite, which ``_candidate`` reads as such).
    sql, params = mediators.values_list(*_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        candidates = [_candidate(row) for row in cursor.fetchall()]
    ranked, excluded = engine.rank(need, candidates, limit=limit)
    return Recommendations(
        [
            Recommendation(
                mediator_id=r.id,
                name=r.candidate.name,
                organisation_id=r.candidate.organisation,
                score=r.score,
                reasons=[reason.as_data() for reason in r.reasons],
            )
            for r in ranked
        ],
        excluded,
    )
