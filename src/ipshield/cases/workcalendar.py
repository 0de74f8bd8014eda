"""The working-day calendar as administrators keep it: confirming a year's schedule, entering
its 调休 days, and the notice that a deadline is provisional.

Years the ``chinesecalendar`` package does not know yet are computed by ``engines.workdays``
from the statutory holidays (全国年节及纪念日放假办法, as revised in 2024). Their answers are
provisional until an administrator enters the year's make-up working days and moved days off
(``WorkdayOverride`` rows, as differences from the computed holidays) and confirms the year
(a ``CalendarYear`` row). Each change goes through a service here: it reloads the engine and
moves the open limits in working days so that each keeps its number of working days under the
new calendar, recording the new due date on the case, and writes an audit event.

Pages show a notice next to any running limit in working days whose count crosses a
provisional year (:func:`deadline_notice`), and on the workbench home when such limits exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipshield.audit import events
from ipshield.cases import deadlines, record
from ipshield.cases.errors import CALENDAR_YEAR_OFFICIAL
from ipshield.cases.models import CalendarYear, CaseDeadline, DayKind, TimeLimit, WorkdayOverride
from ipshield.common.errors import InvalidInput
from ipshield.engines import workdays

__all__ = [
    "calendar_year_confirm",
    "calendar_year_unconfirm",
    "check_year",
    "deadline_notice",
    "deadline_provisional_years",
    "open_limits_notice",
    "page_provisional",
    "provisional_notice",
    "workday_override_delete",
    "workday_override_save",
]


# -- the notice --------------------------------------------------------------------------------


def provisional_notice(years: Iterable[int]) -> str:
    """The sentence shown next to a deadline computed across the provisional ``years``."""
    years = sorted(set(years))
    if not years:
        return ""
    weekly = [y for y in years if workdays.year_basis(y) is workdays.YearBasis.WEEKLY]
    if weekly:  # before the 2024 rules, with no computed holidays (not seen in practice)
        return _("%(year)s 年的法定节假日安排尚未录入，按仅周末休息计算") % {"year": weekly[0]}
    separator = "、" if (get_language() or "zh-hans").startswith("zh") else ", "
    named = separator.join(str(y) for y in years) if len(years) <= 2 else f"{years[0]}–{years[-1]}"
    return _("%(years)s 年的期限按法定节假日推算，待管理员确认当年调休安排") % {"years": named}


def deadline_provisional_years(
    *, day_kind: str, starts_on: dt.date, due_on: dt.date
) -> tuple[int, ...]:
    """The provisional years a limit's count crossed. Limits in natural days never depend on
    the calendar (``deadlines.due_date`` does not roll them forward)."""
    if day_kind != DayKind.WORKING:
        return ()
    return workdays.provisional_years(starts_on, due_on)


def deadline_notice(deadline: CaseDeadline, day_kinds: dict[str, str] | None = None) -> str:
    """The provisional notice for ``deadline`` as the calendar stands now ('' if none).

    Pass ``day_kinds`` (``{key: day_kind}``) when rendering many limits, to save a query each.
    """
    deadlines.load_calendar()
    if day_kinds is None:
        day_kinds = dict(TimeLimit.objects.values_list("key", "day_kind"))
    years = deadline_provisional_years(
        day_kind=day_kinds.get(deadline.key, DayKind.WORKING),
        starts_on=deadline.starts_on,
        due_on=deadline.due_on,
    )
    return provisional_notice(years)


# -- services ----------------------------------------------------------------------------------


def _snapshot() -> workdays.WorkCalendar:
    deadlines.load_calendar()
    current = workdays.default_calendar
    return workdays.WorkCalendar(current.overrides, complete_years=current.complete_years)


def _changed_years(before: workdays.WorkCalendar, after: workdays.WorkCalendar) -> set[int]:
    days = set(before.overrides.items()) ^ set(after.overrides.items())
    return {d.year for d, _working in days} | set(before.complete_years ^ after.complete_years)


def _recalculate(*, actor: Any, before: workdays.WorkCalendar, reason: str) -> int:
    """Move the open limits in working days whose count crosses a year the change touched, so
    that each keeps its number of working days. Returns how many moved."""
    deadlines.calendar_changed()
    deadlines.load_calendar()
    years = _changed_years(before, workdays.default_calendar)
    if not years:
        return 0
    working = TimeLimit.objects.filter(day_kind=DayKind.WORKING).values_list("key", flat=True)
    candidates = (
        CaseDeadline.objects.filter(
            met_at__isnull=True,
            key__in=list(working),
            due_on__gte=dt.date(min(years), 1, 1),
            starts_on__lte=dt.date(max(years), 12, 31),
        )
        .select_related("case")
        .order_by("case_id", "id")
    )
    moved = 0
    touched = {}
    for deadline in candidates:
        if not years.intersection(range(deadline.starts_on.year, deadline.due_on.year + 1)):
            continue
        count = before.working_days_between(deadline.starts_on, deadline.due_on)
        due = workdays.add_working_days(deadline.starts_on, count)
        note = deadlines.engine_note(DayKind.WORKING, deadline.starts_on, due)
        if due == deadline.due_on and note == deadline.calendar_note:
            continue
        if due != deadline.due_on:
            deadline.due_on = due
            record.deadline_set(
                case=deadline.case,
                actor=actor,
                label=deadline.label,
                due=due.isoformat(),
                note=reason,
            )
            moved += 1
            touched[deadline.case_id] = deadline.case
        deadline.calendar_note = note
        deadline.save(update_fields=["due_on", "calendar_note"])
    for case in touched.values():
        deadlines._sync_case_deadline(case)
    return moved


def check_year(year: Any) -> int:
    """``year`` if an administrator may confirm it: not a year the calendar package knows."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999:
        raise InvalidInput(_("请填写 1900 至 2999 之间的年份。"), field="year")
    if workdays.year_basis(year) is workdays.YearBasis.OFFICIAL:
        raise InvalidInput(
            _("%(year)s 年的放假安排已由日历程序包提供，无需确认。") % {"year": year},
            field="year",
            code=CALENDAR_YEAR_OFFICIAL,
        )
    return year


