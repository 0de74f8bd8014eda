"""Plan supervision pages: who sees which page, the import flow (paste → preview → confirm),
the office's actions, a unit's report with an attachment, review, and hostile input — always a
field-named message, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipshield.supervision import services
from ipshield.supervision.imports import plan_preview
from ipshield.supervision.models import (
    Assignment,
    Measure,
    Plan,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    SupervisionNotice,
)
from ipshield.supervision.status import period_of
from tests.supervision.factories import small_plan, upload

BASE = "/workbench/supervision"


def _culture(plan, dated=True) -> Assignment:
    return Assignment.objects.get(
        measure__plan=plan, unit__name="保德县文化和旅游局", due_on__isnull=not dated
    )


def _period(plan) -> str:
    return period_of(timezone.localdate(), plan.report_cycle)


def _page(response) -> str:
    return response.content.decode()


def _offered(response, assignment) -> str | None:
    """The period select of ``assignment``'s report form, or None without a form."""
    page = _page(response)
    start = page.find(f'id="id_report_{assignment.pk}_period"')
    if start < 0:
        return None
    return page[start : page.index("</select>", start)]


# --- who sees what


def test_pages_for_the_right_roles_and_refused_for_others(world, login):
    plan = small_plan(world)
    mine = _culture(plan)
    report = services.report_submit(
        actor=world.officer_culture, assignment=mine, period=_period(plan), narrative="进展顺利"
    )
    office, culture, other = (
        login(world.officer),
        login(world.officer_culture),
        login(world.officer_other),
    )
    member = login(world.member)
    urls = [
        f"{BASE}/plans/{plan.pk}/",
        f"{BASE}/plans/{plan.pk}/unit/",
        f"{BASE}/measures/{mine.measure_id}/",
        f"{BASE}/reports/{report.pk}/",
    ]
    for client in (office, culture, member):
        for url in urls:
            assert client.get(url).status_code == 200, url
    for url in urls:  # a unit of another county: not its plan
        assert other.get(url).status_code == 404, url
    listed = _page(office.get(f"{BASE}/"))
    assert plan.title in listed and 'data-testid="import-plan"' in listed
    assert "方案督办" in listed  # the navigation entry
    assert plan.title not in _page(other.get(f"{BASE}/"))
    assert 'data-testid="import-plan"' not in _page(member.get(f"{BASE}/"))  # read-only
    assert member.get(f"{BASE}/import/").status_code == 403
    # the office sees the review forms; the reporting unit does not
    assert 'data-action="accept"' in _page(office.get(f"{BASE}/reports/{report.pk}/"))
    assert 'data-action="accept"' not in _page(culture.get(f"{BASE}/reports/{report.pk}/"))
    # a unit that is not the office cannot act on the plan
    response = culture.post(f"{BASE}/plans/{plan.pk}/settings/", {"reminder_days": "7"})
    assert response.status_code == 403
    assert culture.post(f"{BASE}/reports/{report.pk}/accept/", {}).status_code == 403


def test_public_and_holders_are_kept_out(world, login):
    plan = small_plan(world)
    for user in (world.public_user, world.holder_user):
        assert login(user).get(f"{BASE}/plans/{plan.pk}/").status_code == 403


def test_another_unit_cannot_report_on_an_assignment_it_does_not_hold(world, login):
    plan = small_plan(world)
    mine = _culture(plan)
    data = {"period": _period(plan), "narrative": "冒名报送"}
    # the market bureau (the office) reads the plan, but the assignment is the culture bureau's
    assert (
        login(world.officer).post(f"{BASE}/assignments/{mine.pk}/report/", data).status_code == 403
    )
    # a unit of another county does not even see it
    assert (
        login(world.officer_other).post(f"{BASE}/assignments/{mine.pk}/report/", data).status_code
        == 404
    )
    assert not ProgressReport.objects.exists()
    # the unit page shows each person their own unit's work only
    office_page = _page(login(world.officer).get(f"{BASE}/plans/{plan.pk}/unit/"))
    assert f'data-assignment="{mine.pk}"' not in office_page


# --- import


