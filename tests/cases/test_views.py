"""The staff side of cases: the unit's list, one case with its record, actions through the
pages, files, reporter identity and the case record as a PDF."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipshield.cases import deadlines, intake, record, services, walkthrough
from ipshield.cases.models import Case, CaseDeadline, CaseEvent, CaseEventVerb, DecisionKind, Track
from ipshield.cases.workflow import Status
from ipshield.engines import workdays
from ipshield.registry.models import RightKind
from tests.cases.factories import receive
from tests.pdftext import pdf_text as _pdf_text
from tests.registry.test_services import PNG


def _url(case, tail=""):
    return f"/workbench/cases/{case.pk}/{tail}"


def _accepted(world, **kw):
    """A complaint the county market bureau has accepted: a lead-verification limit runs."""
    case = receive(world, **kw)
    return services.case_accept(actor=world.officer, case=case)


def _due(case, due_on):
    """Move the case's running limit (CaseDeadline is not append-only) and its list mirror."""
    CaseDeadline.objects.filter(case=case, met_at__isnull=True).update(due_on=due_on)
    deadlines._sync_case_deadline(case)


def _order(page: str, cases) -> list[int]:
    return sorted(range(len(cases)), key=lambda i: page.index(cases[i].number))


def _report(world, **kw):
    args = {
        "actor": None,
        "right_kind": RightKind.TRADEMARK,
        "title": "集市销售假冒保德红枣",
        "description": "周日集市有摊位销售假冒红枣。",
        "region": world.county,
        "anonymous": False,
        "reporter_name": "李举报",
        "reporter_phone": "13912345678",
        "reporter_id_number": "140931199001011234",
    }
    args.update(kw)
    return intake.report_submit(**args).case


# --- the list


def test_list_is_unit_scoped_and_read_only_roles_get_no_actions(world, login):
    case = receive(world)
    assert case.number in login(world.officer).get("/workbench/cases/").content.decode()
    other = login(world.officer_other)
    assert case.number not in other.get("/workbench/cases/").content.decode()
    assert other.get(_url(case)).status_code == 404
    assert other.post(_url(case, "act/accept/")).status_code == 404

    auditor = login(world.auditor)
    assert case.number in auditor.get("/workbench/cases/").content.decode()
    page = auditor.get(_url(case)).content.decode()
    assert case.title in page and "data-action=" not in page and "只读" in page
    events = CaseEvent.objects.filter(case=case).count()
    refused = auditor.post(_url(case, "act/accept/"))
    assert refused.status_code == 403 and "只能查看" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert CaseEvent.objects.filter(case=case).count() == events


def test_list_sorts_by_deadline_and_highlights_overdue_and_due_soon(world, login):
    today = timezone.localdate()
    later = _accepted(world)  # 15 working days to verify the lead
    no_deadline = receive(world)  # received through the factory: no limit runs yet
    overdue = _accepted(world)
    _due(overdue, today - dt.timedelta(days=10))
    soon = _accepted(world)
    _due(soon, today)
    client = login(world.officer)
    page = client.get("/workbench/cases/").content.decode()
    assert _order(page, [overdue, soon, later, no_deadline]) == [0, 1, 2, 3]
    late_days = workdays.working_days_between(today - dt.timedelta(days=10), today)
    row = re.search(rf'<tr class="([a-z_]*)" data-case="{overdue.number}">(.*?)</tr>', page, re.S)
    assert row.group(1) == "overdue" and f"已超期 {late_days} 个工作日" in row.group(2)
    row = re.search(rf'<tr class="([a-z_]*)" data-case="{soon.number}">(.*?)</tr>', page, re.S)
    assert row.group(1) == "due_soon" and "今日到期" in row.group(2)
    row = re.search(rf'<tr class="([a-z_]*)" data-case="{later.number}">', page)
    assert (
        row.group(1)
        == deadlines.overdue_state(later.deadlines.filter(met_at=None).earliest("due_on").due_on)
        == ""
    )

    only_overdue = client.get("/workbench/cases/", {"due": "overdue"}).content.decode()
    assert overdue.number in only_overdue and soon.number not in only_overdue
    home = client.get("/workbench/").content.decode()
    tiles = re.findall(r'data-testid="cases-(overdue|due-soon)"><div class="n">(\d+)<', home)
    assert dict(tiles) == {"overdue": "1", "due-soon": "1"}
    # The tiles count only the cases the person sees.
    other = login(world.officer_other).get("/workbench/").content.decode()
    tiles = re.findall(r'data-testid="cases-(overdue|due-soon)"><div class="n">(\d+)<', other)
    assert dict(tiles) == {"overdue": "0", "due-soon": "0"}


