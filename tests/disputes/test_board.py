"""The message board: messages to everyone, private caucuses between the mediator and one
party that the other party never sees, documents preserved in the ledger, notices without the
content."""

from __future__ import annotations

import pytest

from ipshield.accounts.models import Notification
from ipshield.common.errors import DomainError
from ipshield.disputes import board, errors, services
from ipshield.disputes.models import Side
from tests.disputes.conftest import apply
from tests.supervision.factories import upload

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
    return services.dispute_assign(actor=world.mediator, dispute=dispute, mediator=bodies.mediator)


def texts(user, dispute) -> set[str]:
    return set(board.messages_for(user, dispute).values_list("text", flat=True))


def test_a_caucus_is_seen_only_by_the_mediator_and_its_party(bodies, world):
    dispute = mediating(bodies, world)
    applicant = dispute.parties.get(side=Side.APPLICANT)
    respondent = dispute.parties.get(side=Side.RESPONDENT)
    board.message_post(actor=bodies.applicant, dispute=dispute, text="公开：请求赔偿五万元")
    # a party cannot open a caucus, nor write in another party's
    refuse(
        errors.CAUCUS_PARTY,
        board.message_post,
        actor=bodies.applicant,
        dispute=dispute,
        text="我的底线",
        caucus_party_id=applicant.pk,
    )
    refuse(
        errors.CAUCUS_PARTY,
        board.message_post,
        actor=bodies.applicant,
        dispute=dispute,
        text="偷看",
        caucus_party_id=respondent.pk,
    )
    refuse(
        errors.CAUCUS_PARTY,
        board.message_post,
        actor=world.mediator,
        dispute=dispute,
        text="x",
        caucus_party_id=999999,
    )
    Notification.objects.all().delete()
    board.message_post(
        actor=world.mediator,
        dispute=dispute,
        text="单方：您能接受的数额？",
        caucus_party_id=applicant.pk,
    )
    told = Notification.objects.filter(kind="dispute.message")
    assert list(told.values_list("user", flat=True)) == [bodies.applicant.pk]
    assert "您能接受" not in told.get().message  # the notice never carries the content
    Notification.objects.all().delete()
    board.message_post(
        actor=bodies.applicant, dispute=dispute, text="底线三万元", caucus_party_id=applicant.pk
    )
    told = Notification.objects.filter(kind="dispute.message")
    assert list(told.values_list("user", flat=True)) == [world.mediator.pk]
    board.message_post(
        actor=world.mediator,
        dispute=dispute,
        text="单方：对方的意见？",
        caucus_party_id=respondent.pk,
    )

    public = "公开：请求赔偿五万元"
    assert texts(bodies.respondent, dispute) == {public, "单方：对方的意见？"}
    assert texts(bodies.applicant, dispute) == {public, "单方：您能接受的数额？", "底线三万元"}
    assert texts(world.mediator, dispute) == {
        public,
        "单方：您能接受的数额？",
        "底线三万元",
        "单方：对方的意见？",
    }
    # the organisation's other staff and the court see the public thread only
    assert texts(bodies.mediator2.user, dispute) == {public}
    assert texts(bodies.judge, dispute) == {public}
    context = board.board_context(bodies.respondent, dispute)
    assert [c["party"] for c in context["caucuses"]] == [respondent]
    assert "底线三万元" not in repr(context)


def test_a_public_message_reaches_everyone_else_and_keeps_its_document(bodies, world):
    dispute = mediating(bodies, world)
    Notification.objects.all().delete()
    message = board.message_post(
        actor=bodies.respondent, dispute=dispute, text="附进货凭证", upload=upload("receipt.png")
    )
    assert message.attachment is not None and message.attachment.sha256
    assert message.attachment.unit_id == bodies.committee.unit_id
    told = set(Notification.objects.filter(kind="dispute.message").values_list("user", flat=True))
    assert told == {bodies.applicant.pk, world.mediator.pk}
    error = refuse(
        errors.FIELD_REQUIRED, board.message_post, actor=world.mediator, dispute=dispute, text=" "
    )
    assert error.field == "text"
    refuse(errors.NOT_YOURS, board.message_post, actor=bodies.judge, dispute=dispute, text="x")


def test_the_partials_render_what_each_reader_may_see(bodies, world):
    from django.template.loader import render_to_string
    from django.utils import timezone

    from ipshield.disputes import sessions, signing

    dispute = mediating(bodies, world)
    applicant = dispute.parties.get(side=Side.APPLICANT)
    board.message_post(actor=bodies.applicant, dispute=dispute, text="公开留言")
    board.message_post(
        actor=world.mediator, dispute=dispute, text="只给申请人", caucus_party_id=applicant.pk
    )
    start = timezone.now() + timezone.timedelta(days=2)
    sessions.session_schedule(
        actor=world.mediator,
        dispute=dispute,
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=1),
    )
    signing.agreement_draft(actor=world.mediator, dispute=dispute, text="一、赔偿三万元。")
    for user, sees in ((bodies.respondent, False), (bodies.applicant, True)):
        context = {
            **board.board_context(user, dispute),
            **sessions.sessions_context(user, dispute),
            **signing.agreement_context(dispute, user),
            "post_url": "/post/",
        }
        html = "".join(
            render_to_string(f"disputes/_{name}.html", context)
            for name in ("board", "sessions", "agreement")
        )
        assert "公开留言" in html and ("只给申请人" in html) is sees
        assert "invite.ics" in html and "一、赔偿三万元。" in html
