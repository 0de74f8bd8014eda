"""The leading group's meetings (decisions become supervised measures) and major-incident
reports acknowledged by its office."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipshield.accounts.models import LeadingGroup, LeadingGroupMember, Notification
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.common.inbox import groups_for
from ipshield.supervision import errors, services
from ipshield.supervision.models import Assignment, PlanKind, PlanStatus
from ipshield.supervision.selectors import assignment_rows, incidents_for, meeting_get
from ipshield.supervision.status import Light
from tests.accounts.factories import make_person
from tests.supervision.factories import upload


@pytest.fixture
def group(world):
    group = LeadingGroup.objects.create(
        name="保德县知识产权发展和保护领导组", region=world.county, office_unit=world.market
    )
    head = make_person("leading_group_member", unit=world.market, username="head")
    LeadingGroupMember.objects.create(
        group=group, person=head.profile, position="leader", title="副县长", unit=world.market
    )
    return group


def _decision(world, days=30, **change):
    return {
        "title": "建立知识产权纠纷快速处理机制",
        "text": "由县市场局牵头，县文旅局配合。",
        "due_on": timezone.localdate() + dt.timedelta(days=days),
        "units": [(world.market.pk, "lead"), (world.culture.pk, "supporting")],
        **change,
    }


def test_meeting_decisions_become_supervised_measures(world, group):
    seat = group.members.get()
    meeting = services.meeting_record(
        actor=world.officer,
        group=group,
        title="2026年第一次专题会议",
        held_on=timezone.localdate(),
        agenda="研究部署年度重点任务",
        minutes="会议议定如下事项。",
        attendee_ids=[seat.pk],
        decisions=[_decision(world, days=60), _decision(world, days=3, title="上报季度工作情况")],
        uploads=[upload("minutes.png")],
    )
    assert meeting.attendees.get() == seat
    assert meeting.attachments.count() == 1
    plan = meeting.decisions.first().plan
    assert plan.kind == PlanKind.DECISIONS and plan.status == PlanStatus.PUBLISHED
    assert plan.measures.count() == 2
    rows = assignment_rows(plan=plan)
    assert {r.light for r in rows} == {Light.ON_TRACK, Light.DUE_SOON}
    told = Notification.objects.get(user=world.officer_culture, kind="supervision.assigned")
    assert told.params["count"] == 2
    # a second meeting continues the numbering in the same plan
    again = services.meeting_record(
        actor=world.officer,
        group=group,
        title="第二次会议",
        held_on=timezone.localdate(),
        agenda="调度",
        decisions=[_decision(world)],
    )
    assert again.decisions.get().plan == plan and again.decisions.get().order == 3
    assert meeting_get(actor=world.officer_culture, meeting_id=meeting.pk) == meeting
    assert meeting_get(actor=world.officer_other, meeting_id=meeting.pk) is None
    # the units report on decisions like on any measure
    culture = Assignment.objects.get(measure__meeting=meeting, unit=world.culture, measure__order=1)
    report = services.report_submit(
        actor=world.officer_culture,
        assignment=culture,
        period=f"{timezone.localdate().year}-Q{(timezone.localdate().month - 1) // 3 + 1}",
        narrative="已配合完成",
    )
    assert report.pk


def test_meeting_refusals(world, group):
    def record(**change):
        kwargs = {
            "actor": world.officer,
            "group": group,
            "title": "会议",
            "held_on": timezone.localdate(),
            "agenda": "议题",
            "decisions": [_decision(world)],
            **change,
        }
        return services.meeting_record(**kwargs)

    with pytest.raises(PermissionDenied):
        record(actor=world.officer_culture)
    with pytest.raises(PermissionDenied):
        record(actor=world.member)
    cases = [
        ({"title": " "}, "title"),
        ({"agenda": ""}, "agenda"),
        ({"held_on": timezone.localdate() + dt.timedelta(days=1)}, "held_on"),
        ({"held_on": "yesterday"}, "held_on"),
        ({"attendee_ids": [999999]}, "attendees"),
        ({"decisions": [_decision(world, days=-400)]}, "decisions.1.due_on"),
        ({"decisions": [_decision(world, units=[])]}, "decisions.1.units"),
        ({"decisions": [_decision(world, units=[(999999, "lead")])]}, "decisions.1.units"),
        ({"decisions": [_decision(world, title="")]}, "decisions.1.title"),
        ({"decisions": [_decision(world, due_on="2026-02-30")]}, "decisions.1.due_on"),
    ]
    for change, field in cases:
        with pytest.raises(InvalidInput) as refused:
            record(**change)
        assert refused.value.field == field, change
    assert not group.meetings.exists()  # nothing half-saved


def test_incident_report_and_acknowledgement(world, group):
    head = group.members.get().person.user
    incident = services.incident_report(
        actor=world.officer_culture,
        group=group,
        title="网络直播间集中销售侵权商品",
        occurred_on=timezone.localdate(),
        description="某直播间销售假冒本地地理标志产品，涉及金额较大。",
        uploads=[upload()],
    )
    assert incident.unit == world.culture and incident.attachments.count() == 1
    assert Notification.objects.filter(user=head, kind="supervision.incident").exists()
    kinds = {g.kind: g.count for g in groups_for(world.officer)}
    assert kinds.get("supervision.incident") == 1
    assert list(incidents_for(actor=world.officer_other)) == []
    assert list(incidents_for(actor=world.officer_culture)) == [incident]
    with pytest.raises(PermissionDenied):
        services.incident_acknowledge(actor=world.officer_culture, incident=incident)
    services.incident_acknowledge(actor=world.officer, incident=incident, note="已转县市场局核查")
    with pytest.raises(Conflict):
        services.incident_acknowledge(actor=world.officer, incident=incident)
    assert Notification.objects.filter(
        user=world.officer_culture, kind="supervision.incident_acknowledged"
    ).exists()
    kinds = {g.kind: g.count for g in groups_for(world.officer)}
    assert "supervision.incident" not in kinds or kinds["supervision.incident"] == 0


def test_incident_refusals(world, group):
    with pytest.raises(PermissionDenied):
        services.incident_report(
            actor=world.public_user,
            group=group,
            title="x",
            occurred_on="2026-01-01",
            description="y",
        )
    for change, field in [
        ({"title": ""}, "title"),
        ({"description": " "}, "description"),
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
        ({"title": "长" * 201}, "title"),
    ]:
        kwargs = {"title": "事件", "occurred_on": "2026-01-01", "description": "情况", **change}
        with pytest.raises(InvalidInput) as refused:
            services.incident_report(actor=world.officer_culture, group=group, **kwargs)
        assert refused.value.field == field
    assert errors.NOT_OFFICE


def test_a_plan_imported_by_the_office_is_steered_by_its_group(world, group):
    from tests.supervision.factories import small_plan

    assert small_plan(world, publish=False).leading_group == group
