"""The penalty procedure step by step (《行政处罚法》2021, 《市场监督管理行政处罚程序规定》):
opening approval, prior notice and the party's statement, hearing, collective discussion, the
decision and its number, service, payment with the late-payment surcharge, and closing. Each
limit and refusal is checked with its coded error and its field, and a refused step changes
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ipshield.accounts.models import Notification
from ipshield.cases import procedure, services, walkthrough
from ipshield.cases.models import (
    Case,
    CaseEvent,
    Hearing,
    Payment,
    PriorNotice,
    Service,
    Track,
    WorkdayOverride,
)
from ipshield.cases.workflow import Status
from ipshield.common import inbox
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.engines import workdays
from tests.cases.factories import receive

TODAY = timezone.localdate


def _people(world):
    return {"officer": world.officer, "reviewer": world.reviewer, "leader": world.leader}


def _noticed(world, *, amount=5000, kinds=("fine",), track=Track.ORDINARY, **details):
    """A penalty case at the prior-notice stage, notice not served yet."""
    case = walkthrough.open_case(
        receive(world, track=track, **details), officer=world.officer, leader=world.leader
    )
    case = walkthrough.propose(case, officer=world.officer, amount=amount, kinds=list(kinds))
    case = walkthrough.approve(case, reviewer=world.reviewer, leader=world.leader)
    assert case.status == Status.NOTICE
    return case


def _serve(world, case, step=procedure.SERVE_NOTICE, **data):
    today = TODAY()
    body = {"method": "hand", "sent_on": today, "served_on": today, "recipient": "某店", **data}
    return procedure.run_step(step, world.officer, case, body)


def _age_notice(case, days):
    """Move the prior notice's service ``days`` back, as if that much time had passed."""
    day = TODAY() - dt.timedelta(days=days)
    notice = procedure.latest_notice(case)
    Service.objects.filter(pk=notice.service_id).update(sent_on=day, served_on=day)
    ends = procedure._limit_end(procedure.STATEMENT_PERIOD, day, 5)
    PriorNotice.objects.filter(pk=notice.pk).update(statement_ends_on=ends)
    return day


def _unchanged(case, status):
    events = CaseEvent.objects.filter(case=case).count()

    def check():
        fresh = Case.objects.get(pk=case.pk)
        assert fresh.status == status
        assert CaseEvent.objects.filter(case=case).count() == events

    return check


# --- 1. opening a case


def test_not_opening_is_approved_by_the_leader_and_told_to_the_complainant(world):
    case = receive(world)
    services.case_accept(actor=world.officer, case=case)
    services.case_request_opening(
        actor=world.officer, case=case, proposal="not_open", opinion="权利人未提供权属证明"
    )
    with pytest.raises(PermissionDenied) as info:
        services.case_decline_opening(actor=world.officer, case=case, reason="x")
    assert info.value.code == "role_not_allowed"
    with pytest.raises(InvalidInput) as info:
        services.case_decline_opening(actor=world.leader, case=case, reason="  ")
    assert info.value.field == "reason"
    case = services.case_decline_opening(
        actor=world.leader, case=case, reason="无证据证明存在侵权行为"
    )
    assert case.status == Status.NOT_OPENED and case.closed_at is not None
    assert not case.deadlines.filter(met_at__isnull=True).exists()  # the limits end
    told = Notification.objects.get(user=world.holder_user, kind="submission.not_opened")
    assert "无证据证明存在侵权行为" in told.text
    # The public timeline shows the refusal and its reason, not the internal approval step.
    from ipshield.cases.selectors import public_timeline

    shown = [(e.status, e.detail) for e in public_timeline(case)]
    assert (Status.NOT_OPENED, "无证据证明存在侵权行为") in shown
    assert all(status != Status.OPENING_REVIEW for status, _ in shown)


def test_the_opening_proposal_is_required_and_checked(world):
    case = receive(world)
    services.case_accept(actor=world.officer, case=case)
    check = _unchanged(case, Status.ACCEPTED)
    with pytest.raises(InvalidInput) as info:
        services.case_request_opening(actor=world.officer, case=case, proposal="", opinion="x")
    assert info.value.field == "opening"
    with pytest.raises(InvalidInput) as info:
        services.case_request_opening(actor=world.officer, case=case, proposal="open", opinion="")
    assert info.value.field == "opinion"
    check()
    case = services.case_request_opening(
        actor=world.officer, case=case, proposal="open", opinion="有侵权线索"
    )
    assert case.status == Status.OPENING_REVIEW and case.opening_proposal == "open"
    case = services.case_start_investigation(actor=world.leader, case=case)
    assert case.opened_at is not None
    assert case.deadlines.filter(key="verify_lead", met_at__isnull=False).exists()


