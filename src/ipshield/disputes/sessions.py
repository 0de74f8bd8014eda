"""Mediation sessions: scheduled in a place or by video, rescheduled, cancelled, held with a
record (调解笔录), and the calendar invitation every participant receives.

The platform does not host video: a video session uses the organisation's stored room link
(``Organisation.video_link``). Each change sends the notice ``dispute.session`` to every
participant (the parties with an account and the mediator) with a link to the session's .ics
(:func:`ics`, RFC 5545, the UID stable per session and SEQUENCE raised on every change); when
e-mail is on, the .ics is attached to the mail (``accounts.notices.ATTACHMENTS``). The day
before, :func:`session_reminders_send` reminds them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshield.accounts.notices import notify
from ipshield.accounts.services import require_writer
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.disputes import errors, record, workflow
from ipshield.disputes.models import Dispute, Session, SessionStatus
from ipshield.disputes.selectors import sides_of
from ipshield.disputes.workflow import Status

SCHEDULABLE = frozenset({Status.CONSENTED, Status.MEDIATING})
AHEAD = dt.timedelta(days=366)  # no session further ahead than a year
LONGEST = dt.timedelta(hours=12)  # nor longer than a day's work
RECORD_LIMIT = 50000
ICS_TYPE = "text/calendar"

# The entries this module writes in a dispute's record, for the timeline.
RECORD_VERBS = {
    "session_schedule": gettext_lazy("安排调解会议"),
    "session_reschedule": gettext_lazy("调整调解会议时间"),
    "session_cancel": gettext_lazy("取消调解会议"),
    "session_record": gettext_lazy("记录调解笔录"),
}


def ics_link(session: Session) -> str:
    """Where a participant downloads the invitation (served by the dispute pages)."""
    return f"/disputes/{session.dispute_id}/sessions/{session.pk}/invite.ics"


def _lock(dispute: Dispute) -> Dispute:
    from ipshield.disputes.services import _lock as lock

    return lock(dispute)


def _runner(actor: Any, dispute: Dispute) -> None:
    """The mediator of the dispute or its organisation's staff."""
    if not sides_of(actor, dispute) & {workflow.MEDIATOR, workflow.ORG}:
        raise PermissionDenied(
            _("只有调解员或调解组织的工作人员可以安排调解会议。"), code=errors.NOT_YOURS
        )


def _schedulable(dispute: Dispute) -> None:
    if dispute.status not in SCHEDULABLE:
        raise Conflict(
            _("纠纷目前为“%(status)s”，不能安排调解会议。")
            % {"status": Status(dispute.status).label},
            code=errors.NOT_ALLOWED,
        )


