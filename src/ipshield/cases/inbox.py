"""What the case workflow puts in people's inboxes (``common.inbox``), registered in
``CasesConfig.ready``. Each source is the cases of the person's own unit in one status: the
status says whose move it is (``workflow.TRANSITIONS``), so nothing is stored twice."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ipshield.cases.models import Case, DecisionKind, PriorNotice, Procedure
from ipshield.cases.selectors import case_link
from ipshield.cases.workflow import FINAL, LEADERS, OFFICERS, REVIEWERS, Status
from ipshield.common.inbox import Shown, Source

COLUMNS = ("id", "number", "title", "status", "deadline", "updated_at", "received_at")


def _shown(case: Case) -> Shown:
    return Shown(
        reference=case.number,
        title=case.title,
        url=partial(case_link, case),
        since=case.updated_at,
        due=case.deadline,
    )


def _in(*statuses: str):
    def rows(user: Any, unit_id: int | None):
        return (
            Case.objects.filter(unit_id=unit_id, status__in=statuses)
            .only(*COLUMNS)
            .order_by("deadline", "id")
        )

    return rows


def _overdue(user: Any, unit_id: int | None):
    return (
        Case.objects.filter(unit_id=unit_id, deadline__lt=timezone.localdate())
        .exclude(status__in=FINAL)
        .only(*COLUMNS)
        .order_by("deadline", "id")
    )


def _unserved_notice(user: Any, unit_id: int | None):
    unserved = PriorNotice.objects.filter(case=OuterRef("pk"), service__isnull=True)
    return _in(Status.NOTICE)(user, unit_id).filter(Exists(unserved))


def _ready_to_decide(user: Any, unit_id: int | None):
    """Notices served whose statement period is over or was waived: the leader decides."""
    today = timezone.localdate()
    ready = PriorNotice.objects.filter(case=OuterRef("pk"), service__isnull=False).filter(
        Q(statement_ends_on__lt=today) | Q(waived_on__isnull=False)
    )
    return _in(Status.NOTICE)(user, unit_id).filter(Exists(ready))


def _unserved_decision(user: Any, unit_id: int | None):
    return _in(Status.DECIDED, Status.PUBLISHED)(user, unit_id).filter(
        decision_kind=DecisionKind.PENALTY,
        decision_procedure=Procedure.ORDINARY,
        decision_served_on__isnull=True,
    )


def _fine_overdue(user: Any, unit_id: int | None):
    """Fines whose time to pay has passed on open cases (paid ones are closed by then)."""
    return _in(Status.DECIDED, Status.PUBLISHED)(user, unit_id).filter(
        fine_due_on__lt=timezone.localdate()
    )


def _to_publish(user: Any, unit_id: int | None):
    return _in(Status.DECIDED)(user, unit_id).filter(
        decision_kind=DecisionKind.PENALTY, decision_procedure=Procedure.ORDINARY
    )


def _to_close(user: Any, unit_id: int | None):
    return _in(Status.DECIDED, Status.PUBLISHED)(user, unit_id).filter(
        Q(status=Status.PUBLISHED)
        | ~Q(decision_kind=DecisionKind.PENALTY)
        | Q(decision_procedure=Procedure.SIMPLE)
    )


def _measure_ending(user: Any, unit_id: int | None):
    """Sealing or seizure ending within three days (or already past) and not released."""
    from ipshield.cases.models import CompulsoryMeasure

    soon = timezone.localdate() + dt.timedelta(days=3)
    # From the few open measures to their cases, not from every case of the unit.
    ending = CompulsoryMeasure.objects.filter(
        case__unit_id=unit_id, released_on__isnull=True, ends_on__lte=soon
    ).values("case_id")
    return Case.objects.filter(pk__in=ending).only(*COLUMNS).order_by("deadline", "id")


def _list(query: str):
    """The case list filtered as ``query`` says (the unit's own cases: the list's default)."""
    return format_lazy("{}?{}", reverse_lazy("workbench:cases"), query)


SOURCES = [
    Source(
        "case.accept",
        _("新案件待受理"),
        OFFICERS,
        _in(Status.RECEIVED),
        _shown,
        order=10,
        more_url=_list("status=received"),
    ),
    Source(
        "case.investigate",
        _("已受理，待提请立案审批"),
        OFFICERS,
        _in(Status.ACCEPTED),
        _shown,
        order=20,
        more_url=_list("status=accepted"),
    ),
    Source(
        "case.opening",
        _("待立案审批"),
        LEADERS,
        _in(Status.OPENING_REVIEW),
        _shown,
        order=21,
        more_url=_list("status=opening_review"),
    ),
    Source(
        "case.case_review",
        _("待案件审核"),
        REVIEWERS,
        _in(Status.CASE_REVIEW),
        _shown,
        order=25,
        more_url=_list("status=case_review"),
    ),
    Source(
        "case.review",
        _("待法制审核"),
        REVIEWERS,
        _in(Status.LEGAL_REVIEW),
        _shown,
        order=30,
        more_url=_list("status=legal_review"),
    ),
    Source(
        "case.approve",
        _("待负责人审批"),
        LEADERS,
        _in(Status.LEADER_APPROVAL),
        _shown,
        order=31,
        more_url=_list("status=leader_approval"),
    ),
    Source(
        "case.serve_notice",
        _("待送达行政处罚告知书"),
        OFFICERS,
        _unserved_notice,
        _shown,
        order=32,
    ),
    Source(
        "case.hearing",
        _("当事人申请听证，待组织听证"),
        OFFICERS,
        _in(Status.HEARING),
        _shown,
        order=33,
        more_url=_list("status=hearing"),
    ),
    Source(
        "case.decide",
        _("陈述申辩期已届满或已放弃，待作出决定"),
        LEADERS,
        _ready_to_decide,
        _shown,
        order=34,
    ),
    Source(
        "case.serve_decision",
        _("待送达行政处罚决定书"),
        OFFICERS,
        _unserved_decision,
        _shown,
        order=35,
    ),
    Source(
        "case.fine_overdue",
        _("罚款逾期未缴清"),
        OFFICERS,
        _fine_overdue,
        _shown,
        order=36,
    ),
    Source(
        "case.publish",
        _("已作出处罚决定，待公示"),
        OFFICERS,
        _to_publish,
        _shown,
        order=40,
    ),
    Source(
        "case.close",
        _("待结案审批"),
        LEADERS,
        _to_close,
        _shown,
        order=41,
    ),
    Source(
        "case.measure_ending",
        _("查封、扣押即将到期，待延长或解除"),
        OFFICERS,
        _measure_ending,
        _shown,
        order=7,
    ),
    Source(
        "case.resume",
        _("中止的案件，待决定恢复"),
        LEADERS,
        _in(Status.SUSPENDED),
        _shown,
        order=50,
        more_url=_list("status=suspended"),
    ),
    Source(
        "case.overdue",
        _("期限已届满"),
        OFFICERS,
        _overdue,
        _shown,
        order=5,
        more_url=_list("due=overdue"),
    ),
]
