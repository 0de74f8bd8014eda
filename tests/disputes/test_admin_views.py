"""The directory and statistics pages: who reaches them, a refusal shown next to its field,
specialties as checkboxes, a mediator's own profile, the export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ipshield.disputes.models import Conflict, Mediator, Organisation
from tests.accounts.factories import make_person


@pytest.fixture
def leader(world, bodies):
    return make_person("unit_leader", unit=bodies.committee.unit, username="committee_leader")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_render_in_both_languages(client, world, bodies, language):
    client.force_login(world.admin)
    client.cookies["django_language"] = language
    for url in [
        "/workbench/disputes/organisations/",
        f"/workbench/disputes/organisations/{bodies.committee.pk}/",
        "/workbench/disputes/organisations/new/",
        "/workbench/disputes/mediators/",
        f"/workbench/disputes/mediators/{bodies.mediator.pk}/",
        f"/workbench/disputes/organisations/{bodies.committee.pk}/mediators/new/",
        "/workbench/disputes/statistics/",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_bad_video_link_is_shown_next_to_the_field(client, world, bodies, leader):
    client.force_login(leader)
    url = f"/workbench/disputes/organisations/{bodies.committee.pk}/"
    page = client.post(
        url, {"kind": "peoples", "video_link": "javascript:alert(1)", "limit_days": "30"}
    )
    assert page.status_code == 200
    assert 'data-field="video_link"' in page.content.decode()
    reply = client.post(
        url,
        {
            "kind": "peoples",
            "video_link": "https://v.example.cn/r/2",
            "limit_days": "15",
            "accepts_online": "on",
        },
    )
    assert reply.status_code == 302
    assert Organisation.objects.get(pk=bodies.committee.pk).limit_days == 15


def test_others_cannot_manage(client, world, bodies):
    client.force_login(world.officer)
    assert client.get("/workbench/disputes/organisations/").status_code == 403
    client.force_login(world.mediator)
    assert client.get(f"/workbench/disputes/mediators/{bodies.mediator.pk}/").status_code == 403


def test_a_leader_edits_a_mediator_with_checkboxes(client, world, bodies, leader):
    client.force_login(leader)
    url = f"/workbench/disputes/mediators/{bodies.mediator2.pk}/"
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="specialties" value="patent_invention"' in page
    assert "checked" in page
    reply = client.post(
        url,
        {
            "name": "王建国",
            "specialties": ["trademark", "patent_design"],
            "industries": "机械",
            "region": world.county.pk,
            "max_load": "500",
        },
    )
    assert 'data-field="max_load"' in reply.content.decode()
    client.post(
        url,
        {
            "name": "王建国",
            "specialties": ["trademark", "patent_design"],
            "industries": "机械",
            "region": world.county.pk,
            "max_load": "5",
            "available": "on",
        },
    )
    mediator = Mediator.objects.get(pk=bodies.mediator2.pk)
    assert (mediator.specialties, mediator.max_load) == (["trademark", "patent_design"], 5)


def test_a_new_mediator_from_the_units_staff(client, world, bodies, leader):
    staff = make_person("mediator", unit=bodies.committee.unit, username="newcomer")
    client.force_login(leader)
    url = f"/workbench/disputes/organisations/{bodies.committee.pk}/mediators/new/"
    assert "newcomer" in client.get(url).content.decode()
    reply = client.post(
        url,
        {
            "user": staff.pk,
            "name": "新调解员",
            "specialties": ["copyright"],
            "region": world.county.pk,
            "max_load": "8",
            "available": "on",
        },
    )
    assert reply.status_code == 302
    assert Mediator.objects.get(user=staff).specialties == ["copyright"]


def test_my_profile_availability_and_conflicts(client, world, bodies):
    client.force_login(world.mediator)
    page = client.get("/workbench/disputes/me/")
    assert page.status_code == 200
    client.post("/workbench/disputes/me/availability/", {"available": "0"})
    assert Mediator.objects.get(pk=bodies.mediator.pk).available is False
    client.post("/workbench/disputes/me/", {"name": "某商贸公司", "reason": "曾任法律顾问"})
    conflict = Conflict.objects.get(mediator=bodies.mediator)
    again = client.post("/workbench/disputes/me/", {"name": "某商贸公司", "reason": "x"})
    assert 'data-field="name"' in again.content.decode()
    client.force_login(bodies.mediator2.user)
    assert client.post(f"/workbench/disputes/me/conflicts/{conflict.pk}/remove/").status_code == 404
    client.force_login(world.mediator)
    client.post(f"/workbench/disputes/me/conflicts/{conflict.pk}/remove/")
    assert not Conflict.objects.exists()
    client.force_login(world.officer)
    assert client.get("/workbench/disputes/me/").status_code == 404


def test_statistics_export(client, world, bodies):
    from tests.disputes.conftest import apply

    apply(bodies, world)
    client.force_login(world.admin)
    page = client.get("/workbench/disputes/statistics/", {"region": world.county.pk})
    assert 'data-testid="stats-organisations"' in page.content.decode()
    csv_text = client.get("/workbench/disputes/statistics.csv").content.decode("utf-8-sig")
    assert "保德县人民调解委员会,,1,0,0" in csv_text
    book = load_workbook(io.BytesIO(client.get("/workbench/disputes/statistics.xlsx").content))
    rows = list(book.active.values)
    assert rows[1][1] == "保德县人民调解委员会" and rows[1][3] == 1
    assert client.get("/workbench/disputes/statistics.pdf").status_code == 404
    bad = client.get("/workbench/disputes/statistics/", {"start": "not-a-date"})
    assert bad.status_code == 200


def test_statistics_headings_in_english(client, world, bodies):
    client.force_login(world.admin)
    client.cookies["django_language"] = "en"
    text = client.get("/workbench/disputes/statistics/").content.decode()
    assert "Success rate (%)" in text and "Confirmation rate (%)" in text
