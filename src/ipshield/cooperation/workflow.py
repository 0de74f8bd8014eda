"""The cooperation lifecycles as data: statuses, actions and the one table of allowed moves.

``ASSISTANCE``, ``TRANSFER`` and ``OPERATION`` say, for each action, from which statuses it may
be taken, the status it leads to, and which stable error code explains a refusal from the other
statuses (so a double acknowledgement and a reply before acknowledgement are told apart). Services
look actions up here; nothing else decides whether a move is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.cooperation import errors


class AssistanceStatus(models.TextChoices):
    SENT = "sent", _("已发出")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    REPLIED = "replied", _("已回复")
    DECLINED = "declined", _("已拒绝")


class AssistanceAction(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("签收")
    REPLY = "reply", _("回复")
    DECLINE = "decline", _("拒绝协办")


class TransferKind(models.TextChoices):
    UNIT = "unit", _("移送其他单位")
    CRIMINAL = "criminal", _("涉嫌犯罪移送公安机关")


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    REFUSED = "refused", _("已拒收")
    WITHDRAWN = "withdrawn", _("已撤回")


class TransferAction(models.TextChoices):
    ACCEPT = "accept", _("接收")
    REFUSE = "refuse", _("拒收")
    WITHDRAW = "withdraw", _("撤回")


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ACTIVE = "active", _("进行中")
    FINISHED = "finished", _("已结束")


class OperationAction(models.TextChoices):
    START = "start", _("启动")
    FINISH = "finish", _("结束")


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    # Status -> the code that explains why the action is refused there.
    refusals: dict[str, str] = field(default_factory=dict)

    def refusal_code(self, status: str) -> str:
        return self.refusals.get(status, errors.ILLEGAL_TRANSITION)


_A = AssistanceStatus
_ANSWERED: dict[str, str] = {
    _A.REPLIED: errors.ALREADY_ANSWERED,
    _A.DECLINED: errors.ALREADY_ANSWERED,
}

ASSISTANCE: dict[str, Step] = {
    AssistanceAction.ACKNOWLEDGE: Step(
        frozenset({_A.SENT}),
        _A.ACKNOWLEDGED,
        {_A.ACKNOWLEDGED: errors.ALREADY_ACKNOWLEDGED, **_ANSWERED},
    ),
    AssistanceAction.REPLY: Step(
        frozenset({_A.ACKNOWLEDGED}), _A.REPLIED, {_A.SENT: errors.NOT_ACKNOWLEDGED, **_ANSWERED}
    ),
    # Declining is an answer too; it may come before or after the acknowledgement.
    AssistanceAction.DECLINE: Step(frozenset({_A.SENT, _A.ACKNOWLEDGED}), _A.DECLINED, _ANSWERED),
}

_T = TransferStatus
_CLOSED_TRANSFER: dict[str, str] = {
    s: errors.ALREADY_ANSWERED for s in (_T.ACCEPTED, _T.REFUSED, _T.WITHDRAWN)
}

TRANSFER: dict[str, Step] = {
    TransferAction.ACCEPT: Step(frozenset({_T.PROPOSED}), _T.ACCEPTED, _CLOSED_TRANSFER),
    TransferAction.REFUSE: Step(frozenset({_T.PROPOSED}), _T.REFUSED, _CLOSED_TRANSFER),
    TransferAction.WITHDRAW: Step(frozenset({_T.PROPOSED}), _T.WITHDRAWN, _CLOSED_TRANSFER),
}

_O = OperationStatus
OPERATION: dict[str, Step] = {
    OperationAction.START: Step(frozenset({_O.PLANNED}), _O.ACTIVE),
    OperationAction.FINISH: Step(frozenset({_O.ACTIVE}), _O.FINISHED),
}

OPEN_ASSISTANCE = frozenset({_A.SENT, _A.ACKNOWLEDGED})
