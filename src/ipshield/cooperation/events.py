"""One typed function per cooperation verb. Call them inside the service's transaction.

The history is what both sides of a request, transfer or operation see; the case's own record
(``cases.record``) gets a note for the steps that change what happens to the case.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ipshield.accounts.selectors import profile_of
from ipshield.cooperation import handoffs
from ipshield.cooperation.models import (
    AssistanceRequest,
    CooperationEvent,
    CooperationVerb,
    JointOperation,
    Transfer,
)


def _record(verb: str, *, actor: Any, note: str = "", **links_and_data: Any) -> CooperationEvent:
    links = {
        key: links_and_data.pop(key)
        for key in ("case", "assistance_request", "transfer", "operation")
        if key in links_and_data
    }
    profile = profile_of(actor)
    event = CooperationEvent.objects.create(
        verb=verb,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=profile.unit if profile else None,
        at=timezone.now(),
        note=note,
        data=links_and_data,
        **links,
    )
    handoffs.after_event(event)  # tell the people who must act now
    return event


def _request(verb: str, request: AssistanceRequest, *, actor: Any, note: str = "", **data: Any):
    return _record(
        verb, actor=actor, note=note, case=request.case, assistance_request=request, **data
    )


def request_sent(*, actor: Any, request: AssistanceRequest) -> CooperationEvent:
    return _request(
        CooperationVerb.REQUEST_SENT,
        request,
        actor=actor,
        note=request.asked,
        to_unit=request.to_unit_id,
        due_on=request.due_on.isoformat(),
    )


def request_acknowledged(
    *, actor: Any, request: AssistanceRequest, receipt_reference: str = ""
) -> CooperationEvent:
    return _request(
        CooperationVerb.REQUEST_ACKNOWLEDGED,
        request,
        actor=actor,
        receipt_reference=receipt_reference,
    )


def request_replied(
    *, actor: Any, request: AssistanceRequest, receipt_reference: str = ""
) -> CooperationEvent:
    return _request(
        CooperationVerb.REQUEST_REPLIED,
        request,
        actor=actor,
        note=request.reply,
        receipt_reference=receipt_reference,
    )


def request_declined(
    *, actor: Any, request: AssistanceRequest, receipt_reference: str = ""
) -> CooperationEvent:
    return _request(
        CooperationVerb.REQUEST_DECLINED,
        request,
        actor=actor,
        note=request.decline_reason,
        receipt_reference=receipt_reference,
    )


def _transfer(verb: str, transfer: Transfer, *, actor: Any, note: str = "", **data: Any):
    return _record(
        verb,
        actor=actor,
        note=note,
        case=transfer.case,
        transfer=transfer,
        kind=transfer.kind,
        **data,
    )


def transfer_proposed(*, actor: Any, transfer: Transfer) -> CooperationEvent:
    return _transfer(
        CooperationVerb.TRANSFER_PROPOSED,
        transfer,
        actor=actor,
        note=transfer.reason,
        from_unit=transfer.from_unit_id,
        to_unit=transfer.to_unit_id,
    )


def transfer_accepted(*, actor: Any, transfer: Transfer, unit_before: int) -> CooperationEvent:
    return _transfer(
        CooperationVerb.TRANSFER_ACCEPTED,
        transfer,
        actor=actor,
        note=transfer.answer_note,
        case_unit_before=unit_before,
        case_unit_after=transfer.case.unit_id,
        receipt_reference=transfer.receipt_reference,
    )


def transfer_refused(*, actor: Any, transfer: Transfer) -> CooperationEvent:
    return _transfer(
        CooperationVerb.TRANSFER_REFUSED,
        transfer,
        actor=actor,
        note=transfer.answer_note,
        receipt_reference=transfer.receipt_reference,
    )


def transfer_withdrawn(*, actor: Any, transfer: Transfer, reason: str) -> CooperationEvent:
    return _transfer(CooperationVerb.TRANSFER_WITHDRAWN, transfer, actor=actor, note=reason)


def operation_created(*, actor: Any, operation: JointOperation) -> CooperationEvent:
    return _record(
        CooperationVerb.OPERATION_CREATED,
        actor=actor,
        operation=operation,
        note=operation.name,
        lead_unit=operation.lead_unit_id,
        units=sorted(operation.units.values_list("pk", flat=True)),
    )


def operation_unit_added(
    *, actor: Any, operation: JointOperation, unit_id: int
) -> CooperationEvent:
    return _record(
        CooperationVerb.OPERATION_UNIT_ADDED, actor=actor, operation=operation, unit_id=unit_id
    )


def operation_case_linked(*, actor: Any, operation: JointOperation, case: Any) -> CooperationEvent:
    return _record(
        CooperationVerb.OPERATION_CASE_LINKED,
        actor=actor,
        operation=operation,
        case=case,
        number=case.number,
    )


def operation_started(*, actor: Any, operation: JointOperation) -> CooperationEvent:
    return _record(CooperationVerb.OPERATION_STARTED, actor=actor, operation=operation)


def operation_finished(*, actor: Any, operation: JointOperation) -> CooperationEvent:
    return _record(
        CooperationVerb.OPERATION_FINISHED,
        actor=actor,
        operation=operation,
        note=operation.result_summary,
    )


def facts_recorded(*, actor: Any, case: Any, facts: dict[str, Any]) -> CooperationEvent:
    return _record(CooperationVerb.FACTS_RECORDED, actor=actor, case=case, facts=facts)


def referral_decided(*, actor: Any, decision: Any) -> CooperationEvent:
    return _record(
        CooperationVerb.REFERRAL_DECIDED,
        actor=actor,
        case=decision.case,
        transfer=decision.transfer,
        note=decision.reason,
        refer=decision.refer,
        reasons=decision.reasons,
        package_sha256=decision.package_sha256,
    )


def threshold_changed(*, actor: Any, threshold: Any, changes: dict[str, Any]) -> CooperationEvent:
    return _record(
        CooperationVerb.THRESHOLD_CHANGED,
        actor=actor,
        key=threshold.key,
        changes=changes,
    )
