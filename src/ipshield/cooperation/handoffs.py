"""Who is told when cooperation hands work over (``accounts.notices``): called for every
cooperation event from ``events._record``, inside the service's transaction."""

from __future__ import annotations

from django.urls import reverse

from ipshield.accounts.notices import notify, people
from ipshield.cases import handoffs as case_handoffs
from ipshield.cases.workflow import OFFICERS
from ipshield.cooperation.models import CooperationEvent, CooperationVerb
from ipshield.cooperation.workflow import TransferKind


def _tell(unit_id: int | None, event: CooperationEvent, kind: str, link: str, **params) -> None:
    users = people(unit_id=unit_id, roles=OFFICERS)
    if event.actor_id:
        users = users.exclude(pk=event.actor_id)
    notify(users=users, kind=kind, params=params, link=link)


def after_event(event: CooperationEvent) -> None:
    verb = event.verb
    request, transfer = event.assistance_request, event.transfer
    if request is not None:
        link = reverse("workbench:coop-request", args=[request.pk])
        number = request.case.number
        if verb == CooperationVerb.REQUEST_SENT:
            _tell(
                request.to_unit_id,
                event,
                "assistance.sent",
                link,
                unit=request.from_unit.name,
                number=number,
                due=str(request.due_on),
            )
        elif verb == CooperationVerb.REQUEST_REPLIED:
            _tell(
                request.from_unit_id,
                event,
                "assistance.replied",
                link,
                unit=request.to_unit.name,
                number=number,
            )
        elif verb == CooperationVerb.REQUEST_DECLINED:
            _tell(
                request.from_unit_id,
                event,
                "assistance.declined",
                link,
                unit=request.to_unit.name,
                number=number,
            )
    elif transfer is not None:
        link = reverse("workbench:coop-transfer", args=[transfer.pk])
        number = transfer.case.number
        if verb == CooperationVerb.TRANSFER_PROPOSED:
            kind = (
                "referral.proposed"
                if transfer.kind == TransferKind.CRIMINAL
                else "transfer.proposed"
            )
            _tell(
                transfer.to_unit_id, event, kind, link, unit=transfer.from_unit.name, number=number
            )
        elif verb == CooperationVerb.TRANSFER_ACCEPTED:
            if transfer.kind == TransferKind.UNIT:
                case_handoffs.case_transferred(transfer.case, unit_name=transfer.to_unit.name)
            _tell(
                transfer.from_unit_id,
                event,
                "transfer.accepted",
                link,
                unit=transfer.to_unit.name,
                number=number,
            )
        elif verb == CooperationVerb.TRANSFER_REFUSED:
            _tell(
                transfer.from_unit_id,
                event,
                "transfer.refused",
                link,
                unit=transfer.to_unit.name,
                number=number,
            )
    elif verb == CooperationVerb.OPERATION_UNIT_ADDED and event.operation is not None:
        unit_id = (event.data or {}).get("unit_id")
        if unit_id:
            _tell(
                unit_id,
                event,
                "operation.joined",
                reverse("workbench:coop-operation", args=[event.operation.pk]),
                name=event.operation.name,
            )
