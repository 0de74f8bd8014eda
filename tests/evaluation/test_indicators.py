"""Each computed indicator against constructed records inside and outside its limit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ipshield.cases import deadlines
from ipshield.cases.models import Source
from ipshield.engines import workdays
from ipshield.evaluation import indicators
from tests.evaluation import factories as f

TODAY = dt.date(2026, 12, 7)
D = dt.date


def tally(code, unit, *, limit_days=None, year=2026):
    return indicators.compute(code, year, today=TODAY, limit_days=limit_days).get(unit.pk)


def test_complaints_decided_within_seven_working_days_counts_only_complaints(world):
    on_time = f.case(world, source=Source.COMPLAINT)
    late = f.case(world, source=Source.COMPLAINT)
    missed = f.case(world, source=Source.COMPLAINT)
    running = f.case(world, source=Source.COMPLAINT)
    last_year = f.case(world, source=Source.COMPLAINT)
    report = f.case(world, source=Source.REPORT)
    key = deadlines.ACCEPT_COMPLAINT
    f.limit(on_time, key, due=D(2026, 3, 10), met=D(2026, 3, 10))
    f.limit(late, key, due=D(2026, 3, 10), met=D(2026, 3, 11))
    f.limit(missed, key, due=D(2026, 11, 30), met=None)
    f.limit(running, key, due=D(2026, 12, 10), met=None)  # not yet due: not counted
    f.limit(last_year, key, due=D(2025, 12, 30), met=D(2025, 12, 1))
    f.limit(report, key, due=D(2026, 3, 10), met=D(2026, 3, 1))  # not a complaint
    t = tally(indicators.COMPLAINTS, world.market)
    assert (t.numerator, t.denominator) == (1, 3)
    assert sorted(t.ids) == sorted([on_time.pk, late.pk, missed.pk])
    assert t.met_ids == [on_time.pk]


def test_a_running_limit_already_met_is_counted(world):
    early = f.case(world, source=Source.COMPLAINT)
    f.limit(early, deadlines.ACCEPT_COMPLAINT, due=D(2026, 12, 10), met=D(2026, 12, 1))
    t = tally(indicators.COMPLAINTS, world.market)
    assert (t.numerator, t.denominator, t.ids) == (1, 1, [early.pk])


def test_cases_decided_and_penalties_published_within_their_limits(world):
    decided = f.case(world)
    overdue = f.case(world, unit=world.culture)
    f.limit(decided, deadlines.DECIDE_CASE, due=D(2026, 5, 1), met=D(2026, 4, 20))
    f.limit(overdue, deadlines.DECIDE_CASE, due=D(2026, 5, 1), met=D(2026, 5, 6))
    published = f.case(world)
    unpublished = f.case(world)
    f.limit(published, deadlines.PUBLISH_PENALTY, due=D(2026, 6, 1), met=D(2026, 6, 1))
    f.limit(unpublished, deadlines.PUBLISH_PENALTY, due=D(2026, 6, 1), met=None)
    market = tally(indicators.DECISIONS, world.market)
    culture = tally(indicators.DECISIONS, world.culture)
    assert (market.numerator, market.denominator) == (1, 1)
    assert (culture.numerator, culture.denominator, culture.ids) == (0, 1, [overdue.pk])
    pub = tally(indicators.PUBLICATIONS, world.market)
    assert (pub.numerator, pub.denominator) == (1, 2)
    assert pub.met_ids == [published.pk]


def test_file_review_scores_are_points_over_the_maximum(world):
    a = f.file_review(world, unit=world.market, points=90)
    b = f.file_review(world, unit=world.market, points=70)
    f.file_review(world, unit=world.market, points=10, day=D(2025, 6, 1))  # another year
    t = tally(indicators.FILE_REVIEWS, world.market)
    assert (t.numerator, t.denominator) == (Decimal(160), Decimal(200))
    assert sorted(t.ids) == sorted([a.pk, b.pk])


def test_assistance_requests_answered_by_their_due_date(world):
    ok = f.assistance(world, to_unit=world.culture, due=D(2026, 4, 1), answered=D(2026, 4, 1))
    f.assistance(world, to_unit=world.culture, due=D(2026, 4, 1), answered=D(2026, 4, 2))
    f.assistance(world, to_unit=world.culture, due=D(2026, 4, 1), answered=None)
    f.assistance(world, to_unit=world.culture, due=D(2026, 12, 20), answered=None)  # running
    t = tally(indicators.ASSISTANCE, world.culture)
    assert (t.numerator, t.denominator, t.met_ids) == (1, 3, [ok.pk])
    assert tally(indicators.ASSISTANCE, world.market) is None  # the sender is not measured


def test_transfers_answered_within_the_offices_working_days(world):
    start = D(2026, 3, 2)
    due = workdays.add_working_days(start, 5)
    ok = f.transfer(world, to_unit=world.culture, proposed=start, answered=due)
    late = f.transfer(
        world, to_unit=world.culture, proposed=start, answered=due + dt.timedelta(days=1)
    )
    f.transfer(world, to_unit=world.culture, proposed=start, answered=None, status="withdrawn")
    t = tally(indicators.TRANSFERS, world.culture, limit_days=5)
    assert (t.numerator, t.denominator, t.met_ids) == (1, 2, [ok.pk])
    # A longer limit the office chose makes the late one timely.
    t = tally(indicators.TRANSFERS, world.culture, limit_days=10)
    assert (t.numerator, t.denominator) == (2, 2)
    assert late.pk in t.met_ids


def test_plan_assignments_done_on_time(world):
    ok = f.assignment(world, unit=world.culture, due=D(2026, 6, 30), done=D(2026, 6, 30))
    f.assignment(world, unit=world.culture, due=D(2026, 6, 30), done=D(2026, 7, 1))
    f.assignment(world, unit=world.culture, due=D(2026, 6, 30), done=None)
    f.assignment(world, unit=world.culture, due=D(2026, 12, 31), done=None)  # running
    f.assignment(world, unit=world.culture, due=D(2026, 6, 30), done=None, plan_status="draft")
    t = tally(indicators.ASSIGNMENTS, world.culture)
    assert (t.numerator, t.denominator, t.met_ids) == (1, 3, [ok.pk])


def test_monitoring_alerts_handled_within_the_limit(world):
    start = D(2026, 9, 1)
    due = workdays.add_working_days(start, 5)
    ok = f.alert(world, unit=world.market, created=start, handled=due, status="lead")
    f.alert(world, unit=world.market, created=start, handled=due + dt.timedelta(days=1))
    f.alert(world, unit=world.market, created=start, handled=None)
    f.alert(world, unit=world.market, created=D(2026, 12, 6), handled=None)  # running
    t = tally(indicators.ALERTS, world.market, limit_days=5)
    assert (t.numerator, t.denominator, t.met_ids) == (1, 3, [ok.pk])


def test_credit_records_created_within_twenty_working_days(world):
    decided = D(2026, 2, 2)
    due = workdays.add_working_days(decided, 20)
    ok = f.credit_record(world, unit=world.market, decided=decided, created=due)
    f.credit_record(world, unit=world.market, decided=decided, created=due + dt.timedelta(days=1))
    f.credit_record(world, unit=world.market, decided=decided, created=due, status="removed")
    t = tally(indicators.CREDIT, world.market, limit_days=20)
    assert (t.numerator, t.denominator, t.met_ids) == (1, 2, [ok.pk])


def test_every_indicator_reads_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for unit in (world.market, world.culture):
        for _ in range(3):
            c = f.case(world, unit=unit, source=Source.COMPLAINT)
            f.limit(c, deadlines.ACCEPT_COMPLAINT, due=D(2026, 3, 10), met=D(2026, 3, 9))
            f.assistance(world, to_unit=unit, due=D(2026, 4, 1), answered=D(2026, 4, 1))
    for code in indicators.REGISTRY:
        # One read of the year's records, plus at most the calendar check of working days.
        with django_assert_max_num_queries(5):
            indicators.compute(code, 2026, today=TODAY, limit_days=5)


def test_the_day_a_limit_was_met_is_the_local_day(world):
    # 01:00 in Beijing on the day after the limit is still the day before in UTC: late.
    late = f.case(world, source=Source.COMPLAINT)
    f.limit(late, deadlines.ACCEPT_COMPLAINT, due=D(2026, 3, 10), met=D(2026, 3, 11), hour=1)
    # 23:00 in Beijing on the last day: on time.
    on_time = f.case(world, source=Source.COMPLAINT)
    f.limit(on_time, deadlines.ACCEPT_COMPLAINT, due=D(2026, 3, 10), met=D(2026, 3, 10), hour=23)
    t = tally(indicators.COMPLAINTS, world.market)
    assert (t.numerator, t.denominator, t.met_ids) == (1, 2, [on_time.pk])
