"""People, roles and sign-up."""

from __future__ import annotations

import pytest

from ipshield.accounts import services
from ipshield.accounts.models import Profile
from ipshield.accounts.notices import notify
from ipshield.audit.models import AuditEvent, Verb
from ipshield.common.errors import InvalidInput, PermissionDenied


def test_sign_up_creates_a_rights_holder_account(db):
    user = services.user_sign_up(
        username="zhang", password="Zhang-Rights-2026", display_name="张三", phone="13800000000"
    )
    assert user.check_password("Zhang-Rights-2026")
    assert user.profile.roles == {"rights_holder"}
    assert user.profile.unit is None
    assert AuditEvent.objects.filter(verb=Verb.USER_SIGNED_UP, target_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("short1A", "10"), ("1234567890123", "数字"), ("password123", "常见")],
)
def test_weak_passwords_are_refused_in_chinese(db, password, fragment):
    with pytest.raises(InvalidInput) as info:
        services.user_sign_up(username="li", password=password, display_name="李四")
    assert info.value.field == "password"
    assert fragment in str(info.value.message)
    assert not Profile.objects.exists()


def test_username_taken_case_insensitively(world):
    with pytest.raises(InvalidInput) as info:
        services.user_sign_up(username="OFFICER", password="Another-pass-2026", display_name="x")
    assert info.value.field == "username"


def test_staff_need_a_unit_and_leaders_add_only_to_their_unit(world):
    with pytest.raises(InvalidInput) as info:
        services.person_create(
            actor=world.admin,
            username="nounit",
            display_name="无单位",
            roles=["case_officer"],
            unit=None,
        )
    assert info.value.field == "unit"
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.leader,
            username="elsewhere",
            display_name="外单位",
            roles=["case_officer"],
            unit=world.other_market,
        )
    user = services.person_create(
        actor=world.leader,
        username="newbie",
        display_name="新人",
        roles=["case_officer"],
        unit=world.market,
    )
    assert user.profile.unit == world.market and not user.has_usable_password()


def test_unknown_role_refused(world):
    with pytest.raises(InvalidInput) as info:
        services.person_create(
            actor=world.admin, username="x1", display_name="x", roles=["emperor"], unit=world.market
        )
    assert info.value.field == "roles"


def test_role_permissions_follow_the_table(world):
    assert world.officer.has_perm("registry.verify_ipright")
    assert not world.reviewer.has_perm("registry.verify_ipright")
    assert not world.auditor.has_perm("registry.add_entity")
    assert world.auditor.has_perm("registry.view_ipright")
    assert not world.holder_user.has_perm("registry.view_entity")


def test_notifications_page_and_mark_read(world, login):
    notify(
        users=[world.officer, world.leader],
        kind="case.suspended",
        params={"number": "测试提醒", "reason": "等待鉴定"},
        link="/workbench/",
    )
    client = login(world.officer)
    page = client.get("/workbench/").content.decode()
    assert 'data-testid="unread">1<' in page
    listing = client.get("/notifications/").content.decode()
    assert "测试提醒" in listing
    client.post("/notifications/read/")
    assert 'data-testid="unread"' not in client.get("/workbench/").content.decode()
    other = login(world.officer_other)
    assert "测试提醒" not in other.get("/notifications/").content.decode()
