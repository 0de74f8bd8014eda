"""Chinese working-day arithmetic (工作日计算) for statutory deadlines.

Chinese administrative time limits are stated either in working days (工作日)
or in natural days ("90 days"). Working days follow the official calendar that
the State Council publishes each year:

* Monday to Friday are working days, Saturday and Sunday are days off;
* official holidays (法定节假日, including the weekdays moved into a holiday by
  调休) are days off;
* make-up working days (调休上班, weekend days declared working days) *are*
  working days.

The official calendar comes from the ``chinesecalendar`` package, which knows
the years 2004 to 2026. For any other year this module falls back to
weekends-only (Monday to Friday are working days) unless an administrator has
entered overrides for it (see :func:`set_overrides`). Call
:func:`calendar_note` on a deadline to find out whether it was computed with
the fallback, so the user can be warned.

Counting rule: as in Chinese administrative procedure, the day on which a
period starts (the day of receipt, of the decision, ...) is not counted.

* ``add_working_days(d, n)`` with ``n >= 1`` is the *n*-th working day strictly
  after ``d``; ``n == 0`` returns ``d`` unchanged (even if it is a day off);
  ``n < 0`` is the ``|n|``-th working day strictly before ``d``.
* ``working_days_between(a, b)`` counts the working days in ``(a, b]`` when
  ``b >= a`` and is minus the count of ``(b, a]`` when ``b < a``; so
  ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 0``,
  and for ``n < 0`` too when ``d`` is itself a working day. (Counting backwards
  from a day off, the interval ``(result, d]`` ends on that day off, so it holds
  one working day fewer than ``|n|``.)
* ``add_calendar_days(d, n)`` is plain date arithmetic, for limits in natural
  days; pass ``roll_forward=True`` to move an end date that falls on a day off
  to the next working day.

The module functions use a shared default :class:`WorkCalendar`; create your own
``WorkCalendar`` for an isolated set of overrides (tests, what-if checks).

Only :class:`datetime.date` values are accepted, never ``datetime``: convert an
aware datetime to the local date first, e.g.
``moment.astimezone(ZoneInfo("Asia/Shanghai")).date()``.

Receipt on Thursday 2026-02-12, just before the 2026 Spring Festival holiday
(2026-02-15 to 2026-02-23, with make-up working days on Saturday 2026-02-14 and
Saturday 2026-02-28):

>>> from datetime import date
>>> add_working_days(date(2026, 2, 12), 7)
datetime.date(2026, 2, 28)
>>> working_days_between(date(2026, 2, 12), date(2026, 2, 28))
7
>>> is_working_day(date(2026, 2, 14)), is_working_day(date(2026, 2, 16))
(True, False)
>>> calendar_note(date(2026, 2, 28)) is None
True
>>> calendar_note(date(2027, 1, 4))
'The official holiday schedule for 2027 is not known yet; only weekends count as days off.'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from types import MappingProxyType
from typing import NamedTuple

import chinese_calendar

__all__ = [
    "WorkCalendar",
    "add_calendar_days",
    "add_working_days",
    "calendar_note",
    "clear_overrides",
    "default_calendar",
    "is_known_year",
    "is_working_day",
    "set_overrides",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class _YearExceptions(NamedTuple):
    """The official calendar of one year, as exceptions to Monday-to-Friday."""

    weekdays_off: frozenset[date]
    weekends_on: frozenset[date]


class _Overrides(NamedTuple):
    """Immutable override data; a calendar swaps the whole tuple at once."""

    days: Mapping[date, bool]
    complete_years: frozenset[int]


_NO_OVERRIDES = _Overrides(MappingProxyType({}), frozenset())


@functools.cache
def _library_year(year: int) -> _YearExceptions | None:
    """Return the official exceptions for ``year``, or ``None`` if the library lacks it.

    Computed once per year (365 look-ups) so that later look-ups are set lookups.
    """
    if not MINYEAR <= year <= MAXYEAR:
        return None
    first = date(year, 1, 1)
    try:
        chinese_calendar.is_workday(first)
    except NotImplementedError:
        return None
    weekdays_off: set[date] = set()
    weekends_on: set[date] = set()
    day = first
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        weekend = day.weekday() >= _SATURDAY
        if weekend and working:
            weekends_on.add(day)
        elif not weekend and not working:
            weekdays_off.add(day)
        if day == date.max:
            break
        day += _ONE_DAY
    return _YearExceptions(frozenset(weekdays_off), frozenset(weekends_on))


def _check_date(value: object, name: str = "d") -> date:
    # datetime is a subclass of date but never equal to one, so it would silently
    # miss every holiday and override; make the caller pick the local date.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{name} must be a datetime.date, not {type(value).__name__}; "
            "convert a datetime to the local (Asia/Shanghai) date first"
        )
    return value


def _check_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def _build_overrides(
    mapping: Mapping[date, bool] | None, complete_years: Iterable[int]
) -> _Overrides:
    days: dict[date, bool] = {}
    for key, working in (mapping or {}).items():
        _check_date(key, "override date")
        if not isinstance(working, bool):
            raise TypeError(
                f"override for {key.isoformat()} must be True (working day) or "
                f"False (day off), not {working!r}"
            )
        days[key] = working
    years = frozenset(_check_int(year, "complete year") for year in complete_years)
    if not days and not years:
        return _NO_OVERRIDES
    return _Overrides(MappingProxyType(days), years)


def _is_working(data: _Overrides, d: date) -> bool:
    override = data.days.get(d)
    if override is not None:
        return override
    weekend = d.weekday() >= _SATURDAY
    official = _library_year(d.year)
    if official is None:
        return not weekend
    if weekend:
        return d in official.weekends_on
    return d not in official.weekdays_off


class WorkCalendar:
    """A working-day calendar: the official Chinese calendar plus overrides.

    ``overrides`` maps dates to ``True`` (working day) or ``False`` (day off) and
    takes precedence over the official calendar for those dates.
    ``complete_years`` lists the years whose whole official schedule has been
    entered as overrides, so that :meth:`is_known_year` is true for them.

    The module-level functions use :data:`default_calendar`; a separate instance
    keeps its overrides to itself. Replacing overrides swaps one immutable
    object, so threads reading the calendar see either the old or the new data,
    never a mix, and each call works on one consistent snapshot.

    >>> from datetime import date
    >>> calendar = WorkCalendar({date(2027, 1, 1): False}, complete_years=[2027])
    >>> calendar.is_working_day(date(2027, 1, 1)), is_working_day(date(2027, 1, 1))
    (False, True)
    >>> calendar.add_working_days(date(2026, 12, 31), 1)
    datetime.date(2027, 1, 4)
    >>> calendar.calendar_note(date(2027, 1, 4)) is None
    True
    """

    __slots__ = ("_data",)

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        complete_years: Iterable[int] = (),
    ) -> None:
        self._data = _build_overrides(overrides, complete_years)

    def __repr__(self) -> str:
        data = self._data
        return (
            f"{type(self).__name__}(<{len(data.days)} overrides>, "
            f"complete_years={sorted(data.complete_years)!r})"
        )

    @property
    def overrides(self) -> Mapping[date, bool]:
        """The current overrides, as a read-only mapping."""
        return self._data.days

    @property
    def complete_years(self) -> frozenset[int]:
        """The years marked as completely entered."""
        return self._data.complete_years

    def set_overrides(
        self, mapping: Mapping[date, bool], *, complete_years: Iterable[int] = ()
    ) -> None:
        """Replace all overrides (see :func:`set_overrides`)."""
        self._data = _build_overrides(mapping, complete_years)

    def clear_overrides(self) -> None:
        """Remove all overrides and complete years (see :func:`clear_overrides`)."""
        self._data = _NO_OVERRIDES

    def is_known_year(self, year: int) -> bool:
        """Return whether ``year``'s official schedule is known (see :func:`is_known_year`)."""
        _check_int(year, "year")
        return year in self._data.complete_years or _library_year(year) is not None

    def calendar_note(self, d: date) -> str | None:
        """Return ``None`` or a warning about ``d``'s year (see :func:`calendar_note`)."""
        _check_date(d)
        if self.is_known_year(d.year):
            return None
        return (
            f"The official holiday schedule for {d.year} is not known yet; "
            "only weekends count as days off."
        )

    def is_working_day(self, d: date) -> bool:
        """Return whether ``d`` is a working day (see :func:`is_working_day`)."""
        return _is_working(self._data, _check_date(d))

    def add_working_days(self, d: date, n: int) -> date:
        """Return the ``n``-th working day after ``d`` (see :func:`add_working_days`)."""
        _check_date(d)
        _check_int(n, "n")
        data = self._data
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        day = d
        while remaining:
            day += step
            if _is_working(data, day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Count working days in ``(a, b]`` (see :func:`working_days_between`)."""
        _check_date(a, "a")
        _check_date(b, "b")
        if b < a:
            return -self.working_days_between(b, a)
        data = self._data
        count = 0
        day = a
        while day < b:
            day += _ONE_DAY
            if _is_working(data, day):
                count += 1
        return count

    def add_calendar_days(self, d: date, n: int, *, roll_forward: bool = False) -> date:
        """Return ``d`` plus ``n`` natural days (see :func:`add_calendar_days`)."""
        _check_date(d)
        _check_int(n, "n")
        end = d + timedelta(days=n)
        if roll_forward and not self.is_working_day(end):
            end = self.add_working_days(end, 1)
        return end


#: The calendar behind the module-level functions and overrides.
default_calendar = WorkCalendar()


def set_overrides(mapping: Mapping[date, bool], *, complete_years: Iterable[int] = ()) -> None:
    """Replace all overrides of the default calendar.

    ``mapping`` maps dates to ``True`` (working day) or ``False`` (day off); an
    override wins over the official calendar for its date. Typically an
    administrator enters the official schedule of a year the library does not
    know yet: its holidays that fall on weekdays (``False``) and its make-up
    working days (``True``). Weekends and weekdays not listed keep their usual
    status. ``complete_years`` lists the years whose full schedule has been
    entered, so that :func:`is_known_year` is true and :func:`calendar_note`
    is ``None`` for them.

    Raises :class:`TypeError` for keys that are not dates (``datetime`` is
    refused) and values that are not ``bool``; nothing is changed then.

    >>> from datetime import date
    >>> set_overrides({date(2027, 1, 1): False}, complete_years=[2027])
    >>> is_working_day(date(2027, 1, 1)), is_known_year(2027)
    (False, True)
    >>> clear_overrides()
    """
    default_calendar.set_overrides(mapping, complete_years=complete_years)


def clear_overrides() -> None:
    """Remove all overrides and complete years from the default calendar.

    >>> from datetime import date
    >>> set_overrides({date(2027, 1, 1): False})
    >>> clear_overrides()
    >>> is_working_day(date(2027, 1, 1))
    True
    """
    default_calendar.clear_overrides()


def is_known_year(year: int) -> bool:
    """Return whether the official holiday schedule of ``year`` is known.

    True for the years the ``chinesecalendar`` package covers and for years
    marked complete with :func:`set_overrides`.

    >>> is_known_year(2026), is_known_year(2099)
    (True, False)
    """
    return default_calendar.is_known_year(year)


def calendar_note(d: date) -> str | None:
    """Return ``None`` if ``d``'s year is known, else a sentence to show the user.

    Use it on a computed deadline: when the deadline lies in a year whose
    official schedule is not known, it was computed counting only weekends as
    days off and may move once the schedule is published.

    >>> from datetime import date
    >>> calendar_note(date(2026, 10, 8)) is None
    True
    >>> calendar_note(date(2099, 1, 1))
    'The official holiday schedule for 2099 is not known yet; only weekends count as days off.'
    """
    return default_calendar.calendar_note(d)


def is_working_day(d: date) -> bool:
    """Return whether ``d`` is a working day.

    Overrides win; otherwise the official calendar; otherwise (unknown year)
    Monday to Friday.

    >>> from datetime import date
    >>> is_working_day(date(2026, 10, 1))  # National Day
    False
    >>> is_working_day(date(2026, 10, 10))  # Saturday, make-up working day
    True
    """
    return default_calendar.is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """Return the ``n``-th working day strictly after ``d`` (before it if ``n < 0``).

    ``d`` itself is never counted and need not be a working day; ``n == 0``
    returns ``d``. This gives the last day of a period of ``n`` working days
    that starts on ``d``.

    >>> from datetime import date
    >>> add_working_days(date(2026, 9, 30), 1)  # National Day holiday Oct 1-7
    datetime.date(2026, 10, 8)
    >>> add_working_days(date(2026, 10, 8), -1)
    datetime.date(2026, 9, 30)
    """
    return default_calendar.add_working_days(d, n)


def working_days_between(a: date, b: date) -> int:
    """Return the number of working days in ``(a, b]``, negative if ``b < a``.

    The inverse of :func:`add_working_days`: for ``n >= 0``,
    ``working_days_between(d, add_working_days(d, n)) == n``. Use it for the
    working days used up so far (``a`` = start, ``b`` = today).

    >>> from datetime import date
    >>> working_days_between(date(2026, 9, 30), date(2026, 10, 8))
    1
    >>> working_days_between(date(2026, 10, 8), date(2026, 9, 30))
    -1
    """
    return default_calendar.working_days_between(a, b)


def add_calendar_days(d: date, n: int, *, roll_forward: bool = False) -> date:
    """Return ``d`` plus ``n`` natural days, for limits stated in days ("90 days").

    With ``roll_forward=True`` an end date that is not a working day moves to
    the next working day, the usual rule when a period ends on a holiday.

    >>> from datetime import date
    >>> add_calendar_days(date(2026, 9, 1), 30)
    datetime.date(2026, 10, 1)
    >>> add_calendar_days(date(2026, 9, 1), 30, roll_forward=True)
    datetime.date(2026, 10, 8)
    """
    return default_calendar.add_calendar_days(d, n, roll_forward=roll_forward)
