"""Chinese working-day arithmetic (工作日计算) for statutory deadlines.

Chinese administrative time limits are stated either in working days (工作日)
or in natural days ("90 days"). Working days follow the official calendar that
the State Council publishes each year:

* Monday to Friday are working days, Saturday and Sunday are days off;
* official holidays (法定节假日, including the weekdays moved into a holiday by
  调休) are days off;
* make-up working days (调休上班, weekend days declared working days) *are*
  working days.

Each year's calendar comes from one of four bases (:class:`YearBasis`):

* ``OFFICIAL``: the ``chinesecalendar`` package's copy of the State Council's
  yearly notice (the years 2004 to 2026 in version 1.11);
* ``CONFIRMED``: a year the package does not know whose schedule an
  administrator has confirmed (``complete_years`` of :func:`set_overrides`);
* ``STATUTORY``: a later year nobody has confirmed yet (2027 today). The days
  off are computed from the holiday rules (全国年节及纪念日放假办法 as revised
  in 2024, in force 2025-01-01): 元旦 1 January; 春节 除夕 (the last day of the
  twelfth lunar month) to 正月初三; 清明 (the day of the solar term); 劳动节
  1 and 2 May; 端午 (5th of the fifth lunar month); 中秋 (15th of the eighth
  lunar month); 国庆 1 to 3 October (第二条). A holiday falling on a Saturday
  or Sunday, or on another holiday, is made up on the next free weekday
  (第六条). The make-up working days (调休) that the State Council announces
  each year cannot be computed, so these answers are *provisional*;
* ``WEEKLY``: any other year (before 2004): Monday to Friday, provisional.

For a ``CONFIRMED`` year from 2025 on, the statutory holidays still apply and
the administrator enters only the differences (the 调休 days) as overrides.
Lunar dates and solar terms come from the ``lunar-python`` package.
:func:`day_status` tells, for any date, whether it is a working day and whether
that answer is provisional; :func:`provisional_years` tells whether a deadline
was computed across provisional days; :func:`calendar_note` gives a sentence
to show the user.

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
>>> is_working_day(date(2027, 1, 1)), day_status(date(2027, 1, 1)).provisional
(False, True)
>>> calendar_note(date(2003, 1, 6))
'The official holiday schedule for 2003 is not known yet; only weekends count as days off.'
"""

from __future__ import annotations

import calendar
import enum
import functools
from collections.abc import Iterable, Mapping
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from types import MappingProxyType
from typing import NamedTuple

import chinese_calendar
from lunar_python import Lunar

__all__ = [
    "DayStatus",
    "Holiday",
    "WorkCalendar",
    "YearBasis",
    "add_calendar_days",
    "add_working_days",
    "calendar_note",
    "clear_overrides",
    "day_status",
    "default_calendar",
    "is_known_year",
    "is_provisional",
    "is_working_day",
    "provisional_years",
    "set_overrides",
    "statutory_holidays",
    "working_days_between",
    "year_basis",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5

#: The first year of the holiday rules as revised in 2024 (State Council Order No. 795).
STATUTORY_FIRST_YEAR = 2025
# The lunar and solar-term computations are astronomical; far beyond this they are guesses.
_STATUTORY_LAST_YEAR = 2999


class Holiday(enum.StrEnum):
    """Why a day is off under the holiday rules (放假办法 第二条, 第六条).

    >>> Holiday.SPRING_FESTIVAL.value
    'spring_festival'
    """

    NEW_YEAR = "new_year"  # 元旦
    SPRING_FESTIVAL = "spring_festival"  # 春节: 除夕 to 正月初三
    QINGMING = "qingming"  # 清明
    LABOUR_DAY = "labour_day"  # 劳动节
    DRAGON_BOAT = "dragon_boat"  # 端午
    MID_AUTUMN = "mid_autumn"  # 中秋
    NATIONAL_DAY = "national_day"  # 国庆
    IN_LIEU = "in_lieu"  # 补假: a holiday fell on a weekend or on another holiday


class YearBasis(enum.StrEnum):
    """Where a year's calendar comes from; ``STATUTORY`` and ``WEEKLY`` are provisional.

    >>> YearBasis.STATUTORY.provisional, YearBasis.OFFICIAL.provisional
    (True, False)
    """

    OFFICIAL = "official"
    CONFIRMED = "confirmed"
    STATUTORY = "statutory"
    WEEKLY = "weekly"

    @property
    def provisional(self) -> bool:
        """Whether answers for such a year may change once its schedule is confirmed."""
        return self in (YearBasis.STATUTORY, YearBasis.WEEKLY)


class DayStatus(NamedTuple):
    """What the calendar says about one date.

    ``holiday`` names the statutory holiday (or day in lieu) when the rules make
    the day one, in years from 2025 on, whatever the year's basis.
    """

    working: bool
    provisional: bool
    holiday: Holiday | None


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


def _solar_date(solar: object) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())  # type: ignore[attr-defined]


