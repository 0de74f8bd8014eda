"""The case lifecycle as data: statuses, actions and the one table of allowed transitions.

``TRANSITIONS[action]`` says from which statuses an action may be taken, the status it leads to,
and which roles may take it. Services look actions up here and refuse anything else with a coded
error; nothing else in the code decides whether a move is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipshield.accounts.roles import Role


class Status(models.TextChoices):
    RECEIVED = "received", _("已接收")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    OPENING_REVIEW = "opening_review", _("立案审批")
    NOT_OPENED = "not_opened", _("不予立案")
    INVESTIGATING = "investigating", _("调查中")
    CASE_REVIEW = "case_review", _("案件审核")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    LEADER_APPROVAL = "leader_approval", _("负责人审批")
    NOTICE = "notice", _("告知与陈述申辩")
    HEARING = "hearing", _("听证")
    DECIDED = "decided", _("已决定")
    PUBLISHED = "published", _("已公示")
    CLOSED = "closed", _("已结案")
    SUSPENDED = "suspended", _("中止")


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    REJECT = "reject", pgettext_lazy("case action", "不予受理")
    REQUEST_OPENING = "request_opening", _("提请立案审批")
    START_INVESTIGATION = "start_investigation", _("批准立案")
    DECLINE_OPENING = "decline_opening", _("批准不予立案")
    PROPOSE_DECISION = "propose_decision", _("提交调查终结报告")
    APPROVE_CASE_REVIEW = "approve_case_review", _("案件审核通过")
    RETURN_CASE_REVIEW = "return_case_review", _("案件审核退回")
    APPROVE_REVIEW = "approve_review", _("法制审核通过")
    RETURN_REVIEW = "return_review", _("法制审核退回")
    APPROVE_DECISION = "approve_decision", _("负责人批准拟处理意见")
    RETURN_DECISION = "return_decision", _("负责人退回")
    REQUEST_HEARING = "request_hearing", _("当事人申请听证")
    RECORD_HEARING = "record_hearing", _("记录听证")
    DECIDE = "decide", _("作出处罚决定")
    PUBLISH = "publish", _("公示")
    CLOSE = "close", _("结案")
    SUSPEND = "suspend", pgettext_lazy("case action", "中止")
    RESUME = "resume", _("恢复")


OFFICERS = frozenset({Role.CASE_OFFICER, Role.UNIT_LEADER})
# Whose inbox and notices the officers' own work goes to: a leader may do it (``OFFICERS``),
# but a leader's inbox holds approvals, decisions, suspensions and closings.
CASE_OFFICERS = frozenset({Role.CASE_OFFICER})
REVIEWERS = frozenset({Role.LEGAL_REVIEWER})
LEADERS = frozenset({Role.UNIT_LEADER})

# Statuses in which a case is still being handled (may be suspended).
ACTIVE = frozenset(
    {
        Status.ACCEPTED,
        Status.INVESTIGATING,
        Status.CASE_REVIEW,
        Status.LEGAL_REVIEW,
        Status.LEADER_APPROVAL,
        Status.NOTICE,
        Status.HEARING,
    }
)
FINAL = frozenset({Status.REJECTED, Status.NOT_OPENED, Status.CLOSED})
# Statuses the complainant or reporter sees in the case record (the internal review stages are
# the bureau's own business; the public step indicator folds them into 调查中).
PUBLIC_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.ACCEPTED,
        Status.REJECTED,
        Status.NOT_OPENED,
        Status.INVESTIGATING,
        Status.DECIDED,
        Status.PUBLISHED,
        Status.CLOSED,
        Status.SUSPENDED,
    }
)
# Before a decision is made: the track may still change.
UNDECIDED = frozenset(
    {Status.RECEIVED, Status.ACCEPTED, Status.OPENING_REVIEW, Status.INVESTIGATING}
)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the service decides (e.g. back to the status before suspension)
    roles: frozenset[str]


TRANSITIONS: dict[str, Transition] = {
    Action.ACCEPT: Transition(frozenset({Status.RECEIVED}), Status.ACCEPTED, OFFICERS),
    Action.REJECT: Transition(frozenset({Status.RECEIVED}), Status.REJECTED, OFFICERS),
    # 立案: the officer proposes opening or not (立案审批表); the unit leader approves either way.
    # A leader handling the case may decide without a proposal.
    Action.REQUEST_OPENING: Transition(
        frozenset({Status.ACCEPTED}), Status.OPENING_REVIEW, OFFICERS
    ),
    Action.START_INVESTIGATION: Transition(
        frozenset({Status.ACCEPTED, Status.OPENING_REVIEW}), Status.INVESTIGATING, LEADERS
    ),
    Action.DECLINE_OPENING: Transition(
        frozenset({Status.ACCEPTED, Status.OPENING_REVIEW}), Status.NOT_OPENED, LEADERS
    ),
    # The investigation report with the proposed decision goes to case review (案件审核); a
    # penalty under the simple procedure is decided on the spot instead (DECIDED).
    Action.PROPOSE_DECISION: Transition(frozenset({Status.INVESTIGATING}), None, OFFICERS),
    # Leads to LEGAL_REVIEW when 法制审核 is required, else to the leader.
    Action.APPROVE_CASE_REVIEW: Transition(frozenset({Status.CASE_REVIEW}), None, REVIEWERS),
    Action.RETURN_CASE_REVIEW: Transition(
        frozenset({Status.CASE_REVIEW}), Status.INVESTIGATING, REVIEWERS
    ),
    # To the leader; after a hearing (法制审核 of a heard case, 第五十八条第一款第二项), back to
    # the notice stage for the decision.
    Action.APPROVE_REVIEW: Transition(frozenset({Status.LEGAL_REVIEW}), None, REVIEWERS),
    Action.RETURN_REVIEW: Transition(
        frozenset({Status.LEGAL_REVIEW}), Status.INVESTIGATING, REVIEWERS
    ),
    # A penalty goes to prior notice (NOTICE); any other decision takes effect (DECIDED).
    Action.APPROVE_DECISION: Transition(frozenset({Status.LEADER_APPROVAL}), None, LEADERS),
    Action.RETURN_DECISION: Transition(
        frozenset({Status.LEADER_APPROVAL}), Status.INVESTIGATING, LEADERS
    ),
    Action.REQUEST_HEARING: Transition(frozenset({Status.NOTICE}), Status.HEARING, OFFICERS),
    Action.RECORD_HEARING: Transition(frozenset({Status.HEARING}), Status.LEGAL_REVIEW, OFFICERS),
    Action.DECIDE: Transition(frozenset({Status.NOTICE}), Status.DECIDED, LEADERS),
    Action.PUBLISH: Transition(frozenset({Status.DECIDED}), Status.PUBLISHED, OFFICERS),
    # 结案审批: the leader closes the case.
    Action.CLOSE: Transition(frozenset({Status.DECIDED, Status.PUBLISHED}), Status.CLOSED, LEADERS),
    Action.SUSPEND: Transition(ACTIVE, Status.SUSPENDED, LEADERS),
    Action.RESUME: Transition(frozenset({Status.SUSPENDED}), None, LEADERS),
}


# Conditions beyond the status: only a penalty decision is published.
GUARDS = {Action.PUBLISH: lambda case: case.decision_kind == "penalty"}


def allowed_actions(status: str, roles: set[str], *, case: object | None = None) -> list[str]:
    """The actions someone with ``roles`` may take on a case in ``status`` (and, given the
    case, that its decision allows)."""
    return [
        action
        for action, t in TRANSITIONS.items()
        if status in t.sources
        and roles & {str(r) for r in t.roles}
        and (case is None or GUARDS.get(action, lambda _c: True)(case))
    ]
