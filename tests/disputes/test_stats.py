"""Statistics per organisation and mediator: a small dataset with explicit times and the exact
figures expected, with the date range and region filters; one query per table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipshield.disputes import stats
from ipshield.disputes.models import (
    Confirmation,
    ConfirmationStatus,
    Dispute,
    Organisation,
    OrganisationKind,
)
from ipshield.disputes.workflow import Status

TZ = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=TZ)


@pytest.fixture
def dataset(world, bodies):
    office = Organisation.objects.create(unit=world.market, kind=OrganisationKind.ADMINISTRATIVE)
    a, b = bodies.mediator, bodies.mediator2
    n = iter(range(1, 100))

    def make(
        org,
        status,
        applied,
        *,
        mediator=None,
        accepted=None,
        ended=None,
        agreed=False,
        region=world.county,
    ):
        return Dispute.objects.create(
            number=f"T{next(n)}",
            title="t",
            facts="f",
            right_kind="trademark",
            organisation=org,
            region=region,
            status=status,
            mediator=mediator,
            applied_at=applied,
            accepted_at=accepted,
            ended_at=ended,
            agreement_effective_on=ended.date() if agreed else None,
        )

    c = bodies.committee
    confirmed = make(
        c,
        Status.CONFIRMED,
        at(12, 1, 8),
        mediator=a,
        accepted=at(12, 1),
        ended=at(12, 11),
        agreed=True,
    )
    Confirmation.objects.create(
        dispute=confirmed,
        court=bodies.court_unit,
        applied_on=dt.date(2026, 12, 12),
        application_text="x",
        status=ConfirmationStatus.CONFIRMED,
    )
    make(c, Status.FAILED, at(12, 1, 8), mediator=a, accepted=at(12, 1), ended=at(12, 6))
    make(
        c, Status.AGREED, at(12, 2, 8), mediator=b, accepted=at(12, 2), ended=at(12, 5), agreed=True
    )
    make(c, Status.APPLIED, at(12, 3))
    make(c, Status.REFUSED, at(12, 3), accepted=at(12, 3), ended=at(12, 4))
    make(office, Status.MEDIATING, at(12, 4), accepted=at(12, 4))
    # outside the date range, and outside the region
    make(c, Status.FAILED, at(10, 1), mediator=a, accepted=at(10, 1), ended=at(10, 3))
    make(
        c,
        Status.AGREED,
        at(12, 5),
        mediator=b,
        accepted=at(12, 5),
        ended=at(12, 6),
        agreed=True,
        region=world.other_county,
    )
    return c, office


def figures(row):
    return (
        row.applied,
        row.accepted,
        row.agreed,
        row.failed,
        row.refused,
        row.open,
        row.confirmed,
        row.average_days,
        row.success_rate,
        row.confirmation_rate,
    )


def test_per_organisation_with_range_and_region(world, bodies, dataset):
    committee, office = dataset
    filters = stats.Filters(
        start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 31), region=world.county
    )
    with CaptureQueriesContext(connection) as queries:
        table = stats.by_organisation(filters)
    assert len(queries) == 3  # the organisations, the grouped figures, the totals
    rows = {r.key: r for r in table.rows}
    assert figures(rows[committee.pk]) == (
        5,
        4,
        2,
        1,
        1,
        1,
        1,
        Decimal("6.0"),
        Decimal("66.7"),
        Decimal("50.0"),
    )
    assert figures(rows[office.pk]) == (1, 1, 0, 0, 0, 1, 0, None, None, None)
    assert table.total.applied == 6
    assert [r.key for r in table.rows] == [committee.pk, office.pk]
    assert (rows[committee.pk].applied_bar, rows[committee.pk].agreed_bar) == (100, 40)


def test_the_date_range_is_of_local_days(world, bodies, dataset):
    committee, _office = dataset
    one_day = stats.by_organisation(
        stats.Filters(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 1))
    )
    assert {r.key: r.applied for r in one_day.rows}[committee.pk] == 2


def test_per_mediator(world, bodies, dataset):
    table = stats.by_mediator(stats.Filters(region=world.county))
    rows = {r.key: r for r in table.rows}
    a, b = rows[bodies.mediator.pk], rows[bodies.mediator2.pk]
    assert figures(a) == (3, 3, 1, 2, 0, 0, 1, Decimal("5.7"), Decimal("33.3"), Decimal("100.0"))
    assert figures(b) == (1, 1, 1, 0, 0, 0, 0, Decimal("3.0"), Decimal("100.0"), Decimal("0.0"))
    assert a.organisation == "保德县人民调解委员会"


def test_without_filters_and_scoped(world, bodies, dataset):
    _committee, office = dataset
    assert stats.overview().applied == 8
    scoped = stats.by_organisation(stats.Filters(organisations=[office.pk]))
    assert [r.key for r in scoped.rows] == [office.pk] and scoped.total.applied == 1
    province = stats.overview(stats.Filters(region=world.province))
    assert province.applied == 7  # the province holds the county, not the other county


def test_home_figures_are_the_readers_own(world, bodies, dataset):
    assert stats.home_figures(world.admin).applied == 8
    assert stats.home_figures(world.mediator).applied == 7  # the committee's
    assert stats.home_figures(world.leader).applied == 1  # the market bureau's office
    assert stats.home_figures(world.public_user).applied == 0