@functools.cache
def _statutory_year(year: int) -> Mapping[date, Holiday] | None:
    """The days off the holiday rules give ``year``, or ``None`` outside their range.

    Maps each holiday date (weekends included) and each day in lieu to its reason.
    """
    if not STATUTORY_FIRST_YEAR <= year <= _STATUTORY_LAST_YEAR:
        return None
    first_lunar_day = _solar_date(Lunar.fromYmd(year, 1, 1).getSolar())
    qingming = _solar_date(Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"])
    festivals = [
        (Holiday.NEW_YEAR, [date(year, 1, 1)]),
        # 除夕 is the day before 正月初一, whether the twelfth month has 29 or 30 days.
        (Holiday.SPRING_FESTIVAL, [first_lunar_day + timedelta(days=i) for i in range(-1, 3)]),
        (Holiday.QINGMING, [qingming]),
        (Holiday.LABOUR_DAY, [date(year, 5, 1), date(year, 5, 2)]),
        (Holiday.DRAGON_BOAT, [_solar_date(Lunar.fromYmd(year, 5, 5).getSolar())]),
        (Holiday.MID_AUTUMN, [_solar_date(Lunar.fromYmd(year, 8, 15).getSolar())]),
        (Holiday.NATIONAL_DAY, [date(year, 10, day) for day in (1, 2, 3)]),
    ]
    days: dict[date, Holiday] = {}
    owed: list[date] = []  # one entry per day to make up, dated where it is owed
    for holiday, dates in festivals:
        for day in dates:
            if day in days:  # two holidays on one day (中秋 on 国庆 in 2028)
                owed.append(day)
                continue
            days[day] = holiday
            if day.weekday() >= _SATURDAY:
                owed.append(day)
    for since in sorted(owed):
        day = since + _ONE_DAY
        while day.weekday() >= _SATURDAY or day in days:
            day += _ONE_DAY
        days[day] = Holiday.IN_LIEU
    return MappingProxyType(dict(sorted(days.items())))


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
        statutory = _statutory_year(d.year)
        return not weekend and (statutory is None or d not in statutory)
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
    >>> make_up = date(2027, 2, 20)  # a Saturday entered as a working day
    >>> calendar = WorkCalendar({make_up: True}, complete_years=[2027])
    >>> calendar.is_working_day(make_up), is_working_day(make_up)
    (True, False)
    >>> calendar.add_working_days(date(2026, 12, 31), 1)  # 2027-01-01 is 元旦
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

    def year_basis(self, year: int) -> YearBasis:
        """Return where ``year``'s calendar comes from (see :func:`year_basis`)."""
        _check_int(year, "year")
        if _library_year(year) is not None:
            return YearBasis.OFFICIAL
        if year in self._data.complete_years:
            return YearBasis.CONFIRMED
        if _statutory_year(year) is not None:
            return YearBasis.STATUTORY
        return YearBasis.WEEKLY

    def is_known_year(self, year: int) -> bool:
        """Return whether ``year``'s official schedule is known (see :func:`is_known_year`)."""
        return not self.year_basis(year).provisional

    def is_provisional(self, d: date) -> bool:
        """Return whether the answer for ``d`` is provisional (see :func:`is_provisional`)."""
        return self.year_basis(_check_date(d).year).provisional

    def day_status(self, d: date) -> DayStatus:
        """Return ``d``'s :class:`DayStatus` (see :func:`day_status`)."""
        _check_date(d)
        statutory = _statutory_year(d.year)
        holiday = statutory.get(d) if statutory is not None else None
        working = _is_working(self._data, d)
        return DayStatus(working, self.is_provisional(d), None if working else holiday)

    def provisional_years(self, a: date, b: date) -> tuple[int, ...]:
        """Return the provisional years a count from ``a`` to ``b`` crossed (see
        :func:`provisional_years`)."""
        _check_date(a, "a")
        _check_date(b, "b")
        if a == b:
            return ()
        # The days that decide the count: (a, b] forwards, [b, a) backwards.
        first, last = (a + _ONE_DAY, b) if a < b else (b, a - _ONE_DAY)
        years = range(first.year, last.year + 1)
        return tuple(year for year in years if self.year_basis(year).provisional)

    def calendar_note(self, d: date) -> str | None:
        """Return ``None`` or a warning about ``d``'s year (see :func:`calendar_note`)."""
        _check_date(d)
        basis = self.year_basis(d.year)
        if basis is YearBasis.STATUTORY:
            return (
                f"The official holiday schedule for {d.year} is not confirmed yet; "
                "statutory holidays only."
            )
        if basis is YearBasis.WEEKLY:
            return (
                f"The official holiday schedule for {d.year} is not known yet; "
                "only weekends count as days off."
            )
        return None

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
    administrator enters the State Council's schedule of a year the library
    does not know yet, as differences from the computed statutory holidays:
    days off moved by 调休 (``False``) and make-up working days (``True``).
    Days not listed keep their computed status. ``complete_years`` lists the
    years whose schedule has been confirmed, so that :func:`is_known_year` is
    true and :func:`calendar_note` is ``None`` for them.

    Raises :class:`TypeError` for keys that are not dates (``datetime`` is
    refused) and values that are not ``bool``; nothing is changed then.

    >>> from datetime import date
    >>> set_overrides({date(2027, 2, 20): True}, complete_years=[2027])
    >>> is_working_day(date(2027, 2, 20)), is_known_year(2027), is_provisional(date(2027, 1, 1))
    (True, True, False)
    >>> clear_overrides()
    """
    default_calendar.set_overrides(mapping, complete_years=complete_years)


def clear_overrides() -> None:
    """Remove all overrides and complete years from the default calendar.

    >>> from datetime import date
    >>> set_overrides({date(2027, 1, 1): True})
    >>> clear_overrides()
    >>> is_working_day(date(2027, 1, 1))
    False
    """
    default_calendar.clear_overrides()


def is_known_year(year: int) -> bool:
    """Return whether the official holiday schedule of ``year`` is known.

    True for the years the ``chinesecalendar`` package covers and for years
    marked complete (confirmed) with :func:`set_overrides`.

    >>> is_known_year(2026), is_known_year(2099)
    (True, False)
    """
    return default_calendar.is_known_year(year)


def year_basis(year: int) -> YearBasis:
    """Return where the calendar of ``year`` comes from (see :class:`YearBasis`).

    >>> [year_basis(year).value for year in (2026, 2027, 2003)]
    ['official', 'statutory', 'weekly']
    """
    return default_calendar.year_basis(year)


def is_provisional(d: date) -> bool:
    """Return whether the working-day answer for ``d`` may still change.

    True in years that neither the ``chinesecalendar`` package knows nor an
    administrator has confirmed.

    >>> from datetime import date
    >>> is_provisional(date(2026, 10, 1)), is_provisional(date(2027, 10, 1))
    (False, True)
    """
    return default_calendar.is_provisional(d)


def day_status(d: date) -> DayStatus:
    """Return whether ``d`` is a working day, whether that is provisional, and why it is off.

    >>> from datetime import date
    >>> day_status(date(2027, 2, 5))  # 除夕 2027, a Friday
    DayStatus(working=False, provisional=True, holiday=<Holiday.SPRING_FESTIVAL: 'spring_festival'>)
    >>> day_status(date(2027, 2, 9)).holiday  # 初二 and 初三 fell on the weekend
    <Holiday.IN_LIEU: 'in_lieu'>
    >>> day_status(date(2026, 2, 14))  # a make-up Saturday in the official 2026 notice
    DayStatus(working=True, provisional=False, holiday=None)
    """
    return default_calendar.day_status(d)


def provisional_years(a: date, b: date) -> tuple[int, ...]:
    """Return the provisional years among the days that decide a count from ``a`` to ``b``.

    Those are the days in ``(a, b]`` when ``b >= a`` (as :func:`working_days_between`
    and :func:`add_working_days` count them) and in ``[b, a)`` when ``b < a``. A
    deadline with a non-empty answer was computed across provisional days.

    >>> from datetime import date
    >>> provisional_years(date(2026, 12, 24), add_working_days(date(2026, 12, 24), 15))
    (2027,)
    >>> provisional_years(date(2026, 12, 24), date(2026, 12, 31))
    ()
    """
    return default_calendar.provisional_years(a, b)


def statutory_holidays(year: int) -> dict[date, Holiday]:
    """Return the days off the holiday rules (as revised in 2024) give ``year``.

    Every holiday date of 第二条, weekends included, and every day in lieu of
    第六条, in date order; empty for years before 2025 (other rules applied) or
    too far ahead to compute. Independent of any overrides.

    >>> from datetime import date
    >>> [d.isoformat() for d, h in statutory_holidays(2027).items() if h is Holiday.NATIONAL_DAY]
    ['2027-10-01', '2027-10-02', '2027-10-03']
    >>> statutory_holidays(2024)
    {}
    """
    days = _statutory_year(_check_int(year, "year"))
    return dict(days) if days is not None else {}


def calendar_note(d: date) -> str | None:
    """Return ``None`` if ``d``'s year is known, else a sentence to show the user.

    Use it on a computed deadline: when the deadline lies in a year whose
    official schedule is not known, it was computed from the statutory holidays
    (or, before 2025, counting only weekends as days off) and may move once the
    schedule is confirmed.

    >>> from datetime import date
    >>> calendar_note(date(2026, 10, 8)) is None
    True
    >>> calendar_note(date(2099, 1, 1))
    'The official holiday schedule for 2099 is not confirmed yet; statutory holidays only.'
    >>> calendar_note(date(2003, 1, 1))
    'The official holiday schedule for 2003 is not known yet; only weekends count as days off.'
    """
    return default_calendar.calendar_note(d)


def is_working_day(d: date) -> bool:
    """Return whether ``d`` is a working day.

    Overrides win; otherwise the official calendar; otherwise (unknown year)
    Monday to Friday without the statutory holidays and days in lieu.

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


def add_months(d: date, months: int) -> date:
    """The same day ``months`` calendar months later (earlier when negative), or that month's
    last day when it has no such day (for periods stated in months or years: publication,
    listing, credit records).

    >>> from datetime import date
    >>> add_months(date(2026, 11, 30), 3)
    datetime.date(2027, 2, 28)
    """
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))