# --- 3. review before the decision


def test_an_ordinary_penalty_needs_its_facts_and_legal_basis(world):
    case = walkthrough.open_case(receive(world), officer=world.officer, leader=world.leader)
    check = _unchanged(case, Status.INVESTIGATING)
    for missing in ("facts", "legal_basis"):
        data = {"facts": "事实", "legal_basis": "依据", missing: " "}
        with pytest.raises(InvalidInput) as info:
            services.case_propose_decision(
                actor=world.officer,
                case=case,
                kind="penalty",
                summary="罚款",
                penalty_amount=Decimal("100"),
                **data,
            )
        assert info.value.field == missing
    check()


def test_review_returns_and_wrong_roles(world):
    case = walkthrough.open_case(receive(world), officer=world.officer, leader=world.leader)
    case = walkthrough.propose(case, officer=world.officer, amount=1000)
    with pytest.raises(PermissionDenied):
        services.case_approve_case_review(actor=world.officer, case=case)
    case = services.case_return_case_review(actor=world.reviewer, case=case, reason="证据不足")
    assert case.status == Status.INVESTIGATING
    case = walkthrough.propose(case, officer=world.officer, amount=1000)
    case = services.case_approve_case_review(actor=world.reviewer, case=case)
    assert case.status == Status.LEADER_APPROVAL
    with pytest.raises(PermissionDenied):
        services.case_approve_decision(actor=world.reviewer, case=case)
    case = services.case_return_decision(actor=world.leader, case=case, reason="补充调查")
    assert case.status == Status.INVESTIGATING
    assert Notification.objects.filter(user=world.officer, kind="case.returned").count() == 2


def test_a_major_case_is_decided_after_collective_discussion(world):
    case = _noticed(world, amount=5000, track=Track.MAJOR)
    _serve(world, case)
    procedure.run_step(procedure.RECORD_WAIVER, world.officer, case, {"waived_on": TODAY()})
    # The walkthrough recorded a discussion before approving; a decision without one is refused.
    case.discussions.all().delete()
    check = _unchanged(case, Status.NOTICE)
    with pytest.raises(Conflict) as info:
        services.case_decide(actor=world.leader, case=case)
    assert info.value.code == "collective_discussion_required"
    check()
    with pytest.raises(PermissionDenied):
        walkthrough.discuss(case, leader=world.officer)
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(
            procedure.RECORD_DISCUSSION,
            world.leader,
            case,
            {"held_on": TODAY(), "attendees": "局长", "minutes": "", "conclusion": "同意"},
        )
    assert info.value.field == "minutes"
    walkthrough.discuss(case, leader=world.leader)
    case = services.case_decide(actor=world.leader, case=case)
    assert case.status == Status.DECIDED


# --- 4. prior notice, statement and hearing


def test_the_decision_waits_for_the_statement_period_counted_in_working_days(world):
    case = _noticed(world)
    with pytest.raises(Conflict) as info:  # nothing served yet
        services.case_decide(actor=world.leader, case=case)
    assert info.value.code == "not_served"
    # The administrator records the next three days as days off: the period runs past them.
    for n in (1, 2, 3):
        WorkdayOverride.objects.create(date=TODAY() + dt.timedelta(days=n), is_working_day=False)
    notice = _serve(world, case)
    assert notice.statement_ends_on == workdays.add_working_days(TODAY(), 5)
    assert (notice.statement_ends_on - TODAY()).days >= 8
    check = _unchanged(case, Status.NOTICE)
    with pytest.raises(Conflict) as info:
        services.case_decide(actor=world.leader, case=case)
    assert info.value.code == "statement_period_running"
    check()
    _age_notice(case, 30)  # the period has ended
    case = services.case_decide(actor=world.leader, case=case)
    assert case.status == Status.DECIDED


def test_a_written_waiver_lets_the_leader_decide_at_once(world):
    case = _noticed(world)
    _serve(world, case)
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(procedure.RECORD_WAIVER, world.officer, case, {"waived_on": "x"})
    assert info.value.field == "waived_on"
    tomorrow = TODAY() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(procedure.RECORD_WAIVER, world.officer, case, {"waived_on": tomorrow})
    assert info.value.field == "waived_on"
    procedure.run_step(procedure.RECORD_WAIVER, world.officer, case, {"waived_on": TODAY()})
    assert "case.ready_to_decide" in Notification.objects.filter(user=world.leader).values_list(
        "kind", flat=True
    )
    case = services.case_decide(actor=world.leader, case=case)
    assert case.status == Status.DECIDED