def test_import_paste_preview_confirm(world, login, county_text):
    client = login(world.officer)
    assert client.get(f"{BASE}/import/").status_code == 200
    response = client.post(
        f"{BASE}/import/", {"step": "preview", "text": county_text, "report_cycle": "quarter"}
    )
    page = _page(response)
    assert response.status_code == 200
    assert 'data-count="measures">23<' in page
    assert 'data-printed="县文化和放游局" data-status="uncertain"' in page
    assert "未能识别的内容" in page or 'data-testid="unread"' not in page
    preview = plan_preview(county_text, region=world.county)
    typo = preview.choice("县文化和放游局")
    # confirm without resolving the uncertain names: refused, listed, nothing lost
    base = {"step": "confirm", "text": county_text, "title": "", "report_cycle": "quarter"}
    refused = client.post(f"{BASE}/import/", base)
    assert refused.status_code == 400
    assert 'data-field="units"' in _page(refused) and "县文化和放游局" in _page(refused)
    assert 'class="sv-open"' in _page(refused)
    assert not Plan.objects.exists()
    choices = {}
    for choice in preview.choices:
        if choice.certain:
            continue
        choices[f"unit_{choice.index}"] = "none"
    choices[f"unit_{typo.index}"] = str(world.culture.pk)
    # a browser sends the hidden text back with CRLF line breaks: the same plan is read
    base["text"] = county_text.replace("\n", "\r\n")
    response = client.post(f"{BASE}/import/", {**base, **choices})
    assert response.status_code == 302, _page(response)[:2000]
    plan = Plan.objects.get()
    assert response["Location"] == f"{BASE}/plans/{plan.pk}/"
    assert plan.measures.count() == 23
    assert plan.office_unit == world.market
    assert "\r" not in plan.source_text
    typo_measures = Assignment.objects.filter(
        measure__plan=plan, unit=world.culture, printed_name="县文化和放游局"
    )
    assert typo_measures.exists()
    assert client.get(response["Location"]).status_code == 200


def test_import_choices_other_unit_and_new_unit(world, login, county_text):
    client = login(world.officer)
    preview = plan_preview(county_text, region=world.county)
    open_ = [c for c in preview.choices if not c.certain]
    assert len(open_) >= 2
    data = {"step": "confirm", "text": county_text, "title": "县方案", "report_cycle": "month"}
    for choice in open_:
        data[f"unit_{choice.index}"] = "none"
    data[f"unit_{open_[0].index}"] = "other"
    data[f"other_{open_[0].index}"] = "县农业农村局"  # a short name
    data[f"unit_{open_[1].index}"] = "new"
    response = client.post(f"{BASE}/import/", data)
    assert response.status_code == 302, _page(response)[:2000]
    plan = Plan.objects.get()
    assert plan.title == "县方案" and plan.report_cycle == "month"
    assert Assignment.objects.filter(
        measure__plan=plan, unit=world.agriculture, printed_name=open_[0].printed
    ).exists()
    assert Assignment.objects.filter(measure__plan=plan, unit__name=open_[1].printed).exists()


def test_import_refusals_name_their_field(world, login, county_text):
    client = login(world.officer)
    cases = [
        ({"step": "preview", "text": "", "report_cycle": "quarter"}, "text"),
        ({"step": "preview", "text": "会议通知\n请准时参加。", "report_cycle": "quarter"}, "text"),
        ({"step": "preview", "text": county_text, "report_cycle": "weekly"}, "report_cycle"),
    ]
    for data, field in cases:
        response = client.post(f"{BASE}/import/", data)
        assert response.status_code == 400, data
        assert f'data-field="{field}"' in _page(response), data
    # an unreadable file: the field is the file
    from django.core.files.uploadedfile import SimpleUploadedFile

    binary = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 garbage \x00\x01", "application/pdf")
    response = client.post(
        f"{BASE}/import/", {"step": "preview", "report_cycle": "quarter", "file": binary}
    )
    assert response.status_code == 400 and 'data-field="file"' in _page(response)
    huge = SimpleUploadedFile("plan.txt", b"a" * (5 * 1024 * 1024 + 1), "text/plain")
    response = client.post(
        f"{BASE}/import/", {"step": "preview", "report_cycle": "quarter", "file": huge}
    )
    assert response.status_code == 400 and 'data-field="file"' in _page(response)
    text_file = SimpleUploadedFile("plan.txt", county_text.encode("gb18030"), "text/plain")
    response = client.post(
        f"{BASE}/import/", {"step": "preview", "report_cycle": "quarter", "file": text_file}
    )
    assert response.status_code == 200 and 'data-count="measures">23<' in _page(response)
    # hostile choices on confirm
    preview = plan_preview(county_text, region=world.county)
    index = preview.choice("县文化和放游局").index
    base = {"step": "confirm", "text": county_text, "report_cycle": "quarter"}
    for value in ("abc", "99999999999999999999999", "-3", "999999"):
        response = client.post(f"{BASE}/import/", {**base, f"unit_{index}": value})
        assert response.status_code == 400, value
        assert 'data-field="units"' in _page(response), value
    response = client.post(
        f"{BASE}/import/", {**base, f"unit_{index}": "other", f"other_{index}": "<script>"}
    )
    assert response.status_code == 400 and "&lt;script&gt;" in _page(response)
    response = client.post(f"{BASE}/import/", {**base, "text": "<b>无任务</b>"})
    assert response.status_code == 400 and 'data-field="text"' in _page(response)
    assert not Plan.objects.exists()


