"""Tests for ipshield.engines.workdays (Chinese working-day arithmetic)."""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipshield.engines import workdays
from ipshield.engines.workdays import WorkCalendar

# The 2026 schedule, 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号,
# 2025-11-04). Checked against chinese_calendar 1.11 day by day below, so a package
# upgrade that changes it fails here instead of moving deadlines silently.
SPRING_FESTIVAL_2026 = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]  # Feb 15-23
SPRING_FESTIVAL_MAKE_UP_2026 = [date(2026, 2, 14), date(2026, 2, 28)]  # both Saturdays
MID_AUTUMN_2026 = [date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)]  # Fri-Sun
NATIONAL_DAY_2026 = [date(2026, 10, 1) + timedelta(days=i) for i in range(7)]  # Oct 1-7
NATIONAL_DAY_MAKE_UP_2026 = [date(2026, 9, 20), date(2026, 10, 10)]  # Sun, Sat

NEW_YEAR_2027 = date(2027, 1, 1)  # a Friday; 2027 is not in chinese_calendar 1.11
SATURDAY_2027 = date(2027, 1, 2)  # an ordinary Saturday, entered as a working day in tests

dates_2024_2027 = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@pytest.fixture(autouse=True)
def _clean_default_calendar() -> Iterator[None]:
    workdays.clear_overrides()
    yield
    workdays.clear_overrides()


def test_public_interface() -> None:
    assert set(workdays.__all__) == {
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
    }
    for name in workdays.__all__:
        assert getattr(workdays, name).__doc__, name


def test_doctests() -> None:
    result = doctest.testmod(workdays)
    assert result.attempted > 0
    assert result.failed == 0


# --- the 2026 official calendar ------------------------------------------------------


def test_2026_spring_festival_matches_the_state_council_notice() -> None:
    for day in SPRING_FESTIVAL_2026:
        assert not workdays.is_working_day(day), day
    for day in SPRING_FESTIVAL_MAKE_UP_2026:
        assert day.weekday() == 5
        assert workdays.is_working_day(day), day
    # The days around the holiday are ordinary.
    assert workdays.is_working_day(date(2026, 2, 13))  # Friday
    assert workdays.is_working_day(date(2026, 2, 24))  # Tuesday
    assert not workdays.is_working_day(date(2026, 2, 7))  # ordinary Saturday


def test_2026_national_day_matches_the_state_council_notice() -> None:
    for day in MID_AUTUMN_2026 + NATIONAL_DAY_2026:
        assert not workdays.is_working_day(day), day
    assert [d.weekday() for d in NATIONAL_DAY_MAKE_UP_2026] == [6, 5]
    for day in NATIONAL_DAY_MAKE_UP_2026:
        assert workdays.is_working_day(day), day
    assert workdays.is_working_day(date(2026, 9, 30))
    assert workdays.is_working_day(date(2026, 10, 8))
    assert not workdays.is_working_day(date(2026, 10, 11))  # Sunday after the make-up day


def test_2026_working_days_per_month() -> None:
    # February: 20 weekdays, minus 6 holiday weekdays (16-20, 23), plus 2 make-up Saturdays.
    assert workdays.working_days_between(date(2026, 1, 31), date(2026, 2, 28)) == 16
    # October: 22 weekdays, minus 5 holiday weekdays (1, 2, 5, 6, 7), plus Saturday the 10th.
    assert workdays.working_days_between(date(2026, 9, 30), date(2026, 10, 31)) == 18


# --- deadlines -----------------------------------------------------------------------


def test_seven_working_days_from_receipt_before_spring_festival() -> None:
    # Received Thu 2026-02-12; the day of receipt is not counted:
    #   1 Fri 02-13, 2 Sat 02-14 (make-up), 02-15..02-23 holiday,
    #   3 Tue 02-24, 4 Wed 02-25, 5 Thu 02-26, 6 Fri 02-27, 7 Sat 02-28 (make-up).
    received = date(2026, 2, 12)
    assert workdays.add_working_days(received, 7) == date(2026, 2, 28)
    assert workdays.working_days_between(received, date(2026, 2, 28)) == 7
    # Weekends-only counting would have said Mon 02-23, in the middle of the holiday.
    assert WorkCalendar(
        {d: True for d in SPRING_FESTIVAL_2026 if d.weekday() < 5}
        | {d: False for d in SPRING_FESTIVAL_MAKE_UP_2026}
    ).add_working_days(received, 7) == date(2026, 2, 23)


