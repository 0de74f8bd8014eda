"""Intake services: routing, triage, duplicates, attachments, reporter identity protection."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.cases import intake, services, walkthrough
from ipshield.cases.models import (
    Case,
    CaseEvent,
    CaseEventVerb,
    DecisionKind,
    ReporterIdentity,
    Track,
    TriageRule,
)
from ipshield.cases.workflow import Status
from ipshield.common.errors import InvalidInput, PermissionDenied
from ipshield.registry import services as registry_services
from ipshield.registry.models import RightKind, RightsHolder
from tests.registry.factories import EntityFactory
from tests.registry.test_services import PNG


@pytest.fixture
def right(world):
    holder = RightsHolder.objects.create(
        name="保德红枣合作社", kind="enterprise", region=world.county, user=world.holder_user
    )
    r = registry_services.right_register(
        actor=world.holder_user,
        holder=holder,
        kind=RightKind.TRADEMARK,
        registration_number="12345678",
        title="保德红枣",
        nice_classes=[29, 30],
    )
    return registry_services.right_verify(actor=world.officer, right=r)


def _complain(world, right, **kw):
    args = {
        "actor": world.holder_user,
        "right": right,
        "title": "超市销售假冒保德红枣",
        "description": "东关镇某超市销售包装相同的红枣。",
        "region": world.county,
        "infringer_name": "某超市",
    }
    args.update(kw)
    return intake.complaint_submit(**args)


def test_complaint_is_routed_triaged_and_gets_a_deadline(world, right):
    submitted = _complain(
        world,
        right,
        amount_involved="3000",
        attachments=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")],
    )
    case = submitted.case
    assert case.status == Status.RECEIVED and case.unit == world.market
    assert case.track == Track.SIMPLE  # 3,000 yuan, no aggravating facts
    assert len(submitted.access_code) == 8
    assert intake.case_by_access_code(case.number, submitted.access_code) == case
    assert intake.case_by_access_code(case.number, "WRONG123") is None
    attachment = case.attachments.get()
    assert attachment.sha256 and attachment.kind == "png"
    deadline = case.deadlines.get()
    assert deadline.key == "accept_complaint" and "第十四条" in deadline.legal_source
    case.refresh_from_db()
    assert case.deadline == deadline.due_on
    verbs = list(case.events.values_list("verb", flat=True))
    assert verbs[:2] == [CaseEventVerb.RECEIVED, CaseEventVerb.TRIAGED]
    assert CaseEventVerb.ATTACHMENT_ADDED in verbs


def test_public_health_and_repeat_infringers_are_major(world, right):
    assert _complain(world, right, public_health=True).case.track == Track.MAJOR
    entity = EntityFactory()
    old = _complain(world, right, infringer_uscc=entity.uscc).case
    services.case_accept(actor=world.officer, case=old)
    walkthrough.decide(
        old,
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        kind=DecisionKind.PENALTY,
        amount=Decimal("1000"),
    )
    again = _complain(world, right, infringer_uscc=entity.uscc, amount_involved="100").case
    assert again.track == Track.MAJOR
    reasons = again.events.get(verb=CaseEventVerb.TRIAGED).after["reasons"]
    assert any("重复侵权" in r for r in reasons)


def test_triage_rules_are_data(world, right):
    TriageRule.objects.filter(field="amount_involved", track=Track.SIMPLE).update(active=False)
    assert _complain(world, right, amount_involved="3000").case.track == Track.ORDINARY


def test_duplicates_are_linked_not_dropped(world, right):
    entity = EntityFactory()
    first = _complain(world, right, infringer_uscc=entity.uscc).case
    second = _complain(world, right, infringer_uscc=entity.uscc).case
    assert second.duplicate_of == first
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"title": " "}, "title"),
        ({"description": ""}, "description"),
        ({"infringer_uscc": "914403001922038210"}, "infringer_uscc"),
        ({"amount_involved": "abc"}, "amount_involved"),
        ({"attachments": [SimpleUploadedFile("x.exe", b"MZ\x90\x00")]}, "attachments"),
    ],
)
def test_bad_complaints_save_nothing(world, right, kw, field, settings):
    with pytest.raises(InvalidInput) as info:
        _complain(world, right, **kw)
    assert info.value.field == field
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_only_own_verified_rights(world, right):
    from tests.accounts.factories import make_person

    stranger = make_person("rights_holder")
    RightsHolder.objects.create(name="别人", kind="person", region=world.county, user=stranger)
    with pytest.raises(PermissionDenied):
        _complain(world, right, actor=stranger)
    pending = registry_services.right_register(
        actor=world.holder_user,
        holder=right.holder,
        kind=RightKind.TRADEMARK,
        registration_number="999",
        title="未核验",
        nice_classes=[30],
    )
    with pytest.raises(InvalidInput) as info:
        _complain(world, pending)
    assert info.value.field == "right"


def _report(world, **kw):
    args = {
        "actor": None,
        "right_kind": RightKind.COPYRIGHT,
        "title": "盗版剪纸图样",
        "description": "集市上有人销售盗版剪纸。",
        "region": world.county,
        "anonymous": True,
    }
    args.update(kw)
    return intake.report_submit(**args)


def test_anonymous_report_goes_to_culture_bureau(world):
    case = _report(world).case
    assert case.unit == world.culture and case.submitted_by is None
    assert not ReporterIdentity.objects.exists()
    assert case.deadlines.get().key == "verify_lead"


def test_real_name_report_is_encrypted_and_revealed_only_with_a_record(world, settings):
    case = _report(
        world,
        anonymous=False,
        reporter_name="李举报",
        reporter_phone="13912345678",
        reporter_id_number="140931199001011234",
    ).case
    blob = bytes(ReporterIdentity.objects.get(case=case).ciphertext)
    for secret in ("李举报".encode(), b"13912345678", b"140931199001011234"):
        assert secret not in blob
    key_file = settings.DATA_DIR / "keys" / "reporter-identity.key"
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
    with pytest.raises(PermissionDenied):
        intake.reporter_identity_reveal(actor=world.officer, case=case, reason="核实")
    with pytest.raises(PermissionDenied):
        intake.reporter_identity_reveal(actor=world.auditor, case=case, reason="核实")
    with pytest.raises(InvalidInput):
        intake.reporter_identity_reveal(actor=world.officer_culture, case=case, reason="")
    identity = intake.reporter_identity_reveal(
        actor=world.officer_culture, case=case, reason="电话核实线索"
    )
    assert identity["name"] == "李举报" and identity["phone"] == "13912345678"
    event = case.events.get(verb=CaseEventVerb.IDENTITY_REVEALED)
    assert event.actor == world.officer_culture and event.note == "电话核实线索"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"anonymous": False, "reporter_name": "", "reporter_phone": "1"}, "reporter_name"),
        ({"anonymous": False, "reporter_name": "王", "reporter_phone": "电话"}, "reporter_phone"),
        ({"right_kind": "spaceship"}, "right_kind"),
    ],
)
def test_bad_reports(world, kw, field):
    with pytest.raises(InvalidInput) as info:
        _report(world, **kw)
    assert info.value.field == field
    assert Case.objects.count() == 0


def test_lead_notice_from_another_unit(world):
    case = intake.lead_notice_create(
        actor=world.officer_other,
        to_unit=world.market,
        title="哈尔滨查获假冒保德红枣，货源在保德",
        description="货源为保德县某食品厂。",
    ).case
    assert case.origin_unit == world.other_market and case.cross_region
    assert case.track == Track.MAJOR
    with pytest.raises(PermissionDenied):
        intake.lead_notice_create(
            actor=world.holder_user, to_unit=world.market, title="x", description="y"
        )


def test_officer_overrides_track_with_a_reason(world, right):
    case = _complain(world, right, amount_involved="3000").case
    with pytest.raises(InvalidInput):
        services.case_override_track(
            actor=world.officer, case=case, track=Track.ORDINARY, reason=""
        )
    case = services.case_override_track(
        actor=world.officer, case=case, track=Track.ORDINARY, reason="涉及多个销售点"
    )
    assert case.track == Track.ORDINARY
    event = case.events.get(verb=CaseEventVerb.TRACK_OVERRIDDEN)
    assert event.before == {"track": "simple"} and event.note == "涉及多个销售点"


def test_signed_in_anonymous_report_is_not_tied_to_the_account(world):
    case = _report(world, actor=world.holder_user, anonymous=True).case
    assert case.submitted_by is None
    assert all(e.actor_id is None for e in case.events.all())


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"amount_involved": "NaN"}, "amount_involved"),
        ({"amount_involved": "-1"}, "amount_involved"),
        (
            {
                "anonymous": False,
                "reporter_name": "王",
                "reporter_phone": "138",
                "reporter_id_number": "12345",
            },
            "reporter_id_number",
        ),
        (
            {
                "anonymous": False,
                "reporter_name": "王",
                "reporter_phone": "138",
                "reporter_email": "not-an-email",
            },
            "reporter_email",
        ),
    ],
)
def test_more_bad_report_fields(world, kw, field):
    with pytest.raises(InvalidInput) as info:
        _report(world, **kw)
    assert info.value.field == field
    assert Case.objects.count() == 0


def test_access_code_with_extra_characters_does_not_match(world):
    submitted = _report(world)
    assert intake.case_by_access_code(submitted.case.number, submitted.access_code + "中") is None
    assert intake.case_by_access_code(submitted.case.number, submitted.access_code.lower())
