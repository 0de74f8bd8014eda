"""The dispute lifecycle as data: statuses, actions and the one table of allowed transitions.

Like ``cases.workflow``: ``TRANSITIONS[action]`` says from which statuses an action may be
taken, the status it leads to and who may take it (``ORG``: the organisation handling the
dispute; ``MEDIATOR``: the mediator assigned; ``APPLICANT`` / ``RESPONDENT`` / ``PARTY``: a
party through its account; ``COURT``: the court a confirmation was sent to; ``COMMISSION``:
the arbitration commission). ``services.py`` looks every move up here and refuses anything
else with a coded error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACCEPTED = "accepted", _("已受理，待被申请人同意")
    DECLINED = "declined", _("不予受理")
    REFUSED = "refused", _("被申请人不同意调解")
    CONSENTED = "consented", _("待指派调解员")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("达成调解协议")
    FAILED = "failed", _("调解不成")
    WITHDRAWN = "withdrawn", _("撤回")
    CONFIRMING = "confirming", _("司法确认中")
    CONFIRMED = "confirmed", _("司法确认有效")
    NOT_CONFIRMED = "not_confirmed", _("司法确认驳回")
    ARBITRATION = "arbitration", _("已移交仲裁")
    AWARDED = "awarded", _("仲裁已裁决")
    PERFORMED = "performed", _("已履行")
    NOT_PERFORMED = "not_performed", _("未履行")


class Action(models.TextChoices):
    ACCEPT = "accept", pgettext_lazy("dispute action", "受理")
    DECLINE = "decline", pgettext_lazy("dispute action", "不予受理")
    CONSENT = "consent", _("同意调解")
    REFUSE = "refuse", _("不同意调解")
    ASSIGN = "assign", _("指派调解员")
    RECUSE = "recuse", _("申请调解员回避")
    AGREE = "agree", _("调解协议生效")
    FAIL = "fail", _("调解终结（未达成协议）")
    WITHDRAW = "withdraw", _("撤回申请")
    EXTEND = "extend", _("延长调解期限")
    APPLY_CONFIRMATION = "apply_confirmation", _("申请司法确认")
    ACCEPT_CONFIRMATION = "accept_confirmation", _("法院受理确认申请")
    EXTEND_CONFIRMATION = "extend_confirmation", _("延长审查期限")
    CONFIRM = "confirm", _("裁定确认有效")
    REJECT_CONFIRMATION = "reject_confirmation", _("裁定驳回申请")
    REFER_ARBITRATION = "refer_arbitration", _("移交仲裁")
    RECORD_AWARD = "record_award", _("记录仲裁裁决")
    PERFORMED = "performed", _("记录已履行")
    NOT_PERFORMED = "not_performed", _("记录未履行")


# Who takes an action (resolved against a dispute by ``services.actor_sides``).
ORG = "org"
MEDIATOR = "mediator"
APPLICANT = "applicant"
RESPONDENT = "respondent"
PARTY = "party"
COURT = "court"
COMMISSION = "commission"

OPEN = frozenset({Status.APPLIED, Status.ACCEPTED, Status.CONSENTED, Status.MEDIATING})
# Ended without an agreement: the parties are shown where to go next (litigation, or the
# administrative handling of a complaint).
ENDED_WITHOUT_AGREEMENT = frozenset(
    {Status.DECLINED, Status.REFUSED, Status.FAILED, Status.WITHDRAWN, Status.NOT_CONFIRMED}
)
FINAL = frozenset(
    {*ENDED_WITHOUT_AGREEMENT, Status.AWARDED, Status.PERFORMED, Status.NOT_PERFORMED}
)
# An agreement exists and may be performed.
PERFORMABLE = frozenset({Status.AGREED, Status.CONFIRMED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the service decides (an extension keeps the status)
    sides: frozenset[str]


def _t(sources: set[str], target: str | None, *sides: str) -> Transition:
    return Transition(frozenset(sources), target, frozenset(sides))


TRANSITIONS: dict[str, Transition] = {
    Action.ACCEPT: _t({Status.APPLIED}, Status.ACCEPTED, ORG),
    Action.DECLINE: _t({Status.APPLIED}, Status.DECLINED, ORG),
    # Mediation is voluntary (人民调解法第三条): the respondent agrees or the dispute ends.
    Action.CONSENT: _t({Status.ACCEPTED}, Status.CONSENTED, RESPONDENT),
    Action.REFUSE: _t({Status.ACCEPTED}, Status.REFUSED, RESPONDENT),
    Action.ASSIGN: _t({Status.CONSENTED}, Status.MEDIATING, ORG),
    # A party may refuse a mediator (人民调解法第二十三条第一项): the organisation assigns another.
    Action.RECUSE: _t({Status.MEDIATING}, Status.CONSENTED, PARTY),
    # The agreement takes effect when every party and the mediator have signed (第二十九条).
    Action.AGREE: _t({Status.MEDIATING}, Status.AGREED, MEDIATOR),
    Action.FAIL: _t({Status.MEDIATING, Status.CONSENTED}, Status.FAILED, MEDIATOR, ORG),
    Action.WITHDRAW: _t(
        {Status.APPLIED, Status.ACCEPTED, Status.CONSENTED, Status.MEDIATING},
        Status.WITHDRAWN,
        APPLICANT,
        RESPONDENT,
    ),
    Action.EXTEND: _t({Status.CONSENTED, Status.MEDIATING}, None, MEDIATOR, ORG),
    Action.APPLY_CONFIRMATION: _t({Status.AGREED}, Status.CONFIRMING, PARTY),
    Action.ACCEPT_CONFIRMATION: _t({Status.CONFIRMING}, None, COURT),
    Action.EXTEND_CONFIRMATION: _t({Status.CONFIRMING}, None, COURT),
    Action.CONFIRM: _t({Status.CONFIRMING}, Status.CONFIRMED, COURT),
    Action.REJECT_CONFIRMATION: _t({Status.CONFIRMING}, Status.NOT_CONFIRMED, COURT),
    Action.REFER_ARBITRATION: _t({Status.MEDIATING, Status.FAILED}, Status.ARBITRATION, ORG),
    Action.RECORD_AWARD: _t({Status.ARBITRATION}, Status.AWARDED, COMMISSION),
    Action.PERFORMED: _t(PERFORMABLE, Status.PERFORMED, ORG, MEDIATOR, APPLICANT),
    Action.NOT_PERFORMED: _t(PERFORMABLE, Status.NOT_PERFORMED, ORG, MEDIATOR, APPLICANT),
}


def allowed(status: str, sides: set[str]) -> list[str]:
    """The actions someone on ``sides`` of a dispute in ``status`` may take."""
    return [a for a, t in TRANSITIONS.items() if status in t.sources and sides & t.sides]