def test_one_working_day_after_receipt_on_the_eve_of_spring_festival() -> None:
    # Received on the make-up Saturday 02-14: the next working day is Tue 02-24.
    assert workdays.add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)
    # Received during the holiday: same next working day.
    assert workdays.add_working_days(date(2026, 2, 18), 1) == date(2026, 2, 24)


def test_twenty_working_days_after_a_decision_before_national_day() -> None:
    # Decision dated Fri 2026-09-25 (itself the Mid-Autumn holiday; not counted anyway):
    #   09-26, 09-27 Mid-Autumn; 1 Mon 09-28, 2 Tue 09-29, 3 Wed 09-30,
    #   10-01..10-07 National Day; 4 Thu 10-08, 5 Fri 10-09, 6 Sat 10-10 (make-up),
    #   7-11 Mon 10-12..Fri 10-16, 12-16 Mon 10-19..Fri 10-23,
    #   17 Mon 10-26, 18 Tue 10-27, 19 Wed 10-28, 20 Thu 10-29.
    decided = date(2026, 9, 25)
    assert workdays.add_working_days(decided, 20) == date(2026, 10, 29)
    assert workdays.working_days_between(decided, date(2026, 10, 29)) == 20
    assert workdays.calendar_note(date(2026, 10, 29)) is None


def test_make_up_sunday_in_september_counts() -> None:
    # Fri 2026-09-18 + 1 working day is the make-up Sunday 09-20, not Mon 09-21.
    assert workdays.add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)
    assert workdays.add_working_days(date(2026, 9, 18), 2) == date(2026, 9, 21)


def test_fifteen_working_days_into_2027_skip_new_year_provisionally() -> None:
    # From Thu 2026-12-24: 1 Fri 12-25, 2-5 Mon 12-28..Thu 12-31,
    #   Fri 2027-01-01 is 元旦 (computed: 2027 is not in chinese_calendar),
    #   6-10 Mon 01-04..Fri 01-08, 11-15 Mon 01-11..Fri 01-15.
    # Weekends-only counting said Thu 01-14, with 元旦 as a working day.
    start = date(2026, 12, 24)
    deadline = workdays.add_working_days(start, 15)
    assert deadline == date(2027, 1, 15)
    assert not workdays.is_working_day(NEW_YEAR_2027)
    assert workdays.day_status(NEW_YEAR_2027) == (False, True, workdays.Holiday.NEW_YEAR)
    assert not workdays.is_known_year(2027)
    assert workdays.year_basis(2027) is workdays.YearBasis.STATUTORY
    assert workdays.provisional_years(start, deadline) == (2027,)
    note = workdays.calendar_note(deadline)
    assert note is not None
    assert "2027" in note
    assert "not confirmed" in note


def test_overrides_for_2027_move_the_deadline() -> None:
    # Same count with Sat 2027-01-02 entered as a make-up working day: 1-5 as before
    #   (to 12-31), 6 Sat 01-02, 7-11 Mon 01-04..Fri 01-08, 12-15 Mon 01-11..Thu 01-14.
    workdays.set_overrides({SATURDAY_2027: True})
    assert workdays.is_working_day(SATURDAY_2027)
    assert workdays.add_working_days(date(2026, 12, 24), 15) == date(2027, 1, 14)
    # Only one day was entered: the year is still not confirmed.
    assert not workdays.is_known_year(2027)
    assert workdays.is_provisional(SATURDAY_2027)
    assert workdays.calendar_note(date(2027, 1, 14)) is not None


def test_complete_years_silence_the_note() -> None:
    workdays.set_overrides({NEW_YEAR_2027: False}, complete_years=[2027])
    assert workdays.is_known_year(2027)
    assert workdays.calendar_note(date(2027, 6, 1)) is None
    assert workdays.calendar_note(date(2028, 6, 1)) is not None


def test_overrides_win_over_the_official_calendar() -> None:
    workdays.set_overrides({date(2026, 10, 1): True, date(2026, 10, 9): False})
    assert workdays.is_working_day(date(2026, 10, 1))
    assert not workdays.is_working_day(date(2026, 10, 9))
    # 09-30 + 1: Oct 1 is now a working day.
    assert workdays.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 1)


