"""Assistance requests (案件协办): send → acknowledge → reply/decline, refusals with stable codes,
and who sees the case and the request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ipshield.cases import record, services
from ipshield.cases.models import CaseEvent, CaseEventVerb
from ipshield.cases.selectors import case_visible_to
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.cooperation import errors, selectors
from ipshield.cooperation import services as coop
from ipshield.cooperation.models import AssistanceRequest, CooperationEvent
from ipshield.cooperation.workflow import AssistanceStatus
from tests.cases.factories import receive
from tests.cooperation.factories import due, external_unit, handled_case, third_officer


def send(world, case, *, to_unit=None, asked="请协助核查涉案仓库的经营情况", **extra):
    return coop.assistance_request_send(
        actor=world.officer,
        case=case,
        to_unit=to_unit or world.culture,
        asked=asked,
        due_on=extra.pop("due_on", due()),
    )


def verbs(target) -> list[str]:
    return [e.verb for e in selectors.history(target)]


def test_send_acknowledge_reply_is_recorded_for_both_sides(world):
    case = handled_case(world)
    request = send(world, case)
    assert request.status == AssistanceStatus.SENT and request.from_unit == world.market
    assert request.sent_at is not None and request.acknowledged_at is None

    request = coop.assistance_request_acknowledge(actor=world.officer_culture, request=request)
    assert request.status == AssistanceStatus.ACKNOWLEDGED
    assert request.acknowledged_by == world.officer_culture and request.acknowledged_at

    request = coop.assistance_request_reply(
        actor=world.officer_culture, request=request, reply="经核查，仓库存放涉案红枣 200 箱。"
    )
    request.refresh_from_db()
    assert request.status == AssistanceStatus.REPLIED
    assert request.reply == "经核查，仓库存放涉案红枣 200 箱。" and request.answered_at

    # Both sides see the request and the same history.
    for user in (world.officer, world.officer_culture):
        seen = selectors.assistance_request_get(actor=user, request_id=request.pk)
        assert seen == request
    assert verbs(request) == ["request.sent", "request.acknowledged", "request.replied"]
    units = [e.unit for e in selectors.history(request)]
    assert units == [world.market, world.culture, world.culture]
    # The case's own timeline says so too, and still verifies.
    notes = list(
        CaseEvent.objects.filter(case=case, verb=CaseEventVerb.NOTE_ADDED).values_list(
            "note", flat=True
        )
    )
    assert any("发出协办请求" in n for n in notes)
    assert any("回复协办请求" in n and "200 箱" in n for n in notes)
    assert record.verify_chain(case) is None


def test_receiver_sees_the_case_only_after_sending_and_a_third_unit_never(world):
    outsider = third_officer(world)
    case = handled_case(world)
    assert not case_visible_to(actor=world.officer_culture, case_id=case.pk)
    request = send(world, case)
    assert case_visible_to(actor=world.officer_culture, case_id=case.pk)
    assert not case_visible_to(actor=outsider, case_id=case.pk)
    assert selectors.assistance_request_get(actor=outsider, request_id=request.pk) is None
    assert list(selectors.assistance_request_list(actor=outsider)) == []
    # Directions, and auditors see every request.
    assert list(selectors.assistance_request_list(actor=world.officer, direction="sent")) == [
        request
    ]
    assert list(selectors.assistance_request_list(actor=world.officer, direction="received")) == []
    assert list(
        selectors.assistance_request_list(actor=world.officer_culture, direction="received")
    ) == [request]
    assert list(selectors.assistance_request_list(actor=world.auditor)) == [request]
    assert list(selectors.assistance_request_list(actor=world.holder_user)) == []


def test_wrong_unit_cannot_acknowledge(world):
    outsider = third_officer(world)
    request = send(world, handled_case(world))
    with pytest.raises(PermissionDenied) as info:
        coop.assistance_request_acknowledge(actor=world.officer, request=request)
    assert info.value.code == errors.NOT_RECEIVER and info.value.field == "to_unit"
    with pytest.raises(NotFound):
        coop.assistance_request_acknowledge(actor=outsider, request=request)
    with pytest.raises(PermissionDenied) as info:
        coop.assistance_request_acknowledge(actor=world.auditor, request=request)
    assert info.value.code == "read_only"
    request.refresh_from_db()
    assert request.status == AssistanceStatus.SENT
    assert verbs(request) == ["request.sent"]


def test_double_acknowledge_is_refused(world):
    request = send(world, handled_case(world))
    coop.assistance_request_acknowledge(actor=world.officer_culture, request=request)
    with pytest.raises(Conflict) as info:
        coop.assistance_request_acknowledge(actor=world.officer_culture, request=request)
    assert info.value.code == errors.ALREADY_ACKNOWLEDGED and info.value.field == "status"
    assert verbs(request) == ["request.sent", "request.acknowledged"]


def test_reply_before_acknowledge_is_refused(world):
    request = send(world, handled_case(world))
    with pytest.raises(Conflict) as info:
        coop.assistance_request_reply(actor=world.officer_culture, request=request, reply="好")
    assert info.value.code == errors.NOT_ACKNOWLEDGED
    request.refresh_from_db()
    assert request.status == AssistanceStatus.SENT and request.reply == ""


def test_decline_needs_a_reason_and_ends_the_request(world):
    request = send(world, handled_case(world))
    with pytest.raises(InvalidInput) as info:
        coop.assistance_request_decline(actor=world.officer_culture, request=request, reason=" ")
    assert info.value.code == errors.REASON_REQUIRED and info.value.field == "reason"
    assert "拒绝理由" in info.value.message
    request = coop.assistance_request_decline(
        actor=world.officer_culture, request=request, reason="不属于本单位职责范围"
    )
    request.refresh_from_db()
    assert request.status == AssistanceStatus.DECLINED
    assert request.decline_reason == "不属于本单位职责范围"
    assert request.acknowledged_at is not None  # declining confirms receipt
    with pytest.raises(Conflict) as info:
        coop.assistance_request_reply(actor=world.officer_culture, request=request, reply="x")
    assert info.value.code == errors.ALREADY_ANSWERED
    with pytest.raises(Conflict) as info:
        coop.assistance_request_acknowledge(actor=world.officer_culture, request=request)
    assert info.value.code == errors.ALREADY_ANSWERED
    assert verbs(request) == ["request.sent", "request.declined"]


def test_reply_needs_text(world):
    request = send(world, handled_case(world))
    coop.assistance_request_acknowledge(actor=world.officer_culture, request=request)
    with pytest.raises(InvalidInput) as info:
        coop.assistance_request_reply(actor=world.officer_culture, request=request, reply="")
    assert info.value.field == "reply" and info.value.code == errors.FIELD_REQUIRED


def test_sending_is_checked(world):
    case = handled_case(world)
    with pytest.raises(InvalidInput) as info:
        send(world, case, asked="  ")
    assert info.value.field == "asked"
    with pytest.raises(InvalidInput) as info:
        send(world, case, due_on=timezone.localdate() - dt.timedelta(days=1))
    assert info.value.code == errors.DUE_IN_PAST and info.value.field == "due_on"
    with pytest.raises(InvalidInput) as info:
        send(world, case, to_unit=world.market)
    assert info.value.code == errors.SAME_UNIT and info.value.field == "to_unit"
    # A unit that only sees the case (through a share) does not handle it.
    send(world, case)
    with pytest.raises(PermissionDenied) as info:
        coop.assistance_request_send(
            actor=world.officer_culture,
            case=case,
            to_unit=world.agriculture,
            asked="转请协助",
            due_on=due(),
        )
    assert info.value.code == errors.CASE_NOT_OWNED
    # Another unit's case is not even found.
    with pytest.raises(NotFound):
        coop.assistance_request_send(
            actor=world.officer_other, case=case, to_unit=world.culture, asked="x", due_on=due()
        )
    # Read-only roles and people outside units may not send.
    with pytest.raises(PermissionDenied):
        coop.assistance_request_send(
            actor=world.auditor, case=case, to_unit=world.culture, asked="x", due_on=due()
        )
    with pytest.raises(PermissionDenied):
        coop.assistance_request_send(
            actor=world.holder_user, case=case, to_unit=world.culture, asked="x", due_on=due()
        )
    assert AssistanceRequest.objects.count() == 1


def test_a_finished_case_takes_no_requests(world):
    case = services.case_reject(actor=world.officer, case=receive(world), reason="重复")
    with pytest.raises(Conflict) as info:
        send(world, case)
    assert info.value.code == errors.CASE_FINISHED
    assert AssistanceRequest.objects.count() == 0
    assert not case_visible_to(actor=world.officer_culture, case_id=case.pk)


def test_external_unit_answers_are_recorded_by_the_sender_with_its_receipt(world):
    outside = external_unit(world)
    request = send(world, handled_case(world), to_unit=outside)
    with pytest.raises(InvalidInput) as info:
        coop.assistance_request_acknowledge(actor=world.officer, request=request)
    assert info.value.code == errors.RECEIPT_REQUIRED and info.value.field == "receipt_reference"
    request = coop.assistance_request_acknowledge(
        actor=world.officer, request=request, receipt_reference="同市监函〔2026〕12号"
    )
    assert request.receipt_reference == "同市监函〔2026〕12号"
    with pytest.raises(NotFound):  # a unit that is neither side does not see the request
        coop.assistance_request_reply(actor=world.officer_culture, request=request, reply="x")
    request = coop.assistance_request_reply(
        actor=world.officer,
        request=request,
        reply="对方书面答复：已查封。",
        receipt_reference="同市监函〔2026〕13号",
    )
    assert request.status == AssistanceStatus.REPLIED
    assert [e.data.get("receipt_reference") for e in selectors.history(request)][1:] == [
        "同市监函〔2026〕12号",
        "同市监函〔2026〕13号",
    ]


def test_history_is_append_only(world):
    request = send(world, handled_case(world))
    event = CooperationEvent.objects.get(assistance_request=request)
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        CooperationEvent.objects.filter(pk=event.pk).update(note="改")
    with pytest.raises(RuntimeError):
        event.delete()
    # The database refuses too, whatever goes around the ORM.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cooperation_cooperationevent SET note = 'x' WHERE id = %s", [event.pk]
        )
    event.refresh_from_db()
    assert event.note == request.asked
