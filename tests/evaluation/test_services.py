"""The sheet, scoring, ranking, finalising, drill-down, permissions and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ipshield.accounts.models import Unit, UnitKind
from ipshield.audit.models import AuditEvent, Verb
from ipshield.cases import deadlines
from ipshield.cases.models import Source
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.evaluation import errors, indicators, selectors, services
from ipshield.evaluation.models import (
    EvaluationResult,
    Indicator,
    IndicatorScore,
    Rule,
    SheetStatus,
)
from tests.accounts.factories import make_person
from tests.evaluation import factories as f

TODAY = dt.date(2026, 12, 7)
D = dt.date


def sheet_of(world, group, year=2026):
    return services.sheet_create_default(actor=world.officer, year=year)


def only(world, sheet, *codes):
    """Keep the sheet's indicators ``codes`` (and remove the others) — through the service."""
    for item in list(sheet.indicators.all()):
        if item.source not in codes:
            services.indicator_remove(actor=world.officer, indicator=item)


def complaint(world, unit, *, met: bool):
    c = f.case(world, unit=unit, source=Source.COMPLAINT)
    f.limit(c, deadlines.ACCEPT_COMPLAINT, due=D(2026, 3, 10), met=D(2026, 3, 9 if met else 12))
    return c


# --- the sheet


def test_default_sheet_has_the_nine_computed_indicators_summing_to_100(world, group):
    sheet = sheet_of(world, group)
    items = list(sheet.indicators.all())
    assert [i.source for i in items] == list(indicators.REGISTRY)
    assert sum(i.weight for i in items) == 100
    assert sheet.office_unit == world.market and sheet.region == world.county
    assert AuditEvent.objects.filter(verb=Verb.EVALUATION_SHEET_CREATED).count() == 1
    with pytest.raises(Conflict) as caught:
        sheet_of(world, group)
    assert caught.value.code == errors.SHEET_EXISTS and caught.value.field == "year"


def test_only_the_office_edits_the_sheet(world, group):
    sheet = sheet_of(world, group)
    item = sheet.indicators.first()
    leader_elsewhere = make_person("unit_leader", unit=world.culture, username="leader2")
    for someone in (world.officer_culture, world.member, world.auditor, leader_elsewhere):
        with pytest.raises(PermissionDenied):
            services.indicator_save(
                actor=someone,
                sheet=sheet,
                indicator=item,
                name="x",
                source=item.source,
                weight=5,
                rule=Rule.SHARE,
            )
    with pytest.raises(PermissionDenied):
        services.sheet_create_default(actor=world.officer_culture, year=2027)
    assert Indicator.objects.get(pk=item.pk).name == item.name


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight": 0}, "weight"),
        ({"weight": -1}, "weight"),
        ({"weight": "100.5"}, "weight"),
        ({"weight": "abc"}, "weight"),
        ({"weight": "NaN"}, "weight"),
        ({"name": ""}, "name"),
        ({"name": "指标\x00"}, "name"),
        ({"source": "nonsense"}, "source"),
        ({"rule": Rule.RANGE}, "rule"),
        ({"rule": Rule.TARGET, "target": 0}, "target"),
        ({"rule": Rule.TARGET, "target": 120}, "target"),
        ({"source": indicators.TRANSFERS, "limit_days": 61}, "limit_days"),
        ({"source": "entered", "rule": Rule.RANGE, "min_value": 5, "max_value": 5}, "max_value"),
        ({"source": "entered", "rule": Rule.RANGE, "min_value": 0}, "max_value"),
    ],
)
def test_bad_indicator_input_is_refused_naming_the_field(world, group, changes, field):
    sheet = sheet_of(world, group)
    data = {"name": "新指标", "source": indicators.COMPLAINTS, "weight": 10, "rule": Rule.SHARE}
    data.update(changes)
    before = sheet.indicators.count()
    with pytest.raises(InvalidInput) as caught:
        services.indicator_save(actor=world.officer, sheet=sheet, **data)
    assert caught.value.field == field
    assert sheet.indicators.count() == before


