"""Notices: the one way IPShield tells a person that something happened or that work waits.

Every app calls :func:`notify` with the people to tell, a *kind* from :data:`NOTICES` and its
parameters. The notice is stored at once, in the caller's transaction (the in-app list and the
navigation's counter show it); after the transaction commits, the ``deliver_notices`` task sends
it by e-mail and SMS according to each person's :class:`~ipshield.accounts.models.
NotificationSettings` (e-mail at once or in a daily digest; SMS through the configured gateway,
``accounts.sms``). A notice is rendered in the reader's language when it is shown or sent:
parameters named in :data:`TRANSLATED_PARAMS` (seeded labels such as a time limit's name) go
through gettext too.

Example::

    notify(users=reviewers, kind="case.review", params={"number": c.number, "title": c.title},
           link=f"/workbench/cases/{c.pk}/")
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = ["NOTICES", "notify", "people", "render"]

# kind -> message; parameters are %(name)s placeholders.
NOTICES: dict[str, Any] = {
    # work for staff
    "case.received": _("新案件 %(number)s“%(title)s”待受理"),
    "case.review": _("案件 %(number)s“%(title)s”待法制审核"),
    "case.review_returned": _("案件 %(number)s 法制审核退回：%(reason)s"),
    "case.review_approved": _("案件 %(number)s 法制审核通过，决定已生效"),
    "case.referral_needed": _(
        "案件 %(number)s 已达到刑事追诉标准，待单位负责人作出是否移送公安机关的决定"
    ),
    "case.suspended": _("案件 %(number)s 已中止：%(reason)s"),
    "case.opening_review": _("案件 %(number)s“%(title)s”提请立案审批"),
    "case.opened": _("案件 %(number)s 已批准立案，请开展调查"),
    "case.not_opened": _("案件 %(number)s 已批准不予立案：%(reason)s"),
    "case.case_review": _("案件 %(number)s“%(title)s”调查终结，待案件审核"),
    "case.returned": _("案件 %(number)s 被退回：%(reason)s"),
    "case.leader_approval": _("案件 %(number)s“%(title)s”待负责人审批"),
    "case.approved": _("案件 %(number)s 的处理意见已获批准，请送达行政处罚告知书"),
    "case.hearing_requested": _("案件 %(number)s 当事人申请听证，请送达听证通知"),
    "case.ready_to_decide": _("案件 %(number)s 当事人已陈述申辩或放弃，待作出处罚决定"),
    "case.information_answered": _("案件 %(number)s 的提交人已补充材料"),
    "case.decided": _("案件 %(number)s 已作出处罚决定（%(reason)s），请送达决定书"),
    "deadline.overdue": _("【已超期】%(number)s %(label)s 已于 %(due)s 届满"),
    "deadline.soon": _("【即将到期】%(number)s %(label)s 将于 %(due)s 届满"),
    "deadline.overdue_provisional": _(
        "【已超期】%(number)s %(label)s 已于 %(due)s 届满（%(years)s 年的期限按法定节假日推算，"
        "待管理员确认当年调休安排）"
    ),
    "deadline.soon_provisional": _(
        "【即将到期】%(number)s %(label)s 将于 %(due)s 届满（%(years)s 年的期限按法定节假日推算，"
        "待管理员确认当年调休安排）"
    ),
    "assistance.sent": _("%(unit)s 请求协助办理案件 %(number)s，请于 %(due)s 前答复"),
    "assistance.replied": _("%(unit)s 已答复案件 %(number)s 的协助请求"),
    "assistance.declined": _("%(unit)s 拒绝协助办理案件 %(number)s"),
    "transfer.proposed": _("%(unit)s 向本单位移送案件 %(number)s，待接收"),
    "referral.proposed": _("%(unit)s 移送涉嫌犯罪案件 %(number)s，待公安机关接收"),
    "transfer.accepted": _("%(unit)s 已接收移送的案件 %(number)s"),
    "transfer.refused": _("%(unit)s 拒收移送的案件 %(number)s"),
    "operation.joined": _("本单位被列为联合执法行动“%(name)s”的参与单位"),
    "supervision.assigned": _("“%(plan)s”已发布，本单位承担 %(count)s 项任务，请按期报送进展"),
    "supervision.report": _("%(unit)s 报送了“%(measure)s”的进展，待审核"),
    "supervision.report_accepted": _("“%(measure)s” %(period)s 的进展报告已采纳"),
    "supervision.report_returned": _("“%(measure)s” %(period)s 的进展报告被退回：%(reason)s"),
    "supervision.due_soon": _("【到期提醒】“%(measure)s”将于 %(due)s 到期（还有 %(days)s 天）"),
    "supervision.notice": _(
        "【%(level)s级督办】%(number)s：%(unit)s 承担的“%(measure)s”已于 %(due)s 到期，"
        "逾期 %(days)s 天，请抓紧办理并报送进展"
    ),
    "supervision.incident": _("%(unit)s 报告重大事件“%(title)s”，待领导组办公室签收"),
    "supervision.incident_acknowledged": _("重大事件报告“%(title)s”已由领导组办公室签收"),
    # dispute resolution (disputes app)
    "dispute.applied": _("新的调解申请 %(number)s“%(title)s”待受理"),
    "dispute.accepted": _("您的调解申请 %(number)s 已受理，正在征求被申请人意见"),
    "dispute.declined": _("调解申请 %(number)s 不予受理：%(reason)s"),
    "dispute.consent_asked": _("有人申请与您调解纠纷“%(title)s”（%(number)s），请表示是否同意调解"),
    "dispute.consented": _("被申请人同意调解 %(number)s，待指派调解员"),
    "dispute.refused": _("被申请人不同意调解 %(number)s，调解终止"),
    "dispute.assigned": _("您被指派调解纠纷 %(number)s“%(title)s”"),
    "dispute.mediator": _("纠纷 %(number)s 的调解员为 %(mediator)s"),
    "dispute.recused": _("当事人申请调解员回避，纠纷 %(number)s 待重新指派调解员"),
    "dispute.extended": _("纠纷 %(number)s 的调解期限经各方同意延长至 %(due)s"),
    "dispute.ended": _("纠纷 %(number)s 调解结束：%(label)s"),
    "dispute.session": _("纠纷 %(number)s 的调解会议定于 %(when)s（%(place)s）"),
    "dispute.session_soon": _("【提醒】纠纷 %(number)s 的调解会议将于 %(when)s 举行（%(place)s）"),
    "dispute.session_cancelled": _("纠纷 %(number)s 原定于 %(when)s 的调解会议已取消"),
    "dispute.message": _("纠纷 %(number)s 有新留言"),
    "dispute.sign_requested": _("纠纷 %(number)s 的调解协议已拟定，请核对后签署"),
    "dispute.sign_code": _(
        "您签署纠纷 %(number)s 调解协议的验证码为 %(code)s，%(minutes)s 分钟内有效，请勿告诉他人"
    ),
    "dispute.agreed": _("纠纷 %(number)s 的调解协议已生效"),
    "dispute.confirmation_join": _(
        "对方当事人已就纠纷 %(number)s 的调解协议申请司法确认，请共同申请"
    ),
    "dispute.confirmation_applied": _("调解协议司法确认申请 %(number)s 待审查受理"),
    "dispute.confirmation_accepted": _("纠纷 %(number)s 的司法确认申请已受理"),
    "dispute.confirmation_decided": _("纠纷 %(number)s 司法确认结果：%(label)s"),
    "dispute.arbitration": _("纠纷 %(number)s 已移交仲裁"),
    "dispute.award": _("纠纷 %(number)s 的仲裁裁决已记录"),
    "dispute.performance": _("纠纷 %(number)s 调解协议履行情况：%(label)s"),
    "dispute.deadline_soon": _("【即将到期】纠纷 %(number)s %(label)s 将于 %(due)s 届满"),
    "dispute.deadline_overdue": _("【已超期】纠纷 %(number)s %(label)s 已于 %(due)s 届满"),
    # told to complainants and real-name reporters (投诉举报处理暂行办法)
    "submission.accepted": _("您提交的 %(number)s 已受理"),
    "submission.rejected": _("您提交的 %(number)s 不予受理：%(reason)s"),
    "submission.opened": _("您提交的 %(number)s 已立案调查"),
    "submission.information_requested": _("您提交的 %(number)s 需要补充材料，请在办理进度页补充"),
    "submission.not_opened": _("您提交的 %(number)s 不予立案：%(reason)s"),
    "submission.transferred": _("您提交的 %(number)s 已移送%(unit)s处理"),
    "submission.closed": _("您提交的 %(number)s 已办结"),
}

# Parameters whose values are seeded texts with translations (time-limit names, statuses).
TRANSLATED_PARAMS = frozenset({"label"})

# Parameters that are secrets (a one-time signing code): masked wherever a notice is shown or
# stored as text; only ``delivery`` renders them (``reveal=True``) to send the e-mail or SMS,
# then scrubs them from the stored parameters.
SECRET_PARAMS = frozenset({"code"})
MASK = "******"

# Kinds that go out at once on every channel the person has (e-mail address, phone), whatever
# their digest or channel preferences: a one-time code is useless in tomorrow's digest.
URGENT_KINDS = frozenset({"dispute.sign_code"})

# Kinds whose e-mail carries a file: kind -> dotted path of ``f(params) -> (name, bytes, type)``
# or None (e.g. the .ics invitation of a mediation session).
ATTACHMENTS: dict[str, str] = {
    "dispute.session": "ipshield.disputes.sessions.notice_attachment",
}


def render(
    kind: str, params: Mapping[str, Any], fallback: str = "", *, reveal: bool = False
) -> str:
    """The notice in the active language (``fallback`` for kinds this version does not know).
    Secret parameters are masked unless ``reveal``."""
    template = NOTICES.get(kind)
    if template is None:
        return fallback
    values = {
        key: (
            MASK
            if key in SECRET_PARAMS and not reveal
            else gettext(str(value))
            if key in TRANSLATED_PARAMS and value
            else value
        )
        for key, value in params.items()
    }
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return fallback or str(template)


def people(*, unit_id: int | None, roles: Iterable[str]) -> QuerySet[Any]:
    """The active people of ``unit_id`` who hold any of ``roles``."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__unit_id=unit_id, groups__name__in=list(roles))
        .distinct()
    )


def notify(
    *, users: Iterable[Any], kind: str, params: Mapping[str, Any] | None = None, link: str = ""
) -> int:
    """Tell each of ``users`` (once each) about ``kind``; returns how many were told.

    The notices are rows of the caller's transaction; e-mail and SMS go out after it commits.
    """
    from ipshield.accounts.models import Notification

    if kind not in NOTICES:
        raise ValueError(f"unknown notice kind: {kind}")
    params = dict(params or {})
    with translation.override(settings.LANGUAGE_CODE):
        message = render(kind, params)[:300]
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, kind=kind, params=params, message=message, link=link))
    if not rows:
        return 0
    # SQLite and PostgreSQL both return the new keys from a bulk insert
    ids = [n.pk for n in Notification.objects.bulk_create(rows)]
    transaction.on_commit(lambda: _enqueue(ids))
    return len(rows)


def _enqueue(ids: list[int]) -> None:
    from ipshield.accounts.tasks import deliver_notices

    deliver_notices.enqueue(ids)
