"""Walk a case through the penalty procedure with given people, step by step through the real
services: for the demo data, the benchmarks and tests that need a case at a later stage. Nothing
here bypasses a check; a party that states nothing is recorded as waiving in writing, so that a
decision can be made the same day.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ipshield.cases import procedure, services
from ipshield.cases.models import Case, DecisionKind, OpeningProposal, Procedure, ServiceMethod
from ipshield.cases.workflow import Status

FACTS = "经查，当事人销售侵犯注册商标专用权的商品，有现场检查笔录、询问笔录和权利人鉴别意见为证。"
LEGAL_BASIS = "《中华人民共和国商标法》第五十七条第（三）项、第六十条第二款"


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("unit").get(pk=case.pk)


def open_case(case: Case, *, officer: Any, leader: Any, opinion: str = "符合立案条件") -> Case:
    """Accept (if received), propose opening and have the leader approve it."""
    case = _fresh(case)
    if case.status == Status.RECEIVED:
        case = services.case_accept(actor=officer, case=case)
    if case.status == Status.ACCEPTED:
        case = services.case_request_opening(
            actor=officer, case=case, proposal=OpeningProposal.OPEN, opinion=opinion
        )
    if case.status == Status.OPENING_REVIEW:
        case = services.case_start_investigation(actor=leader, case=case, opinion="同意立案")
    return _fresh(case)


def propose(
    case: Case,
    *,
    officer: Any,
    kind: str = DecisionKind.PENALTY,
    summary: str = "责令停止侵权，没收侵权商品，并处罚款。",
    amount: Decimal | int | str | None = None,
    kinds: Iterable[str] = (),
    procedure_kind: str = Procedure.ORDINARY,
) -> Case:
    penalty = kind == DecisionKind.PENALTY
    return services.case_propose_decision(
        actor=officer,
        case=_fresh(case),
        kind=kind,
        summary=summary,
        penalty_amount=Decimal(str(amount if amount is not None else 0)) if penalty else None,
        procedure=procedure_kind,
        penalty_kinds=kinds,
        facts=FACTS if penalty else "",
        legal_basis=LEGAL_BASIS if penalty else "",
    )


def approve(case: Case, *, reviewer: Any, leader: Any) -> Case:
    """Case review, legal review where required, collective discussion where required, and the
    leader's approval: the case ends in NOTICE (a penalty) or DECIDED."""
    case = _fresh(case)
    if case.status == Status.CASE_REVIEW:
        case = services.case_approve_case_review(actor=reviewer, case=case, opinion="同意")
    if case.status == Status.LEGAL_REVIEW:
        case = services.case_approve_review(actor=reviewer, case=case, opinion="同意")
    if case.status == Status.LEADER_APPROVAL:
        if procedure.discussion_required(case) and not case.discussions.exists():
            discuss(case, leader=leader)
        case = services.case_approve_decision(actor=leader, case=case, opinion="同意")
    return _fresh(case)


def discuss(case: Case, *, leader: Any) -> None:
    procedure.run_step(
        procedure.RECORD_DISCUSSION,
        leader,
        case,
        {
            "held_on": timezone.localdate(),
            "attendees": "局长、分管副局长、法制机构负责人、办案机构负责人",
            "minutes": "办案机构汇报案情，法制机构报告审核意见，与会人员逐一发表意见。",
            "conclusion": "同意拟处理意见。",
        },
    )


def serve(case: Case, step: str, *, officer: Any) -> None:
    today = timezone.localdate()
    procedure.run_step(
        step,
        officer,
        case,
        {
            "method": ServiceMethod.HAND,
            "sent_on": today,
            "served_on": today,
            "recipient": case.infringer_name or "当事人",
        },
    )


def notify_and_decide(
    case: Case, *, officer: Any, leader: Any, serve_decision: bool = True
) -> Case:
    """Serve the prior notice, record the party's written waiver, decide, and serve."""
    case = _fresh(case)
    if case.status == Status.NOTICE:
        notice = procedure.latest_notice(case)
        if not procedure.notice_served(notice):
            serve(case, procedure.SERVE_NOTICE, officer=officer)
            notice = procedure.latest_notice(case)
        if not procedure.statement_closed(notice):
            procedure.run_step(
                procedure.RECORD_WAIVER,
                officer,
                case,
                {"waived_on": timezone.localdate(), "note": "当事人书面放弃陈述、申辩和听证"},
            )
        case = services.case_decide(actor=leader, case=_fresh(case))
    case = _fresh(case)
    if serve_decision and procedure._decision_unserved(case):
        serve(case, procedure.SERVE_DECISION, officer=officer)
    return _fresh(case)


def decide(
    case: Case,
    *,
    officer: Any,
    reviewer: Any,
    leader: Any,
    serve_decision: bool = True,
    **proposal: Any,
) -> Case:
    """From a received, accepted or investigating case to a decision in force (DECIDED)."""
    case = _fresh(case)
    if case.status in (Status.RECEIVED, Status.ACCEPTED, Status.OPENING_REVIEW):
        case = open_case(case, officer=officer, leader=leader)
    if case.status == Status.INVESTIGATING:
        case = propose(case, officer=officer, **proposal)
    case = approve(case, reviewer=reviewer, leader=leader)
    return notify_and_decide(case, officer=officer, leader=leader, serve_decision=serve_decision)


def pay_in_full(case: Case, *, officer: Any) -> Case:
    case = _fresh(case)
    owed = procedure.dues(case)
    if owed.outstanding > 0:
        procedure.run_step(
            procedure.RECORD_PAYMENT,
            officer,
            case,
            {"paid_on": timezone.localdate(), "amount": owed.outstanding},
        )
    return _fresh(case)


def close(case: Case, *, officer: Any, leader: Any) -> Case:
    """Record the fine paid in full (if any) and have the leader close the case."""
    case = pay_in_full(case, officer=officer)
    return services.case_close(actor=leader, case=case)
