"""The serious-dishonesty list: rules, the five-step workflow, the check, and removal dates."""

from __future__ import annotations

import datetime as dt

import pytest

from ipshield.audit.models import AuditEvent, Verb
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.credit import listing, records, services
from ipshield.credit.models import (
    ListGround,
    ListingRule,
    ListStatus,
    MeasureTrigger,
    RemovalReason,
)
from tests.accounts.factories import make_person
from tests.registry.factories import EntityFactory, valid_uscc


@pytest.fixture
def infringer(world):
    firm = EntityFactory(uscc=valid_uscc())
    records.record_enter(
        actor=world.officer,
        source="penalty",
        subject_name=firm.name,
        subject_uscc=firm.uscc,
        document_number="保市监罚〔2026〕8号",
        decided_on="2026-06-01",
        amount="150000",
        penalty_kinds="fine",
        intentional=True,
    )
    return firm


def _rule(ground=ListGround.INTENTIONAL_INFRINGEMENT):
    return ListingRule.objects.get(ground=ground)


def _listed(world, firm, on=dt.date(2026, 11, 2)):
    entry = listing.list_propose(
        actor=world.officer,
        entity=firm,
        rule=_rule(),
        facts="故意销售假冒注册商标商品，罚没 15 万元",
    )
    entry = listing.list_review(actor=world.reviewer, entry=entry, approve=True, opinion="事实清楚")
    entry = listing.list_decide(
        actor=world.leader, entry=entry, decision_number="保市监失信〔2026〕1号"
    )
    entry = listing.list_notify(
        actor=world.officer, entry=entry, on=dt.date(2026, 10, 20), method="直接送达"
    )
    return listing.list_publish(actor=world.officer, entry=entry, on=on)


def test_rules_tell_which_grounds_an_entity_meets(world, infringer):
    met = listing.eligibility(entity=infringer, today=dt.date(2026, 11, 23))
    assert [e.rule.ground for e in met] == [ListGround.INTENTIONAL_INFRINGEMENT]
    assert "150,000.00" in met[0].reason and "总局令第44号" in met[0].reason
    assert listing.eligibility(entity=EntityFactory(uscc=valid_uscc())) == []


def test_the_workflow_lists_the_entity_for_three_years_each_step_recorded(world, infringer):
    entry = _listed(world, infringer)
    assert (entry.status, entry.listed_on, entry.list_until) == (
        ListStatus.LISTED,
        dt.date(2026, 11, 2),
        dt.date(2029, 11, 2),
    )
    steps = list(
        AuditEvent.objects.filter(verb=Verb.LIST_STEP, target_id=str(entry.pk))
        .order_by("id")
        .values_list("data__step", flat=True)
    )
    assert steps == ["proposed", "reviewed", "decided", "notified", "listed"]
    result = services.credit_check(actor=world.officer_culture, uscc=infringer.uscc, purpose="评优")
    assert result.listed == entry
    assert MeasureTrigger.LISTED in {m.trigger for m in result.measures}


def test_removal_comes_the_day_after_three_years_even_on_a_holiday(world, infringer):
    # Listed on the first day of the 2026 Spring Festival holiday; three calendar years later.
    entry = _listed(world, infringer, on=dt.date(2026, 2, 17))
    assert entry.list_until == dt.date(2029, 2, 17)
    assert listing.lists_remove_expired(today=dt.date(2029, 2, 17)) == 0
    assert listing.lists_remove_expired(today=dt.date(2029, 2, 18)) == 1
    entry.refresh_from_db()
    assert (entry.status, entry.removal_reason, entry.removed_on) == (
        ListStatus.REMOVED,
        RemovalReason.EXPIRED,
        dt.date(2029, 2, 18),
    )
    check = services.credit_check(actor=world.officer, uscc=infringer.uscc, purpose="采购")
    assert check.listed is None