def test_no_heavier_penalty_than_notified(world):
    case = _noticed(world, amount=5000, kinds=("fine",))
    _serve(world, case)
    procedure.run_step(
        procedure.RECORD_STATEMENT,
        world.officer,
        case,
        {"statement": "初次违法，请求从轻", "stated_on": TODAY()},
    )
    procedure.run_step(procedure.RECORD_WAIVER, world.officer, case, {"waived_on": TODAY()})
    check = _unchanged(case, Status.NOTICE)
    with pytest.raises(InvalidInput) as info:
        services.case_decide(actor=world.leader, case=case, penalty_amount=Decimal("5000.01"))
    assert info.value.field == "penalty_amount" and info.value.code == "heavier_than_notified"
    with pytest.raises(InvalidInput) as info:
        services.case_decide(actor=world.leader, case=case, penalty_kinds=["fine", "licence"])
    assert info.value.field == "penalty_kinds" and info.value.code == "heavier_than_notified"
    check()
    case = services.case_decide(actor=world.leader, case=case, penalty_amount=Decimal("3000"))
    assert case.penalty_amount == Decimal("3000") and case.status == Status.DECIDED


def test_a_hearing_from_request_to_decision(world):
    case = _noticed(world, amount=5000, kinds=("fine", "licence"))  # 吊销许可: a hearing right
    notice = _serve(world, case)
    assert notice.hearing_right
    served = _age_notice(case, 3)
    case = services.case_request_hearing(actor=world.officer, case=case, requested_on=served)
    assert case.status == Status.HEARING
    assert "case.hearing" in {i.kind for i in inbox.items_for(world.officer)}
    # The hearing notice must be served seven working days before the hearing.
    early = workdays.add_working_days(served, 7) - dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(
            procedure.SCHEDULE_HEARING,
            world.officer,
            case,
            {"notified_on": served, "held_on": early, "place": "听证室", "host": "王主持"},
        )
    assert info.value.field == "held_on" and info.value.code == "hearing_too_soon"
    held = workdays.add_working_days(served, 7)
    hearing = procedure.run_step(
        procedure.SCHEDULE_HEARING,
        world.officer,
        case,
        {"notified_on": served, "held_on": held, "place": "听证室", "host": "王主持"},
    )
    with pytest.raises(Conflict) as info:  # not held yet
        services.case_record_hearing(
            actor=world.officer, case=case, record_text="笔录", report="报告"
        )
    assert info.value.code == "hearing_not_held"
    # Time passes: the hearing was held.
    Hearing.objects.filter(pk=hearing.pk).update(
        notified_on=served - dt.timedelta(days=20), held_on=served - dt.timedelta(days=5)
    )
    PriorNotice.objects.filter(case=case).update(
        hearing_requested_on=served - dt.timedelta(days=25)
    )
    decide = case.deadlines.get(key="decide_case")
    before = decide.due_on
    case = services.case_record_hearing(
        actor=world.officer, case=case, record_text="当事人到场陈述申辩", report="建议维持"
    )
    assert case.status == Status.LEGAL_REVIEW  # 第五十八条第一款第二项
    decide.refresh_from_db()
    assert decide.due_on == before + dt.timedelta(days=20)  # 听证 time does not count
    case = services.case_approve_review(actor=world.reviewer, case=case)
    assert case.status == Status.NOTICE
    case = services.case_decide(actor=world.leader, case=case)
    assert case.status == Status.DECIDED


def test_hearing_requests_are_checked(world):
    case = _noticed(world, amount=5000, kinds=("fine",))  # 5,000 yuan: no hearing right
    _serve(world, case)
    with pytest.raises(Conflict) as info:
        services.case_request_hearing(actor=world.officer, case=case, requested_on=TODAY())
    assert info.value.code == "no_hearing_right"
    heavy = _noticed(world, amount=5000, kinds=("fine", "licence"))
    _serve(world, heavy)
    served = _age_notice(heavy, 40)
    check = _unchanged(heavy, Status.NOTICE)
    with pytest.raises(InvalidInput) as info:  # more than five working days later
        services.case_request_hearing(actor=world.officer, case=heavy, requested_on=TODAY())
    assert info.value.field == "requested_on" and info.value.code == "hearing_request_late"
    with pytest.raises(InvalidInput) as info:
        services.case_request_hearing(
            actor=world.officer, case=heavy, requested_on=served - dt.timedelta(days=1)
        )
    assert info.value.field == "requested_on"
    check()


# --- 5. decision number and service


