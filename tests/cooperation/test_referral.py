"""Criminal referral (两法衔接): thresholds at their boundaries, thresholds as editable data, the
close rule before and after a decision, and the package handed to the police."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from ipshield.cases import walkthrough
from ipshield.cases.models import CaseEvent
from ipshield.cases.selectors import case_visible_to
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.cooperation import errors, selectors, thresholds
from ipshield.cooperation import services as coop
from ipshield.cooperation.models import CooperationEvent, ProsecutionThreshold, ReferralDecision
from ipshield.cooperation.workflow import TransferKind, TransferStatus
from tests.cooperation.factories import (
    attach,
    facts,
    handled_case,
    police_officer,
    police_unit,
)


@pytest.fixture
def police(world):
    unit = police_unit(world)
    return unit, police_officer(unit)


@pytest.mark.parametrize(
    ("volume", "gains", "marks", "extra", "flagged"),
    [
        ("49999.99", None, 1, {}, False),
        ("50000", None, 1, {}, True),
        (None, "29999.99", 1, {}, False),
        (None, "30000", 1, {}, True),
        ("30000", None, 1, {}, False),  # one mark: 30,000 is not enough
        ("30000", None, 2, {}, True),  # two marks: it is
        ("29999.99", None, 2, {}, False),
        (None, "20000", 2, {}, True),
        (None, "19999.99", 2, {}, False),
        ("30000", None, 1, {"prior_punishment": True}, True),  # again within two years
        (None, "50000", 1, {"mark_use": "services"}, True),
        (None, "49999.99", 1, {"mark_use": "services"}, False),
        ("900000", None, 1, {"mark_use": "services"}, False),  # services count gains only
        (None, "30000", 2, {"mark_use": "services"}, True),
    ],
)
def test_threshold_boundaries(world, volume, gains, marks, extra, flagged):
    case = handled_case(world)
    facts(world, case, volume=volume, gains=gains, marks=marks, **extra)
    reasons = thresholds.evaluate(case)
    assert bool(reasons) is flagged, reasons
    if flagged:
        assert "假冒注册商标罪" in reasons[0] and "法释〔2025〕5号" in reasons[0]


def test_no_facts_no_flag(world):
    assert thresholds.evaluate(handled_case(world)) == []


def test_default_thresholds_cite_their_source(db):
    rows = list(ProsecutionThreshold.objects.filter(active=True))
    assert {r.key for r in rows} >= {"trademark-goods", "trademark-goods-two-marks"}
    goods = ProsecutionThreshold.objects.get(key="trademark-goods")
    assert goods.business_volume_min == Decimal("50000")
    assert goods.illegal_gains_min == Decimal("30000")
    two = ProsecutionThreshold.objects.get(key="trademark-goods-two-marks")
    assert (two.business_volume_min, two.illegal_gains_min, two.min_marks) == (
        Decimal("30000"),
        Decimal("20000"),
        2,
    )
    assert all("法释〔2025〕5号" in r.legal_source and "第三条" in r.legal_source for r in rows)


def test_thresholds_are_editable_data(world):
    case = handled_case(world)
    facts(world, case, volume="45000")
    assert thresholds.evaluate(case) == []
    row = ProsecutionThreshold.objects.get(key="trademark-goods")
    row.business_volume_min = Decimal("40000")
    coop.threshold_save(actor=world.admin, threshold=row, changed=["business_volume_min"])
    assert len(thresholds.evaluate(case)) == 1
    assert "40,000.00" in thresholds.evaluate(case)[0]
    row.active = False
    coop.threshold_save(actor=world.admin, threshold=row, changed=["active"])
    assert thresholds.evaluate(case) == []
    changes = [e.data for e in CooperationEvent.objects.filter(verb="threshold.changed")]
    assert changes[0] == {"key": "trademark-goods", "changes": {"business_volume_min": "40000"}}


def test_thresholds_are_editable_in_the_admin(world, login):
    case = handled_case(world)
    facts(world, case, volume="45000")
    row = ProsecutionThreshold.objects.get(key="trademark-goods")
    client = login(world.admin)
    url = f"/admin/cooperation/prosecutionthreshold/{row.pk}/change/"
    assert client.get(url).status_code == 200
    form = {
        "key": row.key,
        "crime": row.crime,
        "label": row.label,
        "applies_to": row.applies_to,
        "min_marks": row.min_marks,
        "business_volume_min": "45000",
        "illegal_gains_min": "30000",
        "legal_source": row.legal_source,
        "active": "on",
        "order": row.order,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert thresholds.evaluate(case) != []
    assert CooperationEvent.objects.filter(verb="threshold.changed").exists()


def test_referral_blocks_close_until_a_decision(world):
    case = handled_case(world)
    assert thresholds.referral_blocks_close(case) is None
    facts(world, case, volume="60000")
    message = thresholds.referral_blocks_close(case)
    assert message and "刑事追诉标准" in message and "60,000.00" in message
    with pytest.raises(Conflict) as info:
        thresholds.ensure_close_allowed(case)
    assert info.value.code == errors.REFERRAL_REQUIRED == "criminal_referral_required"

    decision = coop.referral_decide(
        actor=world.leader, case=case, refer=False, reason="经核实系正品平行进口，不移送"
    )
    assert decision.refer is False and decision.transfer is None and decision.package == {}
    assert decision.reasons and decision.facts["illegal_business_volume"] == "60000.00"
    assert thresholds.referral_blocks_close(case) is None
    thresholds.ensure_close_allowed(case)

    # New facts need a new decision.
    facts(world, case, volume="80000")
    assert thresholds.referral_blocks_close(case) is not None


def test_only_the_unit_head_decides_and_always_with_a_reason(world, police):
    case = handled_case(world)
    facts(world, case, volume="60000")
    with pytest.raises(PermissionDenied) as info:
        coop.referral_decide(actor=world.officer, case=case, refer=True, reason="达到标准")
    assert info.value.code == errors.ROLE_NOT_ALLOWED
    with pytest.raises(InvalidInput) as info:
        coop.referral_decide(actor=world.leader, case=case, refer=False, reason="")
    assert info.value.field == "reason" and info.value.code == errors.REASON_REQUIRED
    assert ReferralDecision.objects.count() == 0
    assert thresholds.referral_blocks_close(case) is not None


def test_referring_hands_the_case_to_the_police_with_a_package(world, police):
    police_unit_, police_user = police
    case = handled_case(world)
    photo = attach(case, world.officer, b"\x89PNG fake photo bytes", "现场照片.png")
    invoice = attach(case, world.officer, b"%PDF-1.7 invoice", "进货单.pdf")
    facts(world, case, volume="120000", gains="35000", marks=2)
    assert not case_visible_to(actor=police_user, case_id=case.pk)

    decision = coop.referral_decide(
        actor=world.leader, case=case, refer=True, reason="非法经营数额 12 万元，涉嫌假冒注册商标罪"
    )
    transfer = decision.transfer
    assert transfer.kind == TransferKind.CRIMINAL and transfer.to_unit == police_unit_
    assert transfer.status == TransferStatus.PROPOSED
    assert case_visible_to(actor=police_user, case_id=case.pk)
    assert selectors.transfer_get(actor=police_user, transfer_id=transfer.pk) == transfer

    package = selectors.referral_package(case)
    assert package == decision.package
    assert decision.package_sha256 == hashlib.sha256(selectors.package_bytes(package)).hexdigest()
    assert {(a["name"], a["sha256"], a["size"]) for a in package["attachments"]} == {
        (photo.original_name, photo.sha256, photo.size),
        (invoice.original_name, invoice.sha256, invoice.size),
    }
    assert photo.sha256 == hashlib.sha256(b"\x89PNG fake photo bytes").hexdigest()
    entries = package["record"]
    stored = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert [(e["seq"], e["hash"], e["prev_hash"]) for e in entries] == [
        (e.seq, e.hash, e.prev_hash) for e in stored
    ]
    assert package["record_chain_intact"] is True
    assert package["case"]["number"] == case.number
    assert package["facts"]["illegal_business_volume"] == "120000.00"
    assert package["facts"]["marks_count"] == 2
    assert package["decision"]["refer"] is True
    assert package["decision"]["police_unit"] == police_unit_.name
    assert len(package["thresholds_reached"]) >= 2
    json.dumps(package)  # plain JSON

    # Until the police acknowledge receipt, the case stays open.
    message = thresholds.referral_blocks_close(case)
    assert message and "确认接收" in message
    with pytest.raises(Conflict) as info:
        thresholds.ensure_close_allowed(case)
    assert info.value.code == errors.AWAITING_RECEIPT

    with pytest.raises(PermissionDenied):  # the sender cannot acknowledge for the police
        coop.transfer_accept(actor=world.officer, transfer=transfer)
    coop.transfer_accept(
        actor=police_user, transfer=transfer, receipt_reference="保公受〔2026〕3号"
    )
    case.refresh_from_db()
    assert case.unit == world.market  # the administrative side keeps its case
    assert thresholds.referral_blocks_close(case) is None
    assert [e.verb for e in selectors.case_history(case)][-3:] == [
        "transfer.proposed",
        "referral.decided",
        "transfer.accepted",
    ]
    # The package does not change with later entries: it is what was handed over.
    assert selectors.referral_package(case)["record"] == entries

    with pytest.raises(Conflict) as info:
        coop.referral_decide(actor=world.leader, case=case, refer=True, reason="再次移送")
    assert info.value.code == errors.ALREADY_REFERRED


def test_police_may_refuse_and_the_case_may_then_be_referred_again(world, police):
    _unit, police_user = police
    case = handled_case(world)
    facts(world, case, gains="40000")
    decision = coop.referral_decide(actor=world.leader, case=case, refer=True, reason="达到标准")
    coop.transfer_refuse(actor=police_user, transfer=decision.transfer, reason="证据不足，退回补充")
    assert thresholds.referral_blocks_close(case) is None  # a decision was made
    with pytest.raises(Conflict) as info:
        coop.transfer_withdraw(actor=world.officer, transfer=decision.transfer, reason="x")
    assert info.value.code in (errors.ILLEGAL_TRANSITION, errors.ALREADY_ANSWERED)
    again = coop.referral_decide(actor=world.leader, case=case, refer=True, reason="已补充证据")
    assert again.transfer.status == TransferStatus.PROPOSED


def test_referral_needs_a_police_unit(world):
    case = handled_case(world)
    with pytest.raises(Conflict) as info:
        coop.referral_decide(actor=world.leader, case=case, refer=True, reason="达到标准")
    assert info.value.code == errors.NO_POLICE_UNIT and info.value.field == "police_unit"
    with pytest.raises(InvalidInput) as info:
        coop.referral_decide(
            actor=world.leader, case=case, refer=True, reason="x", police_unit=world.culture
        )
    assert info.value.code == errors.NO_POLICE_UNIT
    assert ReferralDecision.objects.count() == 0


def test_the_police_unit_is_found_up_the_region_tree(world):
    city_police = police_unit(world, region=world.county.parent, name="忻州市公安局")
    case = handled_case(world)
    assert coop.police_unit_for(case) == city_police
    county_police = police_unit(world)
    assert coop.police_unit_for(case) == county_police


def test_package_preview_before_a_referral(world):
    case = handled_case(world)
    attach(case, world.officer, b"abc", "a.jpg")
    package = selectors.referral_package(case)
    assert package["decision"] is None and package["facts"] is None
    assert package["attachments"][0]["sha256"] == hashlib.sha256(b"abc").hexdigest()


def test_facts_are_checked(world):
    case = handled_case(world)
    for field, kwargs in [
        ("illegal_business_volume", {"volume": "-1"}),
        ("illegal_gains", {"gains": "1e20"}),
    ]:
        with pytest.raises(InvalidInput) as info:
            facts(world, case, **kwargs)
        assert info.value.field == field and info.value.code == errors.INVALID_AMOUNT
    with pytest.raises(InvalidInput) as info:
        coop.criminal_facts_set(actor=world.officer, case=case, illegal_gains="abc")
    assert info.value.field == "illegal_gains"
    with pytest.raises(InvalidInput) as info:
        facts(world, case, volume="1", marks=0)
    assert info.value.field == "marks_count"
    with pytest.raises(InvalidInput) as info:
        facts(world, case, volume="1", mark_use="spaceship")
    assert info.value.field == "mark_use"


def test_the_decision_is_written_once(world):
    case = handled_case(world)
    decision = coop.referral_decide(actor=world.leader, case=case, refer=False, reason="未达标准")
    with pytest.raises(RuntimeError):
        decision.save()
    with pytest.raises(RuntimeError):
        decision.delete()


def test_referral_decisions_go_on_the_case_record(world):
    case = handled_case(world)
    facts(world, case, volume="50000")
    coop.referral_decide(actor=world.leader, case=case, refer=False, reason="权利人已撤回")
    notes = list(CaseEvent.objects.filter(case=case).values_list("note", flat=True))
    assert any("记录涉刑事实" in n and "达到刑事追诉标准" in n for n in notes)
    assert any("决定不移送公安机关" in n and "权利人已撤回" in n for n in notes)
    assert thresholds.referral_blocks_close(case) is None


def test_closed_cases_take_no_new_facts_or_decisions(world):
    from ipshield.cases import services as case_services

    case = handled_case(world)
    case = walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    case = case_services.case_propose_decision(
        actor=world.officer, case=case, kind="no_violation", summary="无违法事实"
    )
    case = walkthrough.approve(case, reviewer=world.reviewer, leader=world.leader)
    case_services.case_close(actor=world.leader, case=case)
    with pytest.raises(Conflict):
        facts(world, case, volume="90000")
    with pytest.raises(Conflict):
        coop.referral_decide(actor=world.leader, case=case, refer=False, reason="已结案")


CJK = __import__("re").compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize(
    ("volume", "gains", "marks", "extra"),
    [
        ("50000", None, 1, {}),
        (None, "20000", 2, {}),
        ("30000", None, 1, {"prior_punishment": True}),
        (None, "50000", 1, {"mark_use": "services"}),
        (None, "30000", 2, {"mark_use": "services"}),
        (None, "30000", 1, {"mark_use": "services", "prior_punishment": True}),
    ],
)
def test_threshold_reasons_and_rows_come_out_in_english(world, volume, gains, marks, extra):
    from django.utils import translation

    case = handled_case(world)
    facts(world, case, volume=volume, gains=gains, marks=marks, **extra)
    with translation.override("en"):
        reasons = thresholds.evaluate(case)
        assert reasons and all(not CJK.search(r) for r in reasons), reasons
        assert "Fa Shi [2025] No. 5" in reasons[0]
        block = thresholds.referral_blocks_close(case)
        assert block and not CJK.search(block), block
        for row in ProsecutionThreshold.objects.all():
            for text in (row.crime, row.label, row.legal_source):
                assert not CJK.search(thresholds.shown(text)), text
    with translation.override("zh-hans"):
        assert "假冒注册商标罪" in thresholds.evaluate(case)[0]


def test_an_administrators_own_wording_is_shown_as_written(world):
    from django.utils import translation

    row = ProsecutionThreshold.objects.get(key="trademark-goods")
    row.label = "本省补充情形"
    row.save(update_fields=["label"])
    case = handled_case(world)
    facts(world, case, volume="50000")
    with translation.override("en"):
        assert "本省补充情形" in thresholds.evaluate(case)[0]
