"""The pages render for each role, forms refuse bad input next to the field, exports open."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from ipshield.cases import deadlines
from ipshield.cases.models import Source
from ipshield.evaluation import indicators, services
from ipshield.evaluation.models import Accountability, Indicator, Rule
from tests.accounts.factories import make_person
from tests.evaluation import factories as f

D = dt.date


@pytest.fixture
def sheet(world, group):
    return services.sheet_create_default(actor=world.officer, year=2026)


def counted_complaint(world, unit):
    c = f.case(world, unit=unit, source=Source.COMPLAINT)
    f.limit(c, deadlines.ACCEPT_COMPLAINT, due=D(2026, 3, 10), met=D(2026, 3, 9))
    return c


@pytest.mark.parametrize("who", ["officer", "member", "auditor", "admin", "leader"])
def test_readers_see_the_evaluation_and_the_navigation(world, sheet, login, who):
    counted_complaint(world, world.market)
    client = login(getattr(world, who))
    home = client.get("/workbench/")
    assert 'data-testid="nav-evaluation"' in home.content.decode()
    page = client.get(f"/workbench/evaluation/{sheet.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "保德县市场监督管理局" in body and 'data-testid="ranking-departments"' in body
    assert "<svg" in body
    for url in (
        "/workbench/evaluation/",
        f"/workbench/evaluation/{sheet.pk}/indicators/",
        f"/workbench/evaluation/{sheet.pk}/ranking.csv",
        f"/workbench/evaluation/{sheet.pk}/ranking.xlsx",
    ):
        assert client.get(url).status_code == 200, url


def test_a_unit_officer_outside_the_office_reads_nothing(world, sheet, login):
    client = login(world.officer_culture)
    assert 'data-testid="nav-evaluation"' not in client.get("/workbench/").content.decode()
    assert client.get(f"/workbench/evaluation/{sheet.pk}/").status_code == 403
    assert client.get("/workbench/evaluation/").status_code == 403
    item = sheet.indicators.first()
    response = client.post(
        f"/workbench/evaluation/indicators/{item.pk}/",
        {"name": "x", "source": item.source, "weight": "1", "rule": "share"},
    )
    assert response.status_code == 403
    assert Indicator.objects.get(pk=item.pk).name == item.name


def test_drill_down_page_links_to_the_cases(world, sheet, login):
    case = counted_complaint(world, world.market)
    item = sheet.indicators.get(source=indicators.COMPLAINTS)
    client = login(world.member)
    page = client.get(f"/workbench/evaluation/{sheet.pk}/")
    drill_url = f"/workbench/evaluation/{sheet.pk}/scores/{item.pk}/{world.market.pk}/"
    assert drill_url in page.content.decode()
    body = client.get(drill_url).content.decode()
    assert f"/workbench/cases/{case.pk}/" in body and case.number in body


def test_a_unit_leader_drills_down_only_into_their_own_unit(world, sheet, login):
    leader = make_person("unit_leader", unit=world.culture, username="leader_culture")
    item = sheet.indicators.get(source=indicators.COMPLAINTS)
    client = login(leader)
    own = f"/workbench/evaluation/{sheet.pk}/scores/{item.pk}/{world.culture.pk}/"
    other = f"/workbench/evaluation/{sheet.pk}/scores/{item.pk}/{world.market.pk}/"
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 403


def test_the_office_edits_the_sheet_and_bad_weights_are_shown_at_the_field(world, sheet, login):
    client = login(world.officer)
    url = f"/workbench/evaluation/{sheet.pk}/indicators/"
    bad = client.post(url, {"name": "宣传", "source": "entered", "weight": "150", "rule": "range"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert 'data-field="weight"' in body and "150" in body
    ok = client.post(
        url,
        {
            "name": "<script>alert(1)</script>",
            "source": "entered",
            "weight": "5",
            "rule": "range",
            "min_value": "0",
            "max_value": "5",
        },
    )
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    item = sheet.indicators.get(source="entered")
    values = f"/workbench/evaluation/indicators/{item.pk}/values/"
    out_of_range = client.post(
        values, {"unit": world.culture.pk, "value": "6", "evidence": "活动记录"}
    )
    assert 'data-field="value"' in out_of_range.content.decode()
    entered = client.post(values, {"unit": world.culture.pk, "value": "4", "evidence": "活动记录"})
    assert entered.status_code == 302
    assert item.values.get().value == 4


def test_records_forms_and_finalising(world, sheet, login):
    client = login(world.officer)
    url = f"/workbench/evaluation/{sheet.pk}/records/accountability/"
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "unit": world.culture.pk,
            "kind": "notice",
            "on": "2099-01-01",
            "issued_by": "办公室",
            "reason": "逾期",
        },
    )
    assert 'data-field="on"' in bad.content.decode()
    good = client.post(
        url,
        {
            "unit": world.culture.pk,
            "kind": "notice",
            "on": "2026-11-01",
            "issued_by": "办公室",
            "reason": "逾期",
        },
    )
    assert good.status_code == 302
    assert Accountability.objects.count() == 1
    page = client.get(f"/workbench/evaluation/{sheet.pk}/").content.decode()
    assert "逾期" in page
    commend = f"/workbench/evaluation/{sheet.pk}/records/commendation/"
    assert (
        client.post(
            commend,
            {
                "title": "先进个人",
                "person": "李四",
                "on": "2026-12-01",
                "issued_by": "县政府",
                "reason": "事迹",
            },
        ).status_code
        == 302
    )
    assert client.post(f"/workbench/evaluation/{sheet.pk}/finalize/").status_code == 302
    sheet.refresh_from_db()
    assert sheet.is_final
    assert (
        'data-testid="finalize-form"'
        not in client.get(f"/workbench/evaluation/{sheet.pk}/").content.decode()
    )


def test_excel_export_holds_the_ranking(world, sheet, login):
    from openpyxl import load_workbook

    counted_complaint(world, world.market)
    response = login(world.member).get(f"/workbench/evaluation/{sheet.pk}/ranking.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][2] == "单位"
    assert any(r[2] == "保德县市场监督管理局" and r[1] == 1 for r in rows[1:])


def test_creating_a_sheet_from_the_index(world, group, login):
    client = login(world.officer)
    bad = client.post("/workbench/evaluation/", {"year": "20x6"})
    assert 'data-field="year"' in bad.content.decode()
    response = client.post("/workbench/evaluation/", {"year": "2026"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_api_reads_and_office_writes(world, sheet, client):
    counted_complaint(world, world.market)
    client.force_login(world.member)
    body = client.get(f"/api/v1/evaluation/sheets/{sheet.pk}").json()
    market = next(r for r in body["departments"] if r["unit_id"] == world.market.pk)
    assert market["rank"] == 1
    item = sheet.indicators.get(source=indicators.COMPLAINTS)
    drill = client.get(
        f"/api/v1/evaluation/sheets/{sheet.pk}/scores/{item.pk}/{world.market.pk}"
    ).json()
    assert len(drill["records"]) == 1 and drill["records"][0]["met"] is True
    refused = client.post(
        f"/api/v1/evaluation/sheets/{sheet.pk}/indicators",
        {
            "name": "x",
            "source": "entered",
            "weight": 5,
            "rule": "range",
            "min_value": 0,
            "max_value": 5,
        },
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(world.officer)
    bad = client.post(
        f"/api/v1/evaluation/sheets/{sheet.pk}/indicators",
        {
            "name": "x",
            "source": "entered",
            "weight": 0,
            "rule": "range",
            "min_value": 0,
            "max_value": 5,
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "weight"
    made = client.post(
        f"/api/v1/evaluation/sheets/{sheet.pk}/indicators",
        {
            "name": "宣传",
            "source": "entered",
            "weight": 5,
            "rule": Rule.RANGE,
            "min_value": 0,
            "max_value": 5,
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    value = client.post(
        f"/api/v1/evaluation/indicators/{made.json()['id']}/values",
        {"unit_id": world.culture.pk, "value": 9, "evidence": "x"},
        content_type="application/json",
    )
    assert value.status_code == 400 and value.json()["field"] == "value"
    assert client.post(f"/api/v1/evaluation/sheets/{sheet.pk}/finalize").status_code == 200
    services.accountability_record(
        actor=world.officer,
        unit=world.culture,
        kind="notice",
        on="2026-11-01",
        reason="逾期",
        issued_by="办公室",
    )
    listed = client.get("/api/v1/evaluation/accountability?year=2026").json()
    assert listed["count"] == 1 and listed["items"][0]["reason"] == "逾期"
    assert client.get("/api/v1/evaluation/sheets").json()["count"] == 1


def test_the_evaluation_page_reads_in_a_bounded_number_of_queries(world, sheet, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ipshield.accounts.models import Unit, UnitKind

    client = login(world.member)
    url = f"/workbench/evaluation/{sheet.pk}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    counted_complaint(world, world.market)
    f.assistance(world, to_unit=world.culture, due=D(2026, 4, 1), answered=D(2026, 4, 1))
    queries()  # the first request also loads the working-day calendar and the session
    before = queries()
    for n in range(5):
        unit = Unit.objects.create(
            name=f"保德县第{n}镇人民政府", kind=UnitKind.TOWNSHIP, region=world.county
        )
        counted_complaint(world, unit)
        f.assistance(world, to_unit=unit, due=D(2026, 4, 1), answered=None)
        f.assignment(world, unit=unit, due=D(2026, 6, 30), done=D(2026, 6, 1))
    assert queries() == before


def test_the_evaluation_page_in_english(world, sheet, login):
    client = login(world.member)
    client.post("/i18n/setlang/", {"language": "en", "next": "/workbench/"})
    body = client.get(f"/workbench/evaluation/{sheet.pk}/").content.decode()
    for word in (
        "Evaluation 2026",
        "Departments ranked",
        "Townships ranked",
        "Export ranking (Excel)",
    ):
        assert word in body
    indicators_page = client.get(f"/workbench/evaluation/{sheet.pk}/indicators/").content.decode()
    assert "Scoring rule" in indicators_page and "7 working days" in indicators_page


def test_an_entered_score_drills_down_to_its_value_and_evidence(world, sheet, login):
    item = services.indicator_save(
        actor=world.officer,
        sheet=sheet,
        name="宣传工作",
        source="entered",
        weight=10,
        rule=Rule.RANGE,
        min_value=0,
        max_value=10,
    )
    services.value_enter(
        actor=world.officer, indicator=item, unit=world.culture, value=6, evidence="开展宣传 2 次"
    )
    client = login(world.member)
    page = client.get(f"/workbench/evaluation/{sheet.pk}/").content.decode()
    url = f"/workbench/evaluation/{sheet.pk}/scores/{item.pk}/{world.culture.pk}/"
    assert url in page
    body = client.get(url).content.decode()
    assert "开展宣传 2 次" in body and 'data-testid="entered-value"' in body
    values = client.get(f"/workbench/evaluation/indicators/{item.pk}/values/").content.decode()
    assert "开展宣传 2 次" in values and "<form" not in values.split("value-list")[1]
    assert (
        client.post(
            f"/workbench/evaluation/indicators/{item.pk}/values/",
            {"unit": world.culture.pk, "value": "1", "evidence": "x"},
        ).status_code
        == 403
    )


def test_api_refuses_a_unit_leader_another_units_details(world, sheet, client):
    leader = make_person("unit_leader", unit=world.culture, username="leader_c")
    item = sheet.indicators.get(source=indicators.COMPLAINTS)
    client.force_login(leader)
    own = client.get(f"/api/v1/evaluation/sheets/{sheet.pk}/scores/{item.pk}/{world.culture.pk}")
    other = client.get(f"/api/v1/evaluation/sheets/{sheet.pk}/scores/{item.pk}/{world.market.pk}")
    assert own.status_code == 200
    assert other.status_code == 403 and other.json()["code"] == "evaluation_not_reader"
    client.force_login(world.officer_culture)
    refused = client.get(f"/api/v1/evaluation/sheets/{sheet.pk}")
    assert refused.status_code == 403
