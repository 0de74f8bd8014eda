"""Reads of the yearly evaluation: who may read it, the year's scores (computed on request, or
the frozen rows of a finalised year), the drill-down to the records behind a score, and the
year's notices, interviews and commendations.

Scoring (``score``): a computed indicator's share is numerator / denominator; rule ``share``
gives weight × share, rule ``target`` the full weight at or above the target share and
weight × share / target below it; an entered value scores weight × (value − minimum) /
(maximum − minimum). An indicator a unit has nothing to be measured on (no records, or no value
entered) does not apply to it: its total is its points over the weights that apply, scaled to
the sheet's total weight, so that a unit is not rewarded or punished for work it did not have.
Units are ranked within their group (departments; townships) by total, ties sharing a rank.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ipshield.accounts.models import Region, Unit, UnitKind
from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.evaluation import indicators
from ipshield.evaluation.indicators import Tally
from ipshield.evaluation.models import (
    Accountability,
    Commendation,
    EnteredValue,
    EvaluationResult,
    Indicator,
    IndicatorScore,
    IndicatorSheet,
    Rule,
)
from ipshield.evaluation.services import is_office_member

CENT = Decimal("0.01")


# --- who may read


def can_read(actor: Any, sheet: IndicatorSheet | None = None) -> bool:
    """Leading-group members, auditors, administrators, unit leaders and the office."""
    if getattr(actor, "is_superuser", False):
        return True
    profile = profile_of(actor)
    if profile is None or not profile.unit_id:
        return sees_all_units(actor)
    if sees_all_units(actor) or profile.has_role(Role.UNIT_LEADER):
        return True
    if sheet is not None:
        return is_office_member(actor, sheet.office_unit_id)
    from ipshield.accounts.models import LeadingGroup

    return LeadingGroup.objects.filter(office_unit_id=profile.unit_id).exists() and (
        is_office_member(actor, profile.unit_id)
    )


def can_drill(actor: Any, sheet: IndicatorSheet, unit_id: int) -> bool:
    """Every unit for the leading group, auditors, administrators and the office; a unit
    leader their own unit only."""
    if getattr(actor, "is_superuser", False) or sees_all_units(actor):
        return True
    if is_office_member(actor, sheet.office_unit_id):
        return True
    profile = profile_of(actor)
    return bool(profile and profile.has_role(Role.UNIT_LEADER) and profile.unit_id == unit_id)


def sheet_list() -> QuerySet[IndicatorSheet]:
    return IndicatorSheet.objects.select_related("region", "office_unit").order_by(
        "-year", "region_id"
    )


# --- scoring


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def score(
    indicator: Indicator, *, share: Decimal | None = None, value: Decimal | None = None
) -> Decimal | None:
    """The points ``indicator`` gives for a share (computed) or an entered value; None when
    there is nothing to score."""
    weight = indicator.weight
    if indicator.rule == Rule.RANGE:
        if value is None or indicator.min_value is None or indicator.max_value is None:
            return None
        span = indicator.max_value - indicator.min_value
        part = (value - indicator.min_value) / span if span else Decimal(0)
        return _round(weight * min(max(part, Decimal(0)), Decimal(1)))
    if share is None:
        return None
    if indicator.rule == Rule.TARGET and indicator.target:
        target = indicator.target / 100
        return _round(weight if share >= target else weight * share / target)
    return _round(weight * share)


@dataclass
class Cell:
    indicator: Indicator
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    score: Decimal | None = None
    ids: list[int] = field(default_factory=list)
    met_ids: list[int] = field(default_factory=list)
    value: EnteredValue | None = None

    @property
    def share(self) -> Decimal | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def percent(self) -> str:
        share = self.share
        return f"{_round(share * 100)}%" if share is not None else ""


@dataclass
class UnitRow:
    unit: Unit
    township: bool
    cells: list[Cell]
    total: Decimal | None = None
    applicable_weight: Decimal = Decimal(0)
    rank: int | None = None

    @property
    def bar(self) -> int:
        """The total as a whole percentage of the full mark, for the page's bar."""
        return int(self.total) if self.total is not None else 0