def test_list_filters(world, login):
    simple = receive(world, track=Track.SIMPLE)
    major = receive(world, track=Track.MAJOR)
    client = login(world.officer)
    page = client.get("/workbench/cases/", {"track": "major"}).content.decode()
    assert major.number in page and simple.number not in page
    page = client.get("/workbench/cases/", {"status": "accepted"}).content.decode()
    assert major.number not in page
    page = client.get("/workbench/cases/", {"source": "report"}).content.decode()
    assert major.number not in page and "没有符合条件的案件" in page


def test_list_query_count_does_not_grow_with_rows(world, login):
    client = login(world.officer)
    _accepted(world)
    receive(world)
    client.get("/workbench/cases/")  # warm caches (content types, calendar)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/workbench/cases/").status_code == 200
    today = timezone.localdate()
    for i in range(12):
        case = _accepted(world, track=[Track.SIMPLE, Track.MAJOR][i % 2])
        _due(case, today + dt.timedelta(days=i - 6))
    with CaptureQueriesContext(connection) as many:
        page = client.get("/workbench/cases/").content.decode()
    assert page.count("data-case=") == 14
    assert len(many.captured_queries) == len(few.captured_queries)


# --- one case and its actions


def test_full_path_through_the_action_urls(world, login):
    case = receive(world)
    officer, reviewer, leader = login(world.officer), login(world.reviewer), login(world.leader)
    today = timezone.localdate().isoformat()
    served = {"method": "hand", "sent_on": today, "served_on": today, "recipient": "某店"}
    steps = [
        (officer, "accept", {}, Status.ACCEPTED),
        (officer, "request_opening", {"opening": "open", "opinion": "有侵权线索"}, None),
        (leader, "start_investigation", {"opinion": "同意立案"}, Status.INVESTIGATING),
        (
            officer,
            "propose_decision",
            {
                "kind": DecisionKind.PENALTY,
                "summary": "没收侵权商品并罚款",
                "penalty_amount": "8000",
                "facts": "销售假冒注册商标的商品",
                "legal_basis": "《商标法》第六十条第二款",
            },
            Status.CASE_REVIEW,
        ),
        (reviewer, "approve_case_review", {"opinion": "事实清楚"}, Status.LEADER_APPROVAL),
        (leader, "approve_decision", {}, Status.NOTICE),
        (officer, "serve_notice", served, Status.NOTICE),
        (officer, "record_waiver", {"waived_on": today}, Status.NOTICE),
        (leader, "decide", {}, Status.DECIDED),
        (officer, "serve_decision", served, Status.DECIDED),
        (officer, "publish", {}, Status.PUBLISHED),
        (officer, "record_payment", {"paid_on": today, "amount": "8000"}, Status.PUBLISHED),
        (leader, "close", {}, Status.CLOSED),
    ]
    for client, action, data, status in steps:
        page = client.get(_url(case)).content.decode()
        assert f'data-action="{action}"' in page, action
        response = client.post(_url(case, f"act/{action}/"), data)
        assert response.status_code == 302 and response.url.startswith(_url(case)), action
        case.refresh_from_db()
        assert case.status == (status or Status.OPENING_REVIEW), action
    assert case.decision_number == f"县市场局处罚〔{timezone.localdate().year}〕1号"
    page = officer.get(_url(case)).content.decode()
    timeline = page[page.index('id="case-timeline"') :]
    for label in ("受理", "批准立案", "提交调查终结报告", "作出处罚决定", "公示", "结案"):
        assert f'<span class="detail">{label}</span>' in timeline, label
    for before, after in [
        ("已接收", "已受理"),
        ("立案审批", "调查中"),
        ("调查中", "案件审核"),
        ("告知与陈述申辩", "已决定"),
        ("已决定", "已公示"),
        ("已公示", "已结案"),
    ]:
        assert re.search(rf">{before}</span> → <span class=\"badge st-\w+\">{after}<", timeline)
    assert "没收侵权商品并罚款" in timeline  # the proposal is the entry's note
    assert "送达决定书" in timeline and "记录缴款" in timeline  # the steps are in the record
    assert case.penalty_amount == Decimal("8000.00")
    # A closed case offers nothing but filing it in the archive (立卷归档).
    assert re.findall(r'data-action="([a-z_]+)"', page) == ["archive_case"]
    assert record.verify_chain(case) is None


