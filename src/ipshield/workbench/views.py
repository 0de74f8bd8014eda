"""The workbench shell: the staff home page. Each app keeps its own workbench pages."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from ipshield.accounts import selectors as account_selectors
from ipshield.accounts.pages import staff_required
from ipshield.cases import selectors as case_selectors
from ipshield.cases import workcalendar
from ipshield.cases.workflow import FINAL
from ipshield.registry import selectors as registry_selectors
from ipshield.registry.models import RightStatus


@staff_required
def home(request):
    counts = registry_selectors.workbench_counts(actor=request.user)
    counts["people"] = account_selectors.person_list(actor=request.user).count()
    counts["units"] = account_selectors.unit_list(actor=request.user).count()
    counts.update(case_selectors.case_deadline_counts(actor=request.user))
    pending = registry_selectors.right_list(actor=request.user, status=RightStatus.PENDING)[:8]
    today = timezone.localdate()
    calendar_notice = workcalendar.open_limits_notice(
        cases=case_selectors.case_list(actor=request.user).exclude(status__in=FINAL),
        today=today,
        soon_before=case_selectors.due_soon_before(today),
    )
    return render(
        request,
        "workbench/home.html",
        {"counts": counts, "pending": pending, "calendar_notice": calendar_notice},
    )
