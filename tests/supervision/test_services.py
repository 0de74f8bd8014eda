"""Plan supervision services: import, publish, reports and their refusals, completion with
evidence, lights, reminders and the three levels of supervision notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipshield.accounts.models import LeadingGroup, LeadingGroupMember, Notification
from ipshield.common.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from ipshield.supervision import errors, services
from ipshield.supervision.imports import plan_preview
from ipshield.supervision.models import (
    Assignment,
    AssignmentRole,
    Measure,
    PlanStatus,
    ReportStatus,
    SupervisionNotice,
)
from ipshield.supervision.selectors import assignment_rows, dashboard, ledger
from ipshield.supervision.status import Light, period_of
from tests.accounts.factories import make_person
from tests.supervision.factories import small_plan, upload


def _resolve_all(world, text):
    preview = plan_preview(text, region=world.county)
    return {c.printed: [] for c in preview.choices if not c.certain}


def test_county_plan_imports_23_measures(world, county_text):
    with pytest.raises(InvalidInput) as refused:
        services.plan_import(actor=world.officer, text=county_text)
    assert refused.value.code == errors.UNITS_UNRESOLVED
    names = refused.value.details["names"]
    assert "县文化和放游局" in names  # a typo: offered, for the office to confirm
    typo = plan_preview(county_text, region=world.county).choice("县文化和放游局")
    assert typo.status == "uncertain" and typo.candidates[0]["id"] == world.culture.pk
    plan = services.plan_import(
        actor=world.officer, text=county_text, choices=_resolve_all(world, county_text)
    )
    assert plan.status == PlanStatus.DRAFT
    assert plan.measures.count() == 23
    assert plan.measures.filter(due_on__isnull=False).count() == 17
    assert plan.measures.filter(due_kind="ongoing").count() == 6
    culture = Assignment.objects.filter(measure__plan=plan, unit=world.culture)
    assert culture.exists()
    market = Assignment.objects.filter(measure__plan=plan, unit=world.market)
    assert market.count() >= 10


def test_opinion_imports_without_units(world, opinion_text):
    plan = services.plan_import(actor=world.officer, text=opinion_text)
    assert plan.measures.count() == 21
    assert not Assignment.objects.filter(measure__plan=plan).exists()
    with pytest.raises(Conflict) as refused:
        services.plan_publish(actor=world.officer, plan=plan)
    assert refused.value.code == errors.PLAN_NO_ASSIGNMENTS
    measure = plan.measures.first()
    services.assignment_set(actor=world.officer, measure=measure, unit=world.culture)
    plan = services.plan_publish(actor=world.officer, plan=plan)
    assert plan.status == PlanStatus.PUBLISHED


def test_unreadable_text_says_what_was_recognised(world):
    with pytest.raises(InvalidInput) as refused:
        services.plan_import(actor=world.officer, text="会议通知\n请各单位准时参加。")
    assert refused.value.code == errors.PLAN_UNREADABLE
    assert refused.value.field == "text"
    assert "会议通知" in str(refused.value.message)


def test_only_the_office_unit_imports_and_publishes(world, county_text):
    with pytest.raises(PermissionDenied):
        services.plan_import(actor=world.member, text=county_text)  # read-only
    plan = small_plan(world, publish=False)
    with pytest.raises(PermissionDenied) as refused:
        services.plan_publish(actor=world.officer_culture, plan=plan)
    assert refused.value.code == errors.NOT_OFFICE


def test_publish_tells_the_units(world):
    small_plan(world)
    told = Notification.objects.filter(user=world.officer_culture, kind="supervision.assigned")
    assert told.count() == 1
    assert told.get().params["count"] == 2


def _culture_assignment(plan, dated=True):
    return Assignment.objects.get(
        measure__plan=plan, unit__name="保德县文化和旅游局", due_on__isnull=not dated
    )


def test_report_refusals(world):
    plan = small_plan(world)
    mine = _culture_assignment(plan)
    period = period_of(timezone.localdate(), plan.report_cycle)
    with pytest.raises(PermissionDenied) as other_unit:
        services.report_submit(actor=world.officer, assignment=mine, period=period, narrative="x")
    assert other_unit.value.code == errors.NOT_ASSIGNED_UNIT
    cases = [
        ({"period": "2026-13"}, errors.PERIOD_INVALID, "period"),
        ({"period": "2026-11"}, errors.PERIOD_WRONG_CYCLE, "period"),
        ({"period": "2099-Q1"}, errors.PERIOD_FUTURE, "period"),
        ({"narrative": "  "}, errors.FIELD_REQUIRED, "narrative"),
        ({"share_done": "120"}, errors.OUT_OF_RANGE, "share_done"),
        ({"share_done": "abc"}, errors.OUT_OF_RANGE, "share_done"),
        ({"completes": True}, errors.EVIDENCE_REQUIRED, "files"),
    ]
    for change, code, field in cases:
        kwargs = {"period": period, "narrative": "已制定工作方案。", **change}
        with pytest.raises(DomainError) as refused:
            services.report_submit(actor=world.officer_culture, assignment=mine, **kwargs)
        assert (refused.value.code, refused.value.field) == (code, field), change
    assert not mine.reports.exists()  # nothing half-saved
    services.report_submit(
        actor=world.officer_culture, assignment=mine, period=period, narrative="已制定工作方案。"
    )
    with pytest.raises(Conflict) as twice:
        services.report_submit(
            actor=world.officer_culture, assignment=mine, period=period, narrative="again"
        )
    assert twice.value.code == errors.PERIOD_REPORTED


def test_closed_period_refused(world):
    plan = small_plan(world)
    mine = _culture_assignment(plan)
    Assignment.objects.filter(pk=mine.pk).update(starts_on=dt.date(2020, 1, 1))
    services.plan_close_periods(actor=world.officer, plan=plan, through=dt.date(2021, 12, 31))
    with pytest.raises(Conflict) as refused:
        services.report_submit(
            actor=world.officer_culture, assignment=mine, period="2021-Q4", narrative="late"
        )
    assert refused.value.code == errors.PERIOD_CLOSED
    report = services.report_submit(
        actor=world.officer_culture, assignment=mine, period="2022-Q1", narrative="on time"
    )
    assert report.period_end == dt.date(2022, 3, 31)


def test_return_lets_the_unit_report_again_and_completion_needs_evidence(world):
    plan = small_plan(world)
    mine = _culture_assignment(plan)
    period = period_of(timezone.localdate(), plan.report_cycle)
    first = services.report_submit(
        actor=world.officer_culture, assignment=mine, period=period, narrative="draft"
    )
    with pytest.raises(InvalidInput):
        services.report_return(actor=world.officer, report=first, note="")
    services.report_return(actor=world.officer, report=first, note="请补充数据")
    assert Notification.objects.filter(
        user=world.officer_culture, kind="supervision.report_returned"
    ).exists()
    measure = mine.measure
    with pytest.raises(Conflict) as no_evidence:
        services.measure_complete(actor=world.officer, measure=measure)
    assert no_evidence.value.code == errors.EVIDENCE_REQUIRED
    second = services.report_submit(
        actor=world.officer_culture,
        assignment=mine,
        period=period,
        narrative="机制已建立并运行。",
        completes=True,
        uploads=[upload()],
    )
    assert second.attachments.count() == 1
    assert second.attachments.get().unit_id == world.culture.pk
    services.report_accept(actor=world.officer, report=second)
    mine.refresh_from_db()
    assert mine.done_on == timezone.localdate()
    services.measure_complete(actor=world.officer, measure=measure, note="按期完成")
    rows = {r.assignment.pk: r for r in assignment_rows(plan=plan)}
    assert rows[mine.pk].light == Light.DONE
    board = dashboard(plan=plan)
    assert board.counts[Light.DONE] == 1
    assert ledger(plan=plan)[0].progress.startswith("保德县文化和旅游局")


def test_lights(world):
    plan = small_plan(world)
    mine = _culture_assignment(plan)
    today = timezone.localdate()
    rows = {r.assignment.pk: r for r in assignment_rows(plan=plan, today=today)}
    assert rows[mine.pk].light == Light.ON_TRACK
    soon = {r.assignment.pk: r for r in assignment_rows(plan=plan, today=dt.date(2099, 12, 25))}
    assert soon[mine.pk].light == Light.DUE_SOON and soon[mine.pk].state.days == 6
    late = {r.assignment.pk: r for r in assignment_rows(plan=plan, today=dt.date(2100, 1, 2))}
    assert late[mine.pk].light == Light.OVERDUE
    ongoing = _culture_assignment(plan, dated=False)
    # ongoing: a quarterly report owed at the end of the quarter it started in
    next_quarter = today + dt.timedelta(days=95)
    later = {r.assignment.pk: r for r in assignment_rows(plan=plan, today=next_quarter)}
    assert later[ongoing.pk].light == Light.OVERDUE


def _group(world):
    group = LeadingGroup.objects.create(
        name="领导组", region=world.county, office_unit=world.market
    )
    head = make_person("leading_group_member", unit=world.market, username="head")
    seat = make_person("leading_group_member", unit=world.culture, username="seat")
    LeadingGroupMember.objects.create(
        group=group, person=head.profile, position="leader", title="副县长", unit=world.market
    )
    LeadingGroupMember.objects.create(
        group=group, person=seat.profile, position="member", title="局长", unit=world.culture
    )
    return group, head, seat


def test_reminders_and_three_levels_of_notices(world):
    group, head, seat = _group(world)
    leader = make_person("unit_leader", unit=world.culture, username="culture_leader")
    plan = small_plan(world, publish=False)
    plan.leading_group = group
    plan.save()
    plan = services.plan_publish(actor=world.officer, plan=plan)
    due = dt.date(2099, 12, 31)
    sent = services.reminders_send(today=due - dt.timedelta(days=7))
    assert sent["reminders"] == 2  # both units of the dated measure
    again = services.reminders_send(today=due - dt.timedelta(days=7))
    assert again["reminders"] == 0  # once
    assert services.reminders_send(today=due - dt.timedelta(days=6))["reminders"] == 0
    services.reminders_send(today=due + dt.timedelta(days=1))
    mine = _culture_assignment(plan)
    first = SupervisionNotice.objects.get(assignment=mine, level=1)
    assert first.recipients == [leader.pk]
    assert "督办〔" in first.number
    services.reminders_send(today=due + dt.timedelta(days=15))
    second = SupervisionNotice.objects.get(assignment=mine, level=2)
    assert set(second.recipients) == {leader.pk, seat.pk}
    services.reminders_send(today=due + dt.timedelta(days=30))
    third = SupervisionNotice.objects.get(assignment=mine, level=3)
    assert head.pk in third.recipients
    assert services.reminders_send(today=due + dt.timedelta(days=31))["notices"] == 0
    numbers = list(SupervisionNotice.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    told = Notification.objects.filter(user=head, kind="supervision.notice")
    about_mine = [n for n in told if n.params["unit"] == "保德县文化和旅游局"]
    assert [n.params["level"] for n in about_mine if n.params["due"] == "2099-12-31"] == [3]


def test_settings_refuse_bad_days(world):
    plan = small_plan(world)
    for value in ("abc", "-1", "400", "1,2,3,4,5,6,7"):
        with pytest.raises(InvalidInput) as refused:
            services.plan_settings(actor=world.officer, plan=plan, reminder_days=value)
        assert refused.value.field == "reminder_days"
    with pytest.raises(InvalidInput):
        services.plan_settings(actor=world.officer, plan=plan, escalation_days="1,2")
    plan = services.plan_settings(actor=world.officer, plan=plan, reminder_days="14，3")
    assert plan.reminder_days == [14, 3]


def test_assignment_set_and_remove(world):
    plan = small_plan(world, publish=False)
    measure = Measure.objects.get(plan=plan, order=1)
    added = services.assignment_set(
        actor=world.officer, measure=measure, unit=world.agriculture, role=AssignmentRole.LEAD
    )
    assert added.due_on == measure.due_on
    services.assignment_remove(actor=world.officer, assignment=added)
    assert not Assignment.objects.filter(pk=added.pk).exists()


def test_inbox_sources(world):
    from ipshield.common.inbox import groups_for

    plan = small_plan(
        world, due=(timezone.localdate() + dt.timedelta(days=5)).strftime("%Y年%m月%d日")
    )
    kinds = {g.kind: g.count for g in groups_for(world.officer_culture)}
    assert kinds.get("supervision.owed") == 1
    mine = _culture_assignment(plan)
    services.report_submit(
        actor=world.officer_culture,
        assignment=mine,
        period=period_of(timezone.localdate(), plan.report_cycle),
        narrative="进展",
    )
    office = {g.kind: g.count for g in groups_for(world.officer)}
    assert office.get("supervision.review") == 1
    assert mine.reports.get().status == ReportStatus.SUBMITTED
