"""The authentication backend loads the person's profile and unit with the user."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_a_staff_page_reads_user_profile_and_unit_in_one_query(world, login):
    client = login(world.officer)
    client.get("/workbench/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/workbench/inbox/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    user_reads = [s for s in sql if 'FROM "auth_user"' in s]
    assert len(user_reads) == 1 and '"accounts_profile"' in user_reads[0]
    assert not any(s.lstrip().startswith('SELECT "accounts_profile"') for s in sql)
    assert not any(s.lstrip().startswith('SELECT "accounts_unit"') for s in sql)


def test_an_inactive_person_is_signed_out(world, login):
    client = login(world.officer)
    world.officer.is_active = False
    world.officer.save(update_fields=["is_active"])
    assert client.get("/workbench/inbox/").status_code == 302
