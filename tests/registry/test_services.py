"""Registry services: entities, rights, verification, with every refusal naming its field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.audit.models import AuditEvent, Verb
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.engines import uscc
from ipshield.registry import services
from ipshield.registry.models import Entity, IPRight, RightKind, RightStatus
from tests.registry.factories import RightsHolderFactory, valid_uscc

HUAWEI = "914403001922038216"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def test_entity_create_keeps_original_name_and_normalises_for_lookup(world):
    entity = services.entity_create(
        actor=world.officer, name="保德縣 ＡＢＣ 食品有限公司", uscc=f" {HUAWEI.lower()} "
    )
    assert entity.name == "保德縣 ＡＢＣ 食品有限公司"
    assert entity.name_normalized == "保德县abc食品有限公司"
    assert entity.uscc == HUAWEI
    event = AuditEvent.objects.get(verb=Verb.ENTITY_CREATED)
    assert event.actor == world.officer and event.unit == world.market


def test_wrong_check_digit_says_what_it_should_be_and_saves_nothing(world):
    wrong = HUAWEI[:17] + ("7" if HUAWEI[17] != "7" else "8")
    with pytest.raises(InvalidInput) as info:
        services.entity_create(actor=world.officer, name="某公司", uscc=wrong)
    error = info.value
    assert error.field == "uscc"
    assert error.code == "uscc_check_digit"
    assert "校验位" in str(error.message)
    assert f"应为“{uscc.check_digit(HUAWEI[:17])}”" in str(error.message)
    assert Entity.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "error_code"),
    [("91440300192203821", "uscc_length"), ("91440300192203821I", "uscc_charset")],
)
def test_other_uscc_problems(world, code, error_code):
    with pytest.raises(InvalidInput) as info:
        services.entity_create(actor=world.officer, name="某公司", uscc=code)
    assert info.value.code == error_code and info.value.field == "uscc"


def test_duplicate_uscc_is_a_conflict(world):
    services.entity_create(actor=world.officer, name="甲公司", uscc=HUAWEI)
    with pytest.raises(Conflict) as info:
        services.entity_create(actor=world.officer, name="乙公司", uscc=HUAWEI)
    assert info.value.field == "uscc"
    assert Entity.objects.count() == 1


def test_read_only_roles_cannot_create(world):
    for actor in (world.auditor, world.member):
        with pytest.raises(PermissionDenied):
            services.entity_create(actor=actor, name="丙公司")
    assert Entity.objects.count() == 0


def _holder(world, **kw):
    return RightsHolderFactory(region=world.county, user=world.holder_user, **kw)


def test_right_routed_to_unit_by_kind_and_region(world):
    holder = _holder(world)
    trademark = services.right_register(
        actor=world.holder_user,
        holder=holder,
        kind=RightKind.TRADEMARK,
        registration_number="12345678",
        title="保德红枣",
        nice_classes="29，30",
    )
    copyright_ = services.right_register(
        actor=world.holder_user,
        holder=holder,
        kind=RightKind.COPYRIGHT,
        registration_number="晋作登字-2022-A-00012345",
        title="保德剪纸图样",
    )
    variety = services.right_register(
        actor=world.holder_user,
        holder=holder,
        kind=RightKind.PLANT_VARIETY,
        registration_number="CNA20201234.5",
        title="保德油枣1号",
    )
    assert trademark.verifying_unit == world.market
    assert trademark.nice_classes == [29, 30]
    assert copyright_.verifying_unit == world.culture and copyright_.nice_classes == []
    assert variety.verifying_unit == world.agriculture
    assert trademark.status == RightStatus.PENDING


def test_right_routing_walks_up_to_an_ancestor_region(world):
    from ipshield.accounts.models import Region, RegionLevel, Unit, UnitKind

    town = Region.objects.create(
        code="140931100", name="东关镇", level=RegionLevel.TOWNSHIP, parent=world.county
    )
    holder = RightsHolderFactory(region=town)
    right = services.right_register(
        actor=None,
        holder=holder,
        kind=RightKind.TRADEMARK,
        registration_number="1",
        title="镇上商标",
        nice_classes=[30],
    )
    assert right.verifying_unit == world.market
    assert Unit.objects.filter(kind=UnitKind.MARKET_SUPERVISION, region=town).count() == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"registration_number": "  "}, "registration_number"),
        ({"title": ""}, "title"),
        ({"nice_classes": "46"}, "nice_classes"),
        ({"nice_classes": "三十"}, "nice_classes"),
        ({"nice_classes": ""}, "nice_classes"),
        ({"valid_from": dt.date(2025, 1, 1), "valid_until": dt.date(2024, 1, 1)}, "valid_until"),
        ({"kind": "car"}, "kind"),
        ({"certificate": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary")}, "certificate"),
    ],
)
def test_right_register_refuses_bad_input_naming_the_field(world, kwargs, field):
    args = {
        "kind": RightKind.TRADEMARK,
        "registration_number": "555",
        "title": "好商标",
        "nice_classes": [30],
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput) as info:
        services.right_register(actor=world.holder_user, holder=_holder(world), **args)
    assert info.value.field == field
    assert str(info.value.message)
    assert IPRight.objects.count() == 0


def test_duplicate_registration_number_is_refused(world):
    holder = _holder(world)
    args = {
        "kind": RightKind.TRADEMARK,
        "registration_number": "777",
        "title": "甲",
        "nice_classes": [1],
    }
    services.right_register(actor=world.holder_user, holder=holder, **args)
    with pytest.raises(Conflict) as info:
        services.right_register(
            actor=world.holder_user, holder=holder, **{**args, "registration_number": " 777 "}
        )
    assert info.value.field == "registration_number"


def test_certificate_is_stored_in_data_dir_and_hashed(world, settings):
    import hashlib

    right = services.right_register(
        actor=world.holder_user,
        holder=_holder(world),
        kind=RightKind.TRADEMARK,
        registration_number="888",
        title="带证书",
        nice_classes=[30],
        certificate=SimpleUploadedFile("cert.png", PNG, content_type="image/png"),
    )
    assert right.certificate_sha256 == hashlib.sha256(PNG).hexdigest()
    assert right.certificate.path.startswith(str(settings.MEDIA_ROOT))
    with open(right.certificate.path, "rb") as fh:
        assert fh.read() == PNG


def test_oversized_certificate_refused(world, settings):
    settings.IPSHIELD_MAX_UPLOAD_BYTES = 100
    with pytest.raises(InvalidInput) as info:
        services.right_register(
            actor=world.holder_user,
            holder=_holder(world),
            kind=RightKind.TRADEMARK,
            registration_number="889",
            title="大证书",
            nice_classes=[30],
            certificate=SimpleUploadedFile("c.png", PNG + b"0" * 200),
        )
    assert info.value.code == "upload_too_large"


def test_someone_else_cannot_register_for_a_holder(world):
    from tests.accounts.factories import make_person

    other = make_person("rights_holder")
    with pytest.raises(PermissionDenied):
        services.right_register(
            actor=other,
            holder=_holder(world),
            kind=RightKind.TRADEMARK,
            registration_number="1",
            title="x",
            nice_classes=[1],
        )


def test_verify_only_by_the_responsible_unit_and_only_once(world):
    right = services.right_register(
        actor=world.holder_user,
        holder=_holder(world),
        kind=RightKind.TRADEMARK,
        registration_number="999",
        title="核验",
        nice_classes=[30],
    )
    with pytest.raises(PermissionDenied):
        services.right_verify(actor=world.officer_other, right=right)
    with pytest.raises(PermissionDenied):
        services.right_verify(actor=world.auditor, right=right)
    verified = services.right_verify(actor=world.officer, right=right)
    assert verified.status == RightStatus.VERIFIED and verified.verified_by == world.officer
    with pytest.raises(Conflict):
        services.right_reject(actor=world.officer, right=right, reason="重复")
    verbs = list(AuditEvent.objects.filter(target_id=str(right.pk)).values_list("verb", flat=True))
    assert sorted(verbs) == sorted([Verb.RIGHT_REGISTERED, Verb.RIGHT_VERIFIED])


def test_reject_needs_a_reason(world):
    right = services.right_register(
        actor=world.holder_user,
        holder=_holder(world),
        kind=RightKind.TRADEMARK,
        registration_number="1000",
        title="驳回",
        nice_classes=[30],
    )
    with pytest.raises(InvalidInput) as info:
        services.right_reject(actor=world.officer, right=right, reason=" ")
    assert info.value.field == "reason"
    right.refresh_from_db()
    assert right.status == RightStatus.PENDING
    services.right_reject(actor=world.officer, right=right, reason="证书与注册号不符")
    right.refresh_from_db()
    assert right.status == RightStatus.REJECTED and right.rejection_reason == "证书与注册号不符"


def test_expire_due_rights(world):
    holder = _holder(world)
    old = services.right_register(
        actor=None,
        holder=holder,
        kind=RightKind.TRADEMARK,
        registration_number="2000",
        title="旧",
        nice_classes=[30],
        valid_until=dt.date(2020, 1, 1),
    )
    current = services.right_register(
        actor=None,
        holder=holder,
        kind=RightKind.TRADEMARK,
        registration_number="2001",
        title="新",
        nice_classes=[30],
        valid_until=dt.date(2099, 1, 1),
    )
    for r in (old, current):
        services.right_verify(actor=world.officer, right=r)
    assert services.rights_expire_due(today=dt.date(2026, 11, 23)) == 1
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.status == RightStatus.EXPIRED and current.status == RightStatus.VERIFIED


def test_factory_codes_are_valid():
    assert all(uscc.is_valid(valid_uscc()) for _ in range(50))
