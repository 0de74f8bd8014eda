"""Notices and the work inbox: every hand-off reaches the people who must act, in the app at
once, by e-mail through a real SMTP server on loopback, by SMS through an HTTP gateway on
loopback, or in a daily digest; the inbox shows the same work, computed from the workflow."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone, translation

from ipshield.accounts import delivery
from ipshield.accounts.models import Notification, NotificationSettings
from ipshield.accounts.notices import notify
from ipshield.cases import services as case_services
from ipshield.cases import walkthrough
from ipshield.common import inbox
from ipshield.cooperation import services as coop_services
from tests.cases.factories import receive
from tests.cooperation.factories import police_officer, police_unit


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def inbox_kinds(user) -> set[str]:
    return {item.kind for item in inbox.items_for(user)}


def test_a_complaint_reaches_the_units_officers_and_their_inbox(world, login):
    case = receive(world)
    assert "case.received" in kinds(world.officer)
    # accepting is the case officers' work: not in the leader's notices or inbox
    assert "case.received" not in kinds(world.leader)
    assert "case.accept" not in inbox_kinds(world.leader)
    assert kinds(world.officer_other) == [] and kinds(world.reviewer) == []
    assert "case.accept" in inbox_kinds(world.officer)
    assert "case.accept" not in inbox_kinds(world.officer_other)
    page = login(world.officer).get("/workbench/inbox/").content.decode()
    assert case.number in page and 'data-testid="inbox-count"' in page
    # once accepted, the work moves on: the inbox follows the status, nothing is stored twice
    case_services.case_accept(actor=world.officer, case=case)
    assert "case.accept" not in inbox_kinds(world.officer)
    assert "case.investigate" in inbox_kinds(world.officer)
    # the complainant is told of the acceptance (complaint rules)
    assert "submission.accepted" in kinds(world.holder_user)


def test_every_step_of_the_procedure_reaches_the_next_person(world, login, settings):
    """From opening to closing, each hand-off notifies the people whose move it is and puts the
    case in their inbox, and takes it out of the inbox of the person who just acted."""
    from ipshield.cases import procedure

    settings.IPSHIELD_LEGAL_REVIEW_PENALTY_ABOVE = 1000
    officer, reviewer, leader = world.officer, world.reviewer, world.leader
    case = receive(world)
    case_services.case_accept(actor=officer, case=case)
    case_services.case_request_opening(actor=officer, case=case, proposal="open", opinion="有线索")
    assert "case.opening_review" in kinds(leader) and "case.opening" in inbox_kinds(leader)
    case_services.case_start_investigation(actor=leader, case=case)
    assert "case.opened" in kinds(officer) and "case.opening" not in inbox_kinds(leader)
    assert "submission.opened" in kinds(world.holder_user)
    walkthrough.propose(case, officer=officer, amount=Decimal("10000"), kinds=["fine"])
    assert "case.case_review" in kinds(reviewer) and "case.case_review" in inbox_kinds(reviewer)
    home = login(reviewer).get("/workbench/").content.decode()
    assert case.number in home and 'data-testid="home-inbox"' in home
    assert "最近待核验" not in home  # a reviewer's home shows their work, not pending rights
    case_services.case_approve_case_review(actor=reviewer, case=case)
    # Legal review is the same reviewer's next move: in the inbox, with no notice to oneself.
    assert "case.review" in inbox_kinds(reviewer) and "case.review" not in kinds(reviewer)
    assert "case.case_review" not in inbox_kinds(reviewer)
    case_services.case_return_review(actor=reviewer, case=case, reason="证据不足")
    returned = Notification.objects.get(user=officer, kind="case.review_returned")
    assert "证据不足" in returned.text
    assert "case.review" not in inbox_kinds(reviewer)
    walkthrough.propose(case, officer=officer, amount=Decimal("10000"), kinds=["fine"])
    case_services.case_approve_case_review(actor=reviewer, case=case)
    case_services.case_approve_review(actor=reviewer, case=case)
    assert "case.leader_approval" in kinds(leader) and "case.approve" in inbox_kinds(leader)
    case_services.case_approve_decision(actor=leader, case=case)
    assert "case.approved" in kinds(officer) and "case.serve_notice" in inbox_kinds(officer)
    walkthrough.serve(case, procedure.SERVE_NOTICE, officer=officer)
    assert "case.serve_notice" not in inbox_kinds(officer)
    assert "case.decide" not in inbox_kinds(leader)  # the party's statement period runs
    procedure.run_step(procedure.RECORD_WAIVER, officer, case, {"waived_on": timezone.localdate()})
    assert "case.ready_to_decide" in kinds(leader) and "case.decide" in inbox_kinds(leader)
    case_services.case_decide(actor=leader, case=case)
    assert "case.decided" in kinds(officer) and "case.serve_decision" in inbox_kinds(officer)
    walkthrough.serve(case, procedure.SERVE_DECISION, officer=officer)
    assert "case.serve_decision" not in inbox_kinds(officer)
    assert "case.publish" in inbox_kinds(officer)
    case_services.case_publish(actor=officer, case=case)
    assert "case.close" in inbox_kinds(leader)
    walkthrough.close(case, officer=officer, leader=leader)
    assert "submission.closed" in kinds(world.holder_user)
    assert not {"case.close", "case.decide", "case.approve"} & inbox_kinds(leader)


def test_cooperation_hand_offs_reach_the_other_unit(world):
    case = receive(world)
    case_services.case_accept(actor=world.officer, case=case)
    request = coop_services.assistance_request_send(
        actor=world.officer,
        case=case,
        to_unit=world.culture,
        asked="请协助核查涉案商品来源",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    assert "assistance.sent" in kinds(world.officer_culture)
    assert "assistance.answer" in inbox_kinds(world.officer_culture)
    assert "assistance.answer" not in inbox_kinds(world.officer)
    assert [i.shown.due for i in inbox.items_for(world.officer_culture)] == [request.due_on]

    police = police_unit(world)
    officer = police_officer(police)
    coop_services.referral_decide(
        actor=world.leader, case=case, refer=True, reason="涉嫌假冒注册商标罪", police_unit=police
    )
    assert "referral.proposed" in kinds(officer)
    assert "referral.accept" in inbox_kinds(officer)


def test_notices_are_rendered_in_the_readers_language(world):
    receive(world)
    notice = Notification.objects.filter(user=world.officer, kind="case.received").get()
    assert "待受理" in notice.text
    with translation.override("en"):
        assert "waiting" in notice.text.lower() and "待受理" not in notice.text


def test_unknown_kinds_are_refused(world):
    with pytest.raises(ValueError):
        notify(users=[world.officer], kind="no.such.kind")


# -- e-mail through a real SMTP server on loopback -----------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        self.arrived.set()
        return "250 OK"


@pytest.fixture
def smtp(settings):
    handler = Inbox()
    with socket.socket() as probe:  # a free port on loopback (the controller checks it itself)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        backend = {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
        with override_settings(
            EMAIL_ENABLED=True,
            MAILERS={"default": backend},
            EMAIL_BACKEND=backend["BACKEND"],
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ):
            yield handler
    finally:
        controller.stop()


def _notice_ids(user) -> list[int]:
    return list(Notification.objects.filter(user=user).values_list("pk", flat=True))


def test_notices_are_enqueued_after_commit_and_e_mailed(
    world, smtp, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    world.officer.email = "officer@example.org"
    world.officer.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        receive(world)
    queued = DBTaskResult.objects.filter(task_path__endswith="deliver_notices")
    assert queued.exists()
    ids = _notice_ids(world.officer)
    assert delivery.deliver(ids) >= 1
    assert smtp.arrived.wait(30)
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ["officer@example.org"]
    assert (
        "待受理" in envelope.content.decode("utf-8", "replace") or b"=?utf-8?" in envelope.content
    )
    assert Notification.objects.get(pk=ids[0]).emailed_at is not None
    # sent once: a second run sends nothing more
    assert delivery.deliver(ids) == 0


def test_people_who_chose_the_digest_get_one_mail_a_day(world, smtp):
    world.officer.email = "officer@example.org"
    world.officer.save(update_fields=["email"])
    NotificationSettings.objects.create(user=world.officer, digest=True)
    receive(world)
    receive(world)
    assert delivery.deliver(_notice_ids(world.officer)) == 0  # nothing one by one
    assert delivery.send_digests() == 1
    assert smtp.arrived.wait(30)
    assert len(smtp.messages) == 1
    assert delivery.send_digests() == 0  # nothing new since


def test_people_who_turned_e_mail_off_get_none(world, smtp):
    world.officer.email = "officer@example.org"
    world.officer.save(update_fields=["email"])
    NotificationSettings.objects.create(user=world.officer, email=False)
    receive(world)
    assert delivery.deliver(_notice_ids(world.officer)) == 0
    assert smtp.messages == []


# -- SMS through an HTTP gateway on loopback ------------------------------------------------


@pytest.fixture
def gateway(settings):
    received: list[dict] = []
    arrived = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(
                {"body": json.loads(self.rfile.read(length)), "auth": self.headers["Authorization"]}
            )
            arrived.set()
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.IPSHIELD_SMS_BACKEND = "http"
    settings.IPSHIELD_SMS_URL = f"http://127.0.0.1:{server.server_address[1]}/send"
    settings.IPSHIELD_SMS_TOKEN = "secret-token"
    yield received, arrived
    server.shutdown()


def test_sms_goes_through_the_configured_gateway(world, gateway):
    received, arrived = gateway
    world.officer.profile.phone = "13800000001"
    world.officer.profile.save(update_fields=["phone"])
    NotificationSettings.objects.create(user=world.officer, sms=True, email=False)
    receive(world)
    assert delivery.deliver(_notice_ids(world.officer)) == 1
    assert arrived.wait(30)
    assert received[0]["body"]["to"] == "13800000001"
    assert "待受理" in received[0]["body"]["text"]
    assert received[0]["auth"] == "Bearer secret-token"


def test_a_gateway_that_fails_leaves_the_notice_in_the_app(world, settings):
    settings.IPSHIELD_SMS_BACKEND = "http"
    settings.IPSHIELD_SMS_URL = "http://127.0.0.1:9/nothing-listens-here"
    world.officer.profile.phone = "13800000001"
    world.officer.profile.save(update_fields=["phone"])
    NotificationSettings.objects.create(user=world.officer, sms=True, email=False)
    receive(world)
    ids = _notice_ids(world.officer)
    assert delivery.deliver(ids) == 0
    assert Notification.objects.get(pk=ids[0]).texted_at is None


# -- the settings page -----------------------------------------------------------------------


def test_settings_page_saves_the_choice(world, login):
    client = login(world.officer)
    page = client.get("/notifications/settings/").content.decode()
    assert 'name="digest"' in page
    response = client.post("/notifications/settings/", {"email": "on", "digest": "on"})
    assert response.status_code == 302
    saved = NotificationSettings.objects.get(user=world.officer)
    assert saved.email and saved.digest and not saved.sms
    # hostile values are read as booleans, never an error
    response = client.post("/notifications/settings/", {"sms": "\x00<script>", "email": ""})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.sms and not saved.email


def test_the_inbox_page_groups_work_and_shows_the_most_urgent_of_each_kind(world, login):
    from ipshield.cases.models import Case

    cases = [receive(world) for _ in range(12)]
    today = timezone.localdate()
    for i, case in enumerate(cases):  # the deadline each list sorts by
        Case.objects.filter(pk=case.pk).update(deadline=today + dt.timedelta(days=30 - i))
    page = login(world.officer).get("/workbench/inbox/").content.decode()
    group = page.split('data-kind="case.accept"', 1)[1].split("</section>", 1)[0]
    shown = [c.number for c in cases if c.number in group]
    assert len(shown) == 5  # the five due soonest: the last five received
    assert set(shown) == {c.number for c in cases[7:]}
    assert 'data-testid="inbox-more"' in group and "/workbench/cases/?inbox=case.accept" in group
    assert '<span class="count" data-testid="inbox-count">12<' in page
    # "See all": the case list shows exactly that kind of work, all twelve.
    listed = login(world.officer).get("/workbench/cases/?inbox=case.accept").content.decode()
    assert 'data-testid="inbox-filter"' in listed and "新案件待受理" in listed
    assert all(c.number in listed for c in cases)
    other = receive(world)
    case_services.case_accept(actor=world.officer, case=other)
    listed = login(world.officer).get("/workbench/cases/?inbox=case.accept").content.decode()
    assert other.number not in listed  # accepted: no longer that kind of work
    # An unknown kind is ignored: the plain list.
    plain = login(world.officer).get("/workbench/cases/?inbox=%00nonsense").content.decode()
    assert 'data-testid="inbox-filter"' not in plain and other.number in plain