def test_decision_numbers_run_per_unit_and_year_without_gaps(world):
    from tests.publication.factories import unit_people

    year = TODAY().year
    numbers = []
    for _ in range(2):
        case = walkthrough.decide(receive(world), **_people(world), amount=1000)
        numbers.append(case.decision_number)
        # A refused decision in between takes no number.
        refused = _noticed(world)
        with pytest.raises(Conflict):
            services.case_decide(actor=world.leader, case=refused)
    assert numbers == [f"县市场局处罚〔{year}〕1号", f"县市场局处罚〔{year}〕2号"]
    reviewer, leader = unit_people(world, world.culture)
    other = walkthrough.decide(
        receive(world, unit=world.culture),
        officer=world.officer_culture,
        reviewer=reviewer,
        leader=leader,
        amount=1000,
    )
    assert other.decision_number == f"县文旅局处罚〔{year}〕1号"


def test_service_of_the_decision_starts_the_time_to_pay(world):
    case = walkthrough.decide(receive(world), **_people(world), amount=10000, serve_decision=False)
    assert case.deadlines.filter(key="serve_decision", met_at__isnull=True).exists()
    check = _unchanged(case, Status.DECIDED)
    with pytest.raises(InvalidInput) as info:
        _serve(world, case, procedure.SERVE_DECISION, method="electronic")
    assert info.value.field == "consent"
    with pytest.raises(InvalidInput) as info:
        _serve(world, case, procedure.SERVE_DECISION, method="pigeon")
    assert info.value.field == "method"
    with pytest.raises(InvalidInput) as info:
        _serve(world, case, procedure.SERVE_DECISION, recipient=" ")
    assert info.value.field == "recipient"
    with pytest.raises(InvalidInput) as info:
        _serve(world, case, procedure.SERVE_DECISION, sent_on=TODAY() - dt.timedelta(days=3))
    assert info.value.field == "sent_on"  # before the decision
    check()
    service = _serve(world, case, procedure.SERVE_DECISION, method="electronic", consent=True)
    case.refresh_from_db()
    assert case.decision_served_on == service.served_on == TODAY()
    assert case.fine_due_on == TODAY() + dt.timedelta(days=15)  # 第六十七条: 十五日
    assert not case.deadlines.filter(key="serve_decision", met_at__isnull=True).exists()
    with pytest.raises(Conflict):
        _serve(world, case, procedure.SERVE_DECISION)


def test_service_by_announcement_counts_after_thirty_days(world):
    case = walkthrough.decide(receive(world), **_people(world), amount=1000, serve_decision=False)
    service = _serve(world, case, procedure.SERVE_DECISION, method="announcement")
    assert service.served_on == TODAY() + dt.timedelta(days=30)


# --- 6. payment and the late-payment surcharge


def test_surcharge_three_percent_a_day_capped_at_the_fine(world):
    case = walkthrough.decide(receive(world), **_people(world), amount=10000)
    due = TODAY() - dt.timedelta(days=10)
    Case.objects.filter(pk=case.pk).update(fine_due_on=due, decision_served_on=due)
    case.refresh_from_db()
    owed = procedure.dues(case)
    assert owed.days_late == 10 and owed.surcharge == Decimal("3000.00")
    assert owed.outstanding == Decimal("13000.00")
    assert procedure.dues(case, due + dt.timedelta(days=50)).surcharge == Decimal("10000.00")
    # Too much is refused, naming the field; nothing is recorded.
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(
            procedure.RECORD_PAYMENT,
            world.officer,
            case,
            {"paid_on": TODAY(), "amount": "13000.01"},
        )
    assert info.value.field == "amount" and info.value.code == "overpayment"
    for bad in ("abc", "-1", "0", "1.001", "NaN"):
        with pytest.raises(InvalidInput) as info:
            procedure.run_step(
                procedure.RECORD_PAYMENT, world.officer, case, {"paid_on": TODAY(), "amount": bad}
            )
        assert info.value.field == "amount"
    assert not Payment.objects.exists()
    # Half the fine paid on the due day: the surcharge runs on the other half only.
    Payment.objects.create(case=case, paid_on=due, amount=Decimal("5000"))
    assert procedure.dues(case).surcharge == Decimal("1500.00")
    with pytest.raises(Conflict) as info:
        services.case_close(actor=world.leader, case=case)
    assert info.value.code in ("fine_unpaid", "illegal_transition")
    services.case_publish(actor=world.officer, case=case)
    with pytest.raises(Conflict) as info:
        services.case_close(actor=world.leader, case=case)
    assert info.value.code == "fine_unpaid"
    procedure.run_step(
        procedure.RECORD_PAYMENT, world.officer, case, {"paid_on": TODAY(), "amount": "6500"}
    )
    assert procedure.dues(case).outstanding == 0
    assert services.case_close(actor=world.leader, case=case).status == Status.CLOSED


