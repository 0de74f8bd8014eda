"""Prosecution thresholds (刑事追诉标准) and the rule that a case reaching one is not closed
administratively without a recorded referral decision (两法衔接).

The figures are data: ``ProsecutionThreshold`` rows, editable by administrators, seeded by
migration 0002 with defaults for 假冒注册商标罪 (刑法第二百一十三条, "情节严重") as
《最高人民法院 最高人民检察院关于办理侵犯知识产权刑事案件适用法律若干问题的解释》
(法释〔2025〕5号, in force 2025-04-26) sets them in its article 3:

- goods: 违法所得 ≥ 30,000 元 or 非法经营数额 ≥ 50,000 元;
- two or more kinds of registered trademarks: 违法所得 ≥ 20,000 元 or 非法经营数额 ≥ 30,000 元;
- again within two years of a criminal or administrative punishment: 违法所得 ≥ 20,000 元 or
  非法经营数额 ≥ 30,000 元;
- services: 违法所得 ≥ 50,000 元; two or more service marks, or again within two years:
  违法所得 ≥ 30,000 元.

What was checked (docs/legal-sources.md has the details): the official text of 法释〔2025〕5号
is not in the stored sources this project can read. The first two goods figures are the same
in the 2004 interpretation (法释〔2004〕19号第一条) and the prosecution standards
(立案追诉标准（二）第六十九条), both read; the repeat-offender and service-mark figures come
from published summaries only and their rows say so. The other offences the interpretation
covers (销售假冒注册商标的商品罪, 非法制造注册商标标识罪, 假冒专利罪, 侵犯著作权罪,
销售侵权复制品罪, 侵犯商业秘密罪) are not seeded: their figures could not be read from the text,
and their facts (sales and goods values, label counts, copies, losses) are not recorded here.

Crime names, situations and sources are shown in the user's language: the seeded texts have
English translations (the ``gettext_noop`` list below); a row an administrator rewrote is shown
as written.

The procedure: the unit's head approves or refuses a referral within 3 days of the written
report and an approved case goes to the police within 24 hours; a refusal's reasons are recorded
(《行政执法机关移送涉嫌犯罪案件的规定》, 国务院令第310号, 第五条). Hence ``referral_decide``
is for unit leaders and always takes a reason.

Example::

    >>> reasons = evaluate(case)            # [] when no threshold is reached
    >>> referral_blocks_close(case)         # a message for people, or None
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from ipshield.common.errors import Conflict
from ipshield.cooperation import errors
from ipshield.cooperation.models import (
    CaseCriminalFacts,
    ProsecutionThreshold,
    ReferralDecision,
    ThresholdScope,
    Transfer,
)
from ipshield.cooperation.workflow import TransferKind, TransferStatus

__all__ = [
    "Reached",
    "ensure_close_allowed",
    "evaluate",
    "reached",
    "referral_blocks_close",
    "shown",
]


# The texts migration 0002 seeds, so that gettext gives them in the user's language.
SEEDED_TEXTS = (
    gettext_noop("假冒注册商标罪"),
    gettext_noop("在同一种商品上使用相同商标"),
    gettext_noop("假冒两种以上注册商标"),
    gettext_noop("二年内因假冒注册商标等行为受过刑事处罚或者行政处罚后再次实施"),
    gettext_noop("在同一种服务上使用相同商标"),
    gettext_noop("假冒两种以上服务商标"),
    gettext_noop("二年内受过刑事处罚或者行政处罚后再次假冒服务商标"),
    gettext_noop(
        "《最高人民法院 最高人民检察院关于办理侵犯知识产权刑事案件适用法律若干问题的解释》"
        "（法释〔2025〕5号，2025年4月26日起施行）第三条"
    ),
)


def shown(text: str) -> str:
    """A threshold row's crime, situation or source in the user's language (seeded texts are
    translated; an administrator's own wording is shown as written)."""
    return _(text) if text else ""


def _joined(parts: list[str]) -> str:
    return pgettext("reason separator", "；").join(parts)


@dataclass(frozen=True)
class Reached:
    """A threshold the case's facts reach, and why, for people."""

    key: str
    reason: str


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _applies(row: ProsecutionThreshold, facts: CaseCriminalFacts) -> bool:
    if row.applies_to != ThresholdScope.ANY and row.applies_to != facts.mark_use:
        return False
    if facts.marks_count < row.min_marks:
        return False
    return not (row.requires_prior_punishment and not facts.prior_punishment)


def _hits(row: ProsecutionThreshold, facts: CaseCriminalFacts) -> list[str]:
    """What reaches the row's figures (either figure suffices; a blank one never counts)."""
    hits = []
    volume, gains = facts.illegal_business_volume, facts.illegal_gains
    volume_min, gains_min = row.business_volume_min, row.illegal_gains_min
    if volume_min is not None and volume is not None and volume >= volume_min:
        hits.append(
            _("非法经营数额 %(v)s 元，不少于 %(m)s 元")
            % {"v": _yuan(volume), "m": _yuan(volume_min)}
        )
    if gains_min is not None and gains is not None and gains >= gains_min:
        hits.append(
            _("违法所得数额 %(v)s 元，不少于 %(m)s 元") % {"v": _yuan(gains), "m": _yuan(gains_min)}
        )
    return hits


def reached(case: Any, facts: CaseCriminalFacts | None = None) -> list[Reached]:
    """The active thresholds ``case`` reaches, in the administrators' order."""
    if facts is None:
        facts = CaseCriminalFacts.objects.filter(case_id=case.pk).first()
    if facts is None:
        return []
    found = []
    for row in ProsecutionThreshold.objects.filter(active=True).order_by("order", "id"):
        if not _applies(row, facts):
            continue
        hits = _hits(row, facts)
        if hits:
            reason = _("%(crime)s · %(label)s：%(hits)s（%(source)s）") % {
                "crime": shown(row.crime),
                "label": shown(row.label),
                "hits": _joined(hits),
                "source": shown(row.legal_source.split("：", 1)[0]),
            }
            found.append(Reached(key=row.key, reason=reason))
    return found


def evaluate(case: Any) -> list[str]:
    """Reasons, for people, why ``case`` reaches a prosecution threshold; empty when it does not
    (or when no criminal facts were recorded for it)."""
    return [r.reason for r in reached(case)]


def _latest_decision(case: Any) -> ReferralDecision | None:
    return ReferralDecision.objects.filter(case_id=case.pk).order_by("-decided_at", "-id").first()


def _block(case: Any) -> tuple[str, str] | None:
    criminal = Transfer.objects.filter(case_id=case.pk, kind=TransferKind.CRIMINAL)
    if criminal.filter(status=TransferStatus.ACCEPTED).exists():
        return None  # the police have it; the administrative side may close
    if criminal.filter(status=TransferStatus.PROPOSED).exists():
        return (
            errors.AWAITING_RECEIPT,
            _("该案件已决定移送公安机关，须待公安机关确认接收后再结案。"),
        )
    facts = CaseCriminalFacts.objects.filter(case_id=case.pk).first()
    reasons = reached(case, facts)
    if not reasons or facts is None:
        return None
    decision = _latest_decision(case)
    # A decision answers the facts it was made on; facts changed since need a new decision.
    if decision is not None and decision.decided_at >= facts.updated_at:
        return None
    return (
        errors.REFERRAL_REQUIRED,
        _(
            "该案件已达到刑事追诉标准（%(reasons)s），须先由单位负责人作出是否移送公安机关的"
            "决定，方可结案。"
        )
        % {"reasons": _joined([r.reason for r in reasons])},
    )


def referral_blocks_close(case: Any) -> str | None:
    """Why ``case`` may not be closed administratively yet, for people, or None.

    It blocks when the case reaches a prosecution threshold and no referral decision was
    recorded since its criminal facts were last changed, and while a referral waits for the
    police to acknowledge receipt.
    """
    block = _block(case)
    return block[1] if block else None


def ensure_close_allowed(case: Any) -> None:
    """Raise the coded ``Conflict`` for :func:`referral_blocks_close` (field ``referral``)."""
    block = _block(case)
    if block is not None:
        code, message = block
        raise Conflict(message, code=code, field="referral")
