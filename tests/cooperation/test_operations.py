"""Joint enforcement (联合执法): the lead unit plans, starts and finishes; participating units
link their own cases, which every participating unit can then read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipshield.cases.selectors import case_visible_to
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.cooperation import errors, selectors
from ipshield.cooperation import services as coop
from ipshield.cooperation.workflow import OperationStatus
from tests.cooperation.factories import handled_case, third_officer


def plan(world, *, units=None, **extra):
    today = timezone.localdate()
    return coop.operation_create(
        actor=world.officer,
        name=extra.pop("name", "2026 年红枣市场知识产权联合执法"),
        units=units if units is not None else [world.culture],
        starts_on=extra.pop("starts_on", today),
        ends_on=extra.pop("ends_on", today + dt.timedelta(days=30)),
        area=extra.pop("area", "保德县东关镇农贸市场"),
        description="检查红枣、海红果包装商标使用情况",
    )


def test_operation_lifecycle_and_case_sharing(world):
    agri_officer = third_officer(world)
    operation = plan(world)
    assert operation.status == OperationStatus.PLANNED
    assert set(operation.units.all()) == {world.market, world.culture}
    case = handled_case(world)
    coop.operation_link_case(actor=world.officer, operation=operation, case=case)
    assert case_visible_to(actor=world.officer_culture, case_id=case.pk)
    assert not case_visible_to(actor=agri_officer, case_id=case.pk)
    assert not case_visible_to(actor=world.officer_other, case_id=case.pk)
    # A unit added later gets the linked cases too.
    coop.operation_add_unit(actor=world.officer, operation=operation, unit=world.agriculture)
    assert case_visible_to(actor=agri_officer, case_id=case.pk)
    assert selectors.operation_get(actor=agri_officer, operation_id=operation.pk) == operation
    assert selectors.operation_get(actor=world.officer_other, operation_id=operation.pk) is None

    # A participant links its own case; everyone in the operation reads it.
    culture_case = handled_case(world, unit=world.culture, officer=world.officer_culture)
    coop.operation_link_case(actor=world.officer_culture, operation=operation, case=culture_case)
    assert case_visible_to(actor=world.officer, case_id=culture_case.pk)

    operation = coop.operation_start(actor=world.officer, operation=operation)
    assert operation.status == OperationStatus.ACTIVE and operation.started_at
    with pytest.raises(InvalidInput) as info:
        coop.operation_finish(actor=world.officer, operation=operation, result_summary="")
    assert info.value.field == "result_summary"
    operation = coop.operation_finish(
        actor=world.officer, operation=operation, result_summary="检查商户 42 家，立案 3 件。"
    )
    assert operation.status == OperationStatus.FINISHED
    assert operation.result_summary == "检查商户 42 家，立案 3 件。"
    with pytest.raises(Conflict) as info:
        coop.operation_start(actor=world.officer, operation=operation)
    assert info.value.code == errors.ILLEGAL_TRANSITION
    with pytest.raises(Conflict):
        coop.operation_link_case(actor=world.officer, operation=operation, case=handled_case(world))
    assert [e.verb for e in selectors.history(operation)] == [
        "operation.created",
        "operation.case_linked",
        "operation.unit_added",
        "operation.case_linked",
        "operation.started",
        "operation.finished",
    ]


def test_only_the_lead_unit_runs_the_operation(world):
    operation = plan(world)
    with pytest.raises(PermissionDenied) as info:
        coop.operation_start(actor=world.officer_culture, operation=operation)
    assert info.value.code == errors.NOT_LEAD_UNIT
    with pytest.raises(PermissionDenied) as info:
        coop.operation_add_unit(
            actor=world.officer_culture, operation=operation, unit=world.agriculture
        )
    assert info.value.code == errors.NOT_LEAD_UNIT
    with pytest.raises(NotFound):
        coop.operation_start(actor=world.officer_other, operation=operation)


def test_participants_link_only_their_own_cases(world):
    operation = plan(world)
    case = handled_case(world)
    with pytest.raises(NotFound):  # the culture bureau does not see the market bureau's case
        coop.operation_link_case(actor=world.officer_culture, operation=operation, case=case)
    other = plan(world, units=[world.agriculture], name="另一行动")
    with pytest.raises(NotFound):
        coop.operation_link_case(actor=world.officer_culture, operation=other, case=case)


def test_planning_is_checked(world):
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as info:
        plan(world, units=[world.market])
    assert info.value.field == "units"
    with pytest.raises(InvalidInput) as info:
        plan(world, starts_on=today, ends_on=today - dt.timedelta(days=1))
    assert info.value.code == errors.INVALID_PERIOD and info.value.field == "ends_on"
    with pytest.raises(InvalidInput) as info:
        plan(world, name=" ")
    assert info.value.field == "name"
    with pytest.raises(PermissionDenied):
        coop.operation_create(
            actor=world.auditor,
            name="x",
            units=[world.culture],
            starts_on=today,
            ends_on=today,
            area="x",
        )