# --- 8. the simple procedure


def test_the_simple_procedure_is_decided_and_handed_over_on_the_spot(world):
    case = walkthrough.open_case(receive(world), officer=world.officer, leader=world.leader)
    case = walkthrough.propose(
        case, officer=world.officer, amount=200, kinds=["fine"], procedure_kind="simple"
    )
    assert case.status == Status.DECIDED and case.decision_number == ""
    assert case.decision_served_on == TODAY()
    assert case.fine_due_on == TODAY() + dt.timedelta(days=15)
    assert not case.prior_notices.exists()


# --- through HTTP: the API names the field of every refusal


def test_the_api_refuses_bad_steps_with_the_field(world, login):
    case = _noticed(world)
    officer = login(world.officer)

    def post(action, body):
        return officer.post(
            f"/api/v1/cases/{case.pk}/actions/{action}", body, content_type="application/json"
        )

    response = post("serve_notice", {"method": "fax", "sent_on": TODAY().isoformat()})
    assert response.status_code == 400 and response.json()["field"] == "method"
    response = post("serve_notice", {"method": "hand", "sent_on": "2026-13-45"})
    assert response.status_code == 422 and "sent_on" in str(response.json())
    response = post("decide", {})
    assert response.status_code == 403  # the leader decides
    detail = officer.get(f"/api/v1/cases/{case.pk}").json()
    assert "serve_notice" in detail["allowed_actions"] and "decide" not in detail["allowed_actions"]
    response = post(
        "serve_notice",
        {"method": "hand", "sent_on": TODAY().isoformat(), "recipient": "某店"},
    )
    assert response.status_code == 200, response.content
    assert "record_waiver" in response.json()["allowed_actions"]
    assert PriorNotice.objects.get(case=case).service is not None


# --- 2. investigation records and compulsory measures


def test_investigation_records_need_two_officers(world, login):
    case = walkthrough.open_case(receive(world), officer=world.officer, leader=world.leader)
    data = {
        "held_on": TODAY(),
        "place": "县城东街 8 号",
        "officers": "王明",
        "person": "张三",
        "content": "问：货从哪里来？答：外地批发。",
    }
    check = _unchanged(case, Status.INVESTIGATING)
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(procedure.RECORD_INQUIRY, world.officer, case, data)
    assert info.value.field == "officers" and info.value.code == "too_few_officers"
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(
            procedure.RECORD_INQUIRY,
            world.officer,
            case,
            {**data, "officers": "王明、李强", "content": " "},
        )
    assert info.value.field == "content"
    check()
    procedure.run_step(
        procedure.RECORD_INQUIRY, world.officer, case, {**data, "officers": "王明，李强"}
    )
    procedure.run_step(
        procedure.RECORD_INSPECTION, world.officer, case, {**data, "officers": "王明 李强"}
    )
    records = list(case.investigation_records.values_list("kind", "officers"))
    assert records == [("inquiry", "王明、李强"), ("inspection", "王明、李强")]
    page = login(world.officer).get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'data-testid="investigation-records"' in page and "询问笔录" in page
    assert "记录询问笔录" in page  # the step, in the case record and the panel


def test_sealing_and_seizure_last_thirty_days_extendable_once(world):
    case = walkthrough.open_case(receive(world), officer=world.officer, leader=world.leader)
    data = {"kind": "seize", "decided_on": TODAY(), "items": "红枣礼盒 200 盒"}
    with pytest.raises(PermissionDenied):  # the leader approves (行政强制法 第十八条)
        procedure.run_step(procedure.IMPOSE_MEASURE, world.officer, case, data)
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(procedure.IMPOSE_MEASURE, world.leader, case, {**data, "kind": "x"})
    assert info.value.field == "kind"
    measure = procedure.run_step(procedure.IMPOSE_MEASURE, world.leader, case, data)
    assert measure.ends_on == TODAY() + dt.timedelta(days=30)
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(procedure.EXTEND_MEASURE, world.leader, case, {"reason": " "})
    assert info.value.field == "reason"
    procedure.run_step(
        procedure.EXTEND_MEASURE, world.leader, case, {"measure": measure.pk, "reason": "待鉴定"}
    )
    measure.refresh_from_db()
    assert measure.extended and measure.ends_on == TODAY() + dt.timedelta(days=60)
    with pytest.raises(Conflict) as info:
        procedure.run_step(procedure.EXTEND_MEASURE, world.leader, case, {"reason": "再延"})
    assert info.value.code == "not_extendable"
    # Ending soon: it is in the officers' inbox.
    from ipshield.cases.models import CompulsoryMeasure

    CompulsoryMeasure.objects.filter(pk=measure.pk).update(ends_on=TODAY() + dt.timedelta(days=2))
    assert "case.measure_ending" in {i.kind for i in inbox.items_for(world.officer)}
    # A case with goods still seized does not close.
    case = walkthrough.propose(case, officer=world.officer, kind="no_violation", summary="无违法")
    case = walkthrough.approve(case, reviewer=world.reviewer, leader=world.leader)
    with pytest.raises(Conflict) as info:
        services.case_close(actor=world.leader, case=case)
    assert info.value.code == "measure_not_released"
    procedure.run_step(
        procedure.RELEASE_MEASURE,
        world.officer,
        case,
        {"released_on": TODAY(), "reason": "当事人没有违法行为"},
    )
    assert "case.measure_ending" not in {i.kind for i in inbox.items_for(world.officer)}
    assert services.case_close(actor=world.leader, case=case).status == Status.CLOSED


