"""One entry for every action of the dispute page and of the API's
``POST /disputes/{id}/actions/{action}``: the cleaned fields of the action's form
(``forms.ACTION_FORMS``) to the one service that takes the step."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ipshield.common.errors import NotFound
from ipshield.disputes import board, errors, services, sessions, signing
from ipshield.disputes.forms import ACTION_FORMS
from ipshield.disputes.models import Agreement, Dispute, Session
from ipshield.disputes.workflow import Action


def known(action: str) -> bool:
    return action in ACTION_FORMS


def run(actor: Any, dispute: Dispute, action: str, data: dict[str, Any]) -> Any:
    """Take ``action`` on ``dispute`` as ``actor`` with ``data`` (a form's ``cleaned_data``)."""
    text = lambda name: data.get(name) or ""  # noqa: E731
    if action == Action.ACCEPT:
        return services.dispute_accept(actor=actor, dispute=dispute)
    if action == Action.DECLINE:
        return services.dispute_decline(actor=actor, dispute=dispute, reason=text("reason"))
    if action in (Action.CONSENT, Action.REFUSE):
        return services.dispute_consent(
            actor=actor,
            dispute=dispute,
            consent=action == Action.CONSENT,
            party_id=data.get("party_id"),
            reason=text("reason"),
        )
    if action == Action.ASSIGN:
        return services.dispute_assign(actor=actor, dispute=dispute, mediator=data["mediator"])
    if action == Action.RECUSE:
        return services.dispute_recuse(actor=actor, dispute=dispute, reason=text("reason"))
    if action == Action.FAIL:
        return services.dispute_fail(actor=actor, dispute=dispute, reason=text("reason"))
    if action == Action.WITHDRAW:
        return services.dispute_withdraw(actor=actor, dispute=dispute, reason=text("reason"))
    if action == Action.EXTEND:
        return services.dispute_extend(
            actor=actor,
            dispute=dispute,
            until=data.get("until"),
            parties_agree=bool(data.get("parties_agree")),
        )
    if action == Action.APPLY_CONFIRMATION:
        return services.confirmation_apply(
            actor=actor,
            dispute=dispute,
            court=data.get("court"),
            concerns_ownership=bool(data.get("concerns_ownership")),
        )
    if action == Action.ACCEPT_CONFIRMATION:
        return services.confirmation_accept(actor=actor, dispute=dispute)
    if action == Action.EXTEND_CONFIRMATION:
        return services.confirmation_extend(actor=actor, dispute=dispute, approval=text("approval"))
    if action in (Action.CONFIRM, Action.REJECT_CONFIRMATION):
        return services.confirmation_decide(
            actor=actor,
            dispute=dispute,
            confirmed=action == Action.CONFIRM,
            ruling_number=text("ruling_number"),
            ruling_text=text("ruling_text"),
        )
    if action == Action.REFER_ARBITRATION:
        return services.arbitration_refer(
            actor=actor, dispute=dispute, commission=data["commission"], clause=text("clause")
        )
    if action == Action.RECORD_AWARD:
        return services.arbitration_award(
            actor=actor,
            dispute=dispute,
            award_number=text("award_number"),
            award_summary=text("award_summary"),
            award_on=data.get("award_on"),
        )
    if action in (Action.PERFORMED, Action.NOT_PERFORMED):
        return services.performance_record(
            actor=actor, dispute=dispute, performed=action == Action.PERFORMED, note=text("note")
        )
    return _online(actor, dispute, action, data)


def _session(dispute: Dispute, data: dict[str, Any]) -> Session:
    session = Session.objects.filter(dispute=dispute, pk=data.get("session_id")).first()
    if session is None:
        raise NotFound(
            _("没有这场调解会议。"), field="session_id", code=errors.SESSION_NOT_SCHEDULED
        )
    return session


def _online(actor: Any, dispute: Dispute, action: str, data: dict[str, Any]) -> Any:
    """Sessions, the message board, the agreement and its signatures."""
    text = lambda name: data.get(name) or ""  # noqa: E731
    if action == "party_contact":
        return services.party_contact_set(
            actor=actor, dispute=dispute, party_id=data.get("contact_party"), phone=text("phone")
        )
    if action == "schedule":
        return sessions.session_schedule(
            actor=actor,
            dispute=dispute,
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            place=text("place"),
            video=bool(data.get("video")),
        )
    if action == "record_session":
        return sessions.session_record(
            actor=actor,
            session=_session(dispute, data),
            record=text("record"),
            attendees=text("attendees"),
        )
    if action == "cancel_session":
        return sessions.session_cancel(
            actor=actor, session=_session(dispute, data), reason=text("reason")
        )
    if action == "post_message":
        return board.message_post(
            actor=actor,
            dispute=dispute,
            text=text("text"),
            caucus_party_id=data.get("caucus_party_id"),
            upload=data.get("upload"),
        )
    if action == "draft_agreement":
        if Agreement.objects.filter(dispute=dispute).exists():
            return signing.agreement_edit(
                actor=actor,
                dispute=dispute,
                text=text("text"),
                performance_due_on=data.get("performance_due_on"),
            )
        return signing.agreement_draft(
            actor=actor,
            dispute=dispute,
            text=text("text") or None,
            performance_due_on=data.get("performance_due_on"),
        )
    if action == "send_code":
        return signing.sign_code_send(actor=actor, dispute=dispute)
    if action == "sign":
        return signing.agreement_sign(actor=actor, dispute=dispute, code=text("code"))
    if action == "sign_on_paper":
        return signing.agreement_sign_on_paper(
            actor=actor, dispute=dispute, party_id=data.get("signer"), note=text("note")
        )
    raise NotFound(_("没有这项操作。"), field="action", code=errors.NOT_ALLOWED)
