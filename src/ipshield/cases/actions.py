"""One dispatcher from an action name to the service behind it, shared by the workbench and
the API, so both offer exactly the same actions with the same checks."""

from __future__ import annotations

from typing import Any

from ipshield.cases import intake, procedure, services
from ipshield.cases.models import Case, Procedure
from ipshield.cases.workflow import Action

# Actions beside the lifecycle table's.
OVERRIDE_TRACK = "override_track"
EXTEND_DEADLINE = "extend_deadline"
NOTIFY_REPORTER = "notify_reporter"
REVEAL_IDENTITY = "reveal_identity"
EXCLUDE_TIME = "exclude_time"
EXTRA_ACTIONS = (
    OVERRIDE_TRACK,
    EXTEND_DEADLINE,
    NOTIFY_REPORTER,
    REVEAL_IDENTITY,
    EXCLUDE_TIME,
    *procedure.STEPS,
)
ALL_ACTIONS = (*Action.values, *EXTRA_ACTIONS)


def run_action(name: str, actor: Any, case: Case, data: dict[str, Any]) -> dict[str, str] | None:
    """Call the one service behind action ``name``; returns the identity for a reveal."""
    reason = data.get("reason", "")
    opinion = (data.get("opinion") or "").strip()
    if name in procedure.STEPS:
        procedure.run_step(name, actor, case, data)
    elif name == Action.ACCEPT:
        services.case_accept(actor=actor, case=case)
    elif name == Action.REJECT:
        services.case_reject(actor=actor, case=case, reason=reason)
    elif name == Action.REQUEST_OPENING:
        services.case_request_opening(
            actor=actor, case=case, proposal=data.get("opening") or "", opinion=opinion
        )
    elif name == Action.START_INVESTIGATION:
        services.case_start_investigation(actor=actor, case=case, opinion=opinion)
    elif name == Action.DECLINE_OPENING:
        services.case_decline_opening(actor=actor, case=case, reason=reason)
    elif name == Action.PROPOSE_DECISION:
        services.case_propose_decision(
            actor=actor,
            case=case,
            kind=data.get("kind", ""),
            summary=data.get("summary", ""),
            penalty_amount=data.get("penalty_amount"),
            procedure=data.get("procedure") or Procedure.ORDINARY,
            penalty_kinds=list(data.get("penalty_kinds") or ()),
            facts=data.get("facts") or "",
            legal_basis=data.get("legal_basis") or "",
        )
    elif name == Action.APPROVE_CASE_REVIEW:
        services.case_approve_case_review(actor=actor, case=case, opinion=opinion)
    elif name == Action.RETURN_CASE_REVIEW:
        services.case_return_case_review(actor=actor, case=case, reason=reason)
    elif name == Action.APPROVE_REVIEW:
        services.case_approve_review(actor=actor, case=case, opinion=opinion)
    elif name == Action.RETURN_REVIEW:
        services.case_return_review(actor=actor, case=case, reason=reason)
    elif name == Action.APPROVE_DECISION:
        services.case_approve_decision(actor=actor, case=case, opinion=opinion)
    elif name == Action.RETURN_DECISION:
        services.case_return_decision(actor=actor, case=case, reason=reason)
    elif name == Action.REQUEST_HEARING:
        services.case_request_hearing(
            actor=actor, case=case, requested_on=data.get("requested_on") or ""
        )
    elif name == Action.RECORD_HEARING:
        services.case_record_hearing(
            actor=actor,
            case=case,
            record_text=data.get("record") or "",
            report=data.get("report") or "",
        )
    elif name == Action.DECIDE:
        kinds = data.get("penalty_kinds")
        services.case_decide(
            actor=actor,
            case=case,
            summary=data.get("summary") or "",
            penalty_amount=data.get("penalty_amount"),
            penalty_kinds=list(kinds) if kinds else None,
        )
    elif name == Action.PUBLISH:
        names = data.get("person_names", "") or ""
        services.case_publish(
            actor=actor,
            case=case,
            decision_number=(data.get("decision_number") or "").strip(),
            person_names=[
                n.strip()
                for n in names.replace("，", "、").replace(",", "、").split("、")
                if n.strip()
            ],
        )
    elif name == Action.CLOSE:
        services.case_close(actor=actor, case=case)
    elif name == Action.SUSPEND:
        services.case_suspend(actor=actor, case=case, reason=reason)
    elif name == Action.RESUME:
        services.case_resume(actor=actor, case=case, reason=reason.strip())
    elif name == OVERRIDE_TRACK:
        services.case_override_track(
            actor=actor, case=case, track=data.get("track", ""), reason=reason
        )
    elif name == EXTEND_DEADLINE:
        services.case_extend_deadline(
            actor=actor, case=case, key=data.get("key", ""), reason=reason
        )
    elif name == NOTIFY_REPORTER:
        services.case_notify_reporter(actor=actor, case=case, note=data.get("note", ""))
    elif name == EXCLUDE_TIME:
        services.case_exclude_time(
            actor=actor,
            case=case,
            reason=data.get("excluded_reason", ""),
            since=data.get("since") or "",
            until=data.get("until") or "",
        )
    elif name == REVEAL_IDENTITY:
        return intake.reporter_identity_reveal(actor=actor, case=case, reason=reason)
    return None