# --- 6 and 7. remedies and court enforcement


def test_a_revoked_decision_comes_off_the_portal_and_the_credit_record_goes(world):
    from ipshield.credit.models import CreditRecord, RecordStatus
    from ipshield.publication.models import PublicationStatus
    from tests.publication.factories import company

    case = walkthrough.decide(
        receive(world, infringer=company(world), infringer_name="保德县红枣商贸有限公司"),
        **_people(world),
        amount=10000,
    )
    case = services.case_publish(actor=world.officer, case=case)
    assert CreditRecord.objects.get(case=case).status == RecordStatus.PUBLIC
    # The surcharge does not run while the party's reconsideration is pending.
    due = TODAY() - dt.timedelta(days=20)
    Case.objects.filter(pk=case.pk).update(fine_due_on=due, decision_served_on=due)
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(
            procedure.RECORD_REMEDY,
            world.officer,
            case,
            {"remedy": "appeal", "filed_on": TODAY(), "body": "县政府"},
        )
    assert info.value.field == "remedy"
    procedure.run_step(
        procedure.RECORD_REMEDY,
        world.officer,
        case,
        {
            "remedy": "reconsideration",
            "filed_on": due + dt.timedelta(days=5),
            "body": "保德县人民政府",
        },
    )
    case.refresh_from_db()
    assert procedure.dues(case).surcharge == Decimal("1200.00")  # 4 days × 3 % of 10,000
    with pytest.raises(Conflict) as info:
        services.case_close(actor=world.leader, case=case)
    assert info.value.code == "remedy_pending"
    procedure.run_step(
        procedure.RECORD_REMEDY_OUTCOME,
        world.officer,
        case,
        {"outcome": "revoked", "outcome_on": TODAY(), "note": "认定事实不清"},
    )
    publication = case.publications.get()
    assert publication.status == PublicationStatus.WITHDRAWN
    assert CreditRecord.objects.get(case=case).status == RecordStatus.REMOVED
    # Nothing is owed under a revoked decision: the case can be closed.
    case.refresh_from_db()
    assert procedure.dues(case).outstanding == 0 and procedure.decision_in_force(case).ended
    assert services.case_close(actor=world.leader, case=case).status == Status.CLOSED


