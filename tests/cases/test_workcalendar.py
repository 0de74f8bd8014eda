"""Years the calendar package does not know: provisional deadlines, the notice on the pages that
show them, and the administrator's confirmation of the year's 调休 schedule."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from ipshield.audit.models import AuditEvent, Verb
from ipshield.cases import deadlines, pdf, services, workcalendar
from ipshield.cases.models import CalendarYear, CaseDeadline, CaseEventVerb, WorkdayOverride
from ipshield.common.errors import InvalidInput
from ipshield.engines import workdays
from tests.cases.factories import receive

NOTICE_2027 = "2027 年的期限按法定节假日推算，待管理员确认当年调休安排"
START = dt.date(2026, 12, 24)  # Thursday
# 15 working days from START: 12-25, 12-28..12-31, (元旦 01-01 off), 01-04..01-08, 01-11..01-15.
DUE_COMPUTED = dt.date(2027, 1, 15)
# With Saturday 01-02 entered as a make-up working day, the 15th is Thursday 01-14.
DUE_CONFIRMED = dt.date(2027, 1, 14)


@pytest.fixture(autouse=True)
def _fresh_calendar(db):
    deadlines.load_calendar()
    yield
    deadlines._loaded_version = None
    workdays.clear_overrides()


def _crossing(world):
    """An accepted complaint whose two running limits in working days (lead verification and
    mediation) both run 15 working days from Thu 2026-12-24 into 2027."""
    case = services.case_accept(actor=world.officer, case=receive(world))
    limit = case.deadlines.get(key=deadlines.VERIFY_LEAD, met_at__isnull=True)
    assert deadlines.due_date(limit_of(limit.key), START) == DUE_COMPUTED
    CaseDeadline.objects.filter(case=case, met_at__isnull=True).update(
        starts_on=START, due_on=DUE_COMPUTED
    )
    deadlines._sync_case_deadline(case)
    case.refresh_from_db()
    return case


def limit_of(key):
    from ipshield.cases.models import TimeLimit

    return TimeLimit.objects.get(key=key)


def _detail(client, case) -> str:
    """The case page's deadline table (the case record below it keeps what was said then)."""
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    return re.search(r'<section class="card" id="case-deadlines".*?</section>', page, re.S).group(0)


def test_a_limit_across_2027_is_provisional_until_the_year_is_confirmed(world, login):
    case = _crossing(world)
    client = login(world.officer)
    page = _detail(client, case)
    row = re.search(r'<tr[^>]*data-deadline="verify_lead".*?</tr>', page, re.S).group(0)
    assert "2027-01-15" in row and 'data-testid="provisional"' in row and NOTICE_2027 in row
    assert 'data-testid="provisional"' in client.get("/workbench/cases/").content.decode()
    assert NOTICE_2027 in client.get("/workbench/").content.decode()

    # The administrator enters the year's make-up Saturday: the limit keeps its 15 working days.
    override = WorkdayOverride(date=dt.date(2027, 1, 2), is_working_day=True, note="调休上班")
    workcalendar.workday_override_save(actor=world.admin, override=override)
    limit = case.deadlines.get(key=deadlines.VERIFY_LEAD)
    assert limit.due_on == DUE_CONFIRMED
    case.refresh_from_db()
    assert case.deadline == DUE_CONFIRMED
    moved = case.events.filter(verb=CaseEventVerb.DEADLINE_SET).order_by("-seq").first()
    assert moved.after["due"] == "2027-01-14" and "2027-01-02" in moved.note
    assert NOTICE_2027 in _detail(client, case)  # entered, not yet confirmed

    workcalendar.calendar_year_confirm(actor=world.admin, year=2027)
    assert case.deadlines.get(key=deadlines.VERIFY_LEAD).due_on == DUE_CONFIRMED
    page = _detail(client, case)
    assert NOTICE_2027 not in page and 'data-testid="provisional"' not in page
    assert 'data-testid="provisional"' not in client.get("/workbench/cases/").content.decode()
    assert 'data-testid="calendar-notice"' not in client.get("/workbench/").content.decode()
    changes = list(
        AuditEvent.objects.filter(verb=Verb.CALENDAR_CHANGED)
        .order_by("id")
        .values_list("data", flat=True)
    )
    assert [c["change"] for c in changes] == ["override_saved", "year_confirmed"]
    assert changes[0]["limits_moved"] == 2 and changes[1]["overrides"] == 1

    # Withdrawing the confirmation makes the year provisional again.
    workcalendar.calendar_year_unconfirm(actor=world.admin, year=2027)
    assert NOTICE_2027 in _detail(client, case)


def test_limits_in_natural_days_do_not_depend_on_the_calendar(world):
    decide = CaseDeadline(key=deadlines.DECIDE_CASE, starts_on=START, due_on=dt.date(2027, 3, 24))
    assert workcalendar.deadline_notice(decide) == ""
    assert deadlines.engine_note("calendar", START, dt.date(2027, 3, 24)) == ""
    verify = CaseDeadline(key=deadlines.VERIFY_LEAD, starts_on=START, due_on=DUE_COMPUTED)
    assert workcalendar.deadline_notice(verify) == NOTICE_2027
    # A limit that ends before 2027 is not provisional.
    early = CaseDeadline(key=deadlines.VERIFY_LEAD, starts_on=START, due_on=dt.date(2026, 12, 31))
    assert workcalendar.deadline_notice(early) == ""


