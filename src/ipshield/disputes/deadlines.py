"""The time limits of a dispute, as data, with their sources (docs/legal-sources.md).

Each limit is a ``DisputeDeadline`` row opened by a service and met by the service that ends
it; ``services.reminders_send`` (daily) tells the people concerned through the notices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipshield.disputes.models import Dispute, DisputeDeadline

MEDIATION = "mediation"
COMPLAINT_MEDIATION = "complaint_mediation"
CONFIRMATION_APPLY = "confirmation_apply"
COURT_ACCEPT = "court_accept"
COURT_DECIDE = "court_decide"
PERFORMANCE = "performance"


@dataclass(frozen=True)
class Limit:
    label: object
    source: object
    days: int = 0  # calendar days; 0: set by the service (the organisation's or the case's)


LIMITS: dict[str, Limit] = {
    MEDIATION: Limit(
        _("调解期限"),
        _(
            "《人民法院在线调解规则》第二十四条；《最高人民法院关于人民法院特邀调解的规定》第二十七条"
        ),
    ),
    COMPLAINT_MEDIATION: Limit(
        _("投诉调解期限"), _("《市场监督管理投诉举报处理暂行办法》第二十一条第（五）项")
    ),
    CONFIRMATION_APPLY: Limit(
        _("申请司法确认期限"), _("《民事诉讼法》（2023）第二百零五条；《人民调解法》第三十三条"), 30
    ),
    COURT_ACCEPT: Limit(
        _("决定是否受理确认申请"),
        _("《最高人民法院关于人民调解协议司法确认程序的若干规定》第四条"),
        3,
    ),
    COURT_DECIDE: Limit(
        _("作出是否确认的裁定"),
        _("《最高人民法院关于人民调解协议司法确认程序的若干规定》第五条"),
        15,
    ),
    PERFORMANCE: Limit(_("协议履行期限"), _("《人民调解法》第三十一条")),
}
COURT_EXTENSION_DAYS = 10  # 第五条: 经本院院长批准，可以延长十日


def open_limit(
    dispute: Dispute, key: str, *, starts_on: dt.date, due_on: dt.date | None = None
) -> DisputeDeadline:
    due = due_on or starts_on + dt.timedelta(days=LIMITS[key].days)
    return DisputeDeadline.objects.create(dispute=dispute, key=key, starts_on=starts_on, due_on=due)


def meet(dispute: Dispute, *keys: str) -> None:
    dispute.deadlines.filter(key__in=keys, met_at__isnull=True).update(met_at=timezone.now())


def running(dispute: Dispute, key: str) -> DisputeDeadline | None:
    return dispute.deadlines.filter(key=key, met_at__isnull=True).first()