def test_a_changed_decision_is_owed_and_published_in_its_changed_form(world, login):
    """Changed on reconsideration: never heavier than decided; the fine owed follows the
    change, the overpaid part is to be returned, and the portal shows the changed decision."""
    from ipshield.credit.models import CreditRecord, RecordStatus
    from ipshield.publication.models import PublicationStatus
    from tests.publication.factories import company

    case = walkthrough.decide(
        receive(world, infringer=company(world), infringer_name="保德县红枣商贸有限公司"),
        **_people(world),
        amount=10000,
        kinds=["fine", "confiscation"],
    )
    case = services.case_publish(actor=world.officer, case=case)
    served = case.decision_served_on
    procedure.run_step(
        procedure.RECORD_PAYMENT, world.officer, case, {"paid_on": TODAY(), "amount": "8000"}
    )
    procedure.run_step(
        procedure.RECORD_REMEDY,
        world.officer,
        case,
        {"remedy": "litigation", "filed_on": served, "body": "保德县人民法院"},
    )
    outcome = {"outcome": "changed", "outcome_on": TODAY(), "changed_summary": "罚款六千元"}
    refusals = [
        ({**outcome, "changed_amount": "12000"}, "changed_amount", "heavier_than_decided"),
        ({**outcome, "changed_amount": "-1"}, "changed_amount", "invalid_input"),
        ({**outcome}, "changed_amount", "invalid_input"),
        ({**outcome, "changed_summary": "", "changed_amount": "6000"}, "changed_summary", None),
        (
            {**outcome, "changed_amount": "6000", "changed_kinds": ["fine", "licence"]},
            "changed_kinds",
            "heavier_than_decided",
        ),
    ]
    for data, field, code in refusals:
        with pytest.raises((InvalidInput, Conflict)) as info:
            procedure.run_step(procedure.RECORD_REMEDY_OUTCOME, world.officer, case, data)
        assert info.value.field == field, data
        if code:
            assert info.value.code == code, data
        # nothing half-saved: the remedy is still pending and the publication still up
        assert case.remedies.get().outcome == "pending"
        assert case.publications.get().status == PublicationStatus.PUBLISHED
    procedure.run_step(
        procedure.RECORD_REMEDY_OUTCOME,
        world.officer,
        case,
        {**outcome, "changed_amount": "6000", "changed_kinds": ["fine"]},
    )
    case.refresh_from_db()
    owed = procedure.dues(case)
    assert owed.fine == Decimal(6000) and owed.outstanding == 0
    assert owed.refund == Decimal(2000)
    old, new = case.publications.order_by("id")
    assert old.status == PublicationStatus.WITHDRAWN and new.status == PublicationStatus.PUBLISHED
    assert new.penalty_amount == Decimal(6000) and "六千" in new.summary
    records = {r.publication_id: r.status for r in CreditRecord.objects.filter(case=case)}
    assert records == {old.pk: RecordStatus.REMOVED, new.pk: RecordStatus.PUBLIC}
    page = login(world.officer).get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'data-testid="refund"' in page and 'data-testid="changed-decision"' in page
    assert "罚款六千元" in page
    # A further change may not be heavier than the changed decision now in force.
    procedure.run_step(
        procedure.RECORD_REMEDY,
        world.officer,
        case,
        {"remedy": "litigation", "filed_on": TODAY(), "body": "忻州市中级人民法院"},
    )
    with pytest.raises(Conflict) as info:
        procedure.run_step(
            procedure.RECORD_REMEDY_OUTCOME,
            world.officer,
            case,
            {**outcome, "changed_amount": "7000"},
        )
    assert info.value.code == "heavier_than_decided"


def test_court_enforcement_after_the_remedy_windows(world):
    case = walkthrough.decide(receive(world), **_people(world), amount=5000)
    today = TODAY()
    data = {"urged_on": today, "applied_on": today, "court": "保德县人民法院"}
    with pytest.raises(PermissionDenied):
        procedure.run_step(procedure.APPLY_ENFORCEMENT, world.officer, case, data)
    with pytest.raises(InvalidInput) as info:  # the windows are still open
        procedure.run_step(procedure.APPLY_ENFORCEMENT, world.leader, case, data)
    assert info.value.code == "enforcement_too_early" and info.value.field == "applied_on"
    # Seven months later: both windows have passed and nothing was paid.
    served = today - dt.timedelta(days=215)
    Case.objects.filter(pk=case.pk).update(
        decision_served_on=served, fine_due_on=served + dt.timedelta(days=15)
    )
    case.refresh_from_db()
    assert procedure.STEPS[procedure.APPLY_ENFORCEMENT].offered(case)
    with pytest.raises(InvalidInput) as info:  # the demand was served less than 10 working days ago
        procedure.run_step(procedure.APPLY_ENFORCEMENT, world.leader, case, data)
    assert info.value.code == "enforcement_too_early"
    urged = today - dt.timedelta(days=20)
    procedure.run_step(procedure.APPLY_ENFORCEMENT, world.leader, case, {**data, "urged_on": urged})
    assert procedure.dues(case).surcharge == Decimal("5000.00")  # capped at the fine
    services.case_publish(actor=world.officer, case=case)
    assert services.case_close(actor=world.leader, case=case).status == Status.CLOSED


