"""What the case workflow puts in people's inboxes (``common.inbox``), registered in
``CasesConfig.ready``. Each source is a condition on the cases of the person's own unit — the
status says whose move it is (``workflow.TRANSITIONS``), the procedure's records say which step
is due — so nothing is stored twice. Each is counted with its own indexed query (one query
over all the unit's cases with a filter per source was three times slower on SQLite at 200,000
cases); the case list shows any of them in full (``?inbox=kind``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.roles import Role
from ipshield.cases.models import (
    Case,
    CompulsoryMeasure,
    ConfiscatedGoods,
    DecisionKind,
    PriorNotice,
    Procedure,
)
from ipshield.cases.selectors import case_link
from ipshield.cases.workflow import CASE_OFFICERS, FINAL, LEADERS, OFFICERS, REVIEWERS, Status
from ipshield.common.inbox import Shown, Source

COLUMNS = ("id", "number", "title", "status", "deadline", "updated_at", "received_at")
# What every case source starts from; a queryset is only run when iterated, and filtering one
# returns a new one, so sharing it is safe.
_BASE = Case.objects.only(*COLUMNS).order_by("deadline", "id")
DECIDED = (Status.DECIDED, Status.PUBLISHED)


def _shown(case: Case) -> Shown:
    return Shown(
        reference=case.number,
        title=case.title,
        url=partial(case_link, case),
        since=case.updated_at,
        due=case.deadline,
    )


def _status(*statuses: str) -> Callable[[Any, int | None], Q]:
    return lambda user, unit_id: Q(status__in=statuses)


def _overdue(user: Any, unit_id: int | None) -> Q:
    return Q(deadline__lt=timezone.localdate()) & ~Q(status__in=FINAL)


def _unserved_notice(user: Any, unit_id: int | None) -> Q:
    unserved = PriorNotice.objects.filter(case=OuterRef("pk"), service__isnull=True)
    return Q(status=Status.NOTICE) & Q(Exists(unserved))


def _ready_to_decide(user: Any, unit_id: int | None) -> Q:
    """Notices served whose statement period is over or was waived: the leader decides."""
    ready = PriorNotice.objects.filter(case=OuterRef("pk"), service__isnull=False).filter(
        Q(statement_ends_on__lt=timezone.localdate()) | Q(waived_on__isnull=False)
    )
    return Q(status=Status.NOTICE) & Q(Exists(ready))


def _unserved_decision(user: Any, unit_id: int | None) -> Q:
    return Q(
        status__in=DECIDED,
        decision_kind=DecisionKind.PENALTY,
        decision_procedure=Procedure.ORDINARY,
        decision_served_on__isnull=True,
    )


def _fine_overdue(user: Any, unit_id: int | None) -> Q:
    """Fines whose time to pay has passed on open cases (paid ones are closed by then)."""
    return Q(status__in=DECIDED, fine_due_on__lt=timezone.localdate())


def _to_publish(user: Any, unit_id: int | None) -> Q:
    return Q(
        status=Status.DECIDED,
        decision_kind=DecisionKind.PENALTY,
        decision_procedure=Procedure.ORDINARY,
    )


def _to_close(user: Any, unit_id: int | None) -> Q:
    return Q(status__in=DECIDED) & (
        Q(status=Status.PUBLISHED)
        | ~Q(decision_kind=DecisionKind.PENALTY)
        | Q(decision_procedure=Procedure.SIMPLE)
    )


def _measure_ending(user: Any, unit_id: int | None) -> Q:
    """Sealing or seizure ending within three days (or already past) and not released: from
    the few open measures to their cases."""
    soon = timezone.localdate() + dt.timedelta(days=3)
    ending = CompulsoryMeasure.objects.filter(
        case__unit_id=unit_id, released_on__isnull=True, ends_on__lte=soon
    ).values("case_id")
    return Q(pk__in=ending)


def _goods_to_dispose(user: Any, unit_id: int | None) -> Q:
    """Confiscated goods listed and not yet disposed of, once the decision is served (closing
    waits for them, 《行政处罚法》第七十四条)."""
    waiting = ConfiscatedGoods.objects.filter(
        case__unit_id=unit_id, disposed_on__isnull=True
    ).values("case_id")
    return Q(pk__in=waiting, decision_served_on__isnull=False)


def _to_archive(user: Any, unit_id: int | None) -> Q:
    """Closed cases not yet filed in the archive (立卷归档, 《行政处罚法》第四十七条)."""
    return Q(status=Status.CLOSED, archive__isnull=True)


def _source(
    kind: str,
    label: Any,
    roles: frozenset[str],
    where: Callable[[Any, int | None], Q],
    order: int,
) -> Source:
    def rows(user: Any, unit_id: int | None) -> QuerySet[Case]:
        # The cases of the person's unit: one filter on a shared base (building the queryset
        # step by step cost more than running it).
        return _BASE.filter(Q(unit_id=unit_id) & where(user, unit_id))

    return Source(
        kind,
        label,
        roles,
        rows,
        _shown,
        order=order,
        more_url=format_lazy("{}?inbox={}", reverse_lazy("workbench:cases"), kind),
    )


SOURCES = [
    _source("case.overdue", _("期限已届满"), OFFICERS, _overdue, 5),
    _source(
        "case.measure_ending",
        _("查封、扣押即将到期，待延长或解除"),
        CASE_OFFICERS,
        _measure_ending,
        7,
    ),
    _source("case.accept", _("新案件待受理"), CASE_OFFICERS, _status(Status.RECEIVED), 10),
    _source(
        "case.investigate", _("已受理，待提请立案审批"), CASE_OFFICERS, _status(Status.ACCEPTED), 20
    ),
    _source("case.opening", _("待立案审批"), LEADERS, _status(Status.OPENING_REVIEW), 21),
    _source("case.case_review", _("待案件审核"), REVIEWERS, _status(Status.CASE_REVIEW), 25),
    _source("case.review", _("待法制审核"), REVIEWERS, _status(Status.LEGAL_REVIEW), 30),
    _source("case.approve", _("待负责人审批"), LEADERS, _status(Status.LEADER_APPROVAL), 31),
    _source("case.serve_notice", _("待送达行政处罚告知书"), CASE_OFFICERS, _unserved_notice, 32),
    _source(
        "case.hearing", _("当事人申请听证，待组织听证"), CASE_OFFICERS, _status(Status.HEARING), 33
    ),
    _source(
        "case.decide", _("陈述申辩期已届满或已放弃，待作出决定"), LEADERS, _ready_to_decide, 34
    ),
    _source(
        "case.serve_decision", _("待送达行政处罚决定书"), CASE_OFFICERS, _unserved_decision, 35
    ),
    _source("case.fine_overdue", _("罚款逾期未缴清"), CASE_OFFICERS, _fine_overdue, 36),
    _source("case.dispose", _("罚没物品待处置"), CASE_OFFICERS, _goods_to_dispose, 37),
    _source("case.publish", _("已作出处罚决定，待公示"), CASE_OFFICERS, _to_publish, 40),
    _source("case.close", _("待结案审批"), LEADERS, _to_close, 41),
    _source("case.archive", _("已结案，待归档"), CASE_OFFICERS, _to_archive, 45),
    _source("case.resume", _("中止的案件，待决定恢复"), LEADERS, _status(Status.SUSPENDED), 50),
]


def _asked(user: Any, unit_id: int | None) -> QuerySet[Case]:
    """The person's own complaints and reports with a request for more still unanswered."""
    from ipshield.cases.models import InformationRequest

    open_requests = InformationRequest.objects.filter(
        case__submitted_by=user, answered_at__isnull=True
    ).values("case_id")
    return Case.objects.filter(pk__in=open_requests).only(*COLUMNS).order_by("received_at", "id")


def _shown_to_submitter(case: Case) -> Shown:
    return Shown(
        reference=case.number,
        title=case.title,
        url=partial(reverse, "portal:track-status", args=[case.number]),
        since=case.updated_at,
    )


SOURCES.append(
    Source(
        "submission.information",
        _("需要您补充材料"),
        frozenset({Role.RIGHTS_HOLDER, Role.PUBLIC}),
        _asked,
        _shown_to_submitter,
        without_unit=True,
        order=1,
    )
)
KINDS = {source.kind: source for source in SOURCES}
