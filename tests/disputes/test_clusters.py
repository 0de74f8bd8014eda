"""Mediation first where complaints cluster: the threshold and window boundaries, the offer on
the complaint form, accepted and declined answers, the officer turning a complaint to
mediation from the case page, and hostile input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from ipshield.cases.models import Case, Source
from ipshield.common.errors import DomainError, InvalidInput, PermissionDenied
from ipshield.disputes import clusters, complaints
from ipshield.disputes.models import ClusterRule, Dispute, DisputeSource, MediationOffer
from tests.cases.factories import receive
from tests.portal.test_intake import complaint_data, verified_right

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    cache.clear()


@pytest.fixture
def rule(bodies, world) -> ClusterRule:
    return clusters.cluster_rule_save(
        actor=world.admin,
        region=world.county,
        organisation=bodies.committee,
        right_kind="trademark",
        threshold=3,
        window_days=30,
    )


def complaints_received(world, right, n: int, *, days_ago: int = 0) -> None:
    at = timezone.now() - dt.timedelta(days=days_ago)
    for _ in range(n):
        case = receive(world, right=right, region=world.county)
        Case.objects.filter(pk=case.pk).update(received_at=at)


def test_threshold_boundary(bodies, world, rule):
    right = verified_right(world)
    complaints_received(world, right, 2)
    assert clusters.mediation_offer_for(world.county, "trademark") is None
    complaints_received(world, right, 1)
    offer = clusters.mediation_offer_for(world.county, "trademark")
    assert offer is not None and offer.rule == rule and offer.count == 3
    assert offer.reason == {
        "code": "disputes.cluster",
        "params": {"count": 3, "days": 30, "region": "保德县", "kind": "trademark"},
    }
    assert clusters.mediation_offer_for(world.county, "copyright") is None
    with translation.override("en"):
        assert offer.rendered().startswith("3 complaints of Trademark infringement received in")


def test_window_boundary(bodies, world, rule):
    right = verified_right(world)
    today = timezone.localdate()
    complaints_received(world, right, 2)
    complaints_received(world, right, 1, days_ago=30)  # outside: 30 days ago
    assert clusters.mediation_offer_for(world.county, "trademark", today=today) is None
    complaints_received(world, right, 1, days_ago=29)  # the window's first day
    assert clusters.mediation_offer_for(world.county, "trademark", today=today).count == 3


def test_reports_and_other_regions_do_not_count(bodies, world, rule):
    right = verified_right(world)
    complaints_received(world, right, 2)
    receive(world, source=Source.REPORT, region=world.county, right=right)
    receive(world, right=right, region=world.other_county)
    assert clusters.mediation_offer_for(world.county, "trademark") is None


def test_rule_fields_checked(bodies, world, rule):
    cases = [
        ({"threshold": "0"}, "threshold"),
        ({"threshold": "abc"}, "threshold"),
        ({"window_days": "9999"}, "window_days"),
        ({"right_kind": "<script>"}, "right_kind"),
        ({"organisation": bodies.commission}, "organisation"),
        ({"region": "999999"}, "region"),
        ({}, "right_kind"),  # the same region and kind as the active rule
    ]
    for change, field in cases:
        data = {
            "actor": world.admin,
            "region": world.county,
            "organisation": bodies.committee,
            "right_kind": "trademark",
            "threshold": 5,
            "window_days": 30,
            **change,
        }
        with pytest.raises(InvalidInput) as caught:
            clusters.cluster_rule_save(**data)
        assert caught.value.field == field, change
    with pytest.raises(PermissionDenied):
        clusters.cluster_rule_save(
            actor=world.officer,
            region=world.county,
            organisation=bodies.committee,
            threshold=5,
            window_days=30,
        )


def _busy(world, rule):
    right = verified_right(world)
    complaints_received(world, right, rule.threshold)
    return right


def test_form_shows_offer_and_accepting_creates_dispute(bodies, world, rule, login):
    right = _busy(world, rule)
    client = login(world.holder_user)
    page = client.get(
        "/complaints/mediation-offer/", {"right": right.pk, "region": world.county.pk}
    ).content.decode()
    assert 'data-testid="mediation-offer"' in page and "建议先行调解" in page
    assert 'name="mediation_first"' in page and "checked" not in page
    data = complaint_data(world, right, mediation_first="accept", mediation_offer_seen=rule.pk)
    response = client.post("/complaints/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    receipt = client.get("/submitted/").content.decode()
    assert 'data-testid="receipt-mediation"' in receipt and "您选择了先行调解" in receipt
    case = Case.objects.get(title=data["title"])
    offer = MediationOffer.objects.get(case=case)
    assert offer.accepted and offer.dispute is not None and offer.rule == rule
    dispute = offer.dispute
    assert dispute.case == case and dispute.source == DisputeSource.COMPLAINT
    assert dispute.organisation == bodies.committee
    assert dispute.mediation_first == offer.reason
    assert [p.name for p in dispute.parties.filter(side="respondent")] == ["保德县东关便民超市"]
    assert dispute.parties.get(side="applicant").user == world.holder_user


def test_declined_offer_recorded(bodies, world, rule, login):
    right = _busy(world, rule)
    client = login(world.holder_user)
    data = complaint_data(world, right, mediation_offer_seen=rule.pk)
    assert client.post("/complaints/new/", data).status_code == 302
    assert "您没有选择先行调解" in client.get("/submitted/").content.decode()
    offer = MediationOffer.objects.get(case__title=data["title"])
    assert not offer.accepted and offer.dispute is None
    assert not Dispute.objects.exists()


def test_accepting_without_infringer_name_saves_nothing(bodies, world, rule, login):
    right = _busy(world, rule)
    client = login(world.holder_user)
    before = Case.objects.count()
    data = complaint_data(
        world, right, infringer_name="", mediation_first="accept", mediation_offer_seen=rule.pk
    )
    response = client.post("/complaints/new/", data)
    assert response.status_code == 200
    assert "请填写涉嫌侵权人名称" in response.content.decode()
    assert Case.objects.count() == before and not MediationOffer.objects.exists()


def test_no_rule_no_offer(bodies, world, login):
    right = verified_right(world)
    client = login(world.holder_user)
    response = client.get("/complaints/mediation-offer/", {"right": right.pk, "region": "140931"})
    assert response.content == b""
    assert client.post("/complaints/new/", complaint_data(world, right)).status_code == 302
    assert not MediationOffer.objects.exists()


def test_hostile_input_no_500(bodies, world, rule, login):
    _busy(world, rule)
    client = login(world.holder_user)
    for params in (
        {"right": "1' OR 1=1", "region": "<x>"},
        {"right": "9" * 40, "region": "9" * 40},
        {"right": "", "region": ""},
        {},
    ):
        assert client.get("/complaints/mediation-offer/", params).status_code == 200
    officer = login(world.officer)
    case = receive(world)
    for data in (
        {"organisation": "x' --"},
        {"organisation": "9" * 30},
        {"organisation": "-1"},
        {"organisation": str(bodies.commission.pk)},  # not a mediating body
        {},
    ):
        data = {**data, "complainant_agrees": "1"}
        response = officer.post(f"/workbench/cases/{case.pk}/mediation/", data)
        assert response.status_code == 400, response.status_code
        assert "请选择调解组织" in response.content.decode()
    with pytest.raises(InvalidInput) as caught:
        clusters.cluster_rule_save(
            actor=world.admin,
            region=world.county,
            organisation="9" * 30,
            threshold=5,
            window_days=30,
        )
    assert caught.value.field == "organisation"
    assert not Dispute.objects.exists()


def test_officer_turns_complaint_to_mediation(bodies, world, rule, login):
    right = _busy(world, rule)
    case = receive(world, right=right, region=world.county)
    officer = login(world.officer)
    page = officer.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'data-testid="mediation-panel"' in page and "转为调解" in page
    # Without the complainant's agreement: refused, naming the field, nothing saved.
    response = officer.post(
        f"/workbench/cases/{case.pk}/mediation/", {"organisation": bodies.committee.pk}
    )
    assert response.status_code == 400
    assert "投诉人同意调解" in response.content.decode()
    assert not Dispute.objects.exists()
    response = officer.post(
        f"/workbench/cases/{case.pk}/mediation/",
        {"organisation": bodies.committee.pk, "complainant_agrees": "1"},
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get(case=case)
    assert dispute.source == DisputeSource.COMPLAINT
    page = officer.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert f"/disputes/{dispute.pk}/" in page
    # One mechanism: a second turn while mediation runs is refused.
    with pytest.raises(DomainError):
        complaints.complaint_to_mediation(
            actor=world.officer, case=case, organisation=bodies.committee, complainant_agrees=True
        )
    # Another unit's officer sees no form and cannot do it.
    with pytest.raises(DomainError):
        complaints.complaint_to_mediation(
            actor=world.officer_other,
            case=receive(world),
            organisation=bodies.committee,
            complainant_agrees=True,
        )


def test_case_panel_shows_offer_and_reason(bodies, world, rule, login):
    right = _busy(world, rule)
    client = login(world.holder_user)
    data = complaint_data(world, right, mediation_offer_seen=rule.pk)
    client.post("/complaints/new/", data)
    case = Case.objects.get(title=data["title"])
    page = login(world.officer).get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'data-testid="mediation-reason"' in page and "建议先行调解" in page
    assert "没有选择先行调解" in page


def test_the_bureaus_own_mediation_of_a_complaint_keeps_the_complaints_clock(bodies, world, rule):
    """Administrative mediation of an accepted complaint runs on the complaint's 45 working
    days (one clock, the case's); a mediation organisation runs its own limit."""
    from ipshield.cases import services as case_services
    from ipshield.disputes import deadlines, services
    from ipshield.disputes.models import Organisation, OrganisationKind

    bureau = Organisation.objects.create(unit=world.market, kind=OrganisationKind.ADMINISTRATIVE)
    right = _busy(world, rule)
    case = case_services.case_accept(
        actor=world.officer, case=receive(world, right=right, region=world.county)
    )
    limit = case.deadlines.get(key="complaint_mediation")
    dispute = complaints.complaint_to_mediation(
        actor=world.officer, case=case, organisation=bureau, complainant_agrees=True
    )
    dispute = services.dispute_accept(actor=world.leader, dispute=dispute)
    assert dispute.due_on == limit.due_on
    assert deadlines.running(dispute, deadlines.COMPLAINT_MEDIATION) is not None
    assert deadlines.running(dispute, deadlines.MEDIATION) is None
    other = receive(world, right=right, region=world.county)
    case_services.case_accept(actor=world.officer, case=other)
    dispute = complaints.complaint_to_mediation(
        actor=world.officer, case=other, organisation=bodies.committee, complainant_agrees=True
    )
    dispute = services.dispute_accept(actor=world.mediator, dispute=dispute)
    assert dispute.due_on == timezone.localdate() + dt.timedelta(days=30)
