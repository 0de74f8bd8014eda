"""What dispute resolution puts in people's inboxes (``common.inbox``), registered in
``DisputesConfig.ready``: for a mediation organisation, applications to accept and consented
disputes waiting for a mediator; for a mediator, the disputes they mediate; for a court, the
confirmation applications to accept and to decide; for an arbitration commission, the referrals
waiting for the award. Parties have no inbox (the workbench is for staff): their disputes are
on ``/disputes/``."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.roles import Role
from ipshield.common.inbox import Shown, Source
from ipshield.disputes import queries
from ipshield.disputes.models import Dispute
from ipshield.disputes.selectors import COURT_ROLES, ORG_ROLES


def _rows(kind: str):
    def rows(user: Any, unit_id: int | None):
        return queries.waiting(kind, user, unit_id)

    return rows


def _shown(dispute: Dispute) -> Shown:
    return Shown(
        reference=dispute.number,
        title=dispute.title,
        url=partial(reverse, "disputes:detail", args=[dispute.pk]),
        since=dispute.applied_at,
        due=dispute.due_on,
    )


class _More:
    """The workbench list filtered to one kind (resolved when shown)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __str__(self) -> str:
        return reverse("workbench:disputes") + "?" + urlencode({"inbox": self.kind})


def _source(kind: str, label: Any, roles: frozenset[str], order: int) -> Source:
    return Source(
        f"dispute.{kind}",
        label,
        roles,
        _rows(kind),
        _shown,
        order=order,
        more_url=_More(kind),
    )


SOURCES = [
    _source("accept", _("待受理的调解申请"), ORG_ROLES, 60),
    _source("assign", _("待指派调解员"), ORG_ROLES, 61),
    _source("mediating", _("我在调解的纠纷"), frozenset({Role.MEDIATOR}), 62),
    _source("court_accept", _("待受理的司法确认申请"), COURT_ROLES, 63),
    _source("court_decide", _("待作出确认裁定"), COURT_ROLES, 64),
    _source("award", _("待记录仲裁裁决"), ORG_ROLES | COURT_ROLES, 65),
]