def test_set_overrides_replaces_everything() -> None:
    workdays.set_overrides({NEW_YEAR_2027: True}, complete_years=[2027])
    workdays.set_overrides({SATURDAY_2027: True})
    assert not workdays.is_working_day(NEW_YEAR_2027)
    assert workdays.is_working_day(SATURDAY_2027)
    assert not workdays.is_known_year(2027)


def test_clear_overrides() -> None:
    workdays.set_overrides({SATURDAY_2027: True}, complete_years=[2027])
    workdays.clear_overrides()
    assert not workdays.is_working_day(SATURDAY_2027)
    assert not workdays.is_known_year(2027)
    assert workdays.add_working_days(date(2026, 12, 24), 15) == date(2027, 1, 15)
    assert dict(workdays.default_calendar.overrides) == {}


def test_bad_overrides_are_rejected_and_change_nothing() -> None:
    workdays.set_overrides({date(2027, 1, 4): False})
    with pytest.raises(TypeError, match="True"):
        workdays.set_overrides({date(2027, 1, 4): 0})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="date"):
        workdays.set_overrides({datetime(2027, 1, 4): False})
    with pytest.raises(TypeError, match="int"):
        workdays.set_overrides({}, complete_years=["2027"])  # type: ignore[list-item]
    assert not workdays.is_working_day(date(2027, 1, 4))


def test_overrides_are_copied_and_read_only() -> None:
    entered = {SATURDAY_2027: True}
    workdays.set_overrides(entered)
    entered[SATURDAY_2027] = False
    assert workdays.is_working_day(SATURDAY_2027)
    with pytest.raises(TypeError):
        workdays.default_calendar.overrides[SATURDAY_2027] = False  # type: ignore[index]


def test_work_calendar_is_isolated_from_the_module_functions() -> None:
    calendar = WorkCalendar({SATURDAY_2027: True}, complete_years=[2027])
    assert calendar.is_working_day(SATURDAY_2027)
    assert calendar.is_known_year(2027)
    assert calendar.year_basis(2027) is workdays.YearBasis.CONFIRMED
    assert calendar.calendar_note(NEW_YEAR_2027) is None
    assert calendar.day_status(NEW_YEAR_2027) == (False, False, workdays.Holiday.NEW_YEAR)
    assert calendar.add_working_days(date(2026, 12, 24), 15) == date(2027, 1, 14)
    assert calendar.working_days_between(date(2026, 12, 24), date(2027, 1, 14)) == 15
    assert calendar.provisional_years(date(2026, 12, 24), date(2027, 1, 14)) == ()
    # The module functions still use the empty default calendar ...
    assert not workdays.is_working_day(SATURDAY_2027)
    assert not workdays.is_known_year(2027)
    assert workdays.add_working_days(date(2026, 12, 24), 15) == date(2027, 1, 15)
    # ... and module overrides do not reach the instance.
    workdays.set_overrides({date(2027, 1, 4): False})
    assert calendar.is_working_day(date(2027, 1, 4))
    calendar.clear_overrides()
    assert not calendar.is_working_day(SATURDAY_2027)
    assert not workdays.is_working_day(date(2027, 1, 4))


def test_unknown_years_before_2004_use_weekends_only() -> None:
    assert not workdays.is_known_year(2003)
    assert workdays.is_known_year(2004)
    assert workdays.year_basis(2003) is workdays.YearBasis.WEEKLY
    assert workdays.is_working_day(date(2003, 10, 1))  # a Wednesday
    assert workdays.day_status(date(2003, 10, 1)) == (True, True, None)
    note = workdays.calendar_note(date(2003, 10, 1))
    assert note is not None and "weekends" in note


def test_is_known_year_outside_the_date_range() -> None:
    assert not workdays.is_known_year(0)
    assert not workdays.is_known_year(10_000)


# --- edge cases ----------------------------------------------------------------------


def test_zero_days_returns_the_start_even_on_a_holiday() -> None:
    assert workdays.add_working_days(date(2026, 10, 1), 0) == date(2026, 10, 1)
    assert workdays.working_days_between(date(2026, 10, 1), date(2026, 10, 1)) == 0