@dataclass
class Evaluation:
    sheet: IndicatorSheet
    indicators: list[Indicator]
    departments: list[UnitRow]
    townships: list[UnitRow]
    total_weight: Decimal
    frozen: bool

    def row_of(self, unit_id: int) -> UnitRow | None:
        for row in [*self.departments, *self.townships]:
            if row.unit.pk == unit_id:
                return row
        return None


def _region_ids(region_id: str) -> list[str]:
    children: dict[str | None, list[str]] = {}
    for pk, parent in Region.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, queue = [], deque([region_id])
    while queue:
        current = queue.popleft()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def evaluated_units(sheet: IndicatorSheet) -> QuerySet[Unit]:
    """The units of the sheet's region and the regions below it (external units excepted)."""
    return (
        Unit.objects.filter(region_id__in=_region_ids(sheet.region_id), is_external=False)
        .exclude(kind__in=[UnitKind.EXTERNAL, UnitKind.MEDIATION])
        .order_by("id")
    )


def _rank(rows: list[UnitRow]) -> list[UnitRow]:
    scored = sorted(
        (r for r in rows if r.total is not None), key=lambda r: (-(r.total or 0), r.unit.pk)
    )
    previous, rank = None, 0
    for position, row in enumerate(scored, start=1):
        if row.total != previous:
            rank, previous = position, row.total
        row.rank = rank
    return scored + [r for r in rows if r.total is None]


def _finish(row: UnitRow, total_weight: Decimal) -> None:
    applicable = [c for c in row.cells if c.score is not None]
    row.applicable_weight = sum((c.indicator.weight for c in applicable), Decimal(0))
    if row.applicable_weight:
        points = sum((c.score for c in applicable if c.score is not None), Decimal(0))
        row.total = _round(points * total_weight / row.applicable_weight)


def evaluation_compute(sheet: IndicatorSheet, *, today: dt.date | None = None) -> Evaluation:
    """Every unit's scores of ``sheet`` as the data stand today: one query per indicator."""
    today = today or timezone.localdate()
    items = list(sheet.indicators.all())
    total_weight = sum((i.weight for i in items), Decimal(0))
    tallies: dict[int, dict[int, Tally]] = {}
    for item in items:
        if not item.is_entered:
            tallies[item.pk] = indicators.compute(
                item.source, sheet.year, today=today, limit_days=item.limit_days
            )
    entered: dict[tuple[int, int], EnteredValue] = {
        (v.indicator_id, v.unit_id): v
        for v in EnteredValue.objects.filter(indicator__sheet=sheet).select_related("attachment")
    }
    departments: list[UnitRow] = []
    townships: list[UnitRow] = []
    for unit in evaluated_units(sheet):
        cells = []
        for item in items:
            if item.is_entered:
                value = entered.get((item.pk, unit.pk))
                cells.append(
                    Cell(
                        indicator=item,
                        value=value,
                        score=score(item, value=value.value) if value else None,
                    )
                )
                continue
            tally = tallies[item.pk].get(unit.pk)
            if tally is None or not tally.denominator:
                cells.append(Cell(indicator=item))
                continue
            cells.append(
                Cell(
                    indicator=item,
                    numerator=tally.numerator,
                    denominator=tally.denominator,
                    score=score(item, share=tally.share),
                    ids=tally.ids,
                    met_ids=tally.met_ids,
                )
            )
        row = UnitRow(unit=unit, township=unit.kind == UnitKind.TOWNSHIP, cells=cells)
        _finish(row, total_weight)
        (townships if row.township else departments).append(row)
    return Evaluation(
        sheet=sheet,
        indicators=items,
        departments=_rank(departments),
        townships=_rank(townships),
        total_weight=total_weight,
        frozen=False,
    )


