"""The online part of mediation through the dispute page: a session scheduled with its
calendar invitation, the message board's private caucus as each reader's page shows it, and
the agreement drafted, signed with one-time codes and downloaded as a PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ipshield.accounts.models import Notification
from ipshield.disputes import services
from ipshield.disputes.models import Agreement, Session
from ipshield.disputes.workflow import Status
from tests.accounts.factories import make_person
from tests.disputes.conftest import apply

pytestmark = pytest.mark.django_db
TERMS = (
    "一、被申请人于本协议生效之日起十日内赔偿申请人经济损失人民币三万元。\n"
    "二、被申请人停止销售侵权商品。"
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _mediating(bodies, world):
    dispute = apply(bodies, world)
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    world.mediator.email = "mediator@example.org"
    world.mediator.save(update_fields=["email"])
    return services.dispute_assign(actor=world.mediator, dispute=dispute, mediator=bodies.mediator)


def test_a_session_is_scheduled_and_its_invitation_downloaded(bodies, world):
    dispute = _mediating(bodies, world)
    mediator = _client(world.mediator)
    url = f"/disputes/{dispute.pk}/act/schedule/"
    start = timezone.localtime() + dt.timedelta(days=2)
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = mediator.post(url, {"starts_at": past, "ends_at": start.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 400 and 'data-field="starts_at"' in response.content.decode()
    response = mediator.post(
        url,
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "video": "on",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(dispute=dispute)
    assert session.video_link == bodies.committee.video_link
    invite = _client(bodies.respondent).get(
        f"/disputes/{dispute.pk}/sessions/{session.pk}/invite.ics"
    )
    assert invite.status_code == 200 and invite["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in invite.content and b"METHOD:REQUEST" in invite.content
    stranger = make_person("public", username="stranger")
    assert (
        _client(stranger)
        .get(f"/disputes/{dispute.pk}/sessions/{session.pk}/invite.ics")
        .status_code
        == 404
    )
    page = _client(bodies.applicant).get(f"/disputes/{dispute.pk}/").content.decode()
    assert 'data-testid="session"' in page and "invite.ics" in page
    # the record of the session
    response = mediator.post(
        f"/disputes/{dispute.pk}/act/record_session/",
        {"session_id": session.pk, "attendees": "申请人、被申请人、调解员", "record": ""},
    )
    assert response.status_code == 400 and 'data-field="record"' in response.content.decode()
    response = mediator.post(
        f"/disputes/{dispute.pk}/act/record_session/",
        {
            "session_id": session.pk,
            "attendees": "申请人、被申请人、调解员",
            "record": "双方陈述意见。",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "held" and session.record == "双方陈述意见。"


def test_a_caucus_never_reaches_the_other_partys_page(bodies, world):
    dispute = _mediating(bodies, world)
    applicant_party = dispute.parties.get(side="applicant")
    mediator = _client(world.mediator)
    response = mediator.post(
        f"/disputes/{dispute.pk}/act/post_message/",
        {"text": "单方会谈：申请人的底线是多少？", "caucus_party_id": applicant_party.pk},
    )
    assert response.status_code == 302
    response = mediator.post(
        f"/disputes/{dispute.pk}/act/post_message/", {"text": "各方请准时参加"}
    )
    assert response.status_code == 302
    secret = "单方会谈：申请人的底线是多少？"
    assert secret in _client(bodies.applicant).get(f"/disputes/{dispute.pk}/").content.decode()
    assert secret in mediator.get(f"/disputes/{dispute.pk}/").content.decode()
    other = _client(bodies.respondent).get(f"/disputes/{dispute.pk}/").content.decode()
    assert secret not in other and "各方请准时参加" in other
    # Notices carry no content.
    assert not Notification.objects.filter(message__contains="底线").exists()
    response = mediator.post(f"/disputes/{dispute.pk}/act/post_message/", {"text": ""})
    assert response.status_code == 400 and 'data-field="text"' in response.content.decode()


def test_the_agreement_is_drafted_signed_with_codes_and_downloaded(bodies, world):
    dispute = _mediating(bodies, world)
    mediator = _client(world.mediator)
    response = mediator.post(
        f"/disputes/{dispute.pk}/act/draft_agreement/",
        {
            "text": TERMS,
            "performance_due_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Agreement.objects.get(dispute=dispute).text.startswith("一、")
    for user in (bodies.applicant, bodies.respondent, world.mediator):
        client = _client(user)
        response = client.post(f"/disputes/{dispute.pk}/act/sign/", {"code": "000000"})
        assert (
            response.status_code in (400, 409) and 'data-field="code"' in response.content.decode()
        )
        assert client.post(f"/disputes/{dispute.pk}/act/send_code/", {}).status_code == 302
        notice = Notification.objects.filter(user=user, kind="dispute.sign_code").latest("pk")
        assert "******" in notice.message
        response = client.post(f"/disputes/{dispute.pk}/act/sign/", {"code": notice.params["code"]})
        assert response.status_code == 302, response.content.decode()[:2000]
    dispute.refresh_from_db()
    assert dispute.status == Status.AGREED
    pdf = _client(bodies.respondent).get(f"/disputes/{dispute.pk}/agreement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    stranger = make_person("public", username="stranger")
    assert _client(stranger).get(f"/disputes/{dispute.pk}/agreement.pdf").status_code == 404
    page = _client(bodies.applicant).get(f"/disputes/{dispute.pk}/").content.decode()
    assert page.count('data-testid="signature"') == 3


def test_the_assign_form_recommends_with_reasons_and_leaves_out_a_conflict(bodies, world):
    from ipshield.disputes.models import Conflict

    dispute = apply(bodies, world)
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    Conflict.objects.create(mediator=bodies.mediator2, name="保德县某商贸有限公司", reason="亲属")
    page = _client(world.mediator).get(f"/disputes/{dispute.pk}/").content.decode()
    assert 'data-testid="recommended"' in page
    assert f'data-mediator="{bodies.mediator.pk}"' in page
    assert f'data-mediator="{bodies.mediator2.pk}"' not in page  # left out, with its reason
    assert 'data-testid="excluded-mediators"' in page and "王建国" in page
    assert f'<option value="{bodies.mediator.pk}" selected>' in page


def test_the_organisation_links_a_respondent_reached_by_phone(bodies, world):
    dispute = apply(bodies, world, respondents=[{"name": "保德县东街干果店", "phone": ""}])
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    party = dispute.parties.get(side="respondent")
    org = _client(world.mediator)
    url = f"/disputes/{dispute.pk}/act/party_contact/"
    response = org.post(url, {"contact_party": party.pk, "phone": ""})
    assert response.status_code == 400 and 'data-field="phone"' in response.content.decode()
    response = org.post(url, {"contact_party": party.pk, "phone": "13800000001"})
    assert response.status_code == 400  # that account is the applicant's
    assert "另一方当事人" in response.content.decode()
    outsider = _client(bodies.applicant).post(url, {"contact_party": party.pk, "phone": "1"})
    assert outsider.status_code in (400, 403)
    response = org.post(url, {"contact_party": party.pk, "phone": "13900000002"})
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.user == bodies.respondent
    assert Notification.objects.filter(
        user=bodies.respondent, kind="dispute.consent_asked"
    ).exists()
    respondent = _client(bodies.respondent)
    assert respondent.post(f"/disputes/{dispute.pk}/act/consent/", {}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Status.CONSENTED