def test_entered_values_must_lie_in_the_range(world, group):
    sheet = sheet_of(world, group)
    item = services.indicator_save(
        actor=world.officer,
        sheet=sheet,
        name="宣传工作",
        source="entered",
        weight=10,
        rule=Rule.RANGE,
        min_value=0,
        max_value=10,
    )
    for bad in (-1, "10.01", "x", ""):
        with pytest.raises(InvalidInput) as caught:
            services.value_enter(
                actor=world.officer, indicator=item, unit=world.culture, value=bad, evidence="材料"
            )
        assert caught.value.field == "value"
    with pytest.raises(InvalidInput) as caught:
        services.value_enter(
            actor=world.officer, indicator=item, unit=world.culture, value=8, evidence=" "
        )
    assert caught.value.field == "evidence"
    computed = sheet.indicators.get(source=indicators.COMPLAINTS)
    with pytest.raises(InvalidInput) as caught:
        services.value_enter(
            actor=world.officer, indicator=computed, unit=world.culture, value=8, evidence="x"
        )
    assert caught.value.code == errors.NOT_ENTERED
    with pytest.raises(PermissionDenied):
        services.value_enter(
            actor=world.officer_culture, indicator=item, unit=world.culture, value=8, evidence="x"
        )
    value = services.value_enter(
        actor=world.officer,
        indicator=item,
        unit=world.culture,
        value="7.5",
        evidence="开展宣传活动 3 次",
        attachment=_png(),
    )
    assert value.value == Decimal("7.50") and value.attachment is not None
    row = selectors.evaluation_compute(sheet, today=TODAY).row_of(world.culture.pk)
    cell = next(c for c in row.cells if c.indicator.pk == item.pk)
    assert cell.score == Decimal("7.50")


def _png():
    from tests.supervision.factories import upload

    return upload()


# --- scoring and ranking


def test_scoring_rules():
    item = Indicator(weight=Decimal(20), rule=Rule.SHARE)
    assert selectors.score(item, share=Decimal("0.75")) == Decimal("15.00")
    assert selectors.score(item, share=None) is None
    item = Indicator(weight=Decimal(20), rule=Rule.TARGET, target=Decimal(90))
    assert selectors.score(item, share=Decimal("0.95")) == Decimal("20.00")
    assert selectors.score(item, share=Decimal("0.90")) == Decimal("20.00")
    assert selectors.score(item, share=Decimal("0.45")) == Decimal("10.00")
    item = Indicator(
        weight=Decimal(10), rule=Rule.RANGE, min_value=Decimal(60), max_value=Decimal(100)
    )
    assert selectors.score(item, value=Decimal(80)) == Decimal("5.00")
    assert selectors.score(item, value=Decimal(100)) == Decimal("10.00")


def test_ranking_scales_to_applicable_weights_and_ties_share_a_rank(world, group):
    town = Unit.objects.create(
        name="保德县东关镇人民政府", kind=UnitKind.TOWNSHIP, region=world.county
    )
    sheet = sheet_of(world, group)
    only(world, sheet, indicators.COMPLAINTS, indicators.ASSISTANCE)
    # market: complaints 1/2 (5 of 10 points), no assistance → 5 × 20/10 = 10
    complaint(world, world.market, met=True)
    complaint(world, world.market, met=False)
    # culture: complaints 2/2 (10), assistance 1/2 (5) → 15 of 20 → 15
    complaint(world, world.culture, met=True)
    complaint(world, world.culture, met=True)
    f.assistance(world, to_unit=world.culture, due=D(2026, 4, 1), answered=D(2026, 4, 1))
    f.assistance(world, to_unit=world.culture, due=D(2026, 4, 1), answered=None)
    # agriculture: assistance 2/4 → 5 of 10 → 10: tie with market
    for answered in (D(2026, 4, 1), D(2026, 4, 1), None, None):
        f.assistance(world, to_unit=world.agriculture, due=D(2026, 4, 1), answered=answered)
    # the township: complaints 1/1 → 20
    complaint(world, town, met=True)
    result = selectors.evaluation_compute(sheet, today=TODAY)
    ranked = [(r.unit.pk, r.total, r.rank) for r in result.departments if r.total is not None]
    assert ranked == [
        (world.culture.pk, Decimal("15.00"), 1),
        (world.market.pk, Decimal("10.00"), 2),
        (world.agriculture.pk, Decimal("10.00"), 2),
    ]
    assert [(r.unit.pk, r.total, r.rank) for r in result.townships] == [
        (town.pk, Decimal("20.00"), 1)
    ]
    assert world.other_market.pk not in {r.unit.pk for r in result.departments}  # other region
    unranked = [r for r in result.departments if r.total is None]
    assert all(r.rank is None for r in unranked)


