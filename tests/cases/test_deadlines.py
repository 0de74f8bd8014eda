"""Statutory time limits in Chinese working days, reminders and the daily schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipshield.accounts.models import Notification
from ipshield.cases import deadlines, intake, services, walkthrough
from ipshield.cases.models import CalendarYear, CaseDeadline, TimeLimit, WorkdayOverride
from ipshield.cases.reminders import deadline_reminders_send
from ipshield.common.errors import Conflict, NotFound, PermissionDenied
from ipshield.registry.models import RightKind


def _limit(key):
    return TimeLimit.objects.get(key=key)


def test_defaults_carry_their_legal_source(db):
    figures = {t.key: (t.days, t.day_kind, t.extension_days) for t in TimeLimit.objects.all()}
    assert figures == {
        "accept_complaint": (7, "working", 0),
        "complaint_mediation": (45, "working", 0),
        "notify_reporter": (5, "working", 0),
        "verify_lead": (15, "working", 15),
        "decide_case": (90, "calendar", 30),
        "publish_penalty": (20, "working", 0),
        "serve_decision": (7, "working", 0),
        "statement_period": (5, "working", 0),
        "hearing_request": (5, "working", 0),
        "pay_fine": (15, "calendar", 0),
    }
    assert all("《" in t.legal_source for t in TimeLimit.objects.all())
    sources = dict(TimeLimit.objects.values_list("key", "legal_source"))
    # 公示规定: 20 working days in 第九条 (第八条 is the notice to the party); 10 + 10 across
    # provinces in 第十条.
    assert "第九条" in sources["publish_penalty"] and "第十条" in sources["publish_penalty"]
    assert "第八条" not in sources["publish_penalty"]
    assert "不计入" in sources["decide_case"] and "不计入" in sources["verify_lead"]


def test_limit_names_and_sources_come_out_in_english(world):
    import re

    from django.utils import translation
    from django.utils.translation import gettext

    from ipshield.cases.models import ExcludedTime

    cjk = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
    with translation.override("en"):
        for limit in TimeLimit.objects.all():
            for text in (limit.label, limit.legal_source):
                assert not cjk.search(gettext(text)), text
        for _key, (_reasons, source) in deadlines.EXCLUDABLE.items():
            assert not cjk.search(gettext(source)), source
        for reason in ExcludedTime:
            assert not cjk.search(str(reason.label)), reason
    case = _complaint(world)
    today = timezone.localdate()
    with translation.override("en"):
        services.case_exclude_time(
            actor=world.officer,
            case=case,
            reason=ExcludedTime.TESTING,
            since=today - dt.timedelta(days=7),
            until=today,
        )
    notes = list(
        case.events.filter(note__startswith="Time of testing").values_list("note", flat=True)
    )
    assert len(notes) == 2 and not any(cjk.search(n) for n in notes), notes
    assert any("Article 18(2)" in n for n in notes) and any("Article 20(3)" in n for n in notes)


def test_across_the_2026_spring_festival(db):
    # Received Thu 2026-02-12. Working days after it: 13 (Fri), 14 (make-up Sat), then the
    # holiday 15–23, then 24, 25, 26, 27, and 28 (make-up Sat) is the 7th.
    assert deadlines.due_date(_limit("accept_complaint"), dt.date(2026, 2, 12)) == dt.date(
        2026, 2, 28
    )


def test_across_national_day_2026(db):
    # Decided Wed 2026-09-23: 24 (1), 25–27 Mid-Autumn off, 28 (2), 29 (3), 30 (4),
    # 1–7 Oct off, 8 (5), 9 (6), 10 make-up Sat (7), 12–16 (8–12), 19–23 (13–17), 26–28 (18–20).
    assert deadlines.due_date(_limit("publish_penalty"), dt.date(2026, 9, 23)) == dt.date(
        2026, 10, 28
    )


def test_natural_days_for_deciding_a_case(db):
    assert deadlines.due_date(_limit("decide_case"), dt.date(2026, 11, 23)) == dt.date(2027, 2, 21)


def test_into_2027_counts_the_statutory_holidays_until_the_schedule_is_confirmed(db):
    # 2027 is not in the calendar package: 元旦 (Fri 01-01) is computed as a day off, and the
    # answer stays provisional until an administrator confirms the year.
    start = dt.date(2026, 12, 24)
    limit = _limit("verify_lead")
    assert deadlines.due_date(limit, start) == dt.date(2027, 1, 15)
    from ipshield.engines import workdays

    assert workdays.calendar_note(dt.date(2027, 1, 15)) is not None
    WorkdayOverride.objects.create(date=dt.date(2027, 1, 2), is_working_day=True, note="调休上班")
    assert deadlines.due_date(limit, start) == dt.date(2027, 1, 14)
    CalendarYear.objects.create(year=2027)
    deadlines.load_calendar()
    assert workdays.calendar_note(dt.date(2027, 1, 14)) is None
    # Deleting an override that is not the latest change still reaches the engine.
    WorkdayOverride.objects.create(date=dt.date(2027, 3, 1), is_working_day=False, note="x")
    deadlines.load_calendar()
    WorkdayOverride.objects.filter(date=dt.date(2027, 1, 2)).delete()
    assert deadlines.due_date(limit, start) == dt.date(2027, 1, 15)
    WorkdayOverride.objects.all().delete()
    CalendarYear.objects.all().delete()
    deadlines.load_calendar()


def _report(world):
    return intake.report_submit(
        actor=None,
        right_kind=RightKind.TRADEMARK,
        title="假冒商标",
        description="有人销售假货",
        region=world.county,
        anonymous=False,
        reporter_name="王五",
        reporter_phone="13800000000",
    ).case


def test_limits_open_and_close_with_the_workflow(world):
    case = _report(world)
    assert set(case.deadlines.values_list("key", flat=True)) == {"verify_lead"}
    services.case_accept(actor=world.officer, case=case)
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    open_keys = set(case.deadlines.filter(met_at__isnull=True).values_list("key", flat=True))
    assert open_keys == {"decide_case", "notify_reporter"}
    case.refresh_from_db()
    assert case.deadline_label == "告知实名举报人立案结果"  # the earliest open limit
    services.case_notify_reporter(actor=world.officer, case=case, note="电话告知已立案")
    case.refresh_from_db()
    assert case.deadline_label == "作出处理决定"


def test_extension_once_by_a_leader(world):
    case = _report(world)
    before = case.deadlines.get(key="verify_lead").due_on
    with pytest.raises(PermissionDenied):
        services.case_extend_deadline(actor=world.officer, case=case, key="verify_lead", reason="r")
    services.case_extend_deadline(
        actor=world.leader, case=case, key="verify_lead", reason="需向外地核实"
    )
    after = case.deadlines.get(key="verify_lead")
    assert after.extended and after.due_on > before
    from ipshield.engines import workdays

    assert workdays.working_days_between(before, after.due_on) == 15
    with pytest.raises(Conflict):
        services.case_extend_deadline(
            actor=world.leader, case=case, key="verify_lead", reason="再延"
        )


def test_overdue_state(db):
    today = dt.date(2026, 11, 23)  # a Monday
    assert deadlines.overdue_state(dt.date(2026, 11, 20), today) == "overdue"
    assert deadlines.overdue_state(dt.date(2026, 11, 26), today) == "due_soon"
    assert deadlines.overdue_state(dt.date(2026, 12, 10), today) == ""
    assert deadlines.overdue_state(None, today) == ""


def test_reminders_reach_the_units_people_once_a_day(world):
    case = _report(world)
    CaseDeadline.objects.filter(case=case).update(due_on=dt.date(2026, 11, 20))
    today = dt.date(2026, 11, 23)
    assert deadline_reminders_send(today=today) == 1
    reminded = set(Notification.objects.values_list("user__username", flat=True))
    assert reminded == {"officer", "leader"}
    assert "已超期" in Notification.objects.first().message
    assert deadline_reminders_send(today=today) == 0
    assert deadline_reminders_send(today=dt.date(2026, 11, 24)) == 1


def test_far_deadlines_send_nothing(world):
    _report(world)
    CaseDeadline.objects.update(due_on=dt.date(2026, 12, 31))
    assert deadline_reminders_send(today=dt.date(2026, 11, 23)) == 0


@pytest.mark.django_db(transaction=True)
def test_worker_keeps_daily_jobs_queued():
    from django_tasks_db.models import DBTaskResult

    from ipshield.common.schedule import DAILY_TASKS, ensure_daily, next_run

    assert sorted(ensure_daily()) == sorted(DAILY_TASKS)
    assert ensure_daily() == []
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == len(DAILY_TASKS)
    now = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)  # 13:00 in Shanghai
    assert next_run(now).isoformat() == "2026-11-24T06:00:00+08:00"


def test_database_optimize_gives_the_planner_statistics(world):
    from django.db import connection

    from ipshield.common.maintenance import database_optimize

    _report(world)  # ANALYZE records nothing for an empty table
    assert database_optimize().startswith("ANALYZE")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'cases_case'")
            assert cursor.fetchone()[0] > 0


def test_database_optimize_vacuums_postgresql_outside_a_transaction(transactional_db):
    from django.db import connection

    from ipshield.common.maintenance import database_optimize

    expected = "VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE"
    assert database_optimize() == f"{expected} ({connection.vendor})"


def test_complaint_mediation_runs_from_acceptance_until_the_decision(world):
    from ipshield.cases.models import DecisionKind
    from ipshield.registry import services as registry_services
    from ipshield.registry.models import RightsHolder

    holder = RightsHolder.objects.create(
        name="合作社", kind="enterprise", region=world.county, user=world.holder_user
    )
    right = registry_services.right_verify(
        actor=world.officer,
        right=registry_services.right_register(
            actor=world.holder_user,
            holder=holder,
            kind=RightKind.TRADEMARK,
            registration_number="5550001",
            title="保德红",
            nice_classes=[30],
        ),
    )
    case = intake.complaint_submit(
        actor=world.holder_user,
        right=right,
        title="仿冒",
        description="仿冒包装",
        region=world.county,
        infringer_name="某店",
    ).case
    services.case_accept(actor=world.officer, case=case)
    mediation = case.deadlines.get(key="complaint_mediation")
    from ipshield.engines import workdays

    assert workdays.working_days_between(mediation.starts_on, mediation.due_on) == 45
    assert "第二十一条" in mediation.legal_source
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    services.case_propose_decision(
        actor=world.officer, case=case, kind=DecisionKind.MEDIATED, summary="双方达成调解协议"
    )
    mediation.refresh_from_db()
    assert mediation.met_at is None  # until the decision takes effect
    walkthrough.approve(case, reviewer=world.reviewer, leader=world.leader)
    mediation.refresh_from_db()
    assert mediation.met_at is not None


def test_time_under_suspension_does_not_count(world):
    from ipshield.cases.models import Case

    case = _report(world)
    services.case_accept(actor=world.officer, case=case)
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    decide = case.deadlines.get(key="decide_case")
    before = decide.due_on
    notify = case.deadlines.get(key="notify_reporter")
    services.case_suspend(actor=world.leader, case=case, reason="等待鉴定结论")
    # Pretend the suspension began 10 days ago.
    Case.objects.filter(pk=case.pk).update(
        suspended_on=timezone.localdate() - dt.timedelta(days=10)
    )
    case.refresh_from_db()
    services.case_resume(actor=world.leader, case=case, reason="鉴定结论已出")
    decide.refresh_from_db()
    assert (decide.due_on - before).days == 10  # a limit in natural days moves by 10 days
    case.refresh_from_db()
    assert case.suspended_on is None
    assert case.events.filter(note__contains="案件中止期间不计入该期限").exists()
    assert case.events.filter(note__contains="第六十四条第二款").exists()
    # Suspension stops the decision limit only (程序规定第六十四条第二款): telling the reporter
    # (投诉举报办法第三十一条) has no such rule and keeps running.
    old_due = notify.due_on
    notify.refresh_from_db()
    assert notify.due_on == old_due


def _complaint(world):
    from tests.cases.factories import receive

    case = receive(world)
    return services.case_accept(actor=world.officer, case=case)


def test_time_that_does_not_count_moves_only_the_limits_whose_source_says_so(world):
    from ipshield.cases.models import ExcludedTime
    from ipshield.engines import workdays

    case = _complaint(world)
    verify = case.deadlines.get(key="verify_lead")
    mediation = case.deadlines.get(key="complaint_mediation")
    since = timezone.localdate() - dt.timedelta(days=14)
    until = timezone.localdate()
    working = workdays.working_days_between(since, until)
    assert working >= 8

    # Testing stops both the verification (程序规定第十八条第二款) and the mediation limit
    # (投诉举报办法第二十条第三款), in working days.
    services.case_exclude_time(
        actor=world.officer, case=case, reason=ExcludedTime.TESTING, since=since, until=until
    )
    v_due, m_due = verify.due_on, mediation.due_on
    verify.refresh_from_db()
    mediation.refresh_from_db()
    assert verify.due_on == workdays.add_working_days(v_due, working)
    assert mediation.due_on == workdays.add_working_days(m_due, working)

    # The rights holder's identification stops the verification only.
    services.case_exclude_time(
        actor=world.officer,
        case=case,
        reason=ExcludedTime.IDENTIFICATION,
        since=since,
        until=until,
    )
    m_due = mediation.due_on
    mediation.refresh_from_db()
    assert mediation.due_on == m_due

    # A hearing stops neither: refused with a code, nothing moves.
    v_due = verify.refresh_from_db() or verify.due_on
    with pytest.raises(Conflict) as info:
        services.case_exclude_time(
            actor=world.officer, case=case, reason=ExcludedTime.HEARING, since=since, until=until
        )
    assert info.value.code == "time_counts" and info.value.field == "reason"
    verify.refresh_from_db()
    assert verify.due_on == v_due


def test_suspension_moves_neither_the_verification_nor_the_mediation_limit(world):
    from ipshield.cases.models import Case

    case = _complaint(world)
    dues = dict(case.deadlines.values_list("key", "due_on"))
    services.case_suspend(actor=world.leader, case=case, reason="等待当事人")
    Case.objects.filter(pk=case.pk).update(
        suspended_on=timezone.localdate() - dt.timedelta(days=10)
    )
    case.refresh_from_db()
    services.case_resume(actor=world.leader, case=case, reason="恢复")
    assert dict(case.deadlines.values_list("key", "due_on")) == dues


def test_the_publication_limit_is_not_stopped(world):
    from decimal import Decimal

    from ipshield.cases.models import DecisionKind, ExcludedTime

    case = _complaint(world)
    case = walkthrough.decide(
        case,
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        kind=DecisionKind.PENALTY,
        amount=Decimal("8000"),
    )
    publish = case.deadlines.get(key="publish_penalty", met_at__isnull=True)
    assert "第九条" in publish.legal_source and "第十条" in publish.legal_source
    with pytest.raises(Conflict):
        services.case_exclude_time(
            actor=world.officer,
            case=case,
            reason=ExcludedTime.TESTING,
            since=timezone.localdate() - dt.timedelta(days=3),
            until=timezone.localdate(),
        )


def test_excluded_time_is_checked(world):
    from ipshield.cases.models import ExcludedTime
    from ipshield.common.errors import InvalidInput

    case = _complaint(world)
    today = timezone.localdate()
    bad = [
        ({"reason": "holiday", "since": today - dt.timedelta(days=2), "until": today}, "reason"),
        (
            {
                "reason": ExcludedTime.SUSPENSION,
                "since": today - dt.timedelta(days=2),
                "until": today,
            },
            "reason",
        ),
        ({"reason": ExcludedTime.TESTING, "since": "2026-13-01", "until": today}, "since"),
        ({"reason": ExcludedTime.TESTING, "since": today, "until": today}, "until"),
        (
            {"reason": ExcludedTime.TESTING, "since": today, "until": today + dt.timedelta(days=1)},
            "until",
        ),
    ]
    for kwargs, field in bad:
        with pytest.raises(InvalidInput) as info:
            services.case_exclude_time(actor=world.officer, case=case, **kwargs)
        assert info.value.field == field
    with pytest.raises(NotFound):  # the rights holder does not handle cases
        services.case_exclude_time(
            actor=world.holder_user,
            case=case,
            reason=ExcludedTime.TESTING,
            since=today - dt.timedelta(days=2),
            until=today,
        )


def test_the_case_page_and_list_show_limits_in_english(world, login):
    from tests.cooperation.factories import facts

    case = _complaint(world)
    facts(world, case, volume="50000")
    client = login(world.officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/workbench/"})
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    deadlines_html = page[page.index('id="case-deadlines"') :]
    deadlines_html = deadlines_html[: deadlines_html.index("</section>")]
    assert "Verify the lead and decide whether to open a case" in deadlines_html
    assert "Complaint mediation period" in deadlines_html
    assert "Article 18" in deadlines_html and "核查线索" not in deadlines_html
    # The referral panel: the reason reached and the table of thresholds (the case record keeps
    # the note as it was written, in the language of the moment).
    reason = page[page.index('data-testid="threshold-reason">') :]
    reason = reason[: reason.index("</li>")]
    assert "Crime of counterfeiting a registered trademark" in reason
    assert "Fa Shi [2025] No. 5" in reason and "假冒" not in reason
    assert (
        "Crime of counterfeiting a registered trademark · Identical mark on identical goods" in page
    )
    listing = client.get("/workbench/cases/").content.decode()
    assert "Verify the lead and decide whether to open a case" in listing
