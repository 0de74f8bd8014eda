"""The case lists under load: a fixed number of queries whatever the rows, and rows that print
without a lookup per cell (benchmarks/load.py measures them with 50 signed-in officers)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipshield.cases import services
from ipshield.cases.models import Source, Track
from tests.cases.factories import receive


def _queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


def test_api_list_queries_do_not_grow_with_rows(world, login):
    client = login(world.officer)
    receive(world)
    client.get("/api/v1/cases")  # warm the caches (content types)
    few, _ = _queries(client, "/api/v1/cases")
    for i in range(12):
        case = receive(world, track=[Track.SIMPLE, Track.MAJOR][i % 2])
        if i % 3 == 0:
            services.case_accept(actor=world.officer, case=case)
    many, response = _queries(client, "/api/v1/cases")
    assert response.json()["count"] == 13
    # Every field of the list's schema is loaded with the page: none is fetched row by row.
    assert many == few
    row = response.json()["items"][0]
    assert row["unit_name"] == world.market.name and row["received_at"]


def test_list_rows_print_their_labels_and_links_in_the_readers_language(world, login):
    client = login(world.officer)
    case = receive(world, source=Source.REPORT, track=Track.MAJOR)
    services.case_accept(actor=world.officer, case=case)
    page = client.get("/workbench/cases/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="/workbench/cases/{case.pk}/"' in page
    assert "举报" in page and "已受理" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/workbench/cases/"})
    page = client.get("/workbench/cases/").content.decode()
    row = page[page.index(f'data-case="{case.number}"') :].split("</tr>", 1)[0]
    assert f'href="/workbench/cases/{case.pk}/"' in row
    assert ">Report<" in row and "Accepted" in row and "Major" in row
    assert (world.market.short_name or world.market.name) in row