# --- the office's actions


def test_dashboard_publish_settings_close(world, login):
    plan = small_plan(world, publish=False)
    client = login(world.officer)
    page = _page(client.get(f"{BASE}/plans/{plan.pk}/"))
    assert 'data-action="publish"' in page and 'data-testid="light-tiles"' in page
    assert "正常推进" in page  # a light is always named, never colour alone
    response = client.post(f"{BASE}/plans/{plan.pk}/publish/")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    again = client.post(f"{BASE}/plans/{plan.pk}/publish/")
    assert again.status_code == 409 and 'data-testid="plan-error"' in _page(again)
    bad = client.post(
        f"{BASE}/plans/{plan.pk}/settings/",
        {"reminder_days": "1,2,3,4,5,6,7", "escalation_days": "1,15,30", "report_cycle": "month"},
    )
    assert bad.status_code == 400 and 'data-field="reminder_days"' in _page(bad)
    ok = client.post(
        f"{BASE}/plans/{plan.pk}/settings/",
        {"reminder_days": "14，3", "escalation_days": "2,10,20", "report_cycle": "month"},
    )
    assert ok.status_code == 302
    plan.refresh_from_db()
    assert plan.reminder_days == [14, 3] and plan.escalation_days == [2, 10, 20]
    future = client.post(f"{BASE}/plans/{plan.pk}/close/", {"through": "2099-01-01"})
    assert future.status_code == 400 and 'data-field="through"' in _page(future)
    garbage = client.post(f"{BASE}/plans/{plan.pk}/close/", {"through": "2021-02-30"})
    assert garbage.status_code == 400 and 'data-field="through"' in _page(garbage)
    closed = client.post(f"{BASE}/plans/{plan.pk}/close/", {"through": "2021-12-31"})
    assert closed.status_code == 302
    assert client.post(f"{BASE}/plans/{plan.pk}/explode/").status_code == 404


def test_measure_assign_unassign_and_complete(world, login):
    plan = small_plan(world, publish=False)
    measure = Measure.objects.get(plan=plan, order=1)
    client = login(world.officer)
    url = f"{BASE}/measures/{measure.pk}/"
    assert 'data-action="assign"' in _page(client.get(url))
    response = client.post(
        f"{url}assign/", {"unit": world.agriculture.pk, "role": "lead", "due_on": ""}
    )
    assert response.status_code == 302
    added = Assignment.objects.get(measure=measure, unit=world.agriculture)
    assert added.role == "lead" and added.due_on == measure.due_on
    for data in (
        {"unit": "999999999999999999999", "role": "lead"},
        {"unit": world.agriculture.pk, "role": "boss"},
        {"unit": world.agriculture.pk, "role": "lead", "due_on": "not a date"},
    ):
        bad = client.post(f"{url}assign/", data)
        assert bad.status_code == 400, data
        assert 'class="error"' in _page(bad)
    response = client.post(f"{url}unassign/", {"assignment": added.pk})
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=added.pk).exists()
    assert client.post(f"{url}unassign/", {"assignment": "x"}).status_code == 400
    assert client.post(f"{url}unassign/", {"assignment": 987654}).status_code == 404
    no_evidence = client.post(f"{url}complete/", {"note": "完成"})
    assert no_evidence.status_code == 409 and "佐证材料" in _page(no_evidence)
    culture = login(world.officer_culture)
    assert culture.post(
        f"{url}assign/", {"unit": world.culture.pk, "role": "lead"}
    ).status_code in (
        403,
        404,
    )


# --- a report with an attachment, review


