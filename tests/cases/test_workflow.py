"""The lifecycle table: every allowed transition works and is recorded; illegal ones are refused
with a coded error and change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from ipshield.cases import record, services, walkthrough
from ipshield.cases.models import Case, CaseEvent, CaseEventVerb, DecisionKind, Track
from ipshield.cases.workflow import TRANSITIONS, Action, Status, allowed_actions
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.cases.factories import receive


def _open(world, case):
    return walkthrough.open_case(case, officer=world.officer, leader=world.leader)


def _approve(world, case):
    return walkthrough.approve(case, reviewer=world.reviewer, leader=world.leader)


def _statuses(case: Case) -> list[str]:
    return [
        e.after["status"]
        for e in CaseEvent.objects.filter(case=case, verb=CaseEventVerb.TRANSITION).order_by("seq")
    ]


def test_simple_penalty_path(world):
    case = receive(world)
    assert case.status == Status.RECEIVED and case.number.startswith("TS")
    case = _open(world, case)
    case = walkthrough.propose(case, officer=world.officer, amount=8000)
    assert case.status == Status.CASE_REVIEW  # every ordinary-procedure case is reviewed
    case = _approve(world, case)
    assert case.status == Status.NOTICE  # small penalty, ordinary track: no legal review
    case = walkthrough.notify_and_decide(case, officer=world.officer, leader=world.leader)
    assert case.status == Status.DECIDED and case.decision_served_on is not None
    services.case_publish(actor=world.officer, case=case)
    with pytest.raises(PermissionDenied):  # closing is the leader's (结案审批)
        services.case_close(actor=world.officer, case=case)
    with pytest.raises(Conflict) as info:  # the fine is not paid yet
        services.case_close(actor=world.leader, case=case)
    assert info.value.code == "fine_unpaid"
    case = walkthrough.close(case, officer=world.officer, leader=world.leader)
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert _statuses(case) == [
        Status.ACCEPTED,
        Status.OPENING_REVIEW,
        Status.INVESTIGATING,
        Status.CASE_REVIEW,
        Status.LEADER_APPROVAL,
        Status.NOTICE,
        Status.DECIDED,
        Status.PUBLISHED,
        Status.CLOSED,
    ]
    assert record.verify_chain(case) is None


def test_major_case_goes_through_legal_review_and_can_be_returned(world):
    case = _open(world, receive(world, track=Track.MAJOR))
    case = services.case_propose_decision(
        actor=world.officer, case=case, kind=DecisionKind.NO_VIOLATION, summary="证据不足"
    )
    case = services.case_approve_case_review(actor=world.reviewer, case=case)
    assert case.status == Status.LEGAL_REVIEW
    with pytest.raises(PermissionDenied) as info:
        services.case_approve_review(actor=world.officer, case=case)
    assert info.value.code == "role_not_allowed"
    case = services.case_return_review(actor=world.reviewer, case=case, reason="补充证据")
    assert case.status == Status.INVESTIGATING
    services.case_propose_decision(
        actor=world.officer, case=case, kind=DecisionKind.NO_VIOLATION, summary="补充后仍无违法"
    )
    case = services.case_approve_case_review(actor=world.reviewer, case=case)
    case = services.case_approve_review(actor=world.reviewer, case=case, opinion="同意")
    assert case.status == Status.LEADER_APPROVAL
    case = services.case_approve_decision(actor=world.leader, case=case)
    assert case.status == Status.DECIDED  # no penalty: no prior notice
    case = services.case_close(actor=world.leader, case=case)
    assert case.status == Status.CLOSED


def test_large_penalty_needs_legal_review(world, settings):
    settings.IPSHIELD_LEGAL_REVIEW_PENALTY_ABOVE = 50000
    case = _open(world, receive(world))
    case = walkthrough.propose(case, officer=world.officer, amount=Decimal("50001"))
    case = services.case_approve_case_review(actor=world.reviewer, case=case)
    assert case.status == Status.LEGAL_REVIEW


def test_reject_needs_a_reason_and_ends_the_case(world):
    case = receive(world)
    with pytest.raises(InvalidInput) as info:
        services.case_reject(actor=world.officer, case=case, reason="")
    assert info.value.field == "reason"
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    case = services.case_reject(actor=world.officer, case=case, reason="不属于本局管辖")
    assert case.status == Status.REJECTED
    assert allowed_actions(case.status, {"case_officer", "unit_leader", "legal_reviewer"}) == []


def test_suspend_and_resume_need_a_unit_leader(world):
    case = _open(world, receive(world))
    with pytest.raises(PermissionDenied):
        services.case_suspend(actor=world.officer, case=case, reason="当事人下落不明")
    case = services.case_suspend(actor=world.leader, case=case, reason="当事人下落不明")
    assert case.status == Status.SUSPENDED
    with pytest.raises(Conflict):
        services.case_propose_decision(
            actor=world.officer, case=case, kind=DecisionKind.NO_VIOLATION, summary="x"
        )
    case = services.case_resume(actor=world.leader, case=case)
    assert case.status == Status.INVESTIGATING


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ([], Action.START_INVESTIGATION),
        ([], Action.PUBLISH),
        ([], Action.CLOSE),
        ([], Action.RESUME),
        ([Action.ACCEPT], Action.ACCEPT),
        ([Action.ACCEPT], Action.APPROVE_REVIEW),
        ([Action.ACCEPT], Action.PUBLISH),
        ([Action.REJECT], Action.ACCEPT),
        ([Action.ACCEPT, Action.START_INVESTIGATION], Action.CLOSE),
        ([Action.ACCEPT, Action.START_INVESTIGATION], Action.REJECT),
        ([Action.ACCEPT, Action.START_INVESTIGATION], Action.START_INVESTIGATION),
        ([Action.ACCEPT], Action.DECIDE),
    ],
)
def test_illegal_transitions_are_refused_with_a_code(world, path, action):
    case = receive(world)
    steps = {
        Action.ACCEPT: lambda c: services.case_accept(actor=world.officer, case=c),
        Action.REJECT: lambda c: services.case_reject(actor=world.officer, case=c, reason="r"),
        Action.START_INVESTIGATION: lambda c: services.case_start_investigation(
            actor=world.leader, case=c
        ),
        Action.PUBLISH: lambda c: services.case_publish(actor=world.officer, case=c),
        Action.CLOSE: lambda c: services.case_close(actor=world.leader, case=c),
        Action.DECIDE: lambda c: services.case_decide(actor=world.leader, case=c),
        Action.RESUME: lambda c: services.case_resume(actor=world.leader, case=c),
        Action.APPROVE_REVIEW: lambda c: services.case_approve_review(actor=world.reviewer, case=c),
    }
    for step in path:
        case = steps[step](case)
    before = case.status
    events_before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(Conflict) as info:
        steps[action](case)
    assert info.value.code == "illegal_transition"
    case.refresh_from_db()
    assert case.status == before
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_penalty_must_be_published_before_closing(world):
    case = walkthrough.decide(
        receive(world),
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        amount=100,
    )
    case = walkthrough.pay_in_full(case, officer=world.officer)
    with pytest.raises(Conflict) as info:
        services.case_close(actor=world.leader, case=case)
    assert info.value.code == "illegal_transition"


def test_every_action_in_the_table_has_a_service():
    for action in TRANSITIONS:
        name = {
            Action.START_INVESTIGATION: "case_start_investigation",
        }.get(action, f"case_{action}")
        assert callable(getattr(services, name)), action


def test_other_units_cannot_handle_the_case(world):
    case = receive(world)
    with pytest.raises(NotFound):
        services.case_accept(actor=world.officer_other, case=case)
    with pytest.raises(NotFound):
        services.case_accept(actor=world.officer_culture, case=case)
    with pytest.raises(PermissionDenied):
        services.case_accept(actor=world.auditor, case=case)


def test_case_record_is_append_only_in_orm_and_database(world):
    case = receive(world)
    services.case_accept(actor=world.officer, case=case)
    event = CaseEvent.objects.filter(case=case).first()
    with pytest.raises(RuntimeError):
        event.note = "改写"
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(RuntimeError):
        CaseEvent.objects.filter(case=case).update(note="改写")
    with pytest.raises(RuntimeError):
        CaseEvent.objects.filter(case=case).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET note = 'forged' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_caseevent WHERE id = %s", [event.pk])
    assert record.verify_chain(case) is None


def test_tampering_is_detected_by_the_hash_chain(world):
    case = receive(world)
    services.case_accept(actor=world.officer, case=case)
    services.case_request_opening(actor=world.officer, case=case, proposal="open", opinion="x")
    assert record.verify_chain(case) is None
    second = CaseEvent.objects.get(case=case, seq=2)
    # An intruder with database-owner rights lifts the trigger and rewrites entry 2.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE cases_caseevent DISABLE TRIGGER cases_caseevent_no_change")
        else:
            cursor.execute("DROP TRIGGER cases_caseevent_no_update")
        cursor.execute("UPDATE cases_caseevent SET note = 'forged' WHERE id = %s", [second.pk])
    assert record.verify_chain(case) == 2


def test_a_colliding_tracking_number_is_drawn_again(world, monkeypatch):
    first = receive(world)
    numbers = iter([first.number, first.number, "TS20261123999999"])
    monkeypatch.setattr(services, "new_case_number", lambda source: next(numbers))
    second = receive(world)
    assert second.number == "TS20261123999999"
    assert Case.objects.count() == 2


# How to bring a fresh case into each status, and how to take each action.
OPENED = [Action.ACCEPT, Action.REQUEST_OPENING, Action.START_INVESTIGATION]
PATHS = {
    Status.RECEIVED: [],
    Status.ACCEPTED: [Action.ACCEPT],
    Status.OPENING_REVIEW: [Action.ACCEPT, Action.REQUEST_OPENING],
    Status.INVESTIGATING: OPENED,
    Status.CASE_REVIEW: [*OPENED, "propose_penalty"],
    Status.LEGAL_REVIEW: [*OPENED, "propose_major", Action.APPROVE_CASE_REVIEW],
    Status.LEADER_APPROVAL: [*OPENED, "propose_penalty", Action.APPROVE_CASE_REVIEW],
    Status.NOTICE: [
        *OPENED,
        "propose_heavy",
        Action.APPROVE_CASE_REVIEW,
        Action.APPROVE_DECISION,
        "serve_notice",
    ],
    Status.HEARING: [
        *OPENED,
        "propose_heavy",
        Action.APPROVE_CASE_REVIEW,
        Action.APPROVE_DECISION,
        "serve_notice",
        Action.REQUEST_HEARING,
    ],
    Status.DECIDED: [*OPENED, "propose_penalty", "approve_all", "notify_and_decide"],
    Status.PUBLISHED: [
        *OPENED,
        "propose_penalty",
        "approve_all",
        "notify_and_decide",
        Action.PUBLISH,
    ],
    Status.SUSPENDED: [Action.ACCEPT, Action.SUSPEND],
}


def _do(world, case, step):
    from django.utils import timezone

    from ipshield.cases import procedure

    o, leader, reviewer = world.officer, world.leader, world.reviewer
    today = timezone.localdate()
    calls = {
        Action.ACCEPT: lambda: services.case_accept(actor=o, case=case),
        Action.REJECT: lambda: services.case_reject(actor=o, case=case, reason="不属管辖"),
        Action.REQUEST_OPENING: lambda: services.case_request_opening(
            actor=o, case=case, proposal="open", opinion="有侵权线索"
        ),
        Action.START_INVESTIGATION: lambda: services.case_start_investigation(
            actor=leader, case=case
        ),
        Action.DECLINE_OPENING: lambda: services.case_decline_opening(
            actor=leader, case=case, reason="证据不足"
        ),
        Action.PROPOSE_DECISION: lambda: services.case_propose_decision(
            actor=o, case=case, kind=DecisionKind.NO_VIOLATION, summary="无违法"
        ),
        "propose_penalty": lambda: walkthrough.propose(case, officer=o, amount=1000),
        "propose_heavy": lambda: walkthrough.propose(
            case, officer=o, amount=5000, kinds=["fine", "licence"]
        ),
        "propose_major": lambda: walkthrough.propose(case, officer=o, amount=900000),
        Action.APPROVE_CASE_REVIEW: lambda: services.case_approve_case_review(
            actor=reviewer, case=case
        ),
        Action.RETURN_CASE_REVIEW: lambda: services.case_return_case_review(
            actor=reviewer, case=case, reason="补证"
        ),
        Action.APPROVE_REVIEW: lambda: services.case_approve_review(actor=reviewer, case=case),
        Action.RETURN_REVIEW: lambda: services.case_return_review(
            actor=reviewer, case=case, reason="补证"
        ),
        Action.APPROVE_DECISION: lambda: services.case_approve_decision(actor=leader, case=case),
        Action.RETURN_DECISION: lambda: services.case_return_decision(
            actor=leader, case=case, reason="补证"
        ),
        "approve_all": lambda: _approve(world, case),
        "serve_notice": lambda: walkthrough.serve(case, procedure.SERVE_NOTICE, officer=o),
        "notify_and_decide": lambda: walkthrough.notify_and_decide(case, officer=o, leader=leader),
        Action.REQUEST_HEARING: lambda: services.case_request_hearing(
            actor=o, case=case, requested_on=today
        ),
        Action.RECORD_HEARING: lambda: _hold_hearing(world, case),
        Action.DECIDE: lambda: walkthrough.notify_and_decide(case, officer=o, leader=leader),
        Action.PUBLISH: lambda: services.case_publish(actor=o, case=case),
        Action.CLOSE: lambda: walkthrough.close(case, officer=o, leader=leader),
        Action.SUSPEND: lambda: services.case_suspend(actor=leader, case=case, reason="中止"),
        Action.RESUME: lambda: services.case_resume(actor=leader, case=case),
    }
    result = calls[step]()
    return Case.objects.get(pk=case.pk) if result is None else result


def _hold_hearing(world, case):
    """Schedule a hearing seven working days after its notice, held (in the record) today:
    the notice is dated back so that the hearing has happened."""
    import datetime as dt

    from django.utils import timezone

    from ipshield.cases import procedure
    from ipshield.cases.models import Hearing, PriorNotice
    from ipshield.engines import workdays

    today = timezone.localdate()
    notified = today - dt.timedelta(days=20)
    # The request and the notice's service happened before the hearing notice.
    PriorNotice.objects.filter(case=case).update(hearing_requested_on=notified)
    Hearing.objects.filter(case=case).update(notified_on=notified)
    procedure.Service.objects.filter(case=case).update(sent_on=notified, served_on=notified)
    Hearing.objects.filter(case=case).update(
        notified_on=notified,
        held_on=workdays.add_working_days(notified, 7),
        place="听证室",
        host="王主持",
    )
    return services.case_record_hearing(
        actor=world.officer, case=case, record_text="当事人到场陈述", report="维持拟处罚意见"
    )


EXPECTED = {
    Action.ACCEPT: Status.ACCEPTED,
    Action.REJECT: Status.REJECTED,
    Action.REQUEST_OPENING: Status.OPENING_REVIEW,
    Action.START_INVESTIGATION: Status.INVESTIGATING,
    Action.DECLINE_OPENING: Status.NOT_OPENED,
    Action.PROPOSE_DECISION: Status.CASE_REVIEW,
    Action.APPROVE_CASE_REVIEW: Status.LEADER_APPROVAL,
    Action.RETURN_CASE_REVIEW: Status.INVESTIGATING,
    Action.APPROVE_REVIEW: Status.LEADER_APPROVAL,
    Action.RETURN_REVIEW: Status.INVESTIGATING,
    Action.APPROVE_DECISION: Status.NOTICE,
    Action.RETURN_DECISION: Status.INVESTIGATING,
    Action.REQUEST_HEARING: Status.HEARING,
    Action.RECORD_HEARING: Status.LEGAL_REVIEW,
    Action.DECIDE: Status.DECIDED,
    Action.PUBLISH: Status.PUBLISHED,
    Action.CLOSE: Status.CLOSED,
    Action.SUSPEND: Status.SUSPENDED,
    Action.RESUME: Status.ACCEPTED,  # back to where it was suspended
}


@pytest.mark.parametrize(
    ("source", "action"),
    [(s, a) for a, t in TRANSITIONS.items() for s in sorted(t.sources)],
)
def test_every_allowed_transition(world, source, action):
    case = receive(world)
    for step in PATHS[source]:
        case = _do(world, case, step)
    assert case.status == source
    if action == Action.CLOSE and source == Status.DECIDED:
        # A penalty must be published first; a no-violation decision closes directly.
        case = receive(world)
        for step in (*OPENED, Action.PROPOSE_DECISION, "approve_all"):
            case = _do(world, case, step)
    case = _do(world, case, action)
    assert case.status == EXPECTED[action]
    last = CaseEvent.objects.filter(case=case, verb=CaseEventVerb.TRANSITION).last()
    assert last.after["action"] == action and last.after["status"] == EXPECTED[action]
    assert record.verify_chain(case) is None


def test_publish_is_offered_only_for_penalties(world):
    case = receive(world)
    for step in (*OPENED, Action.PROPOSE_DECISION, "approve_all"):
        case = _do(world, case, step)
    roles = {"case_officer", "unit_leader"}
    assert Action.PUBLISH not in allowed_actions(case.status, roles, case=case)
    assert Action.CLOSE in allowed_actions(case.status, roles, case=case)
    penalty = receive(world)
    for step in (*OPENED, "propose_penalty", "approve_all", "notify_and_decide"):
        penalty = _do(world, penalty, step)
    assert Action.PUBLISH in allowed_actions(penalty.status, roles, case=penalty)


# -- Publication follows the procedure and the penalty, not the triage track ----------------------


def _decide(world, *, track=Track.ORDINARY, **decision):
    from ipshield.cases.models import Procedure

    case = _open(world, receive(world, track=track, **decision.pop("details", {})))
    case = services.case_propose_decision(
        actor=world.officer,
        case=case,
        kind=DecisionKind.PENALTY,
        summary="罚款",
        facts=walkthrough.FACTS,
        legal_basis=walkthrough.LEGAL_BASIS,
        **decision,
    )
    if decision.get("procedure") == Procedure.SIMPLE:
        return case
    case = _approve(world, case)
    return walkthrough.notify_and_decide(case, officer=world.officer, leader=world.leader)


def test_a_simple_track_penalty_under_the_ordinary_procedure_is_published(world):
    # Triage put it on the simple track (amount involved below 5,000), but a 8,000-yuan fine is
    # decided under the ordinary procedure and must be published (公示规定第二条).
    case = _decide(world, track=Track.SIMPLE, penalty_amount=Decimal("8000"))
    assert services.publication_required(case)
    assert case.deadlines.filter(key="publish_penalty", met_at__isnull=True).exists()
    case = walkthrough.pay_in_full(case, officer=world.officer)
    with pytest.raises(Conflict):
        services.case_close(actor=world.leader, case=case)


def test_the_simple_procedure_takes_only_a_warning_or_a_small_fine(world):
    from ipshield.cases.models import Procedure

    # An organisation: up to 3,000 yuan (行政处罚法第五十一条).
    case = _decide(
        world, penalty_amount=Decimal("3000"), procedure=Procedure.SIMPLE, penalty_kinds=["fine"]
    )
    assert case.decision_procedure == Procedure.SIMPLE
    assert not services.publication_required(case)
    assert not case.deadlines.filter(key="publish_penalty").exists()
    assert case.decision_served_on is not None  # handed over on the spot
    closed = walkthrough.close(case, officer=world.officer, leader=world.leader)
    assert closed.status == Status.CLOSED

    refused = [
        # over the organisation's ceiling
        ({"penalty_amount": Decimal("3000.01"), "penalty_kinds": ["fine"]}, {}),
        # a natural person's ceiling is 200 yuan
        ({"penalty_amount": Decimal("201"), "penalty_kinds": ["fine"]}, {"infringer_name": "张三"}),
        # confiscation is never a simple-procedure penalty
        ({"penalty_amount": Decimal("100"), "penalty_kinds": ["fine", "confiscation"]}, {}),
        # nothing said about the kind and no fine
        ({"penalty_amount": Decimal("0")}, {}),
    ]
    for decision, details in refused:
        case = _open(world, receive(world, **details))
        with pytest.raises(InvalidInput) as info:
            services.case_propose_decision(
                actor=world.officer,
                case=case,
                kind=DecisionKind.PENALTY,
                summary="罚款",
                procedure=Procedure.SIMPLE,
                **decision,
            )
        assert info.value.field == "procedure"
        assert info.value.code == "simple_procedure_not_allowed"
        case.refresh_from_db()
        assert case.status == Status.INVESTIGATING and case.decision_kind == ""

    # A natural person's 200-yuan fine and a warning alone qualify.
    case = _decide(
        world,
        penalty_amount=Decimal("200"),
        procedure=Procedure.SIMPLE,
        penalty_kinds=["warning", "fine"],
        details={"infringer_name": "张三"},
    )
    assert not services.publication_required(case)


def test_a_warning_alone_is_not_published_and_anything_more_is(world):
    case = _decide(world, penalty_amount=Decimal("0"), penalty_kinds=["warning"])
    assert not services.publication_required(case)
    assert not case.deadlines.filter(key="publish_penalty").exists()
    assert services.case_close(actor=world.leader, case=case).status == Status.CLOSED

    case = _decide(world, penalty_amount=Decimal("100"), penalty_kinds=["warning", "fine"])
    assert services.publication_required(case)
    with pytest.raises(InvalidInput) as info:
        _decide(world, penalty_amount=Decimal("100"), penalty_kinds=["jail"])
    assert info.value.field == "penalty_kinds"


# -- The same through HTTP: the API and the workbench's action URLs -------------------------------


def test_procedure_kinds_and_excluded_time_through_the_api_and_the_workbench(world, login):
    import datetime as dt

    from django.utils import timezone

    from ipshield.cases.models import Procedure

    client = login(world.officer)
    boss = login(world.leader)

    def post(case, action, body=None, by=client):
        return by.post(
            f"/api/v1/cases/{case.pk}/actions/{action}",
            body or {},
            content_type="application/json",
        )

    # API: a 500-yuan fine for an organisation under the simple procedure, not published.
    case = receive(world)
    post(case, "accept")
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    until = timezone.localdate().isoformat()
    verify = case.deadlines.get(key="verify_lead")
    moved = post(
        case, "exclude_time", {"excluded_reason": "testing", "since": since, "until": until}
    )
    assert moved.status_code == 200, moved.content
    old = verify.due_on
    verify.refresh_from_db()
    assert verify.due_on > old
    refused = post(
        case, "exclude_time", {"excluded_reason": "hearing", "since": since, "until": until}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "time_counts"
    assert post(case, "start_investigation").status_code == 403  # the leader approves opening
    asked = post(case, "request_opening", {"opening": "maybe", "opinion": "x"})
    assert asked.status_code == 400 and asked.json()["field"] == "opening"
    asked = post(case, "request_opening", {"opening": "open", "opinion": "有侵权线索"})
    assert asked.status_code == 200, asked.content
    assert "start_investigation" not in asked.json()["allowed_actions"]
    opened = post(case, "start_investigation", by=boss)
    assert opened.status_code == 200 and opened.json()["status"] == "investigating"
    too_much = post(
        case,
        "propose_decision",
        {
            "kind": "penalty",
            "summary": "罚款",
            "penalty_amount": "5000",
            "procedure": "simple",
            "penalty_kinds": ["fine"],
        },
    )
    assert too_much.status_code == 400 and too_much.json()["field"] == "procedure"
    decided = post(
        case,
        "propose_decision",
        {
            "kind": "penalty",
            "summary": "罚款",
            "penalty_amount": "500",
            "procedure": "simple",
            "penalty_kinds": ["fine"],
        },
    )
    # the on-the-spot decision states the violation and the basis too (第五十二条第二款)
    assert decided.status_code == 400 and decided.json()["field"] == "facts"
    decided = post(
        case,
        "propose_decision",
        {
            "kind": "penalty",
            "summary": "罚款",
            "penalty_amount": "500",
            "procedure": "simple",
            "penalty_kinds": ["fine"],
            "facts": walkthrough.FACTS,
            "legal_basis": walkthrough.LEGAL_BASIS,
        },
    )
    assert decided.status_code == 200, decided.content
    case.refresh_from_db()
    assert case.decision_procedure == Procedure.SIMPLE and case.penalty_kinds == ["fine"]
    assert post(case, "close").status_code == 403  # 结案审批 is the leader's
    assert post(case, "record_payment", {"paid_on": until, "amount": "500"}).status_code == 200
    assert post(case, "close", by=boss).status_code == 200  # no publication needed

    # Workbench: a warning alone under the ordinary procedure, closed without publication.
    case = receive(world)
    url = f"/workbench/cases/{case.pk}/"
    client.post(url + "act/accept/")
    page = client.get(url).content.decode()
    assert 'data-action="exclude_time"' in page
    client.post(url + "act/request_opening/", {"opening": "open", "opinion": "有线索"})
    boss.post(url + "act/start_investigation/")
    page = client.get(url).content.decode()
    assert 'name="procedure"' in page and 'name="penalty_kinds"' in page
    response = client.post(
        url + "act/propose_decision/",
        {
            "kind": "penalty",
            "summary": "警告",
            "penalty_amount": "0",
            "procedure": "ordinary",
            "penalty_kinds": ["warning"],
            "facts": walkthrough.FACTS,
            "legal_basis": walkthrough.LEGAL_BASIS,
        },
    )
    assert response.status_code == 302
    case = _approve(world, case)
    case = walkthrough.notify_and_decide(case, officer=world.officer, leader=world.leader)
    assert case.status == Status.DECIDED and case.penalty_kinds == ["warning"]
    boss.post(url + "act/close/")
    case.refresh_from_db()
    assert case.status == Status.CLOSED
