"""The leading group's pages: meetings (with decisions handed to units) and major-incident
reports, for the office, the units and the group's members; hostile input never fails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipshield.accounts.models import LeadingGroup, LeadingGroupMember
from ipshield.supervision.models import Assignment, IncidentReport, Meeting
from tests.supervision.factories import upload


@pytest.fixture
def group(world):
    group = LeadingGroup.objects.create(
        name="保德县知识产权发展和保护领导组", region=world.county, office_unit=world.market
    )
    LeadingGroupMember.objects.create(
        group=group,
        person=world.member.profile,
        position="member",
        title="主任科员",
        unit=world.market,
    )
    return group


def _meeting_post(world, group, **change):
    today = timezone.localdate()
    data = {
        "title": "专题会议",
        "held_on": today.isoformat(),
        "agenda": "部署年度任务",
        "attendees": [str(group.members.get().pk)],
        "d1_title": "建立快速处理机制",
        "d1_due_on": (today + dt.timedelta(days=40)).isoformat(),
        "d1_lead": str(world.market.pk),
        "d1_support": [str(world.culture.pk)],
        **change,
    }
    return data


def test_office_records_a_meeting_and_units_see_their_decisions(world, group, login):
    office = login(world.officer)
    assert office.get("/workbench/supervision/meetings/").status_code == 200
    assert office.get("/workbench/supervision/meetings/new/").status_code == 200
    response = office.post(
        "/workbench/supervision/meetings/new/",
        {**_meeting_post(world, group), "files": [upload("纪要.png")]},
    )
    assert response.status_code == 302, response.content[:400]
    meeting = Meeting.objects.get()
    assert meeting.attachments.count() == 1
    page = office.get(response["Location"])
    assert "建立快速处理机制" in page.content.decode()
    culture = login(world.officer_culture)
    assert culture.get(f"/workbench/supervision/meetings/{meeting.pk}/").status_code == 200
    assert Assignment.objects.filter(measure__meeting=meeting, unit=world.culture).exists()
    # another county's officer sees nothing; a member reads
    assert (
        login(world.officer_other).get(f"/workbench/supervision/meetings/{meeting.pk}/").status_code
        == 404
    )
    assert (
        login(world.member).get(f"/workbench/supervision/meetings/{meeting.pk}/").status_code == 200
    )
    # the office sees the minutes' attachment through the evidence pages
    item = meeting.attachments.get()
    assert office.get(f"/evidence/{item.pk}/").status_code == 200


def test_meeting_form_refusals_keep_the_input(world, group, login):
    office = login(world.officer)
    cases = [
        ({"title": ""}, "title"),
        ({"held_on": "2999-01-01"}, "held_on"),
        ({"d1_due_on": "2000-01-01"}, "d1_due_on"),
        ({"d1_lead": "", "d1_support": []}, "d1_lead"),
        ({"d1_lead": "999999"}, "d1_lead"),
        ({"attendees": ["999999"]}, "attendees"),
        ({"title": "\u200b\u200b"}, "title"),  # zero-width only: blank once cleaned
    ]
    for change, field in cases:
        response = office.post(
            "/workbench/supervision/meetings/new/", _meeting_post(world, group, **change)
        )
        assert response.status_code in (400, 409), (change, response.status_code)
        assert f'data-field="{field}"' in response.content.decode(), change
        assert "部署年度任务" in response.content.decode()  # what was typed is kept
    assert not Meeting.objects.exists()
    # only the office records
    assert (
        login(world.officer_culture).get("/workbench/supervision/meetings/new/").status_code == 403
    )
    assert (
        login(world.member)
        .post("/workbench/supervision/meetings/new/", _meeting_post(world, group))
        .status_code
        == 403
    )


def test_incident_report_and_acknowledgement_pages(world, group, login):
    culture = login(world.officer_culture)
    assert culture.get("/workbench/supervision/incidents/new/").status_code == 200
    bad = culture.post(
        "/workbench/supervision/incidents/new/",
        {"title": "", "occurred_on": "not a date", "description": ""},
    )
    assert bad.status_code == 400
    assert not IncidentReport.objects.exists()
    response = culture.post(
        "/workbench/supervision/incidents/new/",
        {
            "title": "直播间销售盗版图书",
            "occurred_on": timezone.localdate().isoformat(),
            "description": "发现集中销售盗版图书。",
            "files": [upload()],
        },
    )
    assert response.status_code == 302, response.content[:400]
    incident = IncidentReport.objects.get()
    page = culture.get(f"/workbench/supervision/incidents/{incident.pk}/")
    assert "待领导组办公室签收" in page.content.decode()
    assert (
        culture.post(
            f"/workbench/supervision/incidents/{incident.pk}/acknowledge/", {"note": "x"}
        ).status_code
        == 403
    )
    office = login(world.officer)
    assert "直播间销售盗版图书" in office.get("/workbench/supervision/incidents/").content.decode()
    done = office.post(
        f"/workbench/supervision/incidents/{incident.pk}/acknowledge/", {"note": "已转核查"}
    )
    assert done.status_code == 302
    again = office.post(f"/workbench/supervision/incidents/{incident.pk}/acknowledge/", {})
    assert again.status_code == 409
    assert (
        login(world.officer_other)
        .get(f"/workbench/supervision/incidents/{incident.pk}/")
        .status_code
        == 404
    )
