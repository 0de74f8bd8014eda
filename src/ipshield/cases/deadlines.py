"""Statutory time limits: which run in which status, computed in Chinese working days.

``LIMITS_OPENED`` and ``LIMITS_MET`` are the table: entering a status opens some limits and
meets others. The figures themselves are ``TimeLimit`` rows (defaults and their legal sources in
migration 0004, editable by administrators). Working days come from ``engines.workdays`` with
the administrator-entered overrides loaded from the database.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ipshield.cases import record
from ipshield.cases.models import (
    CalendarYear,
    Case,
    CaseDeadline,
    DayKind,
    DecisionKind,
    ExcludedTime,
    Procedure,
    Source,
    TimeLimit,
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
SERVE_DECISION = "serve_decision"

# Time that does not count (不计入期限), per limit: only the reasons the limit's own source names
# stop it. Suspension, for one, stops the 90-day decision limit and nothing else; the
# complaint-acceptance, reporter-notification and publication limits have no such rule.
EXCLUDABLE: dict[str, tuple[frozenset[str], str]] = {
    DECIDE_CASE: (
        frozenset(
            {
                ExcludedTime.SUSPENSION,
                ExcludedTime.HEARING,
                ExcludedTime.ANNOUNCEMENT,
                ExcludedTime.TESTING,
                ExcludedTime.IDENTIFICATION,
                ExcludedTime.REFUND,
            }
        ),
        gettext_noop("《市场监督管理行政处罚程序规定》第六十四条第二款"),
    ),
    VERIFY_LEAD: (
        frozenset({ExcludedTime.TESTING, ExcludedTime.IDENTIFICATION}),
        gettext_noop("《市场监督管理行政处罚程序规定》第十八条第二款"),
    ),
    COMPLAINT_MEDIATION: (
        frozenset({ExcludedTime.TESTING}),
        gettext_noop("《市场监督管理投诉举报处理暂行办法》第二十条第三款"),
    ),
}

# The labels and sources migration 0003/0010 seed, so that gettext can give them in the user's
# language (a row an administrator rewrote is shown as written).
gettext_noop("决定是否受理投诉")
gettext_noop("投诉调解期限")
gettext_noop("告知实名举报人立案结果")
gettext_noop("核查线索并决定是否立案")
gettext_noop("作出处理决定")
gettext_noop("公示行政处罚决定")
gettext_noop("送达行政处罚决定书")
gettext_noop("当事人陈述、申辩期限")
gettext_noop("当事人申请听证期限")
gettext_noop("当事人缴纳罚款期限")
gettext_noop("《行政处罚法》（2021）第六十一条第一款、第八十五条")
gettext_noop("《市场监督管理行政处罚程序规定》（告知书送达之日起五个工作日内）")
gettext_noop("《行政处罚法》（2021）第六十四条第一项、第八十五条")
gettext_noop("《行政处罚法》（2021）第六十七条第三款")


def stops(key: str, reason: str) -> bool:
    """Whether time spent on ``reason`` does not count towards the limit ``key``."""
    allowed, _source = EXCLUDABLE.get(key, (frozenset(), ""))
    return reason in allowed


def publication_required(case: Case) -> bool:
    """Whether ``case``'s decision must be published (《市场监督管理行政处罚信息公示规定》第二条):
    a penalty decided under the ordinary procedure, unless it is a warning alone. The simple
    procedure is the decision's own (``Case.decision_procedure``), never the triage track."""
    if case.decision_kind != DecisionKind.PENALTY:
        return False
    if case.decision_procedure == Procedure.SIMPLE:
        return False
    kinds = set(case.penalty_kinds or ())
    return not (kinds and kinds <= {"warning"})


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
        keys = []
        if case.decision_procedure == Procedure.ORDINARY and case.decision_served_on is None:
            # Served within seven days when the party was not there (《行政处罚法》第六十一条).
            keys.append(SERVE_DECISION)
        if publication_required(case):
            # Ordinary-procedure penalties other than a warning alone (公示规定第二条).
            keys.append(PUBLISH_PENALTY)
        return keys
    return []


