"""Mediator recommendation for a dispute (issue 16): the reads, in a fixed handful of queries
whatever the number of mediators; the ranking and its reasons are the pure engine
:mod:`ipshield.engines.mediators`.

Queries: the dispute's parties; the declared conflicts matching any party's normalised name or
entity (one query); the recusals on the dispute; the region's neighbours; the pool's success
rate (one aggregate, the engine's prior); and the best ``limit + MARGIN`` eligible mediators,
picked in the database by the engine's score written as SQL (``_score_sql``) over the
denormalised counters, then scored, ordered and explained by the engine. A province's 5,000
mediators are thus never all read into Python; the mediators left out (conflict, recused,
unavailable, full) are read by one more query only when ``excluded`` is asked for. A test
checks that the database's pick is the engine's own top (with no margin).

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
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Least

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
    out, each with the reason (read and worded when first asked for)."""

    def __init__(self, ranked: Any = (), excluded: Any = list) -> None:
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
                for e in self._excluded()
            ]
        return self._built


def _codes(value: Any) -> tuple[str, ...]:
    """A JSON list of strings, as the cursor gives it (text; a list where the driver parses
    jsonb), as a tuple."""
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return _parsed(value) if isinstance(value, str) else ()


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[str, ...]:
    """Parsed once per distinct text: mediators share a handful of specialty and industry
    lists, and decoding JSON per row was the largest cost of a recommendation."""
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
    "specialties",
    "industries",
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


# The database picks this many more than asked, by the same score (``_score_sql``), and the
# engine ranks them: rounding and ties at the cut then cannot change who is shown.
MARGIN = 40


def _texts(mediators: Any) -> Any:
    """On SQLite, the JSON lists as text, for ``_has`` (PostgreSQL compares jsonb itself)."""
    if connection.vendor == "postgresql":
        return mediators
    return mediators.annotate(
        specialties_text=Cast("specialties", TextField()),
        industries_text=Cast("industries", TextField()),
    )


def _candidates(mediators: Any) -> list[engine.Candidate]:
    """The candidates of ``mediators`` (a queryset), read on the cursor: Django's per-row
    converters cost more than the ranking (booleans come back as 0/1 on SQLite, the JSON lists
    as text, parsed by ``_codes``)."""
    sql, params = mediators.values_list(*_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [_candidate(row) for row in cursor.fetchall()]


def _has(field: str, value: str) -> Q:
    """Whether the JSON list ``field`` holds ``value``: jsonb containment on PostgreSQL
    (casting jsonb to text for LIKE costs more than the rest of the query); on SQLite, the
    list's stored text (Django's ASCII-escaped JSON) holds the quoted value."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}_text__contains": json.dumps(value)})


def _score_sql(need: engine.Need, prior: float) -> dict[str, Any]:
    """The engine's score as SQL expressions (``engines.mediators.rank``; the same weights),
    to pick the best few in the database; the engine scores those again and orders them."""
    w = engine.WEIGHTS
    specialty = [When(_has("specialties", need.right_kind), then=Value(w["specialty"]))]
    family = Q()
    for kind in sorted(engine.family_of(need.right_kind)):
        family |= _has("specialties", kind)
    if family:
        specialty.append(When(family, then=Value(w["family"])))
    score: Any = Case(*specialty, default=Value(0.0), output_field=FloatField())
    if need.industry:
        score += Case(
            When(_has("industries", need.industry), then=Value(w["industry"])),
            default=Value(0.0),
            output_field=FloatField(),
        )
    score += Case(
        When(region_id=need.region, then=Value(w["region"])),
        When(region_id__in=list(need.near), then=Value(w["near"])),
        default=Value(0.0),
        output_field=FloatField(),
    )
    busy = Cast("active_count", FloatField()) / Cast("max_load", FloatField())
    score += Value(w["load"]) * (Value(1.0) - busy)
    agreed = Least("agreed_count", "closed_count")
    score += (
        Value(w["outcomes"])
        * (Cast(agreed, FloatField()) + Value(engine.PRIOR_WEIGHT * prior))
        / (Cast("closed_count", FloatField()) + Value(engine.PRIOR_WEIGHT))
    )
    return {"score": ExpressionWrapper(score, output_field=FloatField()), "busy": busy}


def recommend(
    dispute: Dispute,
    *,
    limit: int = 10,
    organisation: Organisation | EllipsisType | None = ...,
) -> Recommendations:
    """The mediators best placed to mediate ``dispute``, best first, at most ``limit``; the
    result's ``excluded`` lists those left out (a declared conflict with a party, recused by a
    party, not available, load full), each with the reason (read when first asked for)."""
    scope = Mediator.objects.order_by()
    if organisation is ...:
        scope = scope.filter(organisation_id=dispute.organisation_id)
    elif organisation is not None:
        scope = scope.filter(organisation_id=organisation.pk)
    else:
        organisations = Organisation.objects.filter(
            unit__region_id__in=regions_above(dispute.region)
        ).exclude(kind__in=NOT_MEDIATING)
        scope = scope.filter(organisation_id__in=list(organisations.values_list("pk", flat=True)))
    need = _need(dispute)
    totals = scope.aggregate(
        closed=Sum("closed_count"), agreed=Sum(Least("agreed_count", "closed_count"))
    )
    closed, agreed = totals["closed"] or 0, totals["agreed"] or 0
    prior = agreed / closed if closed else engine.DEFAULT_RATE
    left_out = set(need.conflicts) | set(need.recused)
    unfit = Q(available=False) | Q(user__is_active=False) | Q(active_count__gte=F("max_load"))
    eligible = scope.exclude(unfit).exclude(pk__in=left_out)
    best = (
        _texts(eligible)
        .annotate(**_score_sql(need, prior))
        .order_by("-score", "busy", "pk")[: max(limit, 0) + MARGIN]
    )
    ranked, _none = engine.rank(need, _candidates(best), limit=limit, prior=prior)

    def excluded() -> list[engine.Excluded]:
        rows = _candidates(scope.filter(unfit | Q(pk__in=left_out)))
        return engine.rank(need, rows, limit=0, prior=prior)[1]

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