def test_negative_days_count_backwards_excluding_the_start() -> None:
    # The working day before Thu 10-08 is Wed 09-30; 3 before is Mon 09-28.
    assert workdays.add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert workdays.add_working_days(date(2026, 10, 8), -3) == date(2026, 9, 28)
    # Before Tue 02-24 comes the make-up Saturday 02-14.
    assert workdays.add_working_days(date(2026, 2, 24), -1) == date(2026, 2, 14)
    assert workdays.working_days_between(date(2026, 10, 8), date(2026, 9, 28)) == -3


def test_add_calendar_days() -> None:
    assert workdays.add_calendar_days(date(2026, 1, 1), 90) == date(2026, 4, 1)
    assert workdays.add_calendar_days(date(2026, 4, 1), -90) == date(2026, 1, 1)
    # 30 days from 09-01 is National Day; rolled forward to the first working day after it.
    assert workdays.add_calendar_days(date(2026, 9, 1), 30) == date(2026, 10, 1)
    assert workdays.add_calendar_days(date(2026, 9, 1), 30, roll_forward=True) == date(2026, 10, 8)
    # A working end date is not moved.
    assert workdays.add_calendar_days(date(2026, 9, 1), 29, roll_forward=True) == date(2026, 9, 30)


def test_datetimes_are_refused() -> None:
    moment = datetime(2026, 10, 1, 9, 0)
    with pytest.raises(TypeError, match="Asia/Shanghai"):
        workdays.is_working_day(moment)
    with pytest.raises(TypeError):
        workdays.add_working_days(moment, 1)
    with pytest.raises(TypeError):
        workdays.working_days_between(date(2026, 1, 1), moment)
    with pytest.raises(TypeError):
        workdays.add_working_days(date(2026, 1, 1), 1.0)  # type: ignore[arg-type]


def test_three_hundred_working_days_read_only_the_per_year_tables(monkeypatch) -> None:
    # What makes long counts fast, checked without a stopwatch (speed is the benchmarks'
    # business, benchmarks/engines.py): once a year's table is built, counting never asks the
    # holiday library again.
    workdays.add_working_days(date(2025, 1, 1), 300)  # warm the per-year tables

    def asked(day: date) -> bool:
        raise AssertionError(f"the holiday library was asked about {day}")

    monkeypatch.setattr(workdays.chinese_calendar, "is_workday", asked)
    for _ in range(100):
        deadline = workdays.add_working_days(date(2025, 1, 2), 300)
    assert workdays.working_days_between(date(2025, 1, 2), deadline) == 300


# --- properties ----------------------------------------------------------------------


@given(dates_2024_2027, st.integers(min_value=0, max_value=400))
def test_between_inverts_add(d: date, n: int) -> None:
    assert workdays.working_days_between(d, workdays.add_working_days(d, n)) == n


@given(dates_2024_2027, st.integers(min_value=-400, max_value=400).filter(bool))
def test_result_is_a_working_day(d: date, n: int) -> None:
    result = workdays.add_working_days(d, n)
    assert workdays.is_working_day(result)
    assert (result > d) if n > 0 else (result < d)


@given(dates_2024_2027, st.integers(min_value=-400, max_value=399))
def test_monotonic_in_n(d: date, n: int) -> None:
    assert workdays.add_working_days(d, n) < workdays.add_working_days(d, n + 1)


@given(dates_2024_2027, st.integers(min_value=1, max_value=400))
def test_negative_days_round_trip(d: date, n: int) -> None:
    back = workdays.add_working_days(d, -n)
    # (back, d] holds the n-1 working days between them, plus d if it is one.
    d_counts = int(workdays.is_working_day(d))
    assert workdays.working_days_between(back, d) == n - 1 + d_counts
    assert workdays.working_days_between(d, back) == -(n - 1 + d_counts)
    # Going forward again lands on d, or on the first working day after a day off.
    forward = workdays.add_working_days(back, n)
    assert forward == (d if d_counts else workdays.add_working_days(d, 1))
    # From a working day the round trip is exact in both directions.
    if d_counts:
        assert workdays.add_working_days(workdays.add_working_days(d, n), -n) == d


def test_negative_round_trip_from_a_holiday() -> None:
    # From National Day (Thu 10-01), 1 working day back is Wed 09-30; (09-30, 10-01] holds none.
    assert workdays.add_working_days(date(2026, 10, 1), -1) == date(2026, 9, 30)
    assert workdays.working_days_between(date(2026, 10, 1), date(2026, 9, 30)) == 0
    assert workdays.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)