def test_only_years_the_package_does_not_know_can_be_confirmed(world):
    with pytest.raises(InvalidInput) as refused:
        workcalendar.calendar_year_confirm(actor=world.admin, year=2026)
    assert refused.value.field == "year" and refused.value.code == "calendar_year_official"
    with pytest.raises(InvalidInput):
        workcalendar.calendar_year_confirm(actor=world.admin, year=99999)
    assert not CalendarYear.objects.exists()


def test_the_admin_confirms_a_year_and_enters_its_days(world, login):
    case = _crossing(world)
    client = login(world.admin)
    refused = client.post("/admin/cases/calendaryear/add/", {"year": "2026", "complete": "on"})
    assert refused.status_code == 200
    assert "2026 年的放假安排已由日历程序包提供" in refused.content.decode()

    response = client.post(
        "/admin/cases/workdayoverride/add/",
        {"date": "2027-01-02", "is_working_day": "on", "note": "调休上班"},
    )
    assert response.status_code == 302
    assert case.deadlines.get(key=deadlines.VERIFY_LEAD).due_on == DUE_CONFIRMED

    response = client.post("/admin/cases/calendaryear/add/", {"year": "2027", "complete": "on"})
    assert response.status_code == 302
    row = CalendarYear.objects.get(year=2027)
    assert not workdays.is_provisional(dt.date(2027, 6, 1))
    page = client.get(f"/admin/cases/calendaryear/{row.pk}/change/").content.decode()
    assert "01-01、02-05、02-08、02-09、02-10、04-05" in page  # the computed weekdays off

    # Unticking "confirmed" makes the year provisional again; ticking it confirms it once more.
    url = f"/admin/cases/calendaryear/{row.pk}/change/"
    assert client.post(url, {"year": "2027"}).status_code == 302
    assert workdays.is_provisional(dt.date(2027, 6, 1)) and CalendarYear.objects.filter(pk=row.pk)
    assert client.post(url, {"year": "2027", "complete": "on"}).status_code == 302
    assert not workdays.is_provisional(dt.date(2027, 6, 1))

    override = WorkdayOverride.objects.get()
    response = client.post(f"/admin/cases/workdayoverride/{override.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert case.deadlines.get(key=deadlines.VERIFY_LEAD).due_on == DUE_COMPUTED
    verbs = (
        AuditEvent.objects.filter(verb=Verb.CALENDAR_CHANGED)
        .order_by("id")
        .values_list("data", flat=True)
    )
    assert [v["change"] for v in verbs.order_by("id")] == [
        "override_saved",
        "year_confirmed",
        "year_unconfirmed",
        "year_confirmed",
        "override_deleted",
    ]
    response = client.post(f"/admin/cases/calendaryear/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not CalendarYear.objects.exists()


def test_the_notice_in_english_and_in_the_case_record():
    with translation.override("en"):
        text = workcalendar.provisional_notice([2027, 2028])
        assert "2027" in text and "2028" in text
        assert not re.search(r"[\u4e00-\u9fff]", text)
        recorded = pdf.calendar_note_text(workdays.calendar_note(dt.date(2027, 1, 4)))
        assert recorded == workcalendar.provisional_notice([2027])
    with translation.override("zh-hans"):
        assert workcalendar.provisional_notice([2027, 2028]) == (
            "2027、2028 年的期限按法定节假日推算，待管理员确认当年调休安排"
        )
        note = workdays.calendar_note(dt.date(2027, 1, 4))
        assert pdf.calendar_note_text(note) == NOTICE_2027


def test_the_publication_withdrawal_deadline_says_when_it_is_provisional(world, login, monkeypatch):
    from tests.publication.factories import closed

    publication = closed(world).publications.get()
    client = login(world.officer)
    url = f"/publications/staff/{publication.pk}/"
    assert 'data-testid="calendar-notice"' not in client.get(url).content.decode()
    # Revoked on Tue 2026-12-29, the three working days end on Mon 2027-01-04 (元旦 off).
    monkeypatch.setattr(
        "ipshield.publication.views.timezone.localdate", lambda *a: dt.date(2026, 12, 29)
    )
    page = client.get(url).content.decode()
    assert "2027-01-04" in page and NOTICE_2027 in page


def test_reminders_say_when_a_deadline_is_provisional(world):
    from ipshield.accounts.models import Notification
    from ipshield.cases.reminders import deadline_reminders_send

    case = _crossing(world)
    CaseDeadline.objects.filter(case=case, met_at__isnull=True).update(due_on=dt.date(2027, 1, 4))
    assert deadline_reminders_send(today=dt.date(2026, 12, 30)) == 2
    messages = set(
        Notification.objects.filter(kind__startswith="deadline.").values_list("message", flat=True)
    )
    assert messages and all(NOTICE_2027 in m for m in messages)
    workcalendar.calendar_year_confirm(actor=world.admin, year=2027)
    Notification.objects.all().delete()
    assert deadline_reminders_send(today=dt.date(2026, 12, 31)) == 2
    messages = set(
        Notification.objects.filter(kind__startswith="deadline.").values_list("message", flat=True)
    )
    assert messages and not any(NOTICE_2027 in m for m in messages)