def test_instalments_and_deferral_approved_by_the_leader(world, login):
    case = walkthrough.decide(receive(world), **_people(world), amount=6000)
    today = TODAY()
    rows = f"{today + dt.timedelta(days=10)} 2000\n{today + dt.timedelta(days=40)} 4000"
    with pytest.raises(PermissionDenied):
        procedure.run_step(
            procedure.APPROVE_PAYMENT_PLAN,
            world.officer,
            case,
            {"plan": "instalments", "instalments": rows, "reason": "经济困难"},
        )
    bad = f"{today + dt.timedelta(days=10)} 2000\n{today + dt.timedelta(days=40)} 3000"
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(
            procedure.APPROVE_PAYMENT_PLAN,
            world.leader,
            case,
            {"plan": "instalments", "instalments": bad, "reason": "经济困难"},
        )
    assert info.value.field == "instalments" and info.value.code == "instalments_sum"
    assert not case.payment_plans.exists()
    procedure.run_step(
        procedure.APPROVE_PAYMENT_PLAN,
        world.leader,
        case,
        {"plan": "instalments", "instalments": rows, "reason": "经济困难"},
    )
    case.refresh_from_db()
    assert case.fine_due_on == today + dt.timedelta(days=10)
    first, second = procedure.payment_schedule(case)
    # The first instalment is paid 5 days late: 3 % a day of 2,000 for 5 days.
    assert procedure.dues(case, first[0] + dt.timedelta(days=5)).surcharge == Decimal("300.00")
    # Both on time: nothing more than the fine.
    on_time = [
        Payment(case=case, paid_on=first[0], amount=first[1]),
        Payment(case=case, paid_on=second[0], amount=second[1]),
    ]
    owed = procedure.dues(case, second[0] + dt.timedelta(days=1), payments=on_time)
    assert owed.surcharge == 0 and owed.outstanding == 0
    # The last instalment moves the earliest day a court may be asked to enforce.
    windows = procedure.remedy_windows(case)
    assert windows.enforcement_from >= second[0]
    page = login(world.officer).get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'data-testid="payment-schedule"' in page


def test_a_deferral_through_the_api(world, login):
    case = walkthrough.decide(receive(world), **_people(world), amount=3000)
    leader = login(world.leader)
    url = f"/api/v1/cases/{case.pk}/actions/approve_payment_plan"
    later = (TODAY() + dt.timedelta(days=60)).isoformat()
    response = leader.post(
        url, {"plan": "deferral", "reason": "经济困难"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["field"] == "deferred_to"
    response = leader.post(
        url,
        {"plan": "deferral", "deferred_to": later, "reason": "经济困难"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["fine_due_on"] == later
    response = leader.post(
        url,
        {
            "plan": "instalments",
            "instalments": [{"due_on": later, "amount": "3000"}],
            "reason": "再申请",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "instalments"


# --- the submitter's inbox: requests for more


def test_the_unit_asks_the_complainant_for_more_and_gets_it(world, login):
    case = receive(world)  # filed by the signed-in rights holder
    with pytest.raises(InvalidInput) as info:
        procedure.run_step(procedure.REQUEST_INFORMATION, world.officer, case, {"question": " "})
    assert info.value.field == "question"
    procedure.run_step(
        procedure.REQUEST_INFORMATION,
        world.officer,
        case,
        {"question": "请补充商标注册证和购买凭证。"},
    )
    assert Notification.objects.filter(
        user=world.holder_user, kind="submission.information_requested"
    ).exists()
    assert "submission.information" in {i.kind for i in inbox.items_for(world.holder_user)}
    holder = login(world.holder_user)
    mine = holder.get("/my/complaints/").content.decode()
    assert 'data-testid="my-inbox"' in mine and case.number in mine
    url = f"/track/{case.number}/"
    page = holder.get(url).content.decode()
    assert "请补充商标注册证和购买凭证。" in page and 'name="answer"' in page
    asked = case.information_requests.get()
    refused = holder.post(url, {"request": asked.pk, "answer": "  "})
    assert refused.status_code == 400 and 'data-field="answer"' in refused.content.decode()
    hostile = holder.post(url, {"request": "1 OR 1=1", "answer": "x"})
    assert hostile.status_code == 400 and 'data-field="request"' in hostile.content.decode()
    done = holder.post(url, {"request": asked.pk, "answer": "已上传购买发票，注册证号 61234567。"})
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.answered_at is not None and "61234567" in asked.answer
    assert Notification.objects.filter(
        user=world.officer, kind="case.information_answered"
    ).exists()
    assert "submission.information" not in {i.kind for i in inbox.items_for(world.holder_user)}
    again = holder.post(url, {"request": asked.pk, "answer": "再补充"})
    assert again.status_code == 409
    staff = login(world.officer).get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "61234567" in staff  # the answer is in the case record
    # Someone else cannot read or answer it.
    assert (
        login(world.public_user).post(url, {"request": asked.pk, "answer": "x"}).status_code == 302
    )


def test_lead_notices_have_nobody_to_ask(world):
    from ipshield.cases.models import Source

    case = receive(world)
    Case.objects.filter(pk=case.pk).update(source=Source.LEAD_NOTICE)
    case.refresh_from_db()
    assert procedure.REQUEST_INFORMATION not in procedure.offered_steps(case, {"case_officer"})
    with pytest.raises(Conflict):
        procedure.run_step(procedure.REQUEST_INFORMATION, world.officer, case, {"question": "x"})
