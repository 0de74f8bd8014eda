"""The supervision part of the demo: the county plan of 2020 imported through the real import
(its units confirmed as the office would: the best candidate for each uncertain name), five
years on — most measures done with evidence, two still overdue with supervision notices, the
ongoing ones reporting every quarter —, this year's work points with deadlines around today in
the other ways plans write units (in parentheses, lead and supporting units), a meeting of the
leading group with its decisions, and a major-incident report waiting for the office.

Idempotent: keyed by the plans' titles.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipshield.accounts.models import LeadingGroup, Unit
from ipshield.supervision import services
from ipshield.supervision.imports import plan_preview
from ipshield.supervision.models import Assignment, Plan, ProgressReport
from ipshield.supervision.status import period_bounds, period_of

COUNTY_PLAN = Path(__file__).resolve().parent / "data" / "baode-county-plan-2020.txt"
WORK_POINTS_TITLE = "保德县{year}年知识产权保护工作要点"
# measures of the 2020 plan still open five years on (by number as printed)
STILL_OPEN = ("（十七）", "（十八）")

_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _evidence(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _PDF, content_type="application/pdf")


def _work_points(year: int, today: dt.date) -> str:
    def day(offset: int) -> str:
        d = today + dt.timedelta(days=offset)
        return f"{d.year}年{d.month}月{d.day}日"

    lines = [
        f"保德县{year}年知识产权保护工作要点",
        "",
        "一、强化执法保护",
        "1. 开展地理标志保护专项行动，重点检查“保德红枣”“保德油枣”产地及销售市场。"
        f"（县市场监督管理局牵头，县农业农村局、各乡（镇）人民政府配合）完成时限：{day(-12)}",
        "2. 开展网络直播营销领域侵权假冒治理，建立重点直播间监测名单。"
        f"（县市场监督管理局负责）完成时限：{day(5)}",
        "3. 开展版权“剑网”专项行动，清理本地网站侵权作品。"
        f"（县委宣传部、县文化和旅游局负责）完成时限：{day(25)}",
        "",
        "二、健全协作机制",
        "4. 完善知识产权行政执法与刑事司法衔接机制，定期通报案件线索。",
        "牵头单位：县公安局",
        "配合单位：县市场监督管理局、县检察院",
        f"完成时限：{day(80)}",
        "5. 推动知识产权纠纷人民调解组织建设，在县市场监督管理局设立调解工作室。",
        "牵头单位：县司法局",
        "配合单位：县市场监督管理局、县人民法院",
        f"完成时限：{day(150)}",
        "",
        "三、加强宣传培训",
        "6. 组织“4·26”知识产权宣传周活动和进企业、进校园宣传。"
        "（县市场监督管理局、县教育科技局、县融媒体中心负责）完成时限：长期坚持",
    ]
    return "\n".join(lines) + "\n"


def _resolve(text: str, unit: Unit) -> dict[str, list[int]]:
    """The office's choices: the best candidate of every uncertain name; groups of departments
    left for later."""
    preview = plan_preview(text, region=unit.region)
    return {
        c.printed: [c.candidates[0]["id"]] if c.candidates else []
        for c in preview.choices
        if not c.certain
    }


def _writer(unit: Unit, users: dict[str, Any]) -> Any:
    """Someone who reports for ``unit``: its demo login if it has one, else its liaison for
    the plan (知识产权工作联络员, created here, without a password)."""
    from django.contrib.auth import get_user_model

    from ipshield.accounts.roles import Role
    from ipshield.accounts.services import person_create

    for user in users.values():
        profile = getattr(user, "profile", None)
        if profile is not None and profile.unit_id == unit.pk and not profile.read_only:
            return user
    username = f"liaison{unit.pk}"
    user = get_user_model().objects.filter(username=username).first()
    return user or person_create(
        actor=None,
        username=username,
        display_name=f"{unit.short_name or unit.name}联络员",
        roles=[Role.CASE_OFFICER],
        unit=unit,
        title="知识产权工作联络员",
    )


def _report(
    assignment: Assignment, user: Any, period: str, narrative: str, *, done: bool = False
) -> ProgressReport:
    report = services.report_submit(
        actor=user,
        assignment=assignment,
        period=period,
        narrative=narrative,
        share_done=100 if done else 60,
        completes=done,
        uploads=[_evidence("佐证材料.pdf")] if done else [],
    )
    bounds = period_bounds(period)
    assert bounds is not None
    at = timezone.make_aware(dt.datetime.combine(bounds[1], dt.time(10)))
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at)
    report.submitted_at = at
    return report


def load(*, users: dict[str, Any], group: LeadingGroup) -> int:
    """Load the plans; returns how many plans there are."""
    office_user = users["officer"]
    office = office_user.profile.unit
    today = timezone.localdate()
    if Plan.objects.filter(source_name=COUNTY_PLAN.name).exists():
        return Plan.objects.count()
    text = COUNTY_PLAN.read_text(encoding="utf-8")
    plan = services.plan_import(
        actor=office_user,
        text=text,
        source_name=COUNTY_PLAN.name,
        choices=_resolve(text, office),
        leading_group=group,
    )
    plan = services.plan_publish(actor=office_user, plan=plan)
    started = dt.date(2020, 12, 1)
    Assignment.objects.filter(measure__plan=plan).update(starts_on=started)
    reporter_of: dict[int, Any] = {}
    for assignment in Assignment.objects.filter(measure__plan=plan).select_related(
        "measure", "unit"
    ):
        if assignment.unit_id not in reporter_of:
            reporter_of[assignment.unit_id] = _writer(assignment.unit, users)
        reporter = reporter_of[assignment.unit_id]
        measure = assignment.measure
        if measure.due_on is not None and measure.number not in STILL_OPEN:
            period = period_of(measure.due_on, plan.report_cycle)
            report = _report(
                assignment, reporter, period, f"{measure.title}已按方案完成。", done=True
            )
            services.report_accept(actor=office_user, report=report)
        elif measure.due_on is None:
            last = period_bounds(period_of(today, plan.report_cycle))
            assert last is not None
            day = last[0] - dt.timedelta(days=1)
            periods = []
            for _ in range(4):
                periods.append(period_of(day, plan.report_cycle))
                bounds = period_bounds(periods[-1])
                assert bounds is not None
                day = bounds[0] - dt.timedelta(days=1)
            # the culture bureau has not reported the last quarter: its light is red
            skip = 1 if assignment.unit.name.endswith("文化和旅游局") else 0
            for period in reversed(periods[skip:]):
                report = _report(assignment, reporter, period, f"本季度{measure.title}持续推进。")
                services.report_accept(actor=office_user, report=report)
    for measure in plan.measures.filter(due_on__isnull=False).exclude(number__in=STILL_OPEN):
        if measure.assignments.filter(done_on__isnull=False).exists():
            services.measure_complete(actor=office_user, measure=measure, note="已按期完成")
    _work_points_plan(users, group, today)
    _meeting(users, group, today)
    services.incident_report(
        actor=users["officer2"],
        group=group,
        title="网络直播间集中销售盗版图书",
        occurred_on=today - dt.timedelta(days=2),
        description="县文化市场综合执法队巡查发现，某直播间集中销售盗版教辅图书，涉及多个出版社。",
        measures_taken="已固定证据并通知平台下架，正在核查货源。",
    )
    services.reminders_send(today=today)
    return Plan.objects.count()


def _work_points_plan(users: dict[str, Any], group: LeadingGroup, today: dt.date) -> None:
    office_user = users["officer"]
    text = _work_points(today.year, today)
    plan = services.plan_import(
        actor=office_user,
        text=text,
        source_name=f"work-points-{today.year}.txt",
        choices=_resolve(text, office_user.profile.unit),
        leading_group=group,
        report_cycle="month",
    )
    plan = services.plan_publish(actor=office_user, plan=plan)
    Assignment.objects.filter(measure__plan=plan).update(starts_on=today - dt.timedelta(days=60))
    first = Assignment.objects.filter(measure__plan=plan, measure__order=3).select_related("unit")
    last_month = period_of(today.replace(day=1) - dt.timedelta(days=1), "month")
    for assignment in first:
        reporter = _writer(assignment.unit, users)
        _report(assignment, reporter, last_month, "已完成本地网站作品的全面排查，正在清理。")


def _meeting(users: dict[str, Any], group: LeadingGroup, today: dt.date) -> None:
    units = {u.name: u for u in Unit.objects.filter(region=group.region)}
    market = group.office_unit
    seats = list(group.members.values_list("pk", flat=True))
    services.meeting_record(
        actor=users["officer"],
        group=group,
        title=f"{today.year}年领导组第二次全体会议",
        held_on=today - dt.timedelta(days=20),
        place="县政府三楼会议室",
        agenda="一、通报全县知识产权保护工作进展；二、研究部署年底前重点任务。",
        minutes="会议听取了领导组办公室的工作汇报，议定以下事项。",
        attendee_ids=seats[: max(1, len(seats) - 3)],
        decisions=[
            {
                "title": "年底前完成知识产权纠纷人民调解委员会组建",
                "due_on": today + dt.timedelta(days=20),
                "units": [
                    (units["保德县司法局"].pk, "lead"),
                    (market.pk, "supporting"),
                ],
            },
            {
                "title": "报送本年度知识产权保护工作总结",
                "due_on": today + dt.timedelta(days=6),
                "units": [(market.pk, "lead"), (units["保德县文化和旅游局"].pk, "supporting")],
            },
        ],
    )
