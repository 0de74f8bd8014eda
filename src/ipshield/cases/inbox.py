"""What the case workflow puts in people's inboxes (``common.inbox``), registered in
``CasesConfig.ready``. Each source is the cases of the person's own unit in one status: the
status says whose move it is (``workflow.TRANSITIONS``), so nothing is stored twice."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ipshield.cases.models import Case
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
        _("已受理，待立案调查"),
        OFFICERS,
        _in(Status.ACCEPTED),
        _shown,
        order=20,
        more_url=_list("status=accepted"),
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
        "case.close",
        _("已作出决定，待公示或结案"),
        OFFICERS,
        _in(Status.DECIDED, Status.PUBLISHED),
        _shown,
        order=40,
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
