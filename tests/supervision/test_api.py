"""The supervision API: import, publish, reports (JSON and multipart with evidence), review,
dashboard, ledger, notices; the reader's scope, including units of higher regions reading a
county plan through a token without being able to write; refusals as {code, message, field}."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from ipshield.accounts.models import Region, Unit, UnitKind
from ipshield.supervision import errors, services
from ipshield.supervision.models import Assignment, Measure, Plan, SupervisionNotice
from ipshield.supervision.status import LIGHT_ORDER, Light, period_of
from tests.supervision.factories import SMALL_PLAN, small_plan, upload

API = "/api/v1/supervision"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token_client(world, unit) -> Client:
    """A client with the token ``ipshield issuetoken UNIT NAME`` prints for ``unit``."""
    out = io.StringIO()
    call_command("issuetoken", unit.name, "省市对接", stdout=out)
    secret = next(line for line in out.getvalue().splitlines() if line.startswith("ips_"))
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _bureau(code: str, name: str) -> Unit:
    return Unit.objects.create(
        name=name, kind=UnitKind.MARKET_SUPERVISION, region=Region.objects.get(code=code)
    )


def _culture_assignment(plan, dated=True):
    return Assignment.objects.get(
        measure__plan=plan, unit__name="保德县文化和旅游局", due_on__isnull=not dated
    )


def _post(client, path, body=None, method="post"):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def test_office_previews_imports_and_publishes_the_county_plan(world, county_text):
    office = _client(world.officer)
    preview = _post(office, f"{API}/plans/preview", {"text": county_text})
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert len(body["measures"]) == 23
    names = {n["printed"]: n for n in body["names"]}
    typo = names["县文化和放游局"]
    assert typo["status"] == "uncertain" and typo["candidates"][0]["id"] == world.culture.pk
    index = typo["index"]
    assert any(u["index"] == index for m in body["measures"] for u in m["units"])

    refused = _post(office, f"{API}/plans", {"text": county_text})
    assert refused.status_code == 400
    assert refused.json()["code"] == errors.UNITS_UNRESOLVED
    assert refused.json()["field"] == "units"
    assert not Plan.objects.exists()  # nothing half-saved

    choices = {n["printed"]: [] for n in body["names"] if n["status"] != "matched"}
    choices["县文化和放游局"] = [world.culture.pk]
    created = _post(
        office, f"{API}/plans", {"text": county_text, "choices": choices, "report_cycle": "month"}
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["status"] == "draft" and plan["measure_count"] == 23
    assert plan["report_cycle"] == "month" and plan["region_code"] == "140931"

    published = _post(office, f"{API}/plans/{plan['id']}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = _post(office, f"{API}/plans/{plan['id']}/publish")
    assert again.status_code == 409 and again.json()["code"] == errors.PLAN_NOT_DRAFT


def test_preview_of_an_uploaded_file(world, county_text):
    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = docx.Document()
    for line in county_text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    office = _client(world.officer)
    for name, data in [
        ("plan.docx", buffer.getvalue()),
        ("plan.txt", county_text.encode("gb18030")),
    ]:
        answer = office.post(f"{API}/plans/preview/file", {"file": SimpleUploadedFile(name, data)})
        assert answer.status_code == 200, answer.content
        assert len(answer.json()["measures"]) == 23, name
        assert "（一）" in answer.json()["text"]
    missing = office.post(f"{API}/plans/preview/file", {})
    assert missing.status_code == 400 and missing.json()["field"] == "file"
    binary = office.post(
        f"{API}/plans/preview/file", {"file": SimpleUploadedFile("x.bin", b"\x00\x01" * 50)}
    )
    assert binary.status_code == 400
    assert binary.json()["code"] == errors.PLAN_FILE_UNREADABLE
    assert binary.json()["field"] == "file"


def test_unreadable_text_and_hostile_input(world):
    office = _client(world.officer)
    unreadable = _post(office, f"{API}/plans/preview", {"text": "会议通知\n请准时参加。"})
    assert unreadable.status_code == 400
    assert unreadable.json()["code"] == errors.PLAN_UNREADABLE
    assert unreadable.json()["field"] == "text"
    nul = _post(office, f"{API}/plans/preview", {"text": "一、任务\x00"})
    assert nul.status_code == 422 and nul.json()["field"] == "text"
    huge = office.get(f"{API}/plans/99999999999999999999")
    assert huge.status_code == 422 and huge.json()["field"] == "plan_id"
    assert office.get(f"{API}/plans/5").status_code == 404
    not_object = office.post(f"{API}/plans/preview", "[]", content_type="application/json")
    assert not_object.status_code == 400
    missing_group = _post(office, f"{API}/plans", {"text": SMALL_PLAN, "leading_group_id": 9})
    assert missing_group.status_code == 400
    assert missing_group.json()["field"] == "leading_group_id"
    anonymous = Client().get(f"{API}/plans")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"


def test_unit_reports_and_the_office_reviews(world):
    plan = small_plan(world)
    mine = _culture_assignment(plan)
    period = period_of(timezone.localdate(), plan.report_cycle)
    unit = _client(world.officer_culture)
    office = _client(world.officer)

    owed = unit.get(f"{API}/my-assignments")
    assert owed.status_code == 200
    rows = {r["state"]["assignment_id"]: r for r in owed.json()}
    assert set(rows) == {a.pk for a in Assignment.objects.filter(unit=world.culture)}
    assert rows[mine.pk]["state"]["light"] == "on_track"
    assert rows[mine.pk]["period_now"] == period

    other_unit = _post(
        office, f"{API}/assignments/{mine.pk}/reports", {"period": period, "narrative": "x"}
    )
    assert other_unit.status_code == 403
    assert other_unit.json()["code"] == errors.NOT_ASSIGNED_UNIT
    for body, status, code, field in [
        ({"period": "2026-13", "narrative": "x"}, 400, errors.PERIOD_INVALID, "period"),
        ({"period": period, "narrative": "  "}, 400, errors.FIELD_REQUIRED, "narrative"),
        ({"period": period, "narrative": "x", "share_done": 120}, 422, "invalid_input", None),
        (
            {"period": period, "narrative": "x", "completes": True},
            400,
            errors.EVIDENCE_REQUIRED,
            "files",
        ),
    ]:
        answer = _post(unit, f"{API}/assignments/{mine.pk}/reports", body)
        assert answer.status_code == status, (body, answer.content)
        assert answer.json()["code"] == code
        if field:
            assert answer.json()["field"] == field
    assert not mine.reports.exists()

    sent = _post(
        unit,
        f"{API}/assignments/{mine.pk}/reports",
        {"period": period, "narrative": "已制定工作方案。", "share_done": 30},
    )
    assert sent.status_code == 201, sent.content
    report = sent.json()
    assert report["status"] == "submitted" and report["unit_name"] == "保德县文化和旅游局"
    twice = _post(
        unit, f"{API}/assignments/{mine.pk}/reports", {"period": period, "narrative": "again"}
    )
    assert twice.status_code == 409 and twice.json()["code"] == errors.PERIOD_REPORTED

    to_review = office.get(f"{API}/reports")
    assert [r["id"] for r in to_review.json()["items"]] == [report["id"]]
    no_reason = _post(office, f"{API}/reports/{report['id']}/return", {"note": ""})
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "note"
    not_office = _post(unit, f"{API}/reports/{report['id']}/accept")
    assert not_office.status_code == 403 and not_office.json()["code"] == errors.NOT_OFFICE
    returned = _post(office, f"{API}/reports/{report['id']}/return", {"note": "请补充数据"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"

    # the period again, now as completed with evidence (multipart)
    with_files = unit.post(
        f"{API}/assignments/{mine.pk}/reports/upload",
        {
            "period": period,
            "narrative": "机制已建立并运行。",
            "completes": "true",
            "files": [upload(), upload("minutes.png")],
        },
    )
    assert with_files.status_code == 201, with_files.content
    done = with_files.json()
    assert done["completes"] and done["share_done"] == 100
    assert len(done["attachments"]) == 2
    assert all(len(a["sha256"]) == 64 and a["leaf_index"] >= 0 for a in done["attachments"])
    accepted = _post(office, f"{API}/reports/{done['id']}/accept", {"note": "采纳"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    completed = _post(office, f"{API}/measures/{mine.measure_id}/complete", {"note": "按期完成"})
    assert completed.status_code == 200
    assert completed.json()["done_on"] == timezone.localdate().isoformat()
    seen = unit.get(f"{API}/reports/{done['id']}")
    assert seen.status_code == 200 and seen.json()["review_note"] == "采纳"


def test_multipart_report_refusals_name_the_field(world):
    plan = small_plan(world)
    mine = _culture_assignment(plan)
    unit = _client(world.officer_culture)
    period = period_of(timezone.localdate(), plan.report_cycle)
    too_many = unit.post(
        f"{API}/assignments/{mine.pk}/reports/upload",
        {"period": period, "narrative": "x", "files": [upload(f"{i}.png") for i in range(11)]},
    )
    assert too_many.status_code == 400 and too_many.json()["field"] == "files"
    missing = unit.post(f"{API}/assignments/{mine.pk}/reports/upload", {"period": period})
    assert missing.status_code == 422 and missing.json()["field"] == "narrative"
    assert not mine.reports.exists()


def test_dashboard_counts_lights_and_overdue_units(world):
    plan = small_plan(world, due="2020年12月31日")
    detail = _client(world.officer).get(f"{API}/plans/{plan.pk}")
    assert detail.status_code == 200, detail.content
    body = detail.json()
    assert body["can_manage"] is True
    assert body["counts"]["overdue"] == 1 and sum(body["counts"].values()) == 2
    assert body["statuses"][0]["code"] == "overdue"
    (section,) = body["sections"]
    assert section["title"] == "一、重点任务"
    first = section["measures"][0]
    assert first["light"] == "overdue" and first["due_on"] == "2020-12-31"
    assert {u["unit_name"] for u in first["units"]} == {
        "保德县市场监督管理局",
        "保德县文化和旅游局",
    }
    assert all(u["days_left"] < 0 for u in first["units"])
    overdue = {u["unit_name"]: u["count"] for u in body["overdue_by_unit"]}
    assert overdue["保德县文化和旅游局"] == 1
    unit_view = _client(world.officer_culture).get(f"{API}/plans/{plan.pk}")
    assert unit_view.status_code == 200 and unit_view.json()["can_manage"] is False


def test_ledger_json_and_files(world):
    plan = small_plan(world)
    office = _client(world.officer)
    ledger = office.get(f"{API}/plans/{plan.pk}/ledger")
    assert ledger.status_code == 200
    assert ledger.json()["schema"] == "ipshield.supervision.ledger"
    assert len(ledger.json()["measures"]) == 2
    english = office.get(f"{API}/plans/{plan.pk}/ledger", HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        labels = [str(Light(code).label) for code in LIGHT_ORDER]
    assert [s["label"] for s in english.json()["statuses"]] == labels
    xlsx = office.get(f"{API}/plans/{plan.pk}/ledger/xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    disposition = xlsx["Content-Disposition"]
    disposition.encode("ascii")
    assert disposition.startswith('attachment; filename="ledger-')
    assert "filename*=UTF-8''" in disposition
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert "工作台账" in sheet["A1"].value
    pdf = office.get(f"{API}/plans/{plan.pk}/ledger/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    unknown = office.get(f"{API}/plans/{plan.pk}/ledger/docx")
    assert unknown.status_code == 404 and unknown.json()["field"] == "format"


def test_higher_level_token_reads_a_county_plan_but_cannot_write(world):
    plan = small_plan(world)
    draft = small_plan(world, publish=False)
    report = services.report_submit(
        actor=world.officer_culture,
        assignment=_culture_assignment(plan),
        period=period_of(timezone.localdate(), plan.report_cycle),
        narrative="已部署。",
    )
    services.reminders_send(today=dt.date(2100, 1, 1))  # a notice for each overdue assignment
    city = _token_client(world, _bureau("140900", "忻州市市场监督管理局"))
    province = _token_client(world, _bureau("140000", "山西省市场监督管理局"))
    harbin = _token_client(world, world.other_market)
    for reader in (city, province):
        listed = reader.get(f"{API}/plans").json()
        assert [p["id"] for p in listed["items"]] == [plan.pk]  # the draft is the office's
        detail = reader.get(f"{API}/plans/{plan.pk}")
        assert detail.status_code == 200 and detail.json()["can_manage"] is False
        assert reader.get(f"{API}/plans/{plan.pk}/ledger").status_code == 200
        assert reader.get(f"{API}/plans/{plan.pk}/ledger/xlsx").status_code == 200
        assert reader.get(f"{API}/plans/{draft.pk}").status_code == 404
        assert reader.get(f"{API}/reports/{report.pk}").status_code == 200
        notices = reader.get(f"{API}/notices").json()
        assert notices["count"] >= 1
        assert reader.get(f"{API}/notices/{notices['items'][0]['id']}").status_code == 200
        measure = Measure.objects.filter(plan=plan).first()
        writes = [
            _post(reader, f"{API}/plans/{plan.pk}/publish"),
            _post(reader, f"{API}/plans/{plan.pk}/settings", {"reminder_days": [7]}, "put"),
            _post(reader, f"{API}/plans/{plan.pk}/close-periods", {"through": "2021-12-31"}),
            _post(
                reader,
                f"{API}/measures/{measure.pk}/assignments",
                {"unit_id": world.agriculture.pk},
                "put",
            ),
            reader.delete(f"{API}/assignments/{_culture_assignment(plan).pk}"),
            _post(reader, f"{API}/reports/{report.pk}/accept"),
            _post(reader, f"{API}/reports/{report.pk}/return", {"note": "不行"}),
            _post(reader, f"{API}/measures/{measure.pk}/complete"),
            _post(
                reader,
                f"{API}/assignments/{_culture_assignment(plan).pk}/reports",
                {"period": report.period, "narrative": "代报"},
            ),
        ]
        assert [w.status_code for w in writes] == [403] * len(writes), [w.content for w in writes]
    plan.refresh_from_db()
    assert plan.reminder_days == [30, 7, 3] and plan.closed_through is None
    # an external contact unit above the county reads nothing
    external = Unit.objects.create(
        name="山西省某协会",
        kind=UnitKind.EXTERNAL,
        is_external=True,
        region=Region.objects.get(code="140000"),
    )
    assert _token_client(world, external).get(f"{API}/plans").json()["count"] == 0
    # a unit of an unrelated county sees nothing of it
    assert harbin.get(f"{API}/plans").json()["count"] == 0
    for path in (
        f"/plans/{plan.pk}",
        f"/plans/{plan.pk}/ledger",
        f"/plans/{plan.pk}/ledger/pdf",
        f"/reports/{report.pk}",
    ):
        answer = harbin.get(API + path)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found", path
    assert _post(harbin, f"{API}/plans/{plan.pk}/publish").status_code == 404
    assert harbin.get(f"{API}/notices").json()["count"] == 0


def test_notices_are_scoped(world):
    plan = small_plan(world)
    services.reminders_send(today=dt.date(2100, 1, 1))
    office = _client(world.officer).get(f"{API}/notices?plan_id={plan.pk}").json()
    unit = _client(world.officer_culture).get(f"{API}/notices").json()
    culture = SupervisionNotice.objects.filter(assignment__unit=world.culture).count()
    assert office["count"] == SupervisionNotice.objects.count() > culture >= 1
    assert unit["count"] == culture
    assert {n["unit_name"] for n in unit["items"]} == {"保德县文化和旅游局"}
    assert "督办〔" in unit["items"][0]["number"]
    other = next(n for n in office["items"] if n["unit_name"] != "保德县文化和旅游局")
    denied = _client(world.officer_culture).get(f"{API}/notices/{other['id']}")
    assert denied.status_code == 404


def test_settings_close_periods_and_assignments(world):
    plan = small_plan(world, publish=False)
    office = _client(world.officer)
    changed = _post(
        office,
        f"{API}/plans/{plan.pk}/settings",
        {"reminder_days": [14, 3], "escalation_days": [2, 10, 20], "report_cycle": "month"},
        "put",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["reminder_days"] == [14, 3]
    assert changed.json()["escalation_days"] == [2, 10, 20]
    bad = _post(office, f"{API}/plans/{plan.pk}/settings", {"escalation_days": [1, 2]}, "put")
    assert bad.status_code == 400 and bad.json()["field"] == "escalation_days"
    out_of_range = _post(office, f"{API}/plans/{plan.pk}/settings", {"reminder_days": [400]}, "put")
    assert out_of_range.status_code == 422
    future = _post(office, f"{API}/plans/{plan.pk}/close-periods", {"through": "2099-01-01"})
    assert future.status_code == 400 and future.json()["field"] == "through"
    closed = _post(office, f"{API}/plans/{plan.pk}/close-periods", {"through": "2021-12-31"})
    assert closed.status_code == 200 and closed.json()["closed_through"] == "2021-12-31"

    measure = Measure.objects.get(plan=plan, order=1)
    added = _post(
        office,
        f"{API}/measures/{measure.pk}/assignments",
        {"unit_id": world.agriculture.pk, "role": "lead"},
        "put",
    )
    assert added.status_code == 200, added.content
    assert added.json()["role"] == "lead" and added.json()["due_on"] == "2099-12-31"
    unknown = _post(office, f"{API}/measures/{measure.pk}/assignments", {"unit_id": 999999}, "put")
    assert unknown.status_code == 400 and unknown.json()["field"] == "unit_id"
    bad_role = _post(
        office,
        f"{API}/measures/{measure.pk}/assignments",
        {"unit_id": world.agriculture.pk, "role": "boss"},
        "put",
    )
    assert bad_role.status_code == 422 and bad_role.json()["field"] == "role"
    removed = office.delete(f"{API}/assignments/{added.json()['id']}")
    assert removed.status_code == 204
    assert not Assignment.objects.filter(pk=added.json()["id"]).exists()
    assert office.delete(f"{API}/assignments/{added.json()['id']}").status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "json"])
def test_the_unit_downloads_the_ledger_of_a_plan_it_works_in(world, fmt):
    plan = small_plan(world)
    answer = _client(world.officer_culture).get(f"{API}/plans/{plan.pk}/ledger/{fmt}")
    assert answer.status_code == 200 and answer.content
