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
    INVESTIGATING = "investigating", _("调查中")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    DECIDED = "decided", _("已决定")
    PUBLISHED = "published", _("已公示")
    CLOSED = "closed", _("已结案")
    SUSPENDED = "suspended", _("中止")


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    REJECT = "reject", pgettext_lazy("case action", "不予受理")
    START_INVESTIGATION = "start_investigation", _("立案调查")
    PROPOSE_DECISION = "propose_decision", _("提出处理决定")
    APPROVE_REVIEW = "approve_review", _("法制审核通过")
    RETURN_REVIEW = "return_review", _("法制审核退回")
    PUBLISH = "publish", _("公示")
    CLOSE = "close", _("结案")
    SUSPEND = "suspend", pgettext_lazy("case action", "中止")
    RESUME = "resume", _("恢复")


OFFICERS = frozenset({Role.CASE_OFFICER, Role.UNIT_LEADER})
REVIEWERS = frozenset({Role.LEGAL_REVIEWER})
LEADERS = frozenset({Role.UNIT_LEADER})

# Statuses in which a case is still being handled (may be suspended).
ACTIVE = frozenset({Status.ACCEPTED, Status.INVESTIGATING, Status.LEGAL_REVIEW})
FINAL = frozenset({Status.REJECTED, Status.CLOSED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the service decides (e.g. back to the status before suspension)
    roles: frozenset[str]


TRANSITIONS: dict[str, Transition] = {
    Action.ACCEPT: Transition(frozenset({Status.RECEIVED}), Status.ACCEPTED, OFFICERS),
    Action.REJECT: Transition(frozenset({Status.RECEIVED}), Status.REJECTED, OFFICERS),
    Action.START_INVESTIGATION: Transition(
        frozenset({Status.ACCEPTED}), Status.INVESTIGATING, OFFICERS
    ),
    # Leads to LEGAL_REVIEW when review is required, else straight to DECIDED.
    Action.PROPOSE_DECISION: Transition(frozenset({Status.INVESTIGATING}), None, OFFICERS),
    Action.APPROVE_REVIEW: Transition(frozenset({Status.LEGAL_REVIEW}), Status.DECIDED, REVIEWERS),
    Action.RETURN_REVIEW: Transition(
        frozenset({Status.LEGAL_REVIEW}), Status.INVESTIGATING, REVIEWERS
    ),
    Action.PUBLISH: Transition(frozenset({Status.DECIDED}), Status.PUBLISHED, OFFICERS),
    Action.CLOSE: Transition(
        frozenset({Status.DECIDED, Status.PUBLISHED}), Status.CLOSED, OFFICERS
    ),
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