LIMITS_MET: dict[str, set[str]] = {
    Status.ACCEPTED: {ACCEPT_COMPLAINT},
    Status.REJECTED: {"*"},
    Status.NOT_OPENED: {"*"},
    Status.INVESTIGATING: {VERIFY_LEAD},
    Status.DECIDED: {DECIDE_CASE, COMPLAINT_MEDIATION},
    Status.PUBLISHED: {PUBLISH_PENALTY},
    Status.CLOSED: {"*"},
}

_loaded_version: tuple[Any, Any] | None = None


# Within one request the calendar is checked once (a list page computes several dates); the
# flag is per thread, set back by every request's start and by ``calendar_changed``.
_request = threading.local()


def request_started(**_: Any) -> None:
    _request.active, _request.checked = True, False


def request_finished(**_: Any) -> None:
    _request.active = False


def calendar_changed() -> None:
    """The calendar rows were just written: the next :func:`load_calendar` checks again."""
    _request.checked = False


def load_calendar() -> None:
    """Give the working-day engine the administrators' overrides and confirmed years, when they
    have changed (``cases.workcalendar`` changes them). Years the calendar package does not
    know are computed from the statutory holidays and stay provisional until confirmed.

    It asks the database at most once per request (outside requests — tasks, commands — every
    time)."""
    global _loaded_version
    if getattr(_request, "active", False):
        if getattr(_request, "checked", False):
            return
        _request.checked = True
    # The count as well as the latest change: deleting a row that is not the latest one
    # leaves the maximum as it was.
    version = (
        WorkdayOverride.objects.aggregate(m=Max("updated_at"), n=Count("id")),
        CalendarYear.objects.filter(complete=True).aggregate(m=Max("updated_at"), n=Count("id")),
    )
    if version == _loaded_version:
        return
    overrides = dict(WorkdayOverride.objects.values_list("date", "is_working_day"))
    years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    workdays.set_overrides(overrides, complete_years=list(years))
    _loaded_version = version


def engine_note(day_kind: str, start: dt.date, due: dt.date) -> str:
    """The engine's note (recorded with the limit) when a limit in working days was counted
    across a provisional year; '' otherwise. Limits in natural days do not depend on it."""
    if day_kind != DayKind.WORKING:
        return ""
    years = workdays.provisional_years(start, due)
    return (workdays.calendar_note(dt.date(years[-1], 1, 1)) or "") if years else ""


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
        note = engine_note(limit.day_kind, start, due)
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
    deadline.calendar_note = engine_note(limit.day_kind, deadline.starts_on, deadline.due_on)
    deadline.save(update_fields=["due_on", "extended", "calendar_note"])
    record.deadline_set(
        case=case, actor=actor, label=deadline.label, due=deadline.due_on.isoformat(), note=reason
    )
    _sync_case_deadline(case)
    return deadline


def exclude_time(
    case: Case, *, actor: Any, reason: str, since: dt.date, until: dt.date
) -> list[CaseDeadline]:
    """Push back the running limits that ``reason`` stops (see ``EXCLUDABLE``) by the time from
    ``since`` to ``until``: calendar days for limits in natural days, working days for limits in
    working days. Limits whose source does not exclude ``reason`` keep running. Returns the
    limits moved."""
    if until <= since:
        return []
    load_calendar()
    kinds = dict(TimeLimit.objects.values_list("key", "day_kind"))
    calendar_days = (until - since).days
    working = workdays.working_days_between(since, until)
    label = ExcludedTime(reason).label
    moved = []
    for deadline in case.deadlines.filter(met_at__isnull=True).order_by("id"):
        if not stops(deadline.key, reason):
            continue
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
            note=_("%(reason)s期间不计入该期限（%(since)s 至 %(until)s，%(source)s）")
            % {
                "reason": label,
                "since": since.isoformat(),
                "until": until.isoformat(),
                "source": _(EXCLUDABLE[deadline.key][1]),
            },
        )
        moved.append(deadline)
    _sync_case_deadline(case)
    return moved


def shift_for_suspension(case: Case, *, actor: Any, since: dt.date, until: dt.date) -> None:
    """Time under suspension does not count towards the limits whose source says so (only the
    90-day decision limit, 程序规定第六十四条第二款)."""
    exclude_time(case, actor=actor, reason=ExcludedTime.SUSPENSION, since=since, until=until)


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
