"""Nothing leaks across units: the same rule holds for pages and for the API."""

from __future__ import annotations

import pytest

from ipshield.accounts.services import record_share
from tests.registry.factories import IPRightFactory, RightsHolderFactory


@pytest.fixture
def rights(world):
    baode = IPRightFactory(
        verifying_unit=world.market,
        title="保德红枣",
        registration_number="B-1",
        holder=RightsHolderFactory(region=world.county, name="保德红枣合作社"),
    )
    harbin = IPRightFactory(
        verifying_unit=world.other_market,
        title="哈尔滨红肠",
        registration_number="H-1",
        holder=RightsHolderFactory(region=world.other_county, name="哈尔滨肉联厂"),
    )
    return baode, harbin


def _page_titles(client) -> str:
    return client.get("/workbench/rights/").content.decode()


def _api_titles(client) -> set[str]:
    body = client.get("/api/v1/rights").json()
    return {item["title"] for item in body["items"]}


def test_officer_sees_only_own_unit_rights(world, login, rights):
    client = login(world.officer)
    page = _page_titles(client)
    assert "保德红枣" in page and "哈尔滨红肠" not in page
    assert _api_titles(client) == {"保德红枣"}
    other = login(world.officer_other)
    assert "保德红枣" not in _page_titles(other)
    assert _api_titles(other) == {"哈尔滨红肠"}


def test_detail_of_another_units_right_is_not_found(world, login, rights):
    baode, harbin = rights
    client = login(world.officer)
    assert client.get(f"/api/v1/rights/{harbin.pk}").status_code == 404
    assert client.get(f"/api/v1/rights/{baode.pk}").status_code == 200
    response = client.post(f"/workbench/rights/{harbin.pk}/verify/")
    assert response.status_code == 404


def test_sharing_makes_a_record_visible_to_the_other_unit(world, login, rights):
    baode, _ = rights
    record_share(actor=world.officer, target=baode, unit=world.other_market, reason="协查")
    other = login(world.officer_other)
    assert _api_titles(other) == {"保德红枣", "哈尔滨红肠"}
    assert "保德红枣" in _page_titles(other)


def test_auditor_sees_everything_but_cannot_change(world, login, rights):
    baode, _ = rights
    client = login(world.auditor)
    assert _api_titles(client) == {"保德红枣", "哈尔滨红肠"}
    response = client.post(f"/api/v1/rights/{baode.pk}/verify")
    assert response.status_code == 403
    assert response.json()["code"] in {"permission_denied", "read_only"}
    baode.refresh_from_db()
    assert baode.status == "pending"


def test_people_are_scoped_to_the_unit(world, login):
    client = login(world.officer)
    usernames = {p["username"] for p in client.get("/api/v1/people").json()["items"]}
    assert "officer" in usernames and "reviewer" in usernames
    assert "officer_hrb" not in usernames and "officer2" not in usernames
    page = client.get("/workbench/people/").content.decode()
    assert "officer_hrb" not in page
    auditor = login(world.auditor)
    everyone = {p["username"] for p in auditor.get("/api/v1/people").json()["items"]}
    assert {"officer", "officer_hrb", "officer2"} <= everyone


def test_rights_holder_sees_only_own_rights_and_no_workbench(world, login, rights):
    from ipshield.registry.models import RightsHolder

    holder = RightsHolder.objects.get(name="保德红枣合作社")
    holder.user = world.holder_user
    holder.save()
    client = login(world.holder_user)
    assert _api_titles(client) == {"保德红枣"}
    assert client.get("/workbench/").status_code == 403
    assert client.get("/api/v1/people").json()["items"] == []
    assert client.get("/api/v1/entities").json()["items"] == []


def test_public_user_sees_no_unit_data(world, login, rights):
    client = login(world.public_user)
    assert _api_titles(client) == set()
    assert client.get("/workbench/rights/").status_code == 403


def test_anonymous_gets_401_from_the_api_and_login_from_pages(world, client, rights):
    response = client.get("/api/v1/rights")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert client.get("/workbench/").status_code == 302
