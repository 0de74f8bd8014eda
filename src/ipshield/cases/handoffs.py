"""Who is told when a case moves (``accounts.notices``), called inside the service's transaction:
the people whose move it now is (the inbox shows the same work, ``cases.inbox``), and the
complainant or signed-in reporter at the steps the complaint rules say they are told of
(acceptance or not, the opening of a case, the result; 《市场监督管理投诉举报处理暂行办法》).
The officers' work goes to the case officers, not to the leaders (see ``cases.inbox``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ipshield.accounts.notices import notify, people
from ipshield.cases.models import Case, Source
from ipshield.cases.selectors import case_link
from ipshield.cases.workflow import CASE_OFFICERS as OFFICERS
from ipshield.cases.workflow import LEADERS, REVIEWERS, Action, Status

# Told to the person who submitted a complaint or report, by the action that happened.
SUBMITTER_NOTICES = {
    Action.ACCEPT: "submission.accepted",
    Action.REJECT: "submission.rejected",
    Action.START_INVESTIGATION: "submission.opened",
    Action.DECLINE_OPENING: "submission.not_opened",
    Action.CLOSE: "submission.closed",
}

# Whose move it is after an action, and what they are told: (roles, notice kind). The status
# alone decides where work goes; the action says what happened (a return, an approval).
STAFF_NOTICES: dict[str, tuple[frozenset[str], str]] = {
    Action.REQUEST_OPENING: (LEADERS, "case.opening_review"),
    Action.START_INVESTIGATION: (OFFICERS, "case.opened"),
    Action.DECLINE_OPENING: (OFFICERS, "case.not_opened"),
    Action.PROPOSE_DECISION: (REVIEWERS, "case.case_review"),
    Action.RETURN_CASE_REVIEW: (OFFICERS, "case.returned"),
    Action.RETURN_REVIEW: (OFFICERS, "case.review_returned"),
    Action.RETURN_DECISION: (OFFICERS, "case.returned"),
    Action.APPROVE_DECISION: (OFFICERS, "case.approved"),
    Action.REQUEST_HEARING: (OFFICERS, "case.hearing_requested"),
    Action.DECIDE: (OFFICERS, "case.decided"),
    Action.SUSPEND: (OFFICERS, "case.suspended"),
}
# Entering a status puts the case in these people's hands, whatever the action.
STATUS_NOTICES: dict[str, tuple[frozenset[str], str]] = {
    Status.LEGAL_REVIEW: (REVIEWERS, "case.review"),
    Status.LEADER_APPROVAL: (LEADERS, "case.leader_approval"),
}
# Procedure steps (``cases.procedure.STEPS``) that hand work on.
STEP_NOTICES: dict[str, tuple[frozenset[str], str]] = {
    "record_waiver": (LEADERS, "case.ready_to_decide"),
}


def _staff(case: Case, roles: Any, actor: Any):
    users = people(unit_id=case.unit_id, roles=roles)
    if getattr(actor, "pk", None):
        users = users.exclude(pk=actor.pk)
    return users


def _params(case: Case, **more: Any) -> dict[str, Any]:
    return {"number": case.number, "title": case.title, **more}


def case_received(case: Case, *, actor: Any) -> None:
    notify(
        users=_staff(case, OFFICERS, actor),
        kind="case.received",
        params=_params(case),
        link=case_link(case),
    )


def case_moved(case: Case, *, actor: Any, action: str, after: str, note: str = "") -> None:
    link = case_link(case)
    told = []
    if action == Action.PROPOSE_DECISION and after != Status.CASE_REVIEW:
        pass  # decided on the spot (simple procedure): nobody else acts
    elif action in STAFF_NOTICES:
        told.append(STAFF_NOTICES[action])
    if after in STATUS_NOTICES and action not in (Action.RETURN_REVIEW,):
        told.append(STATUS_NOTICES[after])
    if action == Action.APPROVE_REVIEW and after == Status.NOTICE:
        told.append((LEADERS, "case.ready_to_decide"))
    for roles, kind in told:
        notify(
            users=_staff(case, roles, actor),
            kind=kind,
            params=_params(case, reason=note),
            link=link,
        )
    kind = SUBMITTER_NOTICES.get(action)
    submitter = case.submitted_by
    if kind and submitter is not None and case.source in (Source.COMPLAINT, Source.REPORT):
        notify(users=[submitter], kind=kind, params=_params(case, reason=note), link=_track(case))


def step_recorded(case: Case, *, actor: Any, step: str) -> None:
    if step == "request_information" and case.submitted_by is not None:
        notify(
            users=[case.submitted_by],
            kind="submission.information_requested",
            params=_params(case),
            link=_status_page(case),
        )
    if step in STEP_NOTICES:
        roles, kind = STEP_NOTICES[step]
        notify(
            users=_staff(case, roles, actor),
            kind=kind,
            params=_params(case),
            link=case_link(case),
        )


def case_transferred(case: Case, *, unit_name: str) -> None:
    """The submitter is told where their submission went."""
    if case.submitted_by is not None and case.source in (Source.COMPLAINT, Source.REPORT):
        notify(
            users=[case.submitted_by],
            kind="submission.transferred",
            params=_params(case, unit=unit_name),
            link=_track(case),
        )


def information_answered(case: Case) -> None:
    notify(
        users=_staff(case, OFFICERS, None),
        kind="case.information_answered",
        params=_params(case),
        link=case_link(case),
    )


def _status_page(case: Case) -> str:
    return reverse("portal:track-status", args=[case.number])


def _track(case: Case) -> str:
    return reverse("portal:my-complaints")
