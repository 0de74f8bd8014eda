"""A dispute's message board: messages to everyone on the dispute, and private caucuses
(背对背调解, 单方会谈) between the mediator and one party.

Only the mediator opens a caucus with a party; a party then writes in its own caucus, which
reaches the mediator only. The other parties never see a caucus not their own
(:func:`messages_for` is the one read of messages). Uploaded documents are preserved in the
evidence ledger like any evidence (``evidence.services.evidence_attach``, labelled with the
organisation's unit). The notice ``dispute.message`` tells the recipients that something was
written, never what.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ipshield.accounts.notices import notify
from ipshield.accounts.services import require_writer
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.disputes import errors, workflow
from ipshield.disputes.models import Dispute, Message, Party
from ipshield.disputes.selectors import parties_of, sides_of
from ipshield.disputes.workflow import Status

TEXT_LIMIT = 5000
# The board is open while the dispute is being mediated or about to be.
OPEN = frozenset({Status.ACCEPTED, Status.CONSENTED, Status.MEDIATING})


def _lock(dispute: Dispute) -> Dispute:
    from ipshield.disputes.services import _lock as lock

    return lock(dispute)


def _is_mediator(user: Any, dispute: Dispute) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and dispute.mediator_id is not None
        and dispute.mediator.user_id == user.pk
    )


def _label(actor: Any, dispute: Dispute, own: list[Party]) -> str:
    if _is_mediator(actor, dispute):
        return _("调解员 %(name)s") % {"name": dispute.mediator.name}
    if own:
        return own[0].name
    profile = getattr(actor, "profile", None)
    return getattr(profile, "display_name", "") or actor.get_full_name() or actor.username


def _caucus_party(actor: Any, dispute: Dispute, party_id: Any, own: list[Party]) -> Party:
    party = next((p for p in dispute.parties.all() if str(p.pk) == str(party_id)), None)
    if party is None:
        raise InvalidInput(
            _("请选择本纠纷的当事人。"), field="caucus_party_id", code=errors.CAUCUS_PARTY
        )
    if _is_mediator(actor, dispute):
        return party
    if party not in own:
        raise PermissionDenied(
            _("单方会谈只在调解员与一方当事人之间进行，您只能在自己的单方会谈中留言。"),
            code=errors.CAUCUS_PARTY,
        )
    opened = Message.objects.filter(
        dispute=dispute, caucus_party=party, author=dispute.mediator.user
    ).exists()
    if not opened:
        raise PermissionDenied(
            _("单方会谈由调解员发起，调解员尚未与您开启单方会谈。"), code=errors.CAUCUS_PARTY
        )
    return party


@transaction.atomic
def message_post(
    *,
    actor: Any,
    dispute: Dispute,
    text: str,
    caucus_party_id: Any = None,
    upload: Any = None,
) -> Message:
    """Post ``text`` (and an uploaded document) to every party and the mediator, or, with
    ``caucus_party_id``, in the private caucus of the mediator and that party."""
    require_writer(actor)
    dispute = _lock(dispute)
    sides = sides_of(actor, dispute)
    own = parties_of(actor, dispute)
    if not sides & {workflow.PARTY, workflow.MEDIATOR, workflow.ORG}:
        raise PermissionDenied(_("您不是本纠纷的当事人或调解员。"), code=errors.NOT_YOURS)
    if dispute.status not in OPEN:
        raise Conflict(
            _("纠纷目前为“%(status)s”，留言板已关闭。") % {"status": Status(dispute.status).label},
            code=errors.NOT_ALLOWED,
        )
    body = str(text or "").replace("\r\n", "\n").strip()
    if not body:
        raise InvalidInput(_("请填写留言内容。"), field="text", code=errors.FIELD_REQUIRED)
    if len(body) > TEXT_LIMIT:
        raise InvalidInput(
            _("留言不能超过 %(limit)s 个字。") % {"limit": TEXT_LIMIT},
            field="text",
            code=errors.FIELD_INVALID,
        )
    caucus = None
    if caucus_party_id not in (None, ""):
        if dispute.mediator_id is None or dispute.status != Status.MEDIATING:
            raise Conflict(_("指派调解员后才能进行单方会谈。"), code=errors.CAUCUS_PARTY)
        caucus = _caucus_party(actor, dispute, caucus_party_id, own)
    attachment = None
    if upload is not None:
        from ipshield.evidence.services import evidence_attach

        attachment = evidence_attach(actor=actor, upload=upload, unit=dispute.organisation.unit)
    message = Message.objects.create(
        dispute=dispute,
        author=actor,
        author_label=_label(actor, dispute, own)[:100],
        caucus_party=caucus,
        text=body,
        attachment=attachment,
    )
    notify(
        users=[u for u in _recipients(dispute, caucus) if u.pk != actor.pk],
        kind="dispute.message",
        params={"number": dispute.number, "title": dispute.title},
        link=f"/disputes/{dispute.pk}/",
    )
    return message


def _recipients(dispute: Dispute, caucus: Party | None) -> list[Any]:
    mediator = [dispute.mediator.user] if dispute.mediator_id is not None else []
    if caucus is not None:
        return [*mediator, *([caucus.user] if caucus.user_id else [])]
    return [*mediator, *(p.user for p in dispute.parties.all() if p.user_id)]


def messages_for(user: Any, dispute: Dispute) -> QuerySet[Message]:
    """The messages of ``dispute`` that ``user`` may read: the mediator all; a party the
    messages to everyone and its own caucus; anyone else who may read the dispute (the
    organisation's staff, a court, auditors) the messages to everyone only. The caller checked
    that ``user`` may read the dispute at all (``selectors.dispute_for``)."""
    qs = Message.objects.filter(dispute=dispute).select_related("attachment").order_by("at", "pk")
    if user is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    if _is_mediator(user, dispute):
        return qs
    own = [p.pk for p in parties_of(user, dispute)]
    return qs.filter(Q(caucus_party__isnull=True) | Q(caucus_party__in=own))


def board_context(user: Any, dispute: Dispute) -> dict[str, Any]:
    """What ``disputes/_board.html`` shows: the visible messages, grouped into the public
    thread and each caucus the user may see, and where the user may write."""
    messages = list(messages_for(user, dispute).select_related("caucus_party"))
    public = [m for m in messages if m.caucus_party_id is None]
    caucuses: dict[int, dict[str, Any]] = {}
    for message in messages:
        if message.caucus_party_id is not None:
            entry = caucuses.setdefault(
                message.caucus_party_id, {"party": message.caucus_party, "messages": []}
            )
            entry["messages"].append(message)
    is_mediator = _is_mediator(user, dispute)
    own = parties_of(user, dispute)
    can_post = dispute.status in OPEN and bool(
        sides_of(user, dispute) & {workflow.PARTY, workflow.MEDIATOR, workflow.ORG}
    )
    caucus_targets = (
        list(dispute.parties.all())
        if is_mediator and dispute.status == Status.MEDIATING
        else [p for p in own if p.pk in caucuses and dispute.status == Status.MEDIATING]
    )
    return {
        "dispute": dispute,
        "public": public,
        "caucuses": list(caucuses.values()),
        "can_post": can_post,
        "caucus_targets": caucus_targets,
        "is_mediator": is_mediator,
    }
