"""Transfers (案件移送): propose → accept (the case moves, the old unit keeps a read share) or
refuse (nothing changes), withdrawals, one open transfer per case, and both sides' history."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from ipshield.cases import record, services
from ipshield.cases.models import Case, CaseEvent, CaseEventVerb
from ipshield.cases.selectors import case_list, case_visible_to
from ipshield.cases.workflow import Status
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.cooperation import errors, selectors
from ipshield.cooperation import services as coop
from ipshield.cooperation.models import Transfer
from ipshield.cooperation.workflow import TransferKind, TransferStatus
from tests.cases.factories import receive
from tests.cooperation.factories import external_unit, handled_case, police_unit, third_officer


def propose(world, case, *, to_unit=None, reason="涉案作品侵犯著作权，属文化市场综合执法管辖"):
    return coop.transfer_propose(
        actor=world.officer, case=case, to_unit=to_unit or world.culture, reason=reason
    )


def notes(case) -> list[str]:
    return list(
        CaseEvent.objects.filter(case=case, verb=CaseEventVerb.NOTE_ADDED)
        .order_by("seq")
        .values_list("note", flat=True)
    )


def test_accepting_moves_the_case_and_the_old_unit_keeps_a_view(world):
    case = handled_case(world)
    assert not case_visible_to(actor=world.officer_culture, case_id=case.pk)
    transfer = propose(world, case)
    assert transfer.status == TransferStatus.PROPOSED and transfer.kind == TransferKind.UNIT
    # The receiver reads the case to decide; the case has not moved yet.
    assert case_visible_to(actor=world.officer_culture, case_id=case.pk)
    assert Case.objects.get(pk=case.pk).unit == world.market

    transfer = coop.transfer_accept(
        actor=world.officer_culture, transfer=transfer, note="同意接收。"
    )
    case.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.answered_at
    assert case.unit == world.culture
    # The old unit still sees the case (through a share), the new one owns it.
    assert case_visible_to(actor=world.officer, case_id=case.pk)
    assert list(case_list(actor=world.officer_culture, unit_id=world.culture.pk)) == [case]
    assert list(case_list(actor=world.officer, unit_id=world.market.pk)) == []
    # Both sides see the transfer and its history; the case record tells the story.
    for user in (world.officer, world.officer_culture):
        assert selectors.transfer_get(actor=user, transfer_id=transfer.pk) == transfer
    history = list(selectors.history(transfer))
    assert [e.verb for e in history] == ["transfer.proposed", "transfer.accepted"]
    assert history[1].data["case_unit_before"] == world.market.pk
    assert history[1].data["case_unit_after"] == world.culture.pk
    texts = notes(case)
    assert any("提出移送其他单位至保德县文化和旅游局" in n for n in texts)
    assert any("承办单位由保德县市场监督管理局变更为保德县文化和旅游局" in n for n in texts)
    assert record.verify_chain(case) is None
    # The new unit handles the case from here.
    services.case_request_opening(
        actor=world.officer_culture, case=case, proposal="open", opinion="接收后立案"
    )


def test_old_unit_cannot_act_on_a_transferred_case(world):
    case = handled_case(world)
    transfer = propose(world, case)
    coop.transfer_accept(actor=world.officer_culture, transfer=transfer)
    with pytest.raises(PermissionDenied):
        services.case_start_investigation(actor=world.officer, case=case)


def test_refusing_changes_nothing_but_is_recorded(world):
    case = handled_case(world)
    transfer = propose(world, case)
    with pytest.raises(InvalidInput) as info:
        coop.transfer_refuse(actor=world.officer_culture, transfer=transfer, reason="")
    assert info.value.code == errors.REASON_REQUIRED and info.value.field == "reason"
    transfer = coop.transfer_refuse(
        actor=world.officer_culture, transfer=transfer, reason="不属于本单位管辖"
    )
    case.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED
    assert transfer.answer_note == "不属于本单位管辖"
    assert case.unit == world.market and case.status == Status.ACCEPTED
    assert [e.verb for e in selectors.history(transfer)] == [
        "transfer.proposed",
        "transfer.refused",
    ]
    assert any("拒绝接收" in n and "不属于本单位管辖" in n for n in notes(case))
    # The case may be offered again.
    again = propose(world, case, to_unit=world.agriculture)
    assert again.status == TransferStatus.PROPOSED


def test_wrong_unit_cannot_answer(world):
    outsider = third_officer(world)
    transfer = propose(world, handled_case(world))
    with pytest.raises(PermissionDenied) as info:
        coop.transfer_accept(actor=world.officer, transfer=transfer)
    assert info.value.code == errors.NOT_RECEIVER
    with pytest.raises(NotFound):
        coop.transfer_accept(actor=outsider, transfer=transfer)
    with pytest.raises(NotFound):
        coop.transfer_refuse(actor=outsider, transfer=transfer, reason="x")
    assert not case_visible_to(actor=outsider, case_id=transfer.case_id)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED


def test_double_accept_is_refused(world):
    transfer = propose(world, handled_case(world))
    coop.transfer_accept(actor=world.officer_culture, transfer=transfer)
    with pytest.raises(Conflict) as info:
        coop.transfer_accept(actor=world.officer_culture, transfer=transfer)
    assert info.value.code == errors.ALREADY_ANSWERED
    with pytest.raises(Conflict) as info:
        coop.transfer_refuse(actor=world.officer_culture, transfer=transfer, reason="x")
    assert info.value.code == errors.ALREADY_ANSWERED


def test_one_open_transfer_per_case_and_withdrawal(world):
    case = handled_case(world)
    first = propose(world, case)
    with pytest.raises(Conflict) as info:
        propose(world, case, to_unit=world.agriculture)
    assert info.value.code == errors.TRANSFER_PENDING
    # The database says so too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            case=case,
            from_unit=world.market,
            to_unit=world.agriculture,
            reason="x",
            proposed_at=first.proposed_at,
        )
    with pytest.raises(PermissionDenied) as info:
        coop.transfer_withdraw(actor=world.officer_culture, transfer=first, reason="x")
    assert info.value.code == errors.NOT_SENDER
    with pytest.raises(InvalidInput):
        coop.transfer_withdraw(actor=world.officer, transfer=first, reason="")
    first = coop.transfer_withdraw(actor=world.officer, transfer=first, reason="发错单位")
    assert first.status == TransferStatus.WITHDRAWN
    with pytest.raises(Conflict) as info:
        coop.transfer_accept(actor=world.officer_culture, transfer=first)
    assert info.value.code == errors.ALREADY_ANSWERED
    second = propose(world, case, to_unit=world.agriculture)
    assert second.status == TransferStatus.PROPOSED


def test_proposing_is_checked(world):
    case = handled_case(world)
    with pytest.raises(InvalidInput) as info:
        propose(world, case, reason=" ")
    assert info.value.field == "reason" and info.value.code == errors.REASON_REQUIRED
    with pytest.raises(InvalidInput) as info:
        propose(world, case, to_unit=world.market)
    assert info.value.code == errors.SAME_UNIT
    with pytest.raises(InvalidInput) as info:
        propose(world, case, to_unit=police_unit(world))
    assert info.value.code == errors.USE_REFERRAL and info.value.field == "to_unit"
    with pytest.raises(NotFound):
        coop.transfer_propose(
            actor=world.officer_culture, case=case, to_unit=world.agriculture, reason="x"
        )
    assert Transfer.objects.count() == 0


def test_cross_region_transfer(world):
    case = handled_case(world)
    transfer = propose(world, case, to_unit=world.other_market, reason="侵权人住所地在道里区")
    assert case_visible_to(actor=world.officer_other, case_id=case.pk)
    coop.transfer_accept(actor=world.officer_other, transfer=transfer)
    case.refresh_from_db()
    assert case.unit == world.other_market
    assert case_visible_to(actor=world.officer, case_id=case.pk)
    assert not case_visible_to(actor=world.officer_culture, case_id=case.pk)


def test_transfer_to_an_external_unit_is_answered_from_its_receipt(world):
    outside = external_unit(world)
    case = handled_case(world)
    transfer = propose(world, case, to_unit=outside)
    with pytest.raises(InvalidInput) as info:
        coop.transfer_accept(actor=world.officer, transfer=transfer)
    assert info.value.code == errors.RECEIPT_REQUIRED
    transfer = coop.transfer_accept(
        actor=world.officer, transfer=transfer, receipt_reference="同市监收〔2026〕7号"
    )
    case.refresh_from_db()
    assert case.unit == outside and transfer.receipt_reference == "同市监收〔2026〕7号"
    assert case_visible_to(actor=world.officer, case_id=case.pk)


def test_a_finished_case_cannot_be_transferred(world):
    case = services.case_reject(actor=world.officer, case=receive(world), reason="x")
    with pytest.raises(Conflict) as info:
        propose(world, case)
    assert info.value.code == errors.CASE_FINISHED
