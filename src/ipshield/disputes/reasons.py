"""The reasons of dispute resolution, in the reader's language: why a mediator is recommended
or left out (:mod:`ipshield.engines.mediators`) and why a complaint is offered mediation first
(:mod:`ipshield.disputes.clusters`). Stored and passed as ``{code, params}``; rendered here
with gettext at display time (see :mod:`ipshield.common.reasons`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_noop as N_

from ipshield.common import reasons as common
from ipshield.registry.models import RightKind

__all__ = ["MESSAGES", "render", "render_all"]

#: Reason code → Chinese source message (translated at display time).
MESSAGES: dict[str, str] = {
    # engines.mediators: why a mediator ranks where they do
    "mediators.specialty": N_("擅长%(kind)s纠纷"),
    "mediators.specialty_family": N_("擅长同类专利（%(kinds)s）"),
    "mediators.industry": N_("熟悉%(industry)s行业"),
    "mediators.region_same": N_("与纠纷发生地同一区划"),
    "mediators.region_near": N_("在纠纷发生地的上级或下级区划"),
    "mediators.load": N_("在办 %(active)s 件，上限 %(max)s 件"),
    "mediators.outcomes": N_(
        "已办结 %(closed)s 件，达成协议 %(agreed)s 件（估计成功率 %(rate)s%%）"
    ),
    "mediators.new": N_("尚无办结记录，按平均成功率 %(rate)s%% 估计"),
    # … and why one is left out
    "mediators.conflict": N_("申报了与当事人%(names)s的利害关系"),
    "mediators.recused": N_("当事人已申请其回避"),
    "mediators.unavailable": N_("目前不接受指派"),
    "mediators.full": N_("在办 %(active)s 件，已达上限 %(max)s 件"),
    # disputes.clusters: mediation first where complaints cluster
    "disputes.cluster": N_(
        "近 %(days)s 日内%(region)s已收到%(kind)s侵权投诉 %(count)s 件，属于投诉集中的类别，"
        "建议先行调解"
    ),
}
QUOTED = ("names",)


def _kind_label(code: Any) -> str:
    if code in RightKind.values:
        return str(RightKind(code).label)
    return str(code or "")


def _localised(reason: Any) -> Any:
    """Kinds of right are stored as codes; show their names in the reader's language."""
    if not isinstance(reason, dict):
        reason = getattr(reason, "as_data", lambda: reason)()
    if not isinstance(reason, dict):
        return reason
    params = dict(reason.get("params") or {})
    if "kind" in params:
        params["kind"] = _kind_label(params["kind"]) if params["kind"] else ""
    if isinstance(params.get("kinds"), list):
        params["kinds"] = [_kind_label(k) for k in params["kinds"]]
    return {**reason, "params": params}


def render(reason: Any) -> str:
    """One reason (``{code, params}``, an engine's :class:`~ipshield.engines.reasons.Reason`)
    in the active language."""
    return common.render(_localised(reason), MESSAGES, QUOTED)


def render_all(reasons: Iterable[Any]) -> list[str]:
    return [render(r) for r in reasons]