def _frozen(sheet: IndicatorSheet) -> Evaluation:
    items = list(sheet.indicators.all())
    by_id = {i.pk: i for i in items}
    scores: dict[int, dict[int, IndicatorScore]] = {}
    for one in IndicatorScore.objects.filter(result__sheet=sheet):
        scores.setdefault(one.result_id, {})[one.indicator_id] = one
    entered = {
        (v.indicator_id, v.unit_id): v
        for v in EnteredValue.objects.filter(indicator__sheet=sheet).select_related("attachment")
    }
    departments: list[UnitRow] = []
    townships: list[UnitRow] = []
    for result in (
        EvaluationResult.objects.filter(sheet=sheet)
        .select_related("unit")
        .order_by("township", "rank", "unit_id")
    ):
        cells = []
        for item in items:
            s = scores.get(result.pk, {}).get(item.pk)
            cells.append(
                Cell(
                    indicator=by_id[item.pk],
                    numerator=s.numerator if s else None,
                    denominator=s.denominator if s else None,
                    score=s.score if s else None,
                    ids=list(s.record_ids) if s else [],
                    met_ids=list(s.met_ids) if s else [],
                    value=entered.get((item.pk, result.unit_id)),
                )
            )
        row = UnitRow(
            unit=result.unit,
            township=result.township,
            cells=cells,
            total=result.total,
            applicable_weight=result.applicable_weight,
            rank=result.rank,
        )
        (townships if row.township else departments).append(row)
    ranked = lambda rows: sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.unit.pk))  # noqa: E731
    return Evaluation(
        sheet=sheet,
        indicators=items,
        departments=ranked(departments),
        townships=ranked(townships),
        total_weight=sum((i.weight for i in items), Decimal(0)),
        frozen=True,
    )


def evaluation_for(sheet: IndicatorSheet, *, today: dt.date | None = None) -> Evaluation:
    """The year's evaluation: the frozen rows once finalised, computed from the data before."""
    return _frozen(sheet) if sheet.is_final else evaluation_compute(sheet, today=today)


@dataclass
class Drill:
    sheet: IndicatorSheet
    indicator: Indicator
    unit: Unit
    cell: Cell
    rows: list[indicators.Row]
    basis: str

    @property
    def cut_at(self) -> int | None:
        """The number of rows listed when the records counted were more than a page shows."""
        return indicators.MAX_ROWS if len(self.cell.ids) > indicators.MAX_ROWS else None


def drill_down(
    sheet: IndicatorSheet, indicator: Indicator, unit: Unit, *, today: dt.date | None = None
) -> Drill:
    """The records behind ``unit``'s score on ``indicator``: exactly those it counted (the
    frozen ids once the year is finalised)."""
    cell: Cell | None = None
    if sheet.is_final:
        s = IndicatorScore.objects.filter(
            result__sheet=sheet, result__unit=unit, indicator=indicator
        ).first()
        if s is not None:
            cell = Cell(
                indicator=indicator,
                numerator=s.numerator,
                denominator=s.denominator,
                score=s.score,
                ids=list(s.record_ids),
                met_ids=list(s.met_ids),
            )
    elif not indicator.is_entered:
        tally = indicators.compute(
            indicator.source, sheet.year, today=today, limit_days=indicator.limit_days
        ).get(unit.pk)
        if tally is not None and tally.denominator:
            cell = Cell(
                indicator=indicator,
                numerator=tally.numerator,
                denominator=tally.denominator,
                score=score(indicator, share=tally.share),
                ids=tally.ids,
                met_ids=tally.met_ids,
            )
    if cell is None:
        cell = Cell(indicator=indicator)
    if indicator.is_entered:
        cell.value = (
            EnteredValue.objects.filter(indicator=indicator, unit=unit)
            .select_related("attachment", "entered_by__profile")
            .first()
        )
        if cell.value is not None and cell.score is None:
            cell.score = score(indicator, value=cell.value.value)
        return Drill(sheet, indicator, unit, cell, [], "")
    definition = indicators.REGISTRY.get(indicator.source)
    rows = indicators.drill_rows(indicator.source, cell.ids, cell.met_ids) if definition else []
    return Drill(sheet, indicator, unit, cell, rows, str(definition.basis) if definition else "")


# --- notices, interviews, commendations


def accountability_list(year: int) -> QuerySet[Accountability]:
    return (
        Accountability.objects.filter(on__year=year)
        .select_related("unit", "attachment")
        .order_by("-on", "-id")
    )


def commendation_list(year: int) -> QuerySet[Commendation]:
    return (
        Commendation.objects.filter(on__year=year)
        .select_related("unit", "attachment")
        .order_by("-on", "-id")
    )


def units_for_choice() -> QuerySet[Unit]:
    return (
        Unit.objects.filter(is_external=False)
        .filter(~Q(kind=UnitKind.EXTERNAL))
        .order_by("region_id", "name")
    )
