"""What waits for whom: the organisation (applications to accept, consented disputes without a
mediator), the mediator (the disputes they mediate), the arbitration commission (referrals
waiting for the award); the mediator's workbench home is not empty when there is work."""

from __future__ import annotations

from django.test import Client

from ipshield.common import inbox
from ipshield.disputes import services
from tests.disputes.conftest import apply


def _kinds(user) -> dict[str, int]:
    return {k: n for k, n in inbox.counts_for(user).items() if k.startswith("dispute.") and n}


def test_each_role_sees_its_disputes_in_the_inbox(bodies, world):
    dispute = apply(bodies, world)
    other = apply(bodies, world, title="专利纠纷")
    assert _kinds(world.mediator) == {"dispute.accept": 2}
    assert _kinds(bodies.mediator2.user) == {"dispute.accept": 2}
    assert _kinds(bodies.judge) == {} and _kinds(world.officer) == {}
    assert _kinds(bodies.applicant) == {} and _kinds(bodies.respondent) == {}
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    assert _kinds(world.mediator) == {"dispute.accept": 1, "dispute.assign": 1}
    services.dispute_assign(actor=world.mediator, dispute=dispute, mediator=bodies.mediator)
    assert _kinds(world.mediator) == {"dispute.accept": 1, "dispute.mediating": 1}
    assert _kinds(bodies.mediator2.user) == {"dispute.accept": 1}
    services.arbitration_refer(
        actor=world.mediator, dispute=dispute, commission=bodies.commission, clause="合同第十条"
    )
    assert _kinds(bodies.arbitrator) == {"dispute.award": 1}
    assert _kinds(world.mediator) == {"dispute.accept": 1}
    items = inbox.items_for(bodies.arbitrator)
    assert [i.shown.reference for i in items] == [dispute.number]
    assert items[0].shown.url() == f"/disputes/{dispute.pk}/"
    assert other.number in [i.shown.reference for i in inbox.items_for(world.mediator)]


def test_the_mediators_home_and_inbox_pages_show_the_work(bodies, world):
    dispute = apply(bodies, world)
    client = Client()
    client.force_login(world.mediator)
    home = client.get("/workbench/").content.decode()
    assert dispute.number in home
    page = client.get("/workbench/inbox/").content.decode()
    assert dispute.number in page
    listing = client.get("/workbench/disputes/?inbox=accept").content.decode()
    assert dispute.number in listing and 'data-testid="inbox-filter"' in listing


def test_the_court_sees_complete_applications_to_accept_then_to_decide(bodies, world):
    from django.utils import timezone

    from ipshield.disputes.models import Confirmation, ConfirmationStatus, Dispute
    from ipshield.disputes.workflow import Status

    dispute = apply(bodies, world)
    Dispute.objects.filter(pk=dispute.pk).update(status=Status.CONFIRMING)
    today = timezone.localdate()
    confirmation = Confirmation.objects.create(
        dispute=dispute, court=bodies.court_unit, applied_on=today, application_text="申请书"
    )
    assert _kinds(bodies.judge) == {}  # not every party has joined yet
    confirmation.complete_on = today
    confirmation.save()
    assert _kinds(bodies.judge) == {"dispute.court_accept": 1}
    confirmation.status, confirmation.accepted_on = ConfirmationStatus.ACCEPTED, today
    confirmation.save()
    assert _kinds(bodies.judge) == {"dispute.court_decide": 1}
    assert _kinds(world.officer) == {}
    client = Client()
    client.force_login(bodies.judge)
    page = client.get(f"/disputes/{dispute.pk}/").content.decode()
    assert 'data-testid="action-confirm"' in page
    assert 'data-testid="action-reject_confirmation"' in page
    assert 'data-testid="action-extend_confirmation"' in page
    assert 'data-testid="action-accept_confirmation"' not in page