def test_finalising_freezes_the_results(world, group):
    sheet = sheet_of(world, group)
    only(world, sheet, indicators.COMPLAINTS)
    first = complaint(world, world.market, met=True)
    second = complaint(world, world.market, met=False)
    services.sheet_finalize(actor=world.officer, sheet=sheet, today=TODAY)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.FINAL
    result = EvaluationResult.objects.get(sheet=sheet, unit=world.market)
    assert (result.total, result.rank) == (Decimal("5.00"), 1)  # 1 of 2 × 10 points
    score = IndicatorScore.objects.get(result=result)
    assert sorted(score.record_ids) == sorted([first.pk, second.pk])
    # Later changes to the data do not move a finalised year.
    complaint(world, world.market, met=False)
    frozen = selectors.evaluation_for(sheet).row_of(world.market.pk)
    assert frozen.total == Decimal("5.00")
    drill = selectors.drill_down(sheet, score.indicator, world.market)
    assert sorted(r.id for r in drill.rows) == sorted([first.pk, second.pk])
    # Nothing may change any more.
    with pytest.raises(Conflict) as caught:
        services.indicator_save(
            actor=world.officer,
            sheet=sheet,
            name="x",
            source=indicators.COMPLAINTS,
            weight=1,
            rule=Rule.SHARE,
        )
    assert caught.value.code == errors.SHEET_FINAL
    with pytest.raises(Conflict):
        services.sheet_finalize(actor=world.officer, sheet=sheet)
    assert AuditEvent.objects.filter(verb=Verb.EVALUATION_FINALIZED).count() == 1


def test_drill_down_lists_exactly_the_records_counted(world, group):
    sheet = sheet_of(world, group)
    counted = [complaint(world, world.market, met=True), complaint(world, world.market, met=False)]
    complaint(world, world.culture, met=True)  # another unit
    running = f.case(world, source=Source.COMPLAINT)
    f.limit(running, deadlines.ACCEPT_COMPLAINT, due=D(2099, 1, 5), met=None)  # not counted
    item = sheet.indicators.get(source=indicators.COMPLAINTS)
    drill = selectors.drill_down(sheet, item, world.market, today=TODAY)
    assert sorted(r.id for r in drill.rows) == sorted(c.pk for c in counted)
    assert drill.cell.denominator == 2 and drill.cell.numerator == 1
    assert {r.met for r in drill.rows} == {True, False}
    assert all(r.url == f"/workbench/cases/{r.id}/" for r in drill.rows)


def test_notices_interviews_and_commendations(world, group):
    item = services.accountability_record(
        actor=world.officer,
        unit=world.culture,
        kind="interview",
        on="2026-11-20",
        reason="督办任务逾期未完成",
        issued_by="县领导组办公室",
    )
    assert item.get_kind_display() == "约谈"
    praise = services.commendation_record(
        actor=world.officer,
        person="张三",
        unit=world.culture,
        title="知识产权保护先进个人",
        on=D(2026, 12, 1),
        reason="查办假冒商标案件",
        issued_by="保德县人民政府",
    )
    assert list(selectors.accountability_list(2026)) == [item]
    assert list(selectors.commendation_list(2026)) == [praise]
    assert list(selectors.commendation_list(2025)) == []
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {Verb.ACCOUNTABILITY_RECORDED, Verb.COMMENDATION_RECORDED} <= verbs
    with pytest.raises(InvalidInput) as caught:
        services.accountability_record(
            actor=world.officer,
            unit=world.culture,
            kind="beating",
            on="2026-11-20",
            reason="x",
            issued_by="y",
        )
    assert caught.value.field == "kind"
    with pytest.raises(InvalidInput) as caught:
        services.accountability_record(
            actor=world.officer,
            unit=world.culture,
            kind="notice",
            on="2099-01-01",
            reason="x",
            issued_by="y",
        )
    assert caught.value.field == "on"
    with pytest.raises(InvalidInput) as caught:
        services.commendation_record(
            actor=world.officer, title="t", on="2026-01-01", reason="r", issued_by="i"
        )
    assert caught.value.field == "unit"
    with pytest.raises(PermissionDenied):
        services.accountability_record(
            actor=world.officer_culture,
            unit=world.market,
            kind="notice",
            on="2026-11-20",
            reason="x",
            issued_by="y",
        )


def test_a_long_drill_down_says_how_much_it_lists(world, group, monkeypatch):
    sheet = sheet_of(world, group)
    for met in (True, False, True):
        complaint(world, world.market, met=met)
    item = sheet.indicators.get(source=indicators.COMPLAINTS)
    assert selectors.drill_down(sheet, item, world.market, today=TODAY).cut_at is None
    monkeypatch.setattr(indicators, "MAX_ROWS", 2)
    drill = selectors.drill_down(sheet, item, world.market, today=TODAY)
    assert drill.cut_at == 2 and len(drill.rows) == 2 and drill.cell.denominator == 3