@given(dates_2024_2027, dates_2024_2027)
def test_between_is_antisymmetric(a: date, b: date) -> None:
    assert workdays.working_days_between(a, b) == -workdays.working_days_between(b, a)


@given(dates_2024_2027, dates_2024_2027, dates_2024_2027)
def test_between_adds_up(a: date, b: date, c: date) -> None:
    assert workdays.working_days_between(a, b) + workdays.working_days_between(
        b, c
    ) == workdays.working_days_between(a, c)


@given(dates_2024_2027.filter(lambda d: d.year < 2027))
def test_known_years_agree_with_chinese_calendar(d: date) -> None:
    import chinese_calendar

    assert workdays.is_working_day(d) == chinese_calendar.is_workday(d)


# --- years after chinese_calendar's data: the statutory holidays (2024 rules) ---------
# 全国年节及纪念日放假办法 (国务院令第795号 revision, in force 2025-01-01), 第二条 and 第六条.
# Lunar dates and 清明 are checked three ways: the engine's table, hard facts from the
# published almanac, and lunar_python's reverse (solar to lunar) conversion and
# chinese_calendar's own solar-term computation.

H = workdays.Holiday

STATUTORY_2027 = {
    date(2027, 1, 1): H.NEW_YEAR,  # Fri
    date(2027, 2, 5): H.SPRING_FESTIVAL,  # Fri, 除夕 (the twelfth month has 29 days)
    date(2027, 2, 6): H.SPRING_FESTIVAL,  # Sat, 正月初一
    date(2027, 2, 7): H.SPRING_FESTIVAL,  # Sun
    date(2027, 2, 8): H.SPRING_FESTIVAL,  # Mon, 初三
    date(2027, 2, 9): H.IN_LIEU,  # for Sat 02-06
    date(2027, 2, 10): H.IN_LIEU,  # for Sun 02-07
    date(2027, 4, 5): H.QINGMING,  # Mon
    date(2027, 5, 1): H.LABOUR_DAY,  # Sat
    date(2027, 5, 2): H.LABOUR_DAY,  # Sun
    date(2027, 5, 3): H.IN_LIEU,
    date(2027, 5, 4): H.IN_LIEU,
    date(2027, 6, 9): H.DRAGON_BOAT,  # Wed
    date(2027, 9, 15): H.MID_AUTUMN,  # Wed
    date(2027, 10, 1): H.NATIONAL_DAY,  # Fri
    date(2027, 10, 2): H.NATIONAL_DAY,  # Sat
    date(2027, 10, 3): H.NATIONAL_DAY,  # Sun
    date(2027, 10, 4): H.IN_LIEU,
    date(2027, 10, 5): H.IN_LIEU,
}

STATUTORY_2028 = {
    date(2028, 1, 1): H.NEW_YEAR,  # Sat
    date(2028, 1, 3): H.IN_LIEU,  # Mon
    date(2028, 1, 25): H.SPRING_FESTIVAL,  # Tue, 除夕
    date(2028, 1, 26): H.SPRING_FESTIVAL,  # Wed, 正月初一
    date(2028, 1, 27): H.SPRING_FESTIVAL,
    date(2028, 1, 28): H.SPRING_FESTIVAL,  # Fri, 初三
    date(2028, 4, 4): H.QINGMING,  # Tue
    date(2028, 5, 1): H.LABOUR_DAY,  # Mon
    date(2028, 5, 2): H.LABOUR_DAY,  # Tue
    date(2028, 5, 28): H.DRAGON_BOAT,  # Sun
    date(2028, 5, 29): H.IN_LIEU,
    date(2028, 10, 1): H.NATIONAL_DAY,  # Sun
    date(2028, 10, 2): H.NATIONAL_DAY,  # Mon
    date(2028, 10, 3): H.MID_AUTUMN,  # Tue: 中秋 falls on the third day of 国庆
    date(2028, 10, 4): H.IN_LIEU,  # for Sun 10-01
    date(2028, 10, 5): H.IN_LIEU,  # for the two holidays on 10-03
}


