"""The mediation agreement: drafted, edited in versions, signed with one-time codes by every
party and the mediator, in force only when all signed the current text; the code never in the
app, delivered by a real SMTP server and an HTTP SMS gateway; signatures in the ledger."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pypdf
import pytest
from django.utils import timezone

from ipshield.accounts import delivery
from ipshield.accounts.models import Notification, NotificationSettings, Profile
from ipshield.common.errors import DomainError
from ipshield.disputes import errors, exports, record, services, signing
from ipshield.disputes.models import Party, Side, Signature, SignCode
from ipshield.disputes.workflow import Status
from tests.accounts.test_notices import gateway, smtp  # noqa: F401 -- fixtures
from tests.disputes.conftest import apply

pytestmark = pytest.mark.django_db

TEXT = (
    "一、被申请人于本协议生效之日起十日内赔偿申请人经济损失人民币三万元。\n"
    "二、被申请人立即停止销售侵权商品。"
)


def refuse(expected: str, call, /, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == expected, caught.value
    return caught.value


def mediating(bodies, world, **overrides):
    dispute = apply(bodies, world, **overrides)
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    dispute = services.dispute_assign(
        actor=world.mediator, dispute=dispute, mediator=bodies.mediator
    )
    world.mediator.email = "mediator@example.org"
    world.mediator.save(update_fields=["email"])
    return dispute


def code_of(user) -> str:
    notice = Notification.objects.filter(user=user, kind="dispute.sign_code").latest("pk")
    return notice.params["code"]


_clock = itertools.count(1)


def sign(user, dispute, now=None):
    """Ask for a code and sign with it, each time a little later (one code a minute)."""
    now = now or timezone.now() + dt.timedelta(seconds=61 * next(_clock))
    signing.sign_code_send(actor=user, dispute=dispute, now=now)
    return signing.agreement_sign(actor=user, dispute=dispute, code=code_of(user), now=now)


@pytest.fixture
def drafted(bodies, world):
    dispute = mediating(bodies, world)
    signing.agreement_draft(
        actor=world.mediator,
        dispute=dispute,
        text=TEXT,
        performance_due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    return dispute


def test_the_default_draft_is_made_of_the_dispute_and_must_be_completed(bodies, world):
    dispute = mediating(bodies, world)
    refuse(errors.NOT_YOURS, signing.agreement_draft, actor=bodies.applicant, dispute=dispute)
    agreement = signing.agreement_draft(actor=world.mediator, dispute=dispute)
    assert "保德县某商贸有限公司" in agreement.text  # the respondent's basic information
    assert dispute.facts in agreement.text and "停止销售侵权商品" in agreement.text
    assert "第二十九条" in agreement.text and signing.PLACEHOLDER in agreement.text
    assert agreement.sha256 == signing.digest(agreement.text) and agreement.version == 1
    asked = Notification.objects.filter(kind="dispute.sign_requested")
    assert set(asked.values_list("user", flat=True)) == {bodies.applicant.pk, bodies.respondent.pk}
    error = refuse(
        errors.FIELD_INVALID, signing.sign_code_send, actor=bodies.applicant, dispute=dispute
    )
    assert error.field == "text"


def test_a_wrong_code_counts_and_too_many_lock_the_code(drafted, bodies):
    signing.sign_code_send(actor=bodies.applicant, dispute=drafted)
    right = code_of(bodies.applicant)
    wrong = "000000" if right != "000000" else "111111"
    error = refuse(
        errors.SIGN_CODE_WRONG,
        signing.agreement_sign,
        actor=bodies.applicant,
        dispute=drafted,
        code=wrong,
    )
    assert error.field == "code"
    assert SignCode.objects.get(user=bodies.applicant).attempts == 1  # kept despite the refusal
    for _ in range(3):
        refuse(
            errors.SIGN_CODE_WRONG,
            signing.agreement_sign,
            actor=bodies.applicant,
            dispute=drafted,
            code=wrong,
        )
    refuse(
        errors.SIGN_CODE_ATTEMPTS,
        signing.agreement_sign,
        actor=bodies.applicant,
        dispute=drafted,
        code=wrong,
    )
    # the right code no longer works either: a new one must be asked for, not within a minute
    refuse(
        errors.SIGN_CODE_TOO_SOON, signing.sign_code_send, actor=bodies.applicant, dispute=drafted
    )
    refuse(
        errors.SIGN_CODE_ATTEMPTS,
        signing.agreement_sign,
        actor=bodies.applicant,
        dispute=drafted,
        code=right,
    )
    assert not Signature.objects.exists()
    assert sign(bodies.applicant, drafted)


def test_an_expired_code_is_refused(drafted, bodies):
    sent = timezone.now()
    signing.sign_code_send(actor=bodies.applicant, dispute=drafted, now=sent)
    code = code_of(bodies.applicant)
    error = refuse(
        errors.SIGN_CODE_EXPIRED,
        signing.agreement_sign,
        actor=bodies.applicant,
        dispute=drafted,
        code=code,
        now=sent + dt.timedelta(minutes=signing.CODE_MINUTES, seconds=1),
    )
    assert error.field == "code"
    signing.agreement_sign(
        actor=bodies.applicant, dispute=drafted, code=code, now=sent + dt.timedelta(minutes=9)
    )


def test_changed_text_voids_earlier_signatures_and_all_must_sign_the_current_one(
    drafted, bodies, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = sign(bodies.applicant, drafted)[0]
    first.refresh_from_db()
    assert first.leaf_index is not None and record.signature_in_ledger(first) is True
    sign(world.mediator, drafted)
    # a code asked for before the change does not sign the new text
    signing.sign_code_send(actor=bodies.respondent, dispute=drafted)
    stale = code_of(bodies.respondent)
    agreement = signing.agreement_edit(
        actor=world.mediator, dispute=drafted, text=TEXT + "\n三、其他。"
    )
    assert agreement.version == 2 and agreement.sha256 == signing.digest(TEXT + "\n三、其他。")
    refuse(
        errors.SIGN_CODE_EXPIRED,
        signing.agreement_sign,
        actor=bodies.respondent,
        dispute=drafted,
        code=stale,
    )
    sign(bodies.respondent, drafted)
    sign(bodies.applicant, drafted)
    drafted.refresh_from_db()
    assert drafted.status == Status.MEDIATING  # the mediator signed version 1 only
    context = signing.agreement_context(drafted)
    assert context["missing"] == [bodies.mediator.name]
    assert [row["current"] for row in context["signatures"]] == [False, False, True, True]
    with django_capture_on_commit_callbacks(execute=True):
        (last,) = sign(world.mediator, drafted)
    drafted.refresh_from_db()
    last.refresh_from_db()
    assert drafted.status == Status.AGREED
    assert drafted.agreement_effective_on == timezone.localdate(last.signed_at)
    assert all(record.signature_in_ledger(s) for s in Signature.objects.all())
    refuse(
        errors.AGREEMENT_SIGNED,
        signing.agreement_edit,
        actor=world.mediator,
        dispute=drafted,
        text="x",
    )
    pdf = exports.agreement_pdf(drafted)
    printed = "".join(
        "".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )
    assert "否（签署的是第1版）" in printed and "待存证" not in printed
    assert str(last.leaf_index) in printed and "加盖印章" in printed
    text = signing.confirmation_application_text(drafted, bodies.court_unit)
    assert drafted.number in text and "第二百零五条" in text and bodies.court_unit.name in text
    assert exports.confirmation_pdf(drafted, bodies.court_unit).startswith(b"%PDF")


def test_a_party_without_an_account_signs_on_paper(bodies, world):
    dispute = mediating(bodies, world)
    signing.agreement_draft(actor=world.mediator, dispute=dispute, text=TEXT)
    offline = Party.objects.create(
        dispute=dispute, side=Side.RESPONDENT, name="李四", is_person=True
    )
    respondent = dispute.parties.get(user=bodies.respondent)
    refuse(
        errors.FIELD_INVALID,
        signing.agreement_sign_on_paper,
        actor=world.mediator,
        dispute=dispute,
        party_id=respondent.pk,
        note="现场签字",
    )
    refuse(
        errors.NOT_YOURS,
        signing.agreement_sign_on_paper,
        actor=bodies.applicant,
        dispute=dispute,
        party_id=offline.pk,
        note="现场签字",
    )
    signature = signing.agreement_sign_on_paper(
        actor=world.mediator,
        dispute=dispute,
        party_id=offline.pk,
        note="在调解中心当面签字并按指印",
    )
    assert signature.channel == "paper" and signature.party == offline
    for user in (bodies.applicant, bodies.respondent, world.mediator):
        sign(user, dispute)
    dispute.refresh_from_db()
    assert dispute.status == Status.AGREED


def test_the_code_is_never_shown_in_the_app(drafted, bodies, world, login):
    signing.sign_code_send(actor=bodies.applicant, dispute=drafted)
    notice = Notification.objects.get(user=bodies.applicant, kind="dispute.sign_code")
    code = notice.params["code"]
    assert code not in notice.message and code not in notice.text
    assert "******" in notice.text
    assert SignCode.objects.get(user=bodies.applicant).code_hash != code
    client = login(bodies.applicant)
    response = client.get("/notifications/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "******" in page and code not in page
    # used, the code is forgotten even where no e-mail or SMS went out
    signing.agreement_sign(actor=bodies.applicant, dispute=drafted, code=code)
    notice.refresh_from_db()
    assert notice.params["code"] == "******"


def test_a_signer_with_neither_phone_nor_e_mail_is_told_to_add_one(drafted, bodies):
    Profile.objects.filter(user=bodies.applicant).update(phone="")
    bodies.applicant.email = ""
    bodies.applicant.save(update_fields=["email"])
    bodies.applicant.refresh_from_db()
    error = refuse(
        errors.FIELD_REQUIRED, signing.sign_code_send, actor=bodies.applicant, dispute=drafted
    )
    assert error.field == "phone"


def test_the_code_arrives_by_e_mail_even_to_a_digest_reader_and_is_then_scrubbed(
    drafted,
    bodies,
    smtp,  # noqa: F811
):
    bodies.applicant.email = "holder@example.org"
    bodies.applicant.save(update_fields=["email"])
    NotificationSettings.objects.create(user=bodies.applicant, digest=True)
    signing.sign_code_send(actor=bodies.applicant, dispute=drafted)
    notice = Notification.objects.get(user=bodies.applicant, kind="dispute.sign_code")
    code = notice.params["code"]
    assert delivery.deliver([notice.pk]) == 1
    assert smtp.arrived.wait(30)
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ["holder@example.org"]
    import email

    message = email.message_from_bytes(envelope.content)
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    assert code in body
    notice.refresh_from_db()
    assert notice.params["code"] != code  # scrubbed once sent
    signing.agreement_sign(actor=bodies.applicant, dispute=drafted, code=code)


def test_the_code_arrives_by_sms_without_the_person_choosing_sms(
    drafted,
    bodies,
    gateway,  # noqa: F811
):
    received, arrived = gateway
    signing.sign_code_send(actor=bodies.respondent, dispute=drafted)
    notice = Notification.objects.get(user=bodies.respondent, kind="dispute.sign_code")
    code = notice.params["code"]
    assert delivery.deliver([notice.pk]) == 1
    assert arrived.wait(30)
    assert received[0]["body"]["to"] == "13900000002"
    assert code in received[0]["body"]["text"]
    notice.refresh_from_db()
    assert code not in str(notice.params)