def test_an_entity_that_does_not_meet_the_rule_cannot_be_proposed(world, infringer):
    with pytest.raises(InvalidInput) as caught:
        listing.list_propose(
            actor=world.officer,
            entity=infringer,
            rule=_rule(ListGround.REPEAT_INFRINGEMENT),
            facts="x",
        )
    assert caught.value.field == "rule"
    with pytest.raises(InvalidInput) as caught:
        listing.list_propose(actor=world.officer, entity=infringer, rule=_rule(), facts=" ")
    assert caught.value.field == "facts"


def test_four_eyes_order_of_steps_and_the_owning_unit(world, infringer):
    entry = listing.list_propose(actor=world.leader, entity=infringer, rule=_rule(), facts="事实")
    with pytest.raises(PermissionDenied):
        listing.list_review(actor=world.leader, entry=entry, approve=True, opinion="同意")
    with pytest.raises(Conflict):
        listing.list_decide(actor=world.leader, entry=entry, decision_number="1")
    with pytest.raises(Conflict):
        listing.list_propose(actor=world.officer, entity=infringer, rule=_rule(), facts="again")
    other_reviewer = make_person("legal_reviewer", unit=world.other_market, username="rev_hrb")
    with pytest.raises(NotFound):
        listing.list_review(actor=other_reviewer, entry=entry, approve=True, opinion="同意")
    with pytest.raises(PermissionDenied):
        listing.list_review(actor=world.officer, entry=entry, approve=True, opinion="同意")
    rejected = listing.list_review(
        actor=world.reviewer, entry=entry, approve=False, opinion="证据不足"
    )
    assert rejected.status == ListStatus.REJECTED
    # a rejected proposal no longer blocks a new one
    listing.list_propose(
        actor=world.officer, entity=infringer, rule=_rule(), facts="补充证据后重新提出"
    )


def test_the_workflow_through_the_api_and_the_public_list(world, infringer, login):
    officer, reviewer, leader = login(world.officer), login(world.reviewer), login(world.leader)

    def post(client, path, body):
        return client.post(
            f"/api/v1/credit/dishonesty-list{path}", body, content_type="application/json"
        )

    created = post(
        officer, "", {"entity_id": infringer.pk, "rule_id": _rule().pk, "facts": "故意侵权"}
    )
    assert created.status_code == 201, created.content
    entry_id = created.json()["id"]
    assert (
        post(reviewer, f"/{entry_id}/review", {"approve": True, "opinion": ""}).json()["field"]
        == "opinion"
    )
    assert (
        post(reviewer, f"/{entry_id}/review", {"approve": True, "opinion": "同意"}).status_code
        == 200
    )
    assert (
        post(
            leader, f"/{entry_id}/decide", {"decision_number": "保市监失信〔2026〕2号"}
        ).status_code
        == 200
    )
    assert (
        post(officer, f"/{entry_id}/notify", {"on": "2026-11-20", "method": "邮寄送达"}).status_code
        == 200
    )
    published = post(officer, f"/{entry_id}/publish", {})
    assert published.json()["status"] == ListStatus.LISTED
    public = (
        login(world.public_user).get("/api/v1/credit/dishonesty-list", {"q": infringer.uscc}).json()
    )
    assert public["items"][0]["entity_name"] == infringer.name
    page = login(world.public_user).get("/credit/", {"q": infringer.name}).content.decode()
    assert 'data-testid="listed"' in page and "保市监失信〔2026〕2号" in page
    assert (
        login(world.officer_other).get(f"/api/v1/credit/dishonesty-list/{entry_id}").status_code
        == 404
    )


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _proof():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("整改报告.png", PNG, content_type="image/png")


