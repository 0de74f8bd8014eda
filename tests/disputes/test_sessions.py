"""Mediation sessions: times checked, every participant invited with an RFC 5545 .ics (one
ATTENDEE each), rescheduling raises SEQUENCE, the record hashed into the dispute's record, the
reminder the day before, the .ics attached to the e-mail."""

from __future__ import annotations

import datetime as dt
import email
import hashlib

import icalendar
import pytest
from django.utils import timezone

from ipshield.accounts import delivery
from ipshield.accounts.models import Notification
from ipshield.common.errors import DomainError
from ipshield.disputes import errors, services, sessions
from ipshield.disputes.models import DisputeEvent, SessionStatus
from tests.accounts.test_notices import smtp  # noqa: F401 -- fixture
from tests.disputes.conftest import apply

pytestmark = pytest.mark.django_db


def refuse(expected: str, call, /, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == expected, caught.value
    return caught.value


def mediating(bodies, world):
    dispute = apply(bodies, world)
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    dispute = services.dispute_assign(
        actor=world.mediator, dispute=dispute, mediator=bodies.mediator
    )
    for user, address in (
        (world.mediator, "mediator@example.org"),
        (bodies.applicant, "holder@example.org"),
        (bodies.respondent, "public@example.org"),
    ):
        user.email = address
        user.save(update_fields=["email"])
    return dispute


def tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_times_are_checked_field_by_field(bodies, world):
    dispute = mediating(bodies, world)
    now = timezone.now()
    cases = [
        (now - dt.timedelta(hours=1), now + dt.timedelta(hours=1), "starts_at"),
        (now + dt.timedelta(days=400), now + dt.timedelta(days=400, hours=1), "starts_at"),
        (tomorrow_at(10), tomorrow_at(9), "ends_at"),
        (tomorrow_at(10), tomorrow_at(10), "ends_at"),
        (tomorrow_at(8), tomorrow_at(8) + dt.timedelta(hours=13), "ends_at"),
        ("next tuesday", tomorrow_at(9), "starts_at"),
    ]
    for starts_at, ends_at, field in cases:
        error = refuse(
            errors.SESSION_TIMES,
            sessions.session_schedule,
            actor=world.mediator,
            dispute=dispute,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        assert error.field == field, (starts_at, ends_at)
    refuse(
        errors.NOT_YOURS,
        sessions.session_schedule,
        actor=bodies.applicant,
        dispute=dispute,
        starts_at=tomorrow_at(9),
        ends_at=tomorrow_at(11),
    )


def test_a_video_session_invites_every_participant_with_an_ics(bodies, world):
    dispute = mediating(bodies, world)
    session = sessions.session_schedule(
        actor=world.mediator,
        dispute=dispute,
        starts_at=tomorrow_at(9).isoformat(),
        ends_at=tomorrow_at(11).isoformat(),
        video=True,
    )
    assert session.video_link == bodies.committee.video_link
    invited = Notification.objects.filter(kind="dispute.session")
    assert set(invited.values_list("user", flat=True)) == {
        bodies.applicant.pk,
        bodies.respondent.pk,
        world.mediator.pk,
    }
    assert invited.first().link == sessions.ics_link(session)
    calendar = icalendar.Calendar.from_ical(sessions.ics(session))
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    attendees = event.get("attendee")
    assert sorted(str(a) for a in attendees) == [
        "mailto:holder@example.org",
        "mailto:mediator@example.org",
        "mailto:public@example.org",
    ]
    assert event.decoded("dtstart") == tomorrow_at(9).astimezone(dt.UTC)
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(0)
    assert str(event["location"]) == bodies.committee.video_link
    assert int(event["sequence"]) == 0
    assert event["organizer"].params["cn"] == "保德县人民调解委员会"
    uid = str(event["uid"])

    moved = sessions.session_reschedule(
        actor=world.mediator,
        session=session,
        starts_at=tomorrow_at(14),
        ends_at=tomorrow_at(16),
        place="保德县人民调解中心二楼；含“逗号,分号;”",
        video=False,
    )
    (event,) = icalendar.Calendar.from_ical(sessions.ics(moved)).walk("VEVENT")
    assert str(event["uid"]) == uid and int(event["sequence"]) == 1
    assert str(event["location"]) == "保德县人民调解中心二楼；含“逗号,分号;”"  # escaped, read back
    assert Notification.objects.filter(kind="dispute.session").count() == 6

    cancelled = sessions.session_cancel(actor=world.mediator, session=moved, reason="当事人请假")
    calendar = icalendar.Calendar.from_ical(sessions.ics(cancelled))
    assert str(calendar["method"]) == "CANCEL"
    assert int(calendar.walk("VEVENT")[0]["sequence"]) == 2
    refuse(
        errors.SESSION_NOT_SCHEDULED,
        sessions.session_record,
        actor=world.mediator,
        session=cancelled,
        record="x",
        attendees="y",
    )


def test_long_lines_are_folded(bodies, world):
    dispute = mediating(bodies, world)
    session = sessions.session_schedule(
        actor=world.mediator,
        dispute=dispute,
        starts_at=tomorrow_at(9),
        ends_at=tomorrow_at(10),
        place="保德县" * 40,
    )
    raw = sessions.ics(session)
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["location"]) == "保德县" * 40


def test_the_record_is_hashed_into_the_dispute_record(bodies, world):
    dispute = mediating(bodies, world)
    session = sessions.session_schedule(
        actor=world.mediator, dispute=dispute, starts_at=tomorrow_at(9), ends_at=tomorrow_at(10)
    )
    assert session.place == bodies.committee.address  # the organisation's place by default
    refuse(
        errors.FIELD_REQUIRED,
        sessions.session_record,
        actor=world.mediator,
        session=session,
        record="双方陈述了意见。",
        attendees="",
    )
    held = sessions.session_record(
        actor=world.mediator,
        session=session,
        record="双方陈述了意见。\r\n申请人同意降低赔偿数额。",
        attendees=["冀文秀", "申请人代理人", "被申请人"],
    )
    assert held.status == SessionStatus.HELD
    event = DisputeEvent.objects.filter(dispute=dispute, verb="session_record").get()
    expected = hashlib.sha256("双方陈述了意见。\n申请人同意降低赔偿数额。".encode()).hexdigest()
    assert event.params["sha256"] == expected
    assert held.attendees == "冀文秀、申请人代理人、被申请人"


def test_participants_are_reminded_the_day_before_once(bodies, world):
    dispute = mediating(bodies, world)
    sessions.session_schedule(
        actor=world.mediator, dispute=dispute, starts_at=tomorrow_at(9), ends_at=tomorrow_at(10)
    )
    later = timezone.now() + dt.timedelta(days=3)
    sessions.session_schedule(
        actor=world.mediator,
        dispute=dispute,
        starts_at=later,
        ends_at=later + dt.timedelta(hours=1),
    )
    assert sessions.session_reminders_send(today=timezone.localdate()) == 1
    assert sessions.session_reminders_send(today=timezone.localdate()) == 0
    assert Notification.objects.filter(kind="dispute.session_soon").count() == 3


def test_the_invitation_mail_carries_the_ics(bodies, world, smtp):  # noqa: F811
    dispute = mediating(bodies, world)
    session = sessions.session_schedule(
        actor=world.mediator, dispute=dispute, starts_at=tomorrow_at(9), ends_at=tomorrow_at(10)
    )
    notice = Notification.objects.get(kind="dispute.session", user=bodies.applicant)
    assert delivery.deliver([notice.pk]) == 1
    assert smtp.arrived.wait(30)
    message = email.message_from_bytes(smtp.messages[0].content)
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    calendar = icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))
    assert str(calendar.walk("VEVENT")[0]["uid"]) == sessions._uid(session)
