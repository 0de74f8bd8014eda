"""Statutory time limits: which run in which status, computed in Chinese working days.

``LIMITS_OPENED`` and ``LIMITS_MET`` are the table: entering a status opens some limits and
meets others. The figures themselves are ``TimeLimit`` rows (defaults and their legal sources in
migration 0004, editable by administrators). Working days come from ``engines.workdays`` with
the administrator-entered overrides loaded from the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.cases import record
from ipshield.cases.models import (
    CalendarYear,
    Case,
    CaseDeadline,
    DayKind,
    DecisionKind,
    Source,
    TimeLimit,
    Track,
    WorkdayOverride,
)
from ipshield.cases.workflow import Status
from ipshield.engines import workdays

ACCEPT_COMPLAINT = "accept_complaint"
COMPLAINT_MEDIATION = "complaint_mediation"
VERIFY_LEAD = "verify_lead"
NOTIFY_REPORTER = "notify_reporter"
DECIDE_CASE = "decide_case"
PUBLISH_PENALTY = "publish_penalty"


def _opened(case: Case, status: str) -> list[str]:
    if status == Status.RECEIVED:
        return [ACCEPT_COMPLAINT] if case.source == Source.COMPLAINT else [VERIFY_LEAD]
    if status == Status.ACCEPTED and case.source == Source.COMPLAINT:
        # The unit decides whether to open a case and, meanwhile, may mediate between the
        # parties; mediation that reaches no agreement ends when its limit runs out.
        return [VERIFY_LEAD, COMPLAINT_MEDIATION]
    if status == Status.INVESTIGATING and not case.deadlines.filter(key=DECIDE_CASE).exists():
        keys = [DECIDE_CASE]
        if case.source == Source.REPORT and hasattr(case, "reporter"):
            keys.append(NOTIFY_REPORTER)
        return keys
    if status == Status.DECIDED and case.decision_kind == DecisionKind.PENALTY:
        # Ordinary-procedure penalties only (公示规定第二条); see services.publication_required.
        return [] if case.track == Track.SIMPLE else [PUBLISH_PENALTY]
    return []


LIMITS_MET: dict[str, set[str]] = {
    Status.ACCEPTED: {ACCEPT_COMPLAINT},
    Status.REJECTED: {"*"},
    Status.INVESTIGATING: {VERIFY_LEAD},
    Status.DECIDED: {DECIDE_CASE, COMPLAINT_MEDIATION},
    Status.PUBLISHED: {PUBLISH_PENALTY},
    Status.CLOSED: {"*"},
}

_loaded_version: tuple[Any, Any] | None = None


def load_calendar() -> None:
    """Give the working-day engine the administrators' overrides, when they have changed."""
    global _loaded_version
    version = (
        WorkdayOverride.objects.aggregate(m=Max("updated_at"))["m"],
        CalendarYear.objects.aggregate(m=Max("updated_at"))["m"],
    )
    if version == _loaded_version:
        return
    overrides = dict(WorkdayOverride.objects.values_list("date", "is_working_day"))
    years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    workdays.set_overrides(overrides, complete_years=list(years))
    _loaded_version = version


def due_date(limit: TimeLimit, start: dt.date, *, days: int | None = None) -> dt.date:
    load_calendar()
    n = limit.days if days is None else days
    if limit.day_kind == DayKind.WORKING:
        return workdays.add_working_days(start, n)
    return workdays.add_calendar_days(start, n)


def _sync_case_deadline(case: Case) -> None:
    first = case.deadlines.filter(met_at__isnull=True).order_by("due_on").first()
    case.deadline = first.due_on if first else None
    case.deadline_label = first.label if first else ""
    Case.objects.filter(pk=case.pk).update(
        deadline=case.deadline, deadline_label=case.deadline_label
    )


def apply(case: Case, *, actor: Any, status: str) -> None:
    """Meet and open the limits that entering ``status`` meets and opens."""
    now = timezone.now()
    met = LIMITS_MET.get(status, set())
    open_limits = case.deadlines.filter(met_at__isnull=True)
    if "*" in met:
        open_limits.update(met_at=now)
    elif met:
        open_limits.filter(key__in=met).update(met_at=now)
    start = timezone.localdate(now)
    limits = {t.key: t for t in TimeLimit.objects.filter(key__in=_opened(case, status))}
    for key in _opened(case, status):
        limit = limits.get(key)
        if limit is None:
            continue
        due = due_date(limit, start)
        note = workdays.calendar_note(due) or ""
        CaseDeadline.objects.create(
            case=case,
            key=key,
            label=limit.label,
            legal_source=limit.legal_source,
            starts_on=start,
            due_on=due,
            calendar_note=note,
        )
        record.deadline_set(
            case=case, actor=actor, label=limit.label, due=due.isoformat(), note=note
        )
    _sync_case_deadline(case)


def meet(case: Case, key: str) -> None:
    case.deadlines.filter(key=key, met_at__isnull=True).update(met_at=timezone.now())
    _sync_case_deadline(case)


def extend(case: Case, *, actor: Any, key: str, reason: str) -> CaseDeadline | None:
    """Extend an open limit once by its configured extension (approved by a unit leader)."""
    deadline = case.deadlines.filter(key=key, met_at__isnull=True, extended=False).first()
    limit = TimeLimit.objects.filter(key=key).first()
    if deadline is None or limit is None or limit.extension_days == 0:
        return None
    deadline.due_on = (
        workdays.add_working_days(deadline.due_on, limit.extension_days)
        if limit.day_kind == DayKind.WORKING
        else workdays.add_calendar_days(deadline.due_on, limit.extension_days)
    )
    deadline.extended = True
    deadline.calendar_note = workdays.calendar_note(deadline.due_on) or ""
    deadline.save(update_fields=["due_on", "extended", "calendar_note"])
    record.deadline_set(
        case=case, actor=actor, label=deadline.label, due=deadline.due_on.isoformat(), note=reason
    )
    _sync_case_deadline(case)
    return deadline


def shift_for_suspension(case: Case, *, actor: Any, since: dt.date, until: dt.date) -> None:
    """Push every running limit back by the time the case was suspended: calendar days for
    limits in natural days, working days for limits in working days."""
    if until <= since:
        return
    load_calendar()
    kinds = dict(TimeLimit.objects.values_list("key", "day_kind"))
    calendar_days = (until - since).days
    working = workdays.working_days_between(since, until)
    for deadline in case.deadlines.filter(met_at__isnull=True):
        if kinds.get(deadline.key) == DayKind.WORKING:
            deadline.due_on = workdays.add_working_days(deadline.due_on, working)
        else:
            deadline.due_on = workdays.add_calendar_days(deadline.due_on, calendar_days)
        deadline.calendar_note = workdays.calendar_note(deadline.due_on) or ""
        deadline.save(update_fields=["due_on", "calendar_note"])
        record.deadline_set(
            case=case,
            actor=actor,
            label=deadline.label,
            due=deadline.due_on.isoformat(),
            note=_("中止期间不计入办理期限（%(since)s 至 %(until)s）")
            % {"since": since.isoformat(), "until": until.isoformat()},
        )
    _sync_case_deadline(case)


def overdue_state(due: dt.date | None, today: dt.date | None = None) -> str:
    """'overdue', 'due_soon' (within 3 working days) or '' for display."""
    if due is None:
        return ""
    today = today or timezone.localdate()
    if due < today:
        return "overdue"
    load_calendar()
    if workdays.working_days_between(today, due) <= 3:
        return "due_soon"
    return ""