def test_report_with_attachment_then_accept_and_complete(world, login):
    plan = small_plan(world)
    mine = _culture(plan)
    culture = login(world.officer_culture)
    unit_page = _page(culture.get(f"{BASE}/plans/{plan.pk}/unit/"))
    assert f'data-assignment="{mine.pk}"' in unit_page
    assert f'<option value="{_period(plan)}" selected>' in unit_page
    response = culture.post(
        f"{BASE}/assignments/{mine.pk}/report/",
        {
            "period": _period(plan),
            "narrative": "机制已建立并运行。",
            "share_done": "100",
            "completes": "on",
            "files": [upload("minutes.png"), upload("photo.png")],
        },
    )
    assert response.status_code == 302, _page(response)[:2000]
    report = ProgressReport.objects.get()
    assert report.attachments.count() == 2
    # the assignment reported its completion: no form for it any more until it is reviewed
    # or, for its period, the period is no longer offered
    assert _offered(culture.get(f"{BASE}/plans/{plan.pk}/unit/"), mine) is None or (
        _period(plan) not in _offered(culture.get(f"{BASE}/plans/{plan.pk}/unit/"), mine)
    )
    page = _page(culture.get(f"{BASE}/reports/{report.pk}/"))
    item = report.attachments.first()
    assert f"/evidence/{item.pk}/" in page  # the submitter sees the evidence item's page
    office = login(world.officer)
    office_page = _page(office.get(f"{BASE}/reports/{report.pk}/"))
    assert item.sha256 in office_page
    response = office.post(f"{BASE}/reports/{report.pk}/accept/", {"note": "同意"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    twice = office.post(f"{BASE}/reports/{report.pk}/accept/", {"note": ""})
    assert twice.status_code == 409
    done = office.post(f"{BASE}/measures/{mine.measure_id}/complete/", {"note": "按期完成"})
    assert done.status_code == 302
    assert Measure.objects.get(pk=mine.measure_id).done_on == timezone.localdate()


def test_return_needs_a_note_and_lets_the_unit_report_again(world, login):
    plan = small_plan(world)
    mine = _culture(plan)
    report = services.report_submit(
        actor=world.officer_culture, assignment=mine, period=_period(plan), narrative="初稿"
    )
    office = login(world.officer)
    empty = office.post(f"{BASE}/reports/{report.pk}/return/", {"note": "  "})
    assert empty.status_code == 400 and 'data-field="note"' in _page(empty)
    response = office.post(f"{BASE}/reports/{report.pk}/return/", {"note": "请补充数据"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    offered = _offered(login(world.officer_culture).get(f"{BASE}/plans/{plan.pk}/unit/"), mine)
    assert f'value="{_period(plan)}"' in offered  # offered again


def test_report_hostile_inputs(world, login):
    plan = small_plan(world)
    mine = _culture(plan)
    culture = login(world.officer_culture)
    url = f"{BASE}/assignments/{mine.pk}/report/"
    period = _period(plan)
    cases = [
        ({"period": "2026-13", "narrative": "x"}, "period"),
        ({"period": "<script>alert(1)</script>", "narrative": "x"}, "period"),
        ({"period": "2099-Q1", "narrative": "x"}, "period"),
        ({"period": period, "narrative": ""}, "narrative"),
        ({"period": period, "narrative": "x" * 6000}, "narrative"),
        ({"period": period, "narrative": "x", "share_done": "99999999999999999999"}, "share_done"),
        ({"period": period, "narrative": "x", "share_done": "-5"}, "share_done"),
        ({"period": period, "narrative": "x", "completes": "on"}, "files"),
    ]
    for data, field in cases:
        response = culture.post(url, data)
        assert response.status_code == 400, data
        assert f'data-field="{field}"' in _page(response), data
        assert "&lt;script&gt;" in _page(response) or "<script>alert" not in _page(response)
    from django.core.files.uploadedfile import SimpleUploadedFile

    empty = SimpleUploadedFile("empty.png", b"", "image/png")
    response = culture.post(url, {"period": period, "narrative": "x", "files": [empty]})
    assert response.status_code == 400 and 'data-field="files"' in _page(response)
    assert not ProgressReport.objects.exists()
    for bad in ("99999999999999999999999", "0"):
        assert culture.get(f"{BASE}/plans/{bad}/").status_code == 404
        assert culture.post(f"{BASE}/assignments/{bad}/report/", {}).status_code == 404
        assert culture.get(f"{BASE}/reports/{bad}/").status_code == 404
        assert culture.get(f"{BASE}/notices/{bad}/").status_code == 404
        assert culture.get(f"{BASE}/measures/{bad}/").status_code == 404


def test_notice_page_for_unit_and_office_not_for_others(world, login):
    plan = small_plan(world)
    leader = world.leader  # the market bureau's leader: the office's
    from tests.accounts.factories import make_person

    culture_leader = make_person("unit_leader", unit=world.culture, username="culture_leader")
    services.reminders_send(today=dt.date(2100, 1, 2))
    notice = SupervisionNotice.objects.filter(assignment=_culture(plan)).first()
    assert notice is not None
    url = f"{BASE}/notices/{notice.pk}/"
    page = _page(login(culture_leader).get(url))
    assert notice.number in page and culture_leader.profile.display_name in page
    assert login(world.officer).get(url).status_code == 200
    assert login(world.officer_other).get(url).status_code == 404
    assert leader is not None
    board = _page(login(world.officer).get(f"{BASE}/plans/{plan.pk}/"))
    assert notice.number in board


def test_ledger_download(world, login):
    pytest.importorskip("ipshield.supervision.exports")
    plan = small_plan(world)
    office = login(world.officer)
    for fmt in ("xlsx", "pdf", "json"):
        response = office.get(f"{BASE}/plans/{plan.pk}/ledger.{fmt}")
        assert response.status_code == 200, fmt
        assert response["Content-Disposition"].startswith("attachment"), fmt
    assert office.get(f"{BASE}/plans/{plan.pk}/ledger.exe").status_code == 404
    culture = login(world.officer_culture)  # an assigned unit reads the plan, as in the API
    assert culture.get(f"{BASE}/plans/{plan.pk}/ledger.json").status_code == 200
    other = login(world.officer_other)
    assert other.get(f"{BASE}/plans/{plan.pk}/ledger.json").status_code == 404


def test_pages_in_english(world, login):
    plan = small_plan(world)
    client = login(world.officer)
    client.cookies["django_language"] = "en"
    page = _page(client.get(f"{BASE}/plans/{plan.pk}/"))
    assert "Supervision" in page or "supervision" in page
    assert "已逾期" not in page and "正常推进" not in page


def test_import_of_a_plan_without_units_says_the_office_assigns_them(world, login, opinion_text):
    client = login(world.officer)
    base = {"text": opinion_text, "report_cycle": "quarter"}
    preview = client.post(f"{BASE}/import/", {**base, "step": "preview"})
    page = _page(preview)
    assert preview.status_code == 200
    assert 'data-testid="no-units"' in page and 'data-count="measures">21<' in page
    response = client.post(f"{BASE}/import/", {**base, "step": "confirm", "title": "省意见"})
    assert response.status_code == 302
    plan = Plan.objects.get()
    measure = plan.measures.first()
    page = _page(client.get(f"{BASE}/measures/{measure.pk}/"))
    assert 'data-testid="no-assignments"' in page and 'data-action="assign"' in page
    refused = client.post(f"{BASE}/plans/{plan.pk}/publish/")
    assert refused.status_code == 409 and "责任分工" in _page(refused)


def test_a_higher_level_unit_reads_a_county_plan_and_its_reports_but_cannot_act(world, login):
    from ipshield.accounts.models import Region, Unit, UnitKind
    from ipshield.supervision.models import Assignment
    from ipshield.supervision.status import period_of
    from tests.accounts.factories import make_person
    from tests.supervision.factories import small_plan

    city = Region.objects.get(code="140900")
    bureau = Unit.objects.create(
        name="忻州市市场监督管理局", kind=UnitKind.MARKET_SUPERVISION, region=city
    )
    city_officer = make_person("case_officer", unit=bureau, username="city_officer")
    plan = small_plan(world)
    mine = Assignment.objects.filter(
        measure__plan=plan, unit=world.culture, due_on__isnull=False
    ).get()
    report = services.report_submit(
        actor=world.officer_culture,
        assignment=mine,
        period=period_of(timezone.localdate(), plan.report_cycle),
        narrative="进展顺利",
    )
    client = login(city_officer)
    assert client.get(f"/workbench/supervision/plans/{plan.pk}/").status_code == 200
    assert client.get(f"/workbench/supervision/reports/{report.pk}/").status_code == 200
    refused = client.post(f"/workbench/supervision/reports/{report.pk}/accept/", {"note": ""})
    assert refused.status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"
    # another county's officer reads nothing of it
    other = login(world.officer_other)
    assert other.get(f"/workbench/supervision/reports/{report.pk}/").status_code == 404