@transaction.atomic
def calendar_year_confirm(*, actor: Any, year: int) -> CalendarYear:
    """Confirm ``year``'s schedule: the computed statutory holidays plus the ``WorkdayOverride``
    rows entered for it are now the year's calendar, no longer provisional."""
    check_year(year)
    before = _snapshot()
    row, _created = CalendarYear.objects.update_or_create(year=year, defaults={"complete": True})
    moved = _recalculate(
        actor=actor,
        before=before,
        reason=_("按管理员确认的 %(year)s 年放假安排重新计算") % {"year": year},
    )
    events.calendar_changed(
        actor=actor,
        target=row,
        change="year_confirmed",
        year=year,
        overrides=sum(1 for d in workdays.default_calendar.overrides if d.year == year),
        limits_moved=moved,
    )
    return row


@transaction.atomic
def calendar_year_unconfirm(*, actor: Any, year: int, delete: bool = False) -> None:
    """Withdraw the confirmation of ``year``: its limits are provisional again. The row stays,
    marked not confirmed, unless ``delete``."""
    before = _snapshot()
    rows = list(CalendarYear.objects.filter(year=year))
    if delete:
        CalendarYear.objects.filter(year=year).delete()
    else:
        for row in rows:
            row.complete = False
            row.save(update_fields=["complete", "updated_at"])
    moved = _recalculate(
        actor=actor,
        before=before,
        reason=_("%(year)s 年放假安排的确认已撤回，重新推算") % {"year": year},
    )
    if rows:
        events.calendar_changed(
            actor=actor, target=rows[0], change="year_unconfirmed", year=year, limits_moved=moved
        )


@transaction.atomic
def workday_override_save(*, actor: Any, override: WorkdayOverride) -> WorkdayOverride:
    """Enter or change one day of a year's schedule (a make-up working day or a day off)."""
    if not isinstance(override.date, dt.date):
        raise InvalidInput(_("请填写日期。"), field="date")
    before = _snapshot()
    override.full_clean()
    override.save()
    moved = _recalculate(
        actor=actor,
        before=before,
        reason=_("节假日调整（%(date)s）后重新计算") % {"date": override.date.isoformat()},
    )
    events.calendar_changed(
        actor=actor,
        target=override,
        change="override_saved",
        date=override.date.isoformat(),
        working=override.is_working_day,
        limits_moved=moved,
    )
    return override


@transaction.atomic
def workday_override_delete(*, actor: Any, override: WorkdayOverride) -> None:
    before = _snapshot()
    day = override.date
    events.calendar_changed(
        actor=actor, target=override, change="override_deleted", date=day.isoformat()
    )
    override.delete()
    _recalculate(
        actor=actor,
        before=before,
        reason=_("节假日调整（%(date)s）后重新计算") % {"date": day.isoformat()},
    )


def open_limits_notice(*, cases: Any, today: dt.date, soon_before: dt.date) -> str:
    """The notice for the workbench home: some of ``cases``' running limits in working days, or
    the "due within 3 working days" window itself, cross a provisional year ('' if none)."""
    deadlines.load_calendar()
    years = set(workdays.provisional_years(today, soon_before))
    running = CaseDeadline.objects.filter(
        case__in=cases,
        met_at__isnull=True,
        key__in=list(
            TimeLimit.objects.filter(day_kind=DayKind.WORKING).values_list("key", flat=True)
        ),
    )
    span = running.aggregate(first=Min("starts_on"), last=Max("due_on"))
    if span["first"] is not None:
        for year in workdays.provisional_years(span["first"], span["last"]):
            # (starts_on, due_on] meets the year: the count crossed it.
            crossing = running.filter(
                starts_on__lt=dt.date(year, 12, 31), due_on__gte=dt.date(year, 1, 1)
            )
            if year not in years and crossing.exists():
                years.add(year)
    return provisional_notice(years)


def page_provisional(cases: Iterable[Any]) -> set[int]:
    """The ids of ``cases`` (a list page) whose shown deadline — the earliest running limit —
    was counted across a provisional year; one query."""
    cases = [c for c in cases if c.deadline is not None]
    if not cases:
        return set()
    deadlines.load_calendar()
    kinds = dict(TimeLimit.objects.values_list("key", "day_kind"))
    shown = {c.pk: c.deadline for c in cases}
    flagged = set()
    for d in CaseDeadline.objects.filter(case_id__in=list(shown), met_at__isnull=True).only(
        "case_id", "key", "starts_on", "due_on"
    ):
        if d.due_on == shown[d.case_id] and deadline_provisional_years(
            day_kind=kinds.get(d.key, DayKind.WORKING), starts_on=d.starts_on, due_on=d.due_on
        ):
            flagged.add(d.case_id)
    return flagged
