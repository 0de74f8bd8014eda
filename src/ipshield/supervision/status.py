"""Reporting periods and the traffic lights of assignments, computed from rows, never stored.

A period is written as its key: ``2026-11`` (a month), ``2026-Q4``, ``2026-H2`` or ``2026``.
An assignment with a due date is *overdue* after it, *due soon* within the plan's first
reminder (30 days by default), else *on track*; one reporting on a cycle (an ongoing measure)
owes a report for each period from its start, due at the period's end — it is overdue when a
period ended unreported, due soon in the last days of the period it owes, else on track. Done
is done: the assignment's or its measure's completion date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from ipshield.supervision.models import Cycle

__all__ = ["Light", "State", "period_bounds", "period_of", "state_of"]


class Light(models.TextChoices):
    OVERDUE = "overdue", _("已逾期")
    DUE_SOON = "due_soon", _("即将到期")
    ON_TRACK = "on_track", _("正常推进")
    DONE = "done", _("已完成")
    UNSCHEDULED = "unscheduled", _("未定期限")


# worst first: a measure shows the worst light of its assignments
LIGHT_ORDER = [Light.OVERDUE, Light.DUE_SOON, Light.ON_TRACK, Light.UNSCHEDULED, Light.DONE]
CYCLE_DAYS = {Cycle.MONTH: 30, Cycle.QUARTER: 91, Cycle.HALF: 182, Cycle.YEAR: 365}
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$")


def period_of(day: dt.date, cycle: str) -> str:
    """The key of the period of ``cycle`` that contains ``day``."""
    if cycle == Cycle.MONTH:
        return f"{day.year}-{day.month:02d}"
    if cycle == Cycle.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if cycle == Cycle.HALF:
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    return f"{day.year}"


def period_bounds(key: str) -> tuple[dt.date, dt.date, str] | None:
    """First and last day of the period ``key`` and its cycle, or None if it is not a key."""
    found = _PERIOD.match(key.strip()) if isinstance(key, str) else None
    if not found:
        return None
    year = int(found.group(1))
    if not 2000 <= year <= 2100:
        return None
    month, quarter, half = found.group(2), found.group(3), found.group(4)
    if month:
        m = int(month)
        if not 1 <= m <= 12:
            return None
        first, last, cycle = m, m, Cycle.MONTH
    elif quarter:
        first, last, cycle = 3 * int(quarter) - 2, 3 * int(quarter), Cycle.QUARTER
    elif half:
        first, last, cycle = 6 * int(half) - 5, 6 * int(half), Cycle.HALF
    else:
        first, last, cycle = 1, 12, Cycle.YEAR
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return dt.date(year, first, 1), end, cycle


def period_end(day: dt.date, cycle: str) -> dt.date:
    bounds = period_bounds(period_of(day, cycle))
    assert bounds is not None
    return bounds[1]


def soon_window(reminder_days: list[int], cycle: str | None) -> int:
    """How many days before a due date the light turns amber: the plan's first reminder, and
    for a cycle the largest reminder shorter than half the cycle (a monthly report is not
    "due soon" all month)."""
    days = sorted({int(d) for d in reminder_days if int(d) >= 0}) or [0]
    if not cycle:
        return days[-1]
    half = CYCLE_DAYS.get(cycle, 365) / 2
    shorter = [d for d in days if d < half]
    return shorter[-1] if shorter else 0


@dataclass(frozen=True)
class State:
    light: str
    due_on: dt.date | None  # the date the light is measured against
    days: int | None  # days left (positive) or overdue (negative)

    @property
    def label(self) -> str:
        return str(Light(self.light).label)


def cycle_due(starts_on: dt.date, cycle: str, last_end: dt.date | None) -> dt.date:
    """When the next report of an assignment on ``cycle`` is due: the end of the period after
    the last one reported, or of the period it started in."""
    if last_end is None:
        return period_end(starts_on, cycle)
    return period_end(last_end + dt.timedelta(days=1), cycle)


def state_of(
    *,
    today: dt.date,
    due_on: dt.date | None,
    cycle: str | None,
    starts_on: dt.date,
    done_on: dt.date | None,
    last_end: dt.date | None,
    reminder_days: list[int],
) -> State:
    """The light of one assignment. ``due_on`` is its date (its own, else its measure's);
    ``cycle`` applies when there is no date; ``last_end`` is the end of the last period it
    reported (returned reports do not count)."""
    if done_on is not None:
        return State(Light.DONE, due_on, None)
    if due_on is None and cycle:
        due_on = cycle_due(starts_on, cycle, last_end)
        window = soon_window(reminder_days, cycle)
    elif due_on is not None:
        window = soon_window(reminder_days, None)
    else:
        return State(Light.UNSCHEDULED, None, None)
    left = (due_on - today).days
    if left < 0:
        return State(Light.OVERDUE, due_on, left)
    if left <= window:
        return State(Light.DUE_SOON, due_on, left)
    return State(Light.ON_TRACK, due_on, left)


def worst(lights: list[str]) -> str:
    """The light a measure shows: the worst of its assignments' (unscheduled without any)."""
    for light in LIGHT_ORDER:
        if light in lights:
            return light
    return Light.UNSCHEDULED