def test_credit_repair_after_a_year_removes_the_entity_and_hides_its_records(
    world, infringer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    entry = _listed(world, infringer, on=dt.date(2025, 6, 1))
    with pytest.raises(InvalidInput) as early:
        listing.repair_apply(
            actor=world.public_user,
            uscc=infringer.uscc,
            contact="王五 13800000000",
            statement="已停止侵权",
            proof=_proof(),
            today=dt.date(2026, 5, 31),
        )
    assert early.value.field == "uscc" and "2026-06-01" in str(early.value.message)
    application = listing.repair_apply(
        actor=world.public_user,
        uscc=infringer.uscc,
        contact="王五 13800000000",
        statement="已停止侵权、缴清罚款、建立商标合规制度",
        proof=_proof(),
        today=dt.date(2026, 6, 1),
    )
    with pytest.raises(Conflict):
        listing.repair_apply(
            actor=world.public_user,
            uscc=infringer.uscc,
            contact="x",
            statement="y",
            proof=_proof(),
            today=dt.date(2026, 6, 2),
        )
    with pytest.raises(InvalidInput) as no_opinion:
        listing.repair_decide(
            actor=world.reviewer, application=application, approve=True, opinion=""
        )
    assert no_opinion.value.field == "opinion"
    decided = listing.repair_decide(
        actor=world.reviewer, application=application, approve=True, opinion="整改到位"
    )
    entry.refresh_from_db()
    assert decided.status == "approved"
    assert (entry.status, entry.removal_reason) == (ListStatus.REMOVED, RemovalReason.REPAIRED)
    check = services.credit_check(actor=world.officer, uscc=infringer.uscc, purpose="补贴")
    assert check.listed is None and check.records == [] and not check.restricted
    steps = AuditEvent.objects.filter(verb=Verb.LIST_STEP, target_id=str(entry.pk))
    assert {"repair_applied", "repaired"} <= set(steps.values_list("data__step", flat=True))


def test_repair_input_errors_name_the_field(world, infringer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    _listed(world, infringer, on=dt.date(2024, 1, 2))
    base = {"uscc": infringer.uscc, "contact": "王五", "statement": "整改", "proof": _proof()}
    for change, field in [
        ({"uscc": "91140931MA0L4X2K3A"}, "uscc"),
        ({"contact": ""}, "contact"),
        ({"statement": " "}, "statement"),
        ({"proof": None}, "proof"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            listing.repair_apply(
                actor=world.public_user,
                **{**base, **change, "proof": change.get("proof", _proof())},
            )
        assert caught.value.field == field


def test_a_units_token_cannot_read_another_units_private_credit_data(world, infringer):
    """A proposal in progress, a hidden record and the review queue belong to their unit; a
    token of another unit gets the public picture only."""
    from django.test import Client

    from ipshield.accounts import services as account_services
    from ipshield.credit.models import CreditRecord, RecordStatus

    entry = listing.list_propose(
        actor=world.officer, entity=infringer, rule=_rule(), facts="故意侵权，罚没 15 万元"
    )
    hidden = records.record_enter(
        actor=world.officer,
        source="judgment",
        subject_name=infringer.name,
        subject_uscc=infringer.uscc,
        document_number="(2020)晋09民初1号",
        decided_on="2020-01-02",
    )
    CreditRecord.objects.filter(pk=hidden.pk).update(status=RecordStatus.HIDDEN)
    for county in ("保德县", "河曲县"):
        EntityFactory(name=f"{county}黄河红枣食品有限公司")
    records.record_enter(
        actor=world.officer,
        source="judgment",
        subject_name="黄河红枣食品有限公司",
        document_number="(2026)晋09民初2号",
        decided_on="2026-01-02",
    )

    def client(unit):
        secret = account_services.token_issue(actor=world.admin, unit=unit, name="对接")[1]
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    own, other = client(world.market), client(world.other_market)
    assert own.get(f"/api/v1/credit/dishonesty-list/{entry.pk}").status_code == 200
    assert other.get(f"/api/v1/credit/dishonesty-list/{entry.pk}").status_code == 404
    body = other.get("/api/v1/credit/check", {"uscc": infringer.uscc, "purpose": "许可审查"}).json()
    documents = {r["document_number"] for r in body["records"]}
    assert documents == {"保市监罚〔2026〕8号"}  # public only: not the hidden judgment
    assert not body["dishonesty_list"]  # a proposal is not a listing
    assert body.get("listed_by") is None
    assert own.get("/api/v1/credit/matches").json()["count"] == 1  # the ambiguous name
    assert other.get("/api/v1/credit/matches").json()["count"] == 0
