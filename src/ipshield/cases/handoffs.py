"""Who is told when a case moves (``accounts.notices``), called inside the service's transaction:
the people whose move it now is (the inbox shows the same work, ``cases.inbox``), and the
complainant or signed-in reporter at the steps the complaint rules say they are told of
(acceptance or not, the opening of a case, the result; 《市场监督管理投诉举报处理暂行办法》)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ipshield.accounts.notices import notify, people
from ipshield.cases.models import Case, Source
from ipshield.cases.selectors import case_link
from ipshield.cases.workflow import OFFICERS, REVIEWERS, Action, Status

# Told to the person who submitted a complaint or report, by the action that happened.
SUBMITTER_NOTICES = {
    Action.ACCEPT: "submission.accepted",
    Action.REJECT: "submission.rejected",
    Action.START_INVESTIGATION: "submission.opened",
    Action.CLOSE: "submission.closed",
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
    if after == Status.LEGAL_REVIEW:
        notify(
            users=_staff(case, REVIEWERS, actor),
            kind="case.review",
            params=_params(case),
            link=link,
        )
    elif action == Action.RETURN_REVIEW:
        notify(
            users=_staff(case, OFFICERS, actor),
            kind="case.review_returned",
            params=_params(case, reason=note),
            link=link,
        )
    elif action == Action.APPROVE_REVIEW:
        notify(
            users=_staff(case, OFFICERS, actor),
            kind="case.review_approved",
            params=_params(case),
            link=link,
        )
    elif action == Action.SUSPEND:
        notify(
            users=_staff(case, OFFICERS, actor),
            kind="case.suspended",
            params=_params(case, reason=note),
            link=link,
        )
    kind = SUBMITTER_NOTICES.get(action)
    submitter = case.submitted_by
    if kind and submitter is not None and case.source in (Source.COMPLAINT, Source.REPORT):
        notify(users=[submitter], kind=kind, params=_params(case, reason=note), link=_track(case))


def case_transferred(case: Case, *, unit_name: str) -> None:
    """The submitter is told where their submission went."""
    if case.submitted_by is not None and case.source in (Source.COMPLAINT, Source.REPORT):
        notify(
            users=[case.submitted_by],
            kind="submission.transferred",
            params=_params(case, unit=unit_name),
            link=_track(case),
        )


def _track(case: Case) -> str:
    return reverse("portal:my-complaints")