def test_htmx_action_replaces_panel_and_timeline(world, login):
    case = receive(world)
    client = login(world.officer)
    response = client.post(_url(case, "act/accept/"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<section class="card panel" id="case-panel"')
    assert 'id="case-timeline" aria-labelledby="timeline-h" hx-swap-oob="true"' in body
    assert 'data-action="request_opening"' in body and "已办理：受理" in body
    for part in ("case-head", "case-facts", "case-deadlines"):  # what the action changed
        assert re.search(rf'id="{part}"[^>]*hx-swap-oob="true"', body), part


def test_refused_action_shows_the_error_and_changes_nothing(world, login):
    case = receive(world, track=Track.MAJOR)
    services.case_accept(actor=world.officer, case=case)
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    services.case_propose_decision(
        actor=world.officer, case=case, kind=DecisionKind.NO_VIOLATION, summary="证据不足"
    )
    services.case_approve_case_review(actor=world.reviewer, case=case)
    events = CaseEvent.objects.filter(case=case).count()
    client = login(world.officer)
    assert 'data-action="approve_review"' not in client.get(_url(case)).content.decode()
    response = client.post(_url(case, "act/approve_review/"), {"opinion": "同意"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "您的角色不能执行“法制审核通过”" in page and 'data-testid="panel-error"' in page
    htmx = client.post(_url(case, "act/approve_review/"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "您的角色不能执行" in htmx.content.decode()
    case.refresh_from_db()
    assert case.status == Status.LEGAL_REVIEW and case.decided_at is None
    assert CaseEvent.objects.filter(case=case).count() == events
    # The reviewer is offered the review and may take it.
    reviewer = login(world.reviewer)
    assert 'data-action="approve_review"' in reviewer.get(_url(case)).content.decode()
    assert reviewer.post(_url(case, "act/approve_review/"), {"opinion": "同意"}).status_code == 302


def test_reject_needs_a_reason_and_keeps_the_input(world, login):
    case = receive(world)
    client = login(world.officer)
    response = client.post(_url(case, "act/reject/"), {"reason": "   "})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<p class="error" role="alert" data-field="reason">请填写理由。</p>' in page
    assert re.search(r'<details data-action="reject" open>', page)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED

    services.case_accept(actor=world.officer, case=case)
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    response = client.post(
        _url(case, "act/propose_decision/"),
        {"kind": DecisionKind.PENALTY, "summary": "没收并罚款", "penalty_amount": ""},
    )
    page = response.content.decode()
    assert 'data-field="penalty_amount">行政处罚须填写罚没金额' in page
    assert "没收并罚款</textarea>" in page
    assert '<option value="penalty" selected>' in page
    case.refresh_from_db()
    assert case.status == Status.INVESTIGATING and case.decision_kind == ""


def test_track_override_and_deadline_extension(world, login):
    case = _accepted(world)
    officer = login(world.officer)
    page = officer.get(_url(case)).content.decode()
    assert 'data-action="override_track"' in page and 'data-action="extend_deadline"' not in page
    refused = officer.post(_url(case, "act/override_track/"), {"track": "major", "reason": ""})
    assert "请填写理由" in refused.content.decode()
    officer.post(_url(case, "act/override_track/"), {"track": "major", "reason": "跨省销售"})
    case.refresh_from_db()
    assert case.track == Track.MAJOR
    assert case.events.filter(verb=CaseEventVerb.TRACK_OVERRIDDEN, note="跨省销售").exists()

    leader = login(world.leader)
    running = case.deadlines.get(met_at=None, key="verify_lead")
    assert 'data-action="extend_deadline"' in leader.get(_url(case)).content.decode()
    response = leader.post(
        _url(case, "act/extend_deadline/"), {"key": running.key, "reason": "需外省协查"}
    )
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.extended
    page = leader.get(_url(case)).content.decode()
    assert "已延长" in page and 'data-action="extend_deadline"' not in page  # only once


def test_calendar_note_is_shown_in_chinese(world, login):
    case = _accepted(world)
    far = dt.date(2099, 1, 5)
    note = workdays.calendar_note(far)
    assert note  # the engine does not know 2099
    CaseDeadline.objects.filter(case=case).update(due_on=far, calendar_note=note)
    page = login(world.officer).get(_url(case)).content.decode()
    # Shown as the calendar stands now (cases.workcalendar), for the years the count crossed.
    assert "2027–2099 年的期限按法定节假日推算，待管理员确认当年调休安排" in page
    assert "第十八条" in page  # the legal source of the lead-verification limit


# --- reporters, files and the PDF


def test_reporter_identity_is_revealed_once_and_recorded(world, login):
    case = _report(world)
    client = login(world.officer)
    page = client.get(_url(case)).content.decode()
    assert "实名举报（身份已加密）" in page and "李举报" not in page
    assert 'data-action="reveal_identity"' in page

    refused = client.post(_url(case, "act/reveal_identity/"), {"reason": ""})
    assert "请说明查看举报人身份的理由" in refused.content.decode()
    assert "李举报" not in refused.content.decode()
    assert not case.events.filter(verb=CaseEventVerb.IDENTITY_REVEALED).exists()

    response = client.post(_url(case, "act/reveal_identity/"), {"reason": "电话核实线索"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "李举报" in page and "13912345678" in page and 'hx-history="false"' in page
    assert "no-store" in response["Cache-Control"]
    event = case.events.get(verb=CaseEventVerb.IDENTITY_REVEALED)
    assert event.actor == world.officer and event.note == "电话核实线索"
    assert "李举报" not in client.get(_url(case)).content.decode()
    # A reviewer's role does not reveal identities.
    assert 'data-action="reveal_identity"' not in (
        login(world.reviewer).get(_url(case)).content.decode()
    )


def test_signed_in_reporter_is_not_named_in_the_timeline(world, login):
    case = _report(world, actor=world.public_user)
    page = login(world.officer).get(_url(case)).content.decode()
    assert world.public_user.profile.display_name not in page
    assert '<div class="who">举报人</div>' in page


def test_reporter_notification_when_its_limit_runs(world, login):
    case = _report(world)
    services.case_accept(actor=world.officer, case=case)
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    assert case.deadlines.filter(key=deadlines.NOTIFY_REPORTER, met_at=None).exists()
    client = login(world.officer)
    assert 'data-action="notify_reporter"' in client.get(_url(case)).content.decode()
    response = client.post(_url(case, "act/notify_reporter/"), {"note": "电话告知已立案"})
    assert response.status_code == 302
    assert case.deadlines.get(key=deadlines.NOTIFY_REPORTER).met_at is not None
    assert case.events.filter(verb=CaseEventVerb.NOTE_ADDED, note__contains="电话告知").exists()
    assert 'data-action="notify_reporter"' not in client.get(_url(case)).content.decode()


def test_file_download_is_recorded(world, login):
    case = _report(
        world, attachments=[SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")]
    )
    attachment = case.attachments.get()
    client = login(world.officer)
    page = client.get(_url(case)).content.decode()
    assert "现场照片.png" in page and attachment.sha256 in page
    response = client.get(_url(case, f"files/{attachment.pk}/"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    viewed = case.events.get(verb=CaseEventVerb.FILE_VIEWED)
    assert viewed.actor == world.officer and viewed.after == {"attachment": attachment.pk}
    # Another unit gets nothing, and nothing is recorded.
    assert login(world.officer_other).get(_url(case, f"files/{attachment.pk}/")).status_code == 404
    other_case = receive(world)
    assert client.get(_url(other_case, f"files/{attachment.pk}/")).status_code == 404
    assert case.events.filter(verb=CaseEventVerb.FILE_VIEWED).count() == 1
    assert record.verify_chain(case) is None


def test_case_record_pdf(world, login):
    case = _accepted(world)
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    response = login(world.officer).get(_url(case, "record.pdf"))
    data = response.content
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert data.startswith(b"%PDF") and len(data) > 1024
    text = _pdf_text(data)
    assert case.number in text
    assert "执法全过程记录" in text and "哈希链校验：通过" in text
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert last.hash in text.replace("\n", "")
    assert login(world.officer_other).get(_url(case, "record.pdf")).status_code == 404


def test_pdf_says_when_the_chain_is_broken(world, login, monkeypatch):
    case = _accepted(world)
    # The database refuses to change an entry (a trigger), so the check's verdict is stubbed.
    monkeypatch.setattr(record, "verify_chain", lambda case: 2)
    text = _pdf_text(login(world.officer).get(_url(case, "record.pdf")).content)
    assert "第 2 条记录与其内容或前一条记录不符" in text and "校验：通过" not in text


def test_case_pages_need_staff(world, login):
    case = receive(world)
    assert login(world.holder_user).get("/workbench/cases/").status_code == 403
    assert login(world.public_user).get(_url(case)).status_code == 403
    assert Case.objects.count() == 1


@pytest.mark.parametrize("action", ["nonsense", "case_receive"])
def test_unknown_actions_are_not_found(world, login, action):
    case = receive(world)
    assert login(world.officer).post(_url(case, f"act/{action}/")).status_code == 404


def test_publish_form_records_the_decision_number_and_masks_named_people(world, login):
    from decimal import Decimal

    from ipshield.publication.models import Publication

    world.market.document_prefix = "保市监处罚"
    world.market.save()
    case = receive(world, infringer_name="保德县某商贸有限公司")
    case = walkthrough.decide(
        case,
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        summary="经理王小明组织销售假冒商品，罚款。",
        amount=Decimal("8000"),
    )
    number = f"保市监处罚〔{timezone.localdate().year}〕1号"
    assert case.decision_number == number  # the unit's own numbering
    officer = login(world.officer)
    response = officer.post(_url(case, "act/publish/"), {"person_names": "王小明"})
    assert response.status_code == 302
    publication = Publication.objects.get(case=case)
    public = officer.get(f"/publications/{publication.pk}/").content.decode()
    assert number in public
    assert "王小明" not in public and "王**" in public
