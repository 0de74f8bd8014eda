"""The dispute lifecycle, move by move, and its time limits."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from ipshield.accounts.models import Notification
from ipshield.common.errors import DomainError
from ipshield.credit.models import CreditRecord, RecordSource
from ipshield.disputes import deadlines, errors, record, services
from ipshield.disputes.models import Agreement, Conflict, Mediator, Side
from ipshield.disputes.workflow import TRANSITIONS, Action, Status, allowed
from tests.accounts.factories import make_person
from tests.disputes.conftest import apply

pytestmark = pytest.mark.django_db


def refuse(code: str, call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def mediating(bodies, world, **overrides):
    dispute = apply(bodies, world, **overrides)
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    return services.dispute_assign(actor=world.mediator, dispute=dispute, mediator=bodies.mediator)


def agreed(bodies, world, *, today=None, **overrides):
    """A dispute whose agreement took effect (the signing itself is tested in test_signing)."""
    dispute = mediating(bodies, world, **overrides)
    text = "被申请人于十日内赔偿申请人损失人民币三万元。"
    Agreement.objects.create(
        dispute=dispute,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        performance_due_on=(today or timezone.localdate()) + dt.timedelta(days=10),
    )
    return services.agreement_took_effect(dispute, actor=world.mediator, today=today)


def test_every_action_names_its_sources_target_and_sides():
    assert set(TRANSITIONS) == set(Action.values)
    for action, transition in TRANSITIONS.items():
        assert transition.sources and transition.sides, action
    assert allowed(Status.ACCEPTED, {"respondent"}) == [
        Action.CONSENT,
        Action.REFUSE,
        Action.WITHDRAW,
    ]
    assert allowed(Status.ACCEPTED, {"applicant"}) == [Action.WITHDRAW]


def test_an_online_application_links_the_respondent_by_phone_and_tells_the_organisation(
    bodies, world
):
    dispute = apply(bodies, world)
    assert dispute.status == Status.APPLIED
    assert dispute.number.endswith("号") and "调〔" in dispute.number
    applicant, respondent = (
        dispute.parties.get(side=Side.APPLICANT),
        dispute.parties.get(side=Side.RESPONDENT),
    )
    assert applicant.user == bodies.applicant and respondent.user == bodies.respondent
    assert str(dispute.claim_amount) == "50000.00"
    assert Notification.objects.filter(user=world.mediator, kind="dispute.applied").exists()
    assert list(dispute.events.values_list("verb", flat=True)) == ["apply"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"facts": ""}, "facts"),
        ({"claims": []}, "claims"),
        ({"claims": [{"text": "赔偿", "amount": "-5"}]}, "claims.0.amount"),
        ({"claims": [{"text": "赔偿", "amount": "NaN"}]}, "claims.0.amount"),
        ({"claims": [{"text": "", "amount": "5"}]}, "claims.0.text"),
        ({"respondents": []}, "respondents.0.name"),
        ({"respondents": [{"name": ""}]}, "respondents.0.name"),
        ({"right_kind": "nonsense"}, "right_kind"),
        ({"title": "纠" * 201}, "title"),
    ],
)
def test_bad_applications_are_refused_naming_the_field_and_nothing_is_saved(
    bodies, world, overrides, field
):
    with pytest.raises(DomainError) as caught:
        apply(bodies, world, **overrides)
    assert caught.value.field == field
    from ipshield.disputes.models import Dispute

    assert not Dispute.objects.exists()


def test_a_court_or_commission_does_not_take_mediation_applications(bodies, world):
    refuse(errors.NOT_MEDIATING_BODY, apply, bodies, world, organisation=bodies.commission)


def test_consent_mediator_and_the_mediation_limit(bodies, world):
    today = timezone.localdate()
    dispute = apply(bodies, world)
    refuse(errors.NOT_YOURS, services.dispute_accept, actor=bodies.respondent, dispute=dispute)
    dispute = services.dispute_accept(actor=world.mediator, dispute=dispute, today=today)
    assert dispute.status == Status.ACCEPTED
    assert dispute.due_on == today + dt.timedelta(days=30)
    assert deadlines.running(dispute, deadlines.MEDIATION).due_on == dispute.due_on
    # The applicant cannot consent for the respondent.
    refuse(
        errors.NOT_YOURS,
        services.dispute_consent,
        actor=bodies.applicant,
        dispute=dispute,
        consent=True,
    )
    dispute = services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    assert dispute.status == Status.CONSENTED
    dispute = services.dispute_assign(
        actor=world.mediator, dispute=dispute, mediator=bodies.mediator
    )
    assert dispute.status == Status.MEDIATING
    bodies.mediator.refresh_from_db()
    assert bodies.mediator.active_count == 1


def test_a_refusal_ends_mediation(bodies, world):
    dispute = apply(bodies, world)
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    dispute = services.dispute_consent(
        actor=bodies.respondent, dispute=dispute, consent=False, reason="不愿调解"
    )
    assert dispute.status == Status.REFUSED
    assert deadlines.running(dispute, deadlines.MEDIATION) is None
    assert Notification.objects.filter(user=bodies.applicant, kind="dispute.refused").exists()
    refuse(
        errors.NOT_ALLOWED,
        services.dispute_assign,
        actor=world.mediator,
        dispute=dispute,
        mediator=bodies.mediator,
    )


def test_the_organisation_records_consent_of_a_respondent_without_an_account(bodies, world):
    dispute = apply(bodies, world, respondents=[{"name": "某个体户", "phone": ""}])
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    party = dispute.parties.get(side=Side.RESPONDENT)
    refuse(
        errors.NOT_YOURS,
        services.dispute_consent,
        actor=bodies.applicant,
        dispute=dispute,
        consent=True,
        party_id=party.pk,
    )
    dispute = services.dispute_consent(
        actor=world.mediator, dispute=dispute, consent=True, party_id=party.pk
    )
    assert dispute.status == Status.CONSENTED


def test_someone_else_cannot_act_on_the_dispute(bodies, world):
    dispute = apply(bodies, world)
    stranger = make_person("public", username="stranger")
    refuse(errors.NOT_YOURS, services.dispute_withdraw, actor=stranger, dispute=dispute)
    refuse(
        errors.NOT_YOURS, services.dispute_decline, actor=world.officer, dispute=dispute, reason="x"
    )


def test_a_declared_conflict_keeps_the_mediator_off_the_dispute(bodies, world):
    Conflict.objects.create(
        mediator=bodies.mediator, name="保德县某商贸有限公司", reason="亲属任股东"
    )
    dispute = apply(bodies, world)
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    error = refuse(
        errors.MEDIATOR_CONFLICT,
        services.dispute_assign,
        actor=world.mediator,
        dispute=dispute,
        mediator=bodies.mediator,
    )
    assert error.field == "mediator"
    dispute = services.dispute_assign(
        actor=world.mediator, dispute=dispute, mediator=bodies.mediator2
    )
    assert dispute.mediator == bodies.mediator2


def test_a_recused_mediator_leaves_and_is_not_assigned_again(bodies, world):
    dispute = mediating(bodies, world)
    dispute = services.dispute_recuse(actor=bodies.respondent, dispute=dispute, reason="曾代理对方")
    assert dispute.status == Status.CONSENTED and dispute.mediator is None
    assert services.recused(dispute) == {bodies.mediator.pk}
    refuse(
        errors.MEDIATOR_CONFLICT,
        services.dispute_assign,
        actor=world.mediator,
        dispute=dispute,
        mediator=bodies.mediator,
    )
    bodies.mediator.refresh_from_db()
    assert bodies.mediator.active_count == 0


def test_unavailable_and_foreign_mediators_are_refused(bodies, world):
    dispute = apply(bodies, world)
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    Mediator.objects.filter(pk=bodies.mediator2.pk).update(available=False)
    bodies.mediator2.refresh_from_db()
    refuse(
        errors.MEDIATOR_UNAVAILABLE,
        services.dispute_assign,
        actor=world.mediator,
        dispute=dispute,
        mediator=bodies.mediator2,
    )
    outsider = Mediator.objects.create(
        user=make_person("mediator", username="arb-med"),
        organisation=bodies.commission,
        name="外单位",
        region=world.county,
    )
    refuse(
        errors.MEDIATOR_OTHER_ORGANISATION,
        services.dispute_assign,
        actor=world.mediator,
        dispute=dispute,
        mediator=outsider,
    )


def test_extending_mediation_needs_every_partys_consent(bodies, world):
    dispute = mediating(bodies, world)
    due = dispute.due_on
    error = refuse(
        errors.FIELD_REQUIRED,
        services.dispute_extend,
        actor=bodies.mediator.user,
        dispute=dispute,
        until=due + dt.timedelta(days=10),
        parties_agree=False,
    )
    assert error.field == "parties_agree"
    refuse(
        errors.FIELD_INVALID,
        services.dispute_extend,
        actor=bodies.mediator.user,
        dispute=dispute,
        until=due,
        parties_agree=True,
    )
    refuse(
        errors.FIELD_INVALID,
        services.dispute_extend,
        actor=bodies.mediator.user,
        dispute=dispute,
        until="2026-13-01",
        parties_agree=True,
    )
    dispute = services.dispute_extend(
        actor=bodies.mediator.user,
        dispute=dispute,
        until=due + dt.timedelta(days=10),
        parties_agree=True,
    )
    assert dispute.due_on == due + dt.timedelta(days=10) and dispute.extended


def test_failure_and_withdrawal_end_with_the_counters_kept(bodies, world):
    dispute = mediating(bodies, world)
    refuse(
        errors.FIELD_REQUIRED,
        services.dispute_fail,
        actor=bodies.mediator.user,
        dispute=dispute,
        reason="",
    )
    dispute = services.dispute_fail(
        actor=bodies.mediator.user, dispute=dispute, reason="双方赔偿金额差距过大"
    )
    assert dispute.status == Status.FAILED and dispute.ended_at
    bodies.mediator.refresh_from_db()
    assert (
        bodies.mediator.active_count,
        bodies.mediator.closed_count,
        bodies.mediator.agreed_count,
    ) == (0, 1, 0)
    refuse(errors.NOT_ALLOWED, services.dispute_withdraw, actor=bodies.applicant, dispute=dispute)
    other = apply(bodies, world)
    other = services.dispute_withdraw(actor=bodies.applicant, dispute=other)
    assert other.status == Status.WITHDRAWN


def test_judicial_confirmation_is_joint_and_within_thirty_days(bodies, world):
    effective = timezone.localdate() - dt.timedelta(days=31)
    dispute = agreed(bodies, world, today=effective)
    assert dispute.status == Status.AGREED
    assert deadlines.running(
        dispute, deadlines.CONFIRMATION_APPLY
    ).due_on == effective + dt.timedelta(days=30)
    error = refuse(
        errors.CONFIRMATION_LATE,
        services.confirmation_apply,
        actor=bodies.applicant,
        dispute=dispute,
        court=bodies.court_unit,
    )
    assert error.field == "applied_on"
    # The thirtieth day is still in time.
    confirmation = services.confirmation_apply(
        actor=bodies.applicant,
        dispute=dispute,
        court=bodies.court_unit,
        today=effective + dt.timedelta(days=30),
    )
    assert confirmation.complete_on is None  # waiting for the respondent to join
    refuse(errors.NOT_ALLOWED, services.confirmation_accept, actor=bodies.judge, dispute=dispute)
    confirmation = services.confirmation_apply(
        actor=bodies.respondent, dispute=dispute, today=effective + dt.timedelta(days=30)
    )
    assert confirmation.complete_on == effective + dt.timedelta(days=30)
    assert Notification.objects.filter(
        user=bodies.judge, kind="dispute.confirmation_applied"
    ).exists()


def test_agreements_on_ownership_or_validity_cannot_be_confirmed(bodies, world):
    dispute = agreed(bodies, world)
    error = refuse(
        errors.CONFIRMATION_EXCLUDED,
        services.confirmation_apply,
        actor=bodies.applicant,
        dispute=dispute,
        court=bodies.court_unit,
        concerns_ownership=True,
    )
    assert error.field == "concerns_ownership"
    error = refuse(
        errors.NOT_A_COURT,
        services.confirmation_apply,
        actor=bodies.applicant,
        dispute=dispute,
        court=world.market,
    )
    assert error.field == "court"


def test_the_court_accepts_extends_once_and_rules(bodies, world):
    today = timezone.localdate()
    dispute = agreed(bodies, world)
    services.confirmation_apply(actor=bodies.applicant, dispute=dispute, court=bodies.court_unit)
    services.confirmation_apply(actor=bodies.respondent, dispute=dispute)
    assert deadlines.running(dispute, deadlines.COURT_ACCEPT).due_on == today + dt.timedelta(days=3)
    refuse(errors.NOT_YOURS, services.confirmation_accept, actor=world.officer, dispute=dispute)
    services.confirmation_accept(actor=bodies.judge, dispute=dispute, today=today)
    assert deadlines.running(dispute, deadlines.COURT_DECIDE).due_on == today + dt.timedelta(
        days=15
    )
    refuse(
        errors.FIELD_REQUIRED,
        services.confirmation_extend,
        actor=bodies.judge,
        dispute=dispute,
        approval="",
    )
    services.confirmation_extend(actor=bodies.judge, dispute=dispute, approval="院长2026-12-08批准")
    assert deadlines.running(dispute, deadlines.COURT_DECIDE).due_on == today + dt.timedelta(
        days=25
    )
    refuse(
        errors.EXTENSION_DONE,
        services.confirmation_extend,
        actor=bodies.judge,
        dispute=dispute,
        approval="再次",
    )
    confirmation = services.confirmation_decide(
        actor=bodies.judge,
        dispute=dispute,
        confirmed=True,
        ruling_number="（2026）晋0931民特12号",
        ruling_text="确认调解协议有效。",
    )
    dispute.refresh_from_db()
    assert dispute.status == Status.CONFIRMED and confirmation.decided_on == today
    assert deadlines.running(dispute, deadlines.COURT_DECIDE) is None


def test_not_performed_makes_the_credit_record_of_that_source(bodies, world):
    dispute = agreed(bodies, world)
    refuse(
        errors.NOT_YOURS,
        services.performance_record,
        actor=bodies.applicant,
        dispute=dispute,
        performed=False,
        note="未付款",
    )
    refuse(
        errors.FIELD_REQUIRED,
        services.performance_record,
        actor=world.mediator,
        dispute=dispute,
        performed=False,
        note="",
    )
    dispute = services.performance_record(
        actor=world.mediator, dispute=dispute, performed=False, note="履行期限届满未付款"
    )
    assert dispute.status == Status.NOT_PERFORMED
    credit = CreditRecord.objects.get(source=RecordSource.MEDIATION_BREACH)
    assert (
        credit.subject_name == "保德县某商贸有限公司" and credit.document_number == dispute.number
    )
    assert dispute.credit_record == credit


def test_the_applicant_confirms_performance(bodies, world):
    dispute = agreed(bodies, world)
    dispute = services.performance_record(actor=bodies.applicant, dispute=dispute, performed=True)
    assert dispute.status == Status.PERFORMED
    assert deadlines.running(dispute, deadlines.PERFORMANCE) is None
    assert not CreditRecord.objects.exists()


def test_arbitration_referral_and_award(bodies, world):
    dispute = mediating(bodies, world)
    refuse(
        errors.NOT_A_COMMISSION,
        services.arbitration_refer,
        actor=world.mediator,
        dispute=dispute,
        commission=bodies.committee,
        clause="双方同意提交仲裁",
    )
    services.arbitration_refer(
        actor=world.mediator,
        dispute=dispute,
        commission=bodies.commission,
        clause="双方于2026年12月8日签订仲裁协议，提交忻州仲裁委员会仲裁。",
    )
    dispute.refresh_from_db()
    assert dispute.status == Status.ARBITRATION
    refuse(
        errors.NOT_YOURS,
        services.arbitration_award,
        actor=world.mediator,
        dispute=dispute,
        award_number="x",
        award_summary="y",
        award_on=timezone.localdate(),
    )
    refuse(
        errors.FIELD_INVALID,
        services.arbitration_award,
        actor=bodies.arbitrator,
        dispute=dispute,
        award_number="（2026）忻仲裁字第5号",
        award_summary="赔偿三万元",
        award_on=timezone.localdate() + dt.timedelta(days=1),
    )
    services.arbitration_award(
        actor=bodies.arbitrator,
        dispute=dispute,
        award_number="（2026）忻仲裁字第5号",
        award_summary="赔偿三万元",
        award_on=timezone.localdate(),
    )
    dispute.refresh_from_db()
    assert dispute.status == Status.AWARDED


def test_read_only_roles_change_nothing(bodies, world):
    dispute = apply(bodies, world)
    refuse("read_only", services.dispute_accept, actor=world.auditor, dispute=dispute)


def test_reminders_go_once_before_and_weekly_after(bodies, world):
    today = timezone.localdate()
    dispute = mediating(bodies, world)
    due = dispute.due_on
    assert services.reminders_send(today=due - dt.timedelta(days=4)) == 0
    assert services.reminders_send(today=due - dt.timedelta(days=3)) == 1
    assert services.reminders_send(today=due - dt.timedelta(days=2)) == 0
    soon = Notification.objects.filter(user=bodies.mediator.user, kind="dispute.deadline_soon")
    assert soon.count() == 1 and "调解期限" in soon.get().message
    assert services.reminders_send(today=due + dt.timedelta(days=1)) == 1
    assert services.reminders_send(today=due + dt.timedelta(days=2)) == 0
    assert services.reminders_send(today=due + dt.timedelta(days=8)) == 1
    assert today  # the limits ran from the day of acceptance


def test_the_record_is_chained_and_anchored(bodies, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispute = mediating(bodies, world)
    verbs = list(dispute.events.order_by("seq").values_list("verb", flat=True))
    assert verbs == ["apply", "accept", "consent", "assign"]
    check = record.check(dispute)
    assert check.ok and check.anchored == 4 and check.pending == 0
    # An edited row no longer matches its hash.
    from ipshield.disputes.models import DisputeEvent

    DisputeEvent.objects.filter(dispute=dispute, seq=2).update(params={"due_on": "2099-01-01"})
    check = record.check(dispute)
    assert not check.ok and check.bad_seq == 2