@pytest.mark.parametrize("table", [STATUTORY_2027, STATUTORY_2028], ids=["2027", "2028"])
def test_statutory_holidays(table: dict[date, workdays.Holiday]) -> None:
    year = next(iter(table)).year
    assert workdays.statutory_holidays(year) == table
    assert not workdays.is_known_year(year)
    for day, holiday in table.items():
        assert workdays.day_status(day) == (False, True, holiday), day
    # Every other weekday of the year is a (provisional) working day.
    day = date(year, 1, 1)
    while day.year == year:
        if day not in table:
            assert workdays.day_status(day) == (day.weekday() < 5, True, None), day
        day += timedelta(days=1)


@pytest.mark.parametrize("year", [2027, 2028])
def test_lunar_dates_agree_with_an_independent_conversion(year: int) -> None:
    import chinese_calendar
    from lunar_python import Solar

    table = workdays.statutory_holidays(year)
    spring = sorted(d for d, h in table.items() if h is H.SPRING_FESTIVAL)
    eve = spring[0]

    def lunar(d: date) -> tuple[int, int]:
        converted = Solar.fromYmd(d.year, d.month, d.day).getLunar()
        return converted.getMonth(), converted.getDay()

    # 除夕 is the last day of the twelfth month: the next day is 正月初一.
    assert lunar(eve)[0] == 12 and lunar(eve)[1] in (29, 30)
    assert [lunar(d) for d in spring[1:]] == [(1, 1), (1, 2), (1, 3)]
    (dragon_boat,) = [d for d, h in table.items() if h is H.DRAGON_BOAT]
    (mid_autumn,) = [d for d, h in table.items() if h is H.MID_AUTUMN]
    assert lunar(dragon_boat) == (5, 5)
    assert lunar(mid_autumn) == (8, 15)
    (qingming,) = [d for d, h in table.items() if h is H.QINGMING]
    terms = chinese_calendar.get_solar_terms(date(year, 3, 25), date(year, 4, 15))
    assert [d for d, name in terms if name == "清明"] == [qingming]


def test_the_2027_spring_festival_moves_a_deadline() -> None:
    # Received Thu 2027-02-04; 除夕 Fri 02-05 to 初三 Mon 02-08 off, with Tue 02-09 and
    # Wed 02-10 in lieu of the weekend: 1 Thu 02-11, 2 Fri 02-12, 3-7 Mon 02-15..Fri 02-19.
    received = date(2027, 2, 4)
    assert workdays.add_working_days(received, 7) == date(2027, 2, 19)
    # Weekends-only counting gave Mon 02-15 (Fri 02-05, Mon 02-08 to Fri 02-12, Mon 02-15).
    assert WorkCalendar({d: True for d in STATUTORY_2027 if d.weekday() < 5}).add_working_days(
        received, 7
    ) == date(2027, 2, 15)
    assert workdays.provisional_years(received, date(2027, 2, 19)) == (2027,)


def test_2028_national_day_with_mid_autumn_on_it() -> None:
    # Decided Wed 2028-09-20: 1 Thu 09-21, 2 Fri 09-22, 3-7 Mon 09-25..Fri 09-29,
    #   10-01..10-05 off (Sun 10-01, 国庆, 中秋 on 10-03, two days in lieu), 8 Fri 10-06,
    #   9-13 Mon 10-09..Fri 10-13, 14-18 Mon 10-16..Fri 10-20, 19 Mon 10-23, 20 Tue 10-24.
    assert workdays.add_working_days(date(2028, 9, 20), 20) == date(2028, 10, 24)
    assert workdays.working_days_between(date(2028, 9, 20), date(2028, 10, 24)) == 20


def test_confirming_a_year_keeps_the_holidays_and_applies_the_make_up_days() -> None:
    # An administrator enters the year's 调休 as differences and confirms the year: a
    # longer Spring Festival (Thu 02-11 and Fri 02-12 off) with Sat 02-20 worked.
    moved = {date(2027, 2, 11): False, date(2027, 2, 12): False, date(2027, 2, 20): True}
    workdays.set_overrides(moved, complete_years=[2027])
    assert workdays.year_basis(2027) is workdays.YearBasis.CONFIRMED
    assert workdays.day_status(date(2027, 2, 5)) == (False, False, H.SPRING_FESTIVAL)
    assert workdays.day_status(date(2027, 2, 11)) == (False, False, None)
    assert workdays.day_status(date(2027, 2, 20)) == (True, False, None)
    assert workdays.provisional_years(date(2026, 12, 1), date(2027, 3, 1)) == ()
    assert workdays.calendar_note(date(2027, 2, 22)) is None
    # 1 Mon 02-15, ..., 5 Fri 02-19, 6 Sat 02-20, 7 Mon 02-22.
    assert workdays.add_working_days(date(2027, 2, 4), 7) == date(2027, 2, 22)
    # 2028 is still provisional.
    assert workdays.is_provisional(date(2028, 1, 3))


