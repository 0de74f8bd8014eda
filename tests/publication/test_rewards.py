"""Reporter rewards (举报奖励): only for report-origin cases that ended in a penalty; approved
by a unit leader who did not propose it; every step audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ipshield.audit.models import AuditEvent
from ipshield.cases.models import DecisionKind, Source
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.publication import selectors, services
from ipshield.publication.events import Verb
from ipshield.publication.models import RewardStatus
from tests.publication.factories import closed, decided

BASIS = "依据举报奖励办法，举报内容与违法事实完全相符，按罚没款的一定比例给予奖励。"


def _verbs(reward) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="publication.reporterreward", target_id=reward.pk)
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_only_report_origin_penalty_cases(world):
    complaint = decided(world, source=Source.COMPLAINT)
    with pytest.raises(Conflict) as info:
        services.reward_propose(actor=world.officer, case=complaint, amount="500", basis=BASIS)
    assert info.value.code == "not_a_report" and info.value.field == "case"
    no_penalty = decided(
        world, source=Source.REPORT, kind=DecisionKind.NO_VIOLATION, summary="不构成侵权"
    )
    with pytest.raises(Conflict) as info:
        services.reward_propose(actor=world.officer, case=no_penalty, amount="500", basis=BASIS)
    assert info.value.code == "no_penalty_decision"
    report = decided(world, source=Source.REPORT)
    assert list(selectors.reward_candidates(actor=world.officer)) == [report]


def test_propose_validation_names_the_field(world):
    case = decided(world, source=Source.REPORT)
    for amount, basis, field in [
        ("", BASIS, "amount"),
        ("abc", BASIS, "amount"),
        ("-5", BASIS, "amount"),
        ("0", BASIS, "amount"),
        ("1.005", BASIS, "amount"),
        ("500", "  ", "basis"),
    ]:
        with pytest.raises(InvalidInput) as info:
            services.reward_propose(actor=world.officer, case=case, amount=amount, basis=basis)
        assert info.value.field == field, (amount, basis)
    with pytest.raises(PermissionDenied):
        services.reward_propose(actor=world.reviewer, case=case, amount="500", basis=BASIS)
    with pytest.raises(NotFound):
        services.reward_propose(actor=world.officer_other, case=case, amount="500", basis=BASIS)


def test_full_path_approved_by_a_leader_and_paid(world):
    case = closed(world, source=Source.REPORT)
    reward = services.reward_propose(actor=world.officer, case=case, amount="1,200", basis=BASIS)
    assert reward.status == RewardStatus.PROPOSED and reward.amount == Decimal("1200")
    with pytest.raises(Conflict) as info:
        services.reward_propose(actor=world.officer, case=case, amount="300", basis=BASIS)
    assert info.value.code == "reward_exists"
    with pytest.raises(PermissionDenied):  # only a unit leader approves
        services.reward_approve(actor=world.officer, reward=reward)
    with pytest.raises(PermissionDenied):
        services.reward_approve(actor=world.reviewer, reward=reward)
    with pytest.raises(Conflict):  # not approved yet
        services.reward_mark_paid(
            actor=world.officer, reward=reward, paid_on=timezone.localdate(), reference="PZ-1"
        )
    reward = services.reward_approve(actor=world.leader, reward=reward, note="同意")
    assert reward.status == RewardStatus.APPROVED and reward.decided_by == world.leader
    with pytest.raises(Conflict) as info:
        services.reward_refuse(actor=world.leader, reward=reward, reason="改变主意")
    assert info.value.code == "reward_state"

    with pytest.raises(InvalidInput) as info:
        services.reward_mark_paid(actor=world.officer, reward=reward, paid_on=None, reference="PZ")
    assert info.value.field == "paid_on"
    with pytest.raises(InvalidInput) as info:
        services.reward_mark_paid(
            actor=world.officer,
            reward=reward,
            paid_on=timezone.localdate() + dt.timedelta(days=1),
            reference="PZ",
        )
    assert info.value.field == "paid_on"
    with pytest.raises(InvalidInput) as info:
        services.reward_mark_paid(
            actor=world.officer, reward=reward, paid_on=timezone.localdate(), reference=""
        )
    assert info.value.field == "reference"
    reward = services.reward_mark_paid(
        actor=world.officer, reward=reward, paid_on=timezone.localdate(), reference="PZ-2026-001"
    )
    assert reward.status == RewardStatus.PAID and reward.paid_recorded_by == world.officer
    assert _verbs(reward) == [Verb.REWARD_PROPOSED, Verb.REWARD_APPROVED, Verb.REWARD_PAID]


def test_leaders_do_not_approve_their_own_proposals_or_other_units(world):
    case = decided(world, source=Source.REPORT)
    reward = services.reward_propose(actor=world.leader, case=case, amount="800", basis=BASIS)
    with pytest.raises(PermissionDenied) as info:
        services.reward_approve(actor=world.leader, reward=reward)
    assert info.value.code == "four_eyes"
    from tests.accounts.factories import make_person

    other_leader = make_person("unit_leader", unit=world.other_market, username="leader_hrb")
    with pytest.raises(NotFound):
        services.reward_approve(actor=other_leader, reward=reward)
    deputy = make_person("unit_leader", unit=world.market, username="deputy")
    assert services.reward_approve(actor=deputy, reward=reward).status == RewardStatus.APPROVED


def test_refusal_needs_a_reason_and_may_be_proposed_again(world):
    case = decided(world, source=Source.REPORT)
    reward = services.reward_propose(actor=world.officer, case=case, amount="500", basis=BASIS)
    with pytest.raises(InvalidInput) as info:
        services.reward_refuse(actor=world.leader, reward=reward, reason=" ")
    assert info.value.field == "reason"
    reward = services.reward_refuse(actor=world.leader, reward=reward, reason="举报人系当事人员工")
    assert reward.status == RewardStatus.REFUSED and reward.decision_note == "举报人系当事人员工"
    reward = services.reward_propose(
        actor=world.officer, case=case, amount="300", basis=BASIS + "（复核后重新提出）"
    )
    assert reward.status == RewardStatus.PROPOSED and reward.decided_by is None
    assert _verbs(reward) == [Verb.REWARD_PROPOSED, Verb.REWARD_REFUSED, Verb.REWARD_PROPOSED]


def test_reward_pages(world, login):
    case = decided(world, source=Source.REPORT)
    officer = login(world.officer)
    assert case.number in officer.get("/publications/staff/rewards/").content.decode()
    url = f"/publications/staff/rewards/case/{case.pk}/"
    response = officer.post(url, {"amount": "-1", "basis": BASIS})
    assert response.status_code == 200 and 'data-field="amount"' in response.content.decode()
    response = officer.post(url, {"amount": "600", "basis": BASIS})
    assert response.status_code == 302
    reward = selectors.reward_list(actor=world.officer).get()
    leader = login(world.leader)
    act = f"/publications/staff/rewards/{reward.pk}/decide/"
    response = leader.post(act, {"decide-decision": "refuse", "decide-reason": ""})
    assert response.status_code == 400 and 'data-field="reason"' in response.content.decode()
    response = leader.post(act, {"decide-decision": "approve", "decide-reason": "同意"})
    assert response.status_code == 302
    reward.refresh_from_db()
    assert reward.status == RewardStatus.APPROVED
    assert leader.get(f"/publications/staff/rewards/{reward.pk}/").status_code == 200
