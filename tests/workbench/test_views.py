"""Workbench forms: valid input is saved through services; bad input keeps what was typed."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from ipshield.registry.models import Entity

HUAWEI = "914403001922038216"


def test_entity_form_saves_and_normalises(world, login):
    client = login(world.officer)
    response = client.post(
        "/workbench/entities/",
        {"name": "保德縣紅棗有限公司", "uscc": HUAWEI, "kind": "enterprise", "region": "140931"},
    )
    assert response.status_code == 302
    entity = Entity.objects.get()
    assert entity.name_normalized == "保德县红枣有限公司" and entity.region_id == "140931"
    listing = client.get("/workbench/entities/", {"q": "保德县红枣"}).content.decode()
    assert "保德縣紅棗有限公司" in listing


def test_entity_form_with_wrong_check_digit_keeps_input(world, login):
    client = login(world.officer)
    response = client.post(
        "/workbench/entities/",
        {"name": "保德县新公司", "uscc": HUAWEI[:17] + "A", "kind": "enterprise"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "校验位错误" in page and "应为“6”" in page
    assert 'value="保德县新公司"' in page
    assert Entity.objects.count() == 0


def test_htmx_search_returns_only_the_rows(world, login):
    client = login(world.officer)
    response = client.get("/workbench/entities/", {"q": "x"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<table>" in page and "<html" not in page


def test_leader_adds_a_person_to_own_unit(world, login):
    client = login(world.leader)
    response = client.post(
        "/workbench/people/",
        {
            "username": "wang5",
            "display_name": "王五",
            "roles": ["case_officer"],
            "unit": world.market.pk,
            "password": "Wangwu-pass-2026",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="wang5")
    assert user.profile.unit == world.market and user.check_password("Wangwu-pass-2026")


def test_leader_cannot_pick_another_unit(world, login):
    client = login(world.leader)
    response = client.post(
        "/workbench/people/",
        {
            "username": "zhao6",
            "display_name": "赵六",
            "roles": ["case_officer"],
            "unit": world.other_market.pk,
        },
    )
    assert response.status_code == 200
    assert "zhao6" in response.content.decode()  # the form kept the input
    assert not get_user_model().objects.filter(username="zhao6").exists()


def test_officer_cannot_add_people(world, login):
    client = login(world.officer)
    assert "添加人员" not in client.get("/workbench/people/").content.decode()
    response = client.post("/workbench/people/", {"username": "x"})
    assert response.status_code == 403


def test_weak_password_names_the_field(world, login):
    client = login(world.leader)
    response = client.post(
        "/workbench/people/",
        {
            "username": "li7",
            "display_name": "李七",
            "roles": ["case_officer"],
            "unit": world.market.pk,
            "password": "12345678901",
        },
    )
    page = response.content.decode()
    assert 'data-field="password"' in page
    assert not get_user_model().objects.filter(username="li7").exists()