def _when(value: Any, *, field: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            raise InvalidInput(
                _("请按“年-月-日 时:分”填写时间。"), field=field, code=errors.SESSION_TIMES
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.replace(microsecond=0)


def clean_times(starts_at: Any, ends_at: Any, *, now: dt.datetime | None = None):
    """The session's start and end, aware; refused (``SESSION_TIMES`` naming the field) when
    the end is not after the start, the start is past, more than a year ahead, or the session
    lasts more than twelve hours."""
    now = now or timezone.now()
    start = _when(starts_at, field="starts_at")
    end = _when(ends_at, field="ends_at")
    if start < now:
        raise InvalidInput(
            _("开始时间已经过去，请选择以后的时间。"), field="starts_at", code=errors.SESSION_TIMES
        )
    if start > now + AHEAD:
        raise InvalidInput(
            _("开始时间不能在一年以后。"), field="starts_at", code=errors.SESSION_TIMES
        )
    if end <= start:
        raise InvalidInput(
            _("结束时间应晚于开始时间。"), field="ends_at", code=errors.SESSION_TIMES
        )
    if end - start > LONGEST:
        raise InvalidInput(
            _("一次调解会议不能超过 12 小时。"), field="ends_at", code=errors.SESSION_TIMES
        )
    return start, end


def _where(dispute: Dispute, place: Any, video: bool) -> tuple[str, str]:
    place = str(place or "").strip()[:200]
    if video:
        link = dispute.organisation.video_link
        if not link:
            raise InvalidInput(
                _("本组织尚未登记视频调解会议室链接，请先在组织资料中填写，或选择现场调解。"),
                field="video",
                code=errors.FIELD_INVALID,
            )
        return place, link
    place = place or dispute.organisation.address
    if not place:
        raise InvalidInput(_("请填写调解地点。"), field="place", code=errors.FIELD_REQUIRED)
    return place, ""


def participants(dispute: Dispute) -> list[Any]:
    """Who is invited: the parties with an account and the mediator."""
    people = [p.user for p in dispute.parties.select_related("user") if p.user_id]
    if dispute.mediator_id is not None:
        people.append(dispute.mediator.user)
    seen, unique = set(), []
    for user in people:
        if user.pk not in seen and user.is_active:
            seen.add(user.pk)
            unique.append(user)
    return unique


def _params(session: Session) -> dict[str, Any]:
    local = timezone.localtime(session.starts_at)
    return {
        "number": session.dispute.number,
        "title": session.dispute.title,
        "when": local.strftime("%Y-%m-%d %H:%M"),
        "place": session.place or session.video_link,
        "session": session.pk,
    }


def _invite(session: Session, kind: str = "dispute.session") -> None:
    notify(
        users=participants(session.dispute),
        kind=kind,
        params=_params(session),
        link=ics_link(session) if kind == "dispute.session" else f"/disputes/{session.dispute_id}/",
    )


@transaction.atomic
def session_schedule(
    *,
    actor: Any,
    dispute: Dispute,
    starts_at: Any,
    ends_at: Any,
    place: str = "",
    video: bool = False,
    now: dt.datetime | None = None,
) -> Session:
    """Schedule a session and invite every participant."""
    require_writer(actor)
    dispute = _lock(dispute)
    _runner(actor, dispute)
    _schedulable(dispute)
    start, end = clean_times(starts_at, ends_at, now=now)
    where, link = _where(dispute, place, bool(video))
    session = Session.objects.create(
        dispute=dispute, starts_at=start, ends_at=end, place=where, video_link=link
    )
    session.dispute = dispute
    record.append(
        dispute,
        "session_schedule",
        actor=actor,
        session=session.pk,
        starts_at=start.isoformat(),
        ends_at=end.isoformat(),
        video=bool(link),
    )
    _invite(session)
    return session


def _locked_session(actor: Any, session: Session) -> Session:
    require_writer(actor)
    dispute = _lock(session.dispute)
    session = Session.objects.select_for_update().get(pk=session.pk)
    session.dispute = dispute
    _runner(actor, dispute)
    if session.status != SessionStatus.SCHEDULED:
        raise Conflict(_("这次调解会议已经举行或已取消。"), code=errors.SESSION_NOT_SCHEDULED)
    return session


@transaction.atomic
def session_reschedule(
    *,
    actor: Any,
    session: Session,
    starts_at: Any,
    ends_at: Any,
    place: str | None = None,
    video: bool | None = None,
    now: dt.datetime | None = None,
) -> Session:
    """Move a scheduled session (the place and video kept unless given); the participants get
    the updated invitation (same UID, SEQUENCE raised)."""
    session = _locked_session(actor, session)
    _schedulable(session.dispute)
    start, end = clean_times(starts_at, ends_at, now=now)
    if place is not None or video is not None:
        use_video = bool(session.video_link) if video is None else bool(video)
        session.place, session.video_link = _where(
            session.dispute, session.place if place is None else place, use_video
        )
    session.starts_at, session.ends_at = start, end
    session.sequence += 1
    session.reminded_at = None
    session.save()
    record.append(
        session.dispute,
        "session_reschedule",
        actor=actor,
        session=session.pk,
        starts_at=start.isoformat(),
        ends_at=end.isoformat(),
    )
    _invite(session)
    return session


@transaction.atomic
def session_cancel(*, actor: Any, session: Session, reason: str = "") -> Session:
    """Cancel a scheduled session; the participants are told (and their calendars get the
    cancellation: the .ics turns into METHOD:CANCEL)."""
    session = _locked_session(actor, session)
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    session.save()
    record.append(
        session.dispute,
        "session_cancel",
        actor=actor,
        session=session.pk,
        reason=str(reason or "").strip()[:500],
    )
    _invite(session, kind="dispute.session_cancelled")
    return session


@transaction.atomic
def session_record(*, actor: Any, session: Session, record: str, attendees: Any) -> Session:
    """Record a held session: the record (调解笔录) and who attended; the record's SHA-256 goes
    into the dispute's record, anchored in the evidence ledger."""
    from ipshield.disputes import record as dispute_record

    session = _locked_session(actor, session)
    text = str(record or "").replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(_("请填写调解笔录。"), field="record", code=errors.FIELD_REQUIRED)
    if len(text) > RECORD_LIMIT:
        raise InvalidInput(
            _("调解笔录不能超过 %(limit)s 个字。") % {"limit": RECORD_LIMIT},
            field="record",
            code=errors.FIELD_INVALID,
        )
    if isinstance(attendees, (list, tuple)):
        attendees = "、".join(str(a).strip() for a in attendees if str(a).strip())
    attendees = str(attendees or "").strip()
    if not attendees:
        raise InvalidInput(
            _("请填写参加调解的人员。"), field="attendees", code=errors.FIELD_REQUIRED
        )
    if len(attendees) > 500:
        raise InvalidInput(
            _("参加人员不能超过 %(limit)s 个字。") % {"limit": 500},
            field="attendees",
            code=errors.FIELD_INVALID,
        )
    session.record = text
    session.attendees = attendees
    session.status = SessionStatus.HELD
    session.save()
    dispute_record.append(
        session.dispute,
        "session_record",
        actor=actor,
        session=session.pk,
        sha256=record_digest(session),
    )
    return session


def record_digest(session: Session) -> str:
    return hashlib.sha256(session.record.encode("utf-8")).hexdigest()


def session_reminders_send(today: dt.date | None = None) -> int:
    """Remind the participants of tomorrow's sessions (once per session and schedule; a
    rescheduled session is reminded again). Returns how many sessions were reminded. Run by
    the daily task."""
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min), tz)
    end = start + dt.timedelta(days=1)
    count = 0
    due = Session.objects.filter(
        status=SessionStatus.SCHEDULED,
        reminded_at__isnull=True,
        starts_at__gte=start,
        starts_at__lt=end,
        dispute__status__in=SCHEDULABLE,
    ).select_related("dispute__mediator__user", "dispute__organisation__unit")
    for session in due:
        with transaction.atomic():
            claimed = Session.objects.filter(pk=session.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if claimed:
                _invite(session, kind="dispute.session_soon")
                count += 1
    return count


def sessions_for(user: Any, dispute: Dispute) -> QuerySet[Session]:
    """The dispute's sessions (the caller already checked ``user`` may read the dispute)."""
    return Session.objects.filter(dispute=dispute).order_by("starts_at", "pk")


def sessions_context(user: Any, dispute: Dispute) -> dict[str, Any]:
    """What ``disputes/_sessions.html`` shows. A held session's record (调解笔录) is shown to
    the participants and the organisation's staff only; others see its hash."""
    insiders = bool(sides_of(user, dispute) & {workflow.PARTY, workflow.MEDIATOR, workflow.ORG})
    rows = []
    for session in sessions_for(user, dispute):
        held = session.status == SessionStatus.HELD
        rows.append(
            {
                "session": session,
                "starts_at": timezone.localtime(session.starts_at),
                "ends_at": timezone.localtime(session.ends_at),
                "invite": ics_link(session) if session.status == SessionStatus.SCHEDULED else "",
                "record_sha256": record_digest(session) if held else "",
                "show_record": held and insiders,
            }
        )
    return {"dispute": dispute, "rows": rows}


# --- the invitation -------------------------------------------------------------------------


def _uid(session: Session) -> str:
    host = settings.IPSHIELD_BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "ipshield"
    return f"dispute-session-{session.pk}@{host}"


def ics(session: Session) -> bytes:
    """The session as an RFC 5545 invitation: METHOD:REQUEST (CANCEL once cancelled), a UID
    stable per session, SEQUENCE from ``session.sequence``, times in UTC, the place or the
    video link as LOCATION, the organisation as ORGANIZER and one ATTENDEE per participant
    with an e-mail address. Written by ``icalendar`` (line folding and escaping)."""
    dispute = session.dispute
    organisation = dispute.organisation
    cancelled = session.status == SessionStatus.CANCELLED
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//IPShield//Dispute sessions//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", _uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("dtend", session.ends_at.astimezone(dt.UTC))
    event.add(
        "summary",
        _("调解会议：%(number)s %(title)s")
        % {
            "number": dispute.number,
            "title": dispute.title,
        },
    )
    event.add("location", session.place or session.video_link)
    description = [
        _("纠纷编号：%(number)s") % {"number": dispute.number},
        _("调解组织：%(name)s") % {"name": organisation.unit.name},
    ]
    if session.video_link:
        description.append(_("视频调解：%(link)s") % {"link": session.video_link})
        event.add("url", session.video_link)
    description.append(f"{settings.IPSHIELD_BASE_URL}/disputes/{dispute.pk}/")
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = icalendar.vText(organisation.unit.name)
    event.add("organizer", organizer)
    for user in participants(dispute):
        if not user.email:
            continue
        attendee = icalendar.vCalAddress(f"mailto:{user.email}")
        profile = getattr(user, "profile", None)
        name = getattr(profile, "display_name", "") or user.get_full_name() or user.username
        attendee.params["cn"] = icalendar.vText(name)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        attendee.params["rsvp"] = icalendar.vText("FALSE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def notice_attachment(params: dict[str, Any]) -> tuple[str, bytes, str] | None:
    """The .ics a ``dispute.session`` e-mail carries (``accounts.notices.ATTACHMENTS``)."""
    session = (
        Session.objects.select_related("dispute__organisation__unit", "dispute__mediator__user")
        .filter(pk=params.get("session"))
        .first()
    )
    if session is None:
        return None
    method = "CANCEL" if session.status == SessionStatus.CANCELLED else "REQUEST"
    return "invite.ics", ics(session), f"{ICS_TYPE}; charset=utf-8; method={method}"
