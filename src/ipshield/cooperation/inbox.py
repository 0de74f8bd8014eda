"""What cooperation puts in people's inboxes (``common.inbox``), registered in
``CooperationConfig.ready``: assistance requests to answer, transfers and criminal referrals to
accept, for the officers and leaders of the receiving unit (police units receive referrals)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ipshield.cases.workflow import OFFICERS
from ipshield.common.inbox import Shown, Source
from ipshield.cooperation.models import AssistanceRequest, Transfer
from ipshield.cooperation.workflow import AssistanceStatus, TransferKind, TransferStatus


def _requests(user: Any, unit_id: int | None):
    return (
        AssistanceRequest.objects.filter(
            to_unit_id=unit_id,
            status__in=[AssistanceStatus.SENT, AssistanceStatus.ACKNOWLEDGED],
        )
        .select_related("case")
        .order_by("due_on", "id")
    )


def _request_shown(item: AssistanceRequest) -> Shown:
    return Shown(
        reference=item.case.number,
        title=item.case.title,
        url=partial(reverse, "workbench:coop-request", args=[item.pk]),
        since=item.created_at,
        due=item.due_on,
    )


def _transfers(kind: str):
    def rows(user: Any, unit_id: int | None):
        return (
            Transfer.objects.filter(to_unit_id=unit_id, kind=kind, status=TransferStatus.PROPOSED)
            .select_related("case")
            .order_by("created_at", "id")
        )

    return rows


def _transfer_shown(item: Transfer) -> Shown:
    return Shown(
        reference=item.case.number,
        title=item.case.title,
        url=partial(reverse, "workbench:coop-transfer", args=[item.pk]),
        since=item.created_at,
    )


SOURCES = [
    Source(
        "assistance.answer", _("待答复的协助请求"), OFFICERS, _requests, _request_shown, order=15
    ),
    Source(
        "transfer.accept",
        _("待接收的移送案件"),
        OFFICERS,
        _transfers(TransferKind.UNIT),
        _transfer_shown,
        order=16,
    ),
    Source(
        "referral.accept",
        _("待接收的涉嫌犯罪案件"),
        OFFICERS,
        _transfers(TransferKind.CRIMINAL),
        _transfer_shown,
        order=17,
    ),
]
