"""API routes of the yearly evaluation (``/api/v1/evaluation/…``): the sheets, a year's
evaluation with every unit's scores and rank, the drill-down to the records behind a score;
the office's writes (the default sheet, indicators, entered values, finalising, notices,
interviews and commendations). Routes are thin: parse, check who may read, call one service
or selector, render. Refusals come back as ``{code, message, field}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ipshield.accounts.models import Unit
from ipshield.common.api import actor, paginated
from ipshield.common.errors import InvalidInput, NotFound, PermissionDenied
from ipshield.common.validation import Day, Id, Year
from ipshield.evaluation import errors, selectors, services
from ipshield.evaluation.models import Indicator, IndicatorSheet

router = Router()
BOUND = 1_000_000  # beyond any weight, share or entered value; the services check the range


class SheetOut(Schema):
    id: int
    year: int
    region_id: int
    region_name: str = Field(..., alias="region.name")
    office_unit_id: int
    status: str
    finalized_at: dt.datetime | None


class IndicatorOut(Schema):
    id: int
    order: int
    name: str
    source: str
    weight: Decimal
    rule: str
    target: Decimal | None
    limit_days: int | None
    min_value: Decimal | None
    max_value: Decimal | None
    note: str


class CellOut(Schema):
    indicator_id: int
    numerator: Decimal | None
    denominator: Decimal | None
    score: Decimal | None


class RowOut(Schema):
    unit_id: int
    unit_name: str
    township: bool
    rank: int | None
    total: Decimal | None
    applicable_weight: Decimal
    scores: list[CellOut]


class EvaluationOut(Schema):
    sheet: SheetOut
    frozen: bool
    total_weight: Decimal
    indicators: list[IndicatorOut]
    departments: list[RowOut]
    townships: list[RowOut]


class DrillRowOut(Schema):
    id: int
    label: str
    detail: str
    met: bool | None
    url: str | None


class DrillOut(Schema):
    indicator_id: int
    unit_id: int
    numerator: Decimal | None
    denominator: Decimal | None
    score: Decimal | None
    basis: str
    records: list[DrillRowOut]
    entered_value: Decimal | None
    evidence: str | None


class SheetIn(Schema):
    year: Year


class IndicatorIn(Schema):
    name: str = Field(..., max_length=100)
    source: str = Field(..., max_length=32, description="计算指标代码，或 entered（录入）")
    weight: Decimal = Field(..., ge=-BOUND, le=BOUND, description="分值，大于 0、不超过 100")
    rule: str = Field(..., max_length=8, description="share / target / range")
    target: Decimal | None = Field(None, ge=-BOUND, le=BOUND, description="目标比例（%）")
    limit_days: int | None = Field(None, ge=1, le=60, description="时限（工作日）")
    min_value: Decimal | None = Field(None, ge=-BOUND, le=BOUND)
    max_value: Decimal | None = Field(None, ge=-BOUND, le=BOUND)
    note: str = Field("", max_length=300)


class ValueIn(Schema):
    unit_id: Id
    value: Decimal = Field(..., ge=-BOUND, le=BOUND)
    evidence: str = Field(..., max_length=2000)


class ValueOut(Schema):
    id: int
    indicator_id: int
    unit_id: int
    value: Decimal
    evidence: str


class AccountabilityIn(Schema):
    unit_id: Id
    kind: str = Field(..., max_length=16, description="notice（通报）或 interview（约谈）")
    on: Day
    reason: str = Field(..., max_length=2000)
    issued_by: str = Field(..., max_length=100)


class AccountabilityOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    kind: str
    on: dt.date
    reason: str
    issued_by: str


class CommendationIn(Schema):
    unit_id: Id | None = None
    person: str = Field("", max_length=64)
    title: str = Field(..., max_length=100)
    on: Day
    reason: str = Field(..., max_length=2000)
    issued_by: str = Field(..., max_length=100)


class CommendationOut(Schema):
    id: int
    unit_id: int | None
    person: str
    title: str
    on: dt.date
    reason: str
    issued_by: str


def _sheet(request: HttpRequest, sheet_id: int) -> IndicatorSheet:
    sheet = IndicatorSheet.objects.select_related("region").filter(pk=sheet_id).first()
    if sheet is None:
        raise NotFound(_("没有该考核指标表。"))
    if not selectors.can_read(actor(request), sheet):
        raise PermissionDenied(
            _("考核评价仅对领导组、审计、单位负责人和领导组办公室开放。"), code=errors.NOT_READER
        )
    return sheet


def _indicator(request: HttpRequest, indicator_id: int) -> Indicator:
    indicator = Indicator.objects.select_related("sheet").filter(pk=indicator_id).first()
    if indicator is None:
        raise NotFound(_("没有该考核指标。"))
    _sheet(request, indicator.sheet_id)
    return indicator


def _unit(unit_id: int | None, field: str = "unit_id") -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise InvalidInput(_("没有该单位。"), field=field, code=errors.UNKNOWN_UNIT)
    return unit


def _row(row: Any) -> dict[str, Any]:
    return {
        "unit_id": row.unit.pk,
        "unit_name": row.unit.name,
        "township": row.township,
        "rank": row.rank,
        "total": row.total,
        "applicable_weight": row.applicable_weight,
        "scores": [
            {
                "indicator_id": c.indicator.pk,
                "numerator": c.numerator,
                "denominator": c.denominator,
                "score": c.score,
            }
            for c in row.cells
        ],
    }


@router.get("/evaluation/sheets", response=list[SheetOut], summary="年度考核指标表")
@paginated(page_size=50)
def sheet_list(request: HttpRequest):
    if not selectors.can_read(actor(request)):
        raise PermissionDenied(
            _("考核评价仅对领导组、审计、单位负责人和领导组办公室开放。"), code=errors.NOT_READER
        )
    return selectors.sheet_list()


@router.post("/evaluation/sheets", response={201: SheetOut}, summary="按默认指标建立年度考核指标表")
def sheet_create(request: HttpRequest, payload: SheetIn):
    return Status(201, services.sheet_create_default(actor=actor(request), year=payload.year))


@router.get(
    "/evaluation/sheets/{sheet_id}", response=EvaluationOut, summary="年度考核评价（得分与排名）"
)
def evaluation(request: HttpRequest, sheet_id: Id):
    sheet = _sheet(request, sheet_id)
    found = selectors.evaluation_for(sheet)
    return {
        "sheet": sheet,
        "frozen": found.frozen,
        "total_weight": found.total_weight,
        "indicators": found.indicators,
        "departments": [_row(r) for r in found.departments],
        "townships": [_row(r) for r in found.townships],
    }


@router.get(
    "/evaluation/sheets/{sheet_id}/scores/{indicator_id}/{unit_id}",
    response=DrillOut,
    summary="得分明细：计入的记录",
)
def drill(request: HttpRequest, sheet_id: Id, indicator_id: Id, unit_id: Id):
    sheet = _sheet(request, sheet_id)
    indicator = get_object_or_404(Indicator, pk=indicator_id, sheet=sheet)
    unit = get_object_or_404(Unit, pk=unit_id)
    if not selectors.can_drill(actor(request), sheet, unit.pk):
        raise PermissionDenied(_("单位负责人只能查看本单位的得分明细。"), code=errors.NOT_READER)
    found = selectors.drill_down(sheet, indicator, unit)
    value = found.cell.value
    return {
        "indicator_id": indicator.pk,
        "unit_id": unit.pk,
        "numerator": found.cell.numerator,
        "denominator": found.cell.denominator,
        "score": found.cell.score,
        "basis": found.basis,
        "records": [r.__dict__ for r in found.rows],
        "entered_value": value.value if value else None,
        "evidence": value.evidence if value else None,
    }


@router.post(
    "/evaluation/sheets/{sheet_id}/indicators",
    response={201: IndicatorOut},
    summary="添加考核指标",
)
def indicator_add(request: HttpRequest, sheet_id: Id, payload: IndicatorIn):
    sheet = _sheet(request, sheet_id)
    return Status(201, services.indicator_save(actor=actor(request), sheet=sheet, **payload.dict()))


@router.put("/evaluation/indicators/{indicator_id}", response=IndicatorOut, summary="修改考核指标")
def indicator_change(request: HttpRequest, indicator_id: Id, payload: IndicatorIn):
    indicator = _indicator(request, indicator_id)
    return services.indicator_save(
        actor=actor(request), sheet=indicator.sheet, indicator=indicator, **payload.dict()
    )


@router.delete(
    "/evaluation/indicators/{indicator_id}", response={204: None}, summary="删除考核指标"
)
def indicator_delete(request: HttpRequest, indicator_id: Id):
    services.indicator_remove(actor=actor(request), indicator=_indicator(request, indicator_id))
    return Status(204, None)


@router.post(
    "/evaluation/indicators/{indicator_id}/values",
    response=ValueOut,
    summary="录入单位得分（附依据）",
)
def value_enter(request: HttpRequest, indicator_id: Id, payload: ValueIn):
    indicator = _indicator(request, indicator_id)
    return services.value_enter(
        actor=actor(request),
        indicator=indicator,
        unit=_unit(payload.unit_id),
        value=payload.value,
        evidence=payload.evidence,
    )


@router.post(
    "/evaluation/sheets/{sheet_id}/finalize", response=SheetOut, summary="确定年度考核结果"
)
def finalize(request: HttpRequest, sheet_id: Id):
    return services.sheet_finalize(actor=actor(request), sheet=_sheet(request, sheet_id))


@router.get(
    "/evaluation/accountability", response=list[AccountabilityOut], summary="通报与约谈（按年度）"
)
@paginated(page_size=50)
def accountability_list(request: HttpRequest, year: Year):
    if not selectors.can_read(actor(request)):
        raise PermissionDenied(
            _("考核评价仅对领导组、审计、单位负责人和领导组办公室开放。"), code=errors.NOT_READER
        )
    return selectors.accountability_list(year)


@router.post(
    "/evaluation/accountability", response={201: AccountabilityOut}, summary="登记通报或约谈"
)
def accountability_add(request: HttpRequest, payload: AccountabilityIn):
    item = services.accountability_record(
        actor=actor(request),
        unit=_unit(payload.unit_id),
        kind=payload.kind,
        on=payload.on,
        reason=payload.reason,
        issued_by=payload.issued_by,
    )
    return Status(201, item)


@router.get("/evaluation/commendations", response=list[CommendationOut], summary="表彰（按年度）")
@paginated(page_size=50)
def commendation_list(request: HttpRequest, year: Year):
    if not selectors.can_read(actor(request)):
        raise PermissionDenied(
            _("考核评价仅对领导组、审计、单位负责人和领导组办公室开放。"), code=errors.NOT_READER
        )
    return selectors.commendation_list(year)


@router.post("/evaluation/commendations", response={201: CommendationOut}, summary="登记表彰")
def commendation_add(request: HttpRequest, payload: CommendationIn):
    item = services.commendation_record(
        actor=actor(request),
        unit=_unit(payload.unit_id),
        person=payload.person,
        title=payload.title,
        on=payload.on,
        reason=payload.reason,
        issued_by=payload.issued_by,
    )
    return Status(201, item)