def test_provisional_years_counts_only_the_days_that_decide() -> None:
    dec_31 = date(2026, 12, 31)
    # Forwards the start day is not counted; backwards the end day is not.
    assert workdays.provisional_years(dec_31, dec_31) == ()
    assert workdays.provisional_years(date(2026, 1, 1), dec_31) == ()
    assert workdays.provisional_years(dec_31, date(2027, 1, 1)) == (2027,)
    assert workdays.provisional_years(date(2027, 1, 1), dec_31) == ()
    assert workdays.provisional_years(date(2027, 1, 2), dec_31) == (2027,)
    assert workdays.provisional_years(date(2026, 6, 1), date(2029, 1, 1)) == (2027, 2028, 2029)
    calendar = WorkCalendar(complete_years=[2028])
    assert calendar.provisional_years(date(2026, 6, 1), date(2029, 1, 1)) == (2027, 2029)
    assert workdays.provisional_years(date(2002, 6, 1), date(2004, 1, 1)) == (2002, 2003)


def test_years_in_force_before_the_rules_or_out_of_range_have_no_statutory_table() -> None:
    assert workdays.statutory_holidays(2024) == {}
    assert workdays.statutory_holidays(1) == {}
    assert workdays.statutory_holidays(9999) == {}
    assert workdays.year_basis(9999) is workdays.YearBasis.WEEKLY
    with pytest.raises(TypeError):
        workdays.statutory_holidays("2027")  # type: ignore[arg-type]


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_rules_agree_with_the_official_schedules_they_produced(year: int) -> None:
    # 2025 and 2026 were published under the 2024 rules: every statutory holiday and day
    # in lieu the engine computes is a day off in the State Council's notice, for the
    # holiday chinese_calendar names (a day in lieu for the holiday just before it).
    import chinese_calendar

    names = {
        H.NEW_YEAR: "New Year's Day",
        H.SPRING_FESTIVAL: "Spring Festival",
        H.QINGMING: "Tomb-sweeping Day",
        H.LABOUR_DAY: "Labour Day",
        H.DRAGON_BOAT: "Dragon Boat Festival",
        H.MID_AUTUMN: "Mid-autumn Festival",
        H.NATIONAL_DAY: "National Day",
    }
    previous = None
    for day, holiday in workdays.statutory_holidays(year).items():
        assert not chinese_calendar.is_workday(day), day
        expected = names[previous if holiday is H.IN_LIEU else holiday]
        assert chinese_calendar.get_holiday_detail(day) == (True, expected), day
        if holiday is not H.IN_LIEU:
            previous = holiday
        # The official calendar wins over the rules in the years it knows.
        assert workdays.day_status(day).provisional is False


@given(st.integers(min_value=workdays.STATUTORY_FIRST_YEAR, max_value=2999))
def test_thirteen_weekdays_off_every_year(year: int) -> None:
    # 第二条 gives 13 days; 第六条 makes up on a weekday each one that falls on a weekend
    # or on another holiday, so exactly 13 weekdays are off, whatever the year.
    table = workdays.statutory_holidays(year)
    assert sum(1 for d in table if d.weekday() < 5) == 13
    assert all(d.year == year for d in table)
    in_lieu = [d for d, h in table.items() if h is H.IN_LIEU]
    assert all(d.weekday() < 5 for d in in_lieu)
    spring = sorted(d for d, h in table.items() if h is H.SPRING_FESTIVAL)
    assert len(spring) == 4 and (spring[-1] - spring[0]).days == 3


@given(st.dates(min_value=date(2027, 1, 1), max_value=date(2040, 12, 31)))
def test_day_status_is_provisional_until_confirmed(d: date) -> None:
    status = workdays.day_status(d)
    assert status.provisional
    assert status.working == workdays.is_working_day(d)
    assert status.working == (d.weekday() < 5 and d not in workdays.statutory_holidays(d.year))
    confirmed = WorkCalendar(complete_years=[d.year])
    assert confirmed.day_status(d) == (status.working, False, status.holiday)
