"""The work inbox's mechanism (``common.inbox``): counts and the most urgent rows of every kind,
fetched together per model, agree with each source's own query, whatever the number of rows."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipshield.cases import services as case_services
from ipshield.cases.models import Case
from ipshield.common import inbox
from tests.cases.factories import receive


def _expected(user):
    """Each applicable source run on its own: the count and the keys of its first rows."""
    found = {}
    for source, unit_id in inbox._applicable(user):
        rows = source.rows(user, unit_id)
        found[source.kind] = (rows.count(), [row.pk for row in rows[:3]])
    return found


def test_groups_agree_with_every_source_run_alone(world):
    cases = [receive(world, title=f"案件{i}") for i in range(7)]
    for case in cases[:4]:
        case_services.case_accept(actor=world.officer, case=case)
    # deadlines apart, and two overdue, so that the order and the overdue kind are exercised
    today = timezone.localdate()
    for days, case in zip((-3, -1, 2, 9, 4, 5, 6), cases, strict=True):
        Case.objects.filter(pk=case.pk).update(deadline=today + dt.timedelta(days=days))

    expected = _expected(world.officer)
    groups = inbox.groups_for(world.officer, per_group=3)
    got = {group.kind: group for group in groups}
    # every kind with work is there with its count, and no kind without
    assert {k for k, (n, _keys) in expected.items() if n} == set(got)
    assert got["case.accept"].count == 3 and got["case.investigate"].count == 4
    for kind, group in got.items():
        count, keys = expected[kind]
        assert group.count == count
        # the same first rows as the source's own order gives (shown most urgent first)
        assert sorted(item.shown.reference for item in group.items) == sorted(
            Case.objects.get(pk=pk).number for pk in keys
        )
        dues = [item.shown.due for item in group.items]
        assert dues == sorted(dues)
    assert inbox.counts_for(world.officer) == {k: n for k, (n, _keys) in expected.items()}
    assert inbox.count_for(world.officer) == sum(n for n, _keys in expected.values())


def test_round_trips_do_not_grow_with_the_sources(world):
    """One statement with the counts and first keys, one to load the rows, per model."""
    for i in range(4):
        case = receive(world, title=f"案件{i}")
        if i % 2:
            case_services.case_accept(actor=world.officer, case=case)
    inbox.groups_for(world.officer)  # the person's profile and roles, read once per request
    kinds = {source.kind for source, _unit in inbox._applicable(world.officer)}
    models = {
        source.rows(world.officer, 1).model for source, _unit in inbox._applicable(world.officer)
    }
    assert len(kinds) > len(models) * 2  # many sources on few models
    with CaptureQueriesContext(connection) as queries:
        inbox.groups_for(world.officer)
    # the person's profile and roles were read above and are kept on the user; on PostgreSQL
    # the statements share a transaction (a savepoint in a test) without parallel workers
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert 0 < len(selects) <= 2 * len(models)
    others = {q["sql"].split()[0] for q in queries.captured_queries} - {"SELECT"}
    assert others <= {"SAVEPOINT", "SET", "RELEASE"}


def test_nothing_waiting_is_an_empty_inbox(world):
    assert inbox.groups_for(world.reviewer) == []
    assert inbox.count_for(world.reviewer) == 0
    assert inbox.items_for(world.reviewer) == []
