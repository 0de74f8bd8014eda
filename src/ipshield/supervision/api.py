"""API routes of plan supervision (督办), under ``/api/v1/supervision/``.

Mount with ``api.add_router("/", supervision.api.router, tags=["supervision"])``. Routes are
thin: a plan, measure, assignment, report or notice is looked up through the reader's scope
(``selectors.plans_for``: 404 outside it), then one service acts and refuses what the caller may
not do (403 ``supervision_not_office`` / ``supervision_not_assigned_unit``). A unit of a higher
region (the city or provincial bureau, or its system's token) reads the plans in force below it
— progress, dashboard, ledger — and writes nothing. Refusals are ``{code, message, field}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ipshield.accounts.models import LeadingGroup, Unit
from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.common.api import actor, paginated
from ipshield.common.errors import InvalidInput, PermissionDenied
from ipshield.common.validation import Day, Id
from ipshield.supervision import errors, exports, selectors, services
from ipshield.supervision.imports import MAX_TEXT, plan_preview, read_plan_file
from ipshield.supervision.models import (
    Assignment,
    AssignmentRole,
    Cycle,
    Measure,
    Plan,
    PlanStatus,
    ProgressReport,
    SupervisionNotice,
)
from ipshield.supervision.status import Light, period_of

router = Router()

DayCount = Annotated[int, Field(ge=0, le=365)]
Share = Annotated[int, Field(ge=0, le=100)]


# --- Schemas ----------------------------------------------------------------------------------


class LabelOut(Schema):
    code: str
    label: str


class PlanOut(Schema):
    id: int
    title: str
    year: int | None
    region_code: str = Field(..., alias="region_id")
    region_name: str = Field(..., alias="region.name")
    office_unit_id: int
    office_unit_name: str = Field(..., alias="office_unit.name")
    leading_group_id: int | None
    status: str
    status_label: str
    report_cycle: str
    reminder_days: list[int]
    escalation_days: list[int]
    closed_through: dt.date | None
    published_at: dt.datetime | None
    created_at: dt.datetime
    measure_count: int

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_measure_count(obj: Any) -> int:
        counted = getattr(obj, "measure_count", None)
        return counted if counted is not None else obj.measures.count()


class UnitStateOut(Schema):
    assignment_id: int
    unit_id: int
    unit_name: str
    role: str
    role_label: str
    cycle: str | None
    light: str
    light_label: str
    due_on: dt.date | None = Field(..., description="the date the light is measured against")
    days_left: int | None = Field(..., description="days left (negative: days overdue)")
    done_on: dt.date | None


class PlanMeasureOut(Schema):
    id: int
    order: int
    number: str
    section: str
    title: str
    due_kind: str
    due_on: dt.date | None
    deadline_printed: str
    done_on: dt.date | None
    light: str
    light_label: str
    units: list[UnitStateOut]


class SectionOut(Schema):
    title: str
    measures: list[PlanMeasureOut]


class UnitCountOut(Schema):
    unit_id: int
    unit_name: str
    count: int


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    leaf_index: int


class ProgressReportOut(Schema):
    id: int
    assignment_id: int
    plan_id: int = Field(..., alias="assignment.measure.plan_id")
    measure_id: int = Field(..., alias="assignment.measure_id")
    measure_number: str = Field(..., alias="assignment.measure.number")
    measure_title: str = Field(..., alias="assignment.measure.title")
    unit_id: int = Field(..., alias="assignment.unit_id")
    unit_name: str = Field(..., alias="assignment.unit.name")
    period: str
    period_start: dt.date
    period_end: dt.date
    narrative: str
    milestones: str
    share_done: int | None
    completes: bool
    status: str
    status_label: str
    submitted_at: dt.datetime
    reviewed_at: dt.datetime | None
    review_note: str
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_attachments(obj: Any) -> list[dict[str, Any]]:
        return [
            {
                "id": item.pk,
                "name": item.original_name,
                "size": item.size,
                "sha256": item.sha256,
                "leaf_index": item.leaf_index,
            }
            for item in obj.attachments.all()
        ]


class NoticeOut(Schema):
    id: int
    number: str
    level: int
    plan_id: int = Field(..., alias="assignment.measure.plan_id")
    measure_id: int = Field(..., alias="assignment.measure_id")
    measure_number: str = Field(..., alias="assignment.measure.number")
    measure_title: str = Field(..., alias="assignment.measure.title")
    assignment_id: int
    unit_id: int = Field(..., alias="assignment.unit_id")
    unit_name: str = Field(..., alias="assignment.unit.name")
    due_on: dt.date
    days_overdue: int
    issued_at: dt.datetime


class PlanDetailOut(PlanOut):
    as_of: dt.date
    can_manage: bool = Field(..., description="whether the caller runs the plan (its office)")
    unread_text: list[str]
    statuses: list[LabelOut]
    counts: dict[str, int] = Field(..., description="measures per light")
    sections: list[SectionOut]
    overdue_by_unit: list[UnitCountOut]
    upcoming: list[UnitStateOut]
    latest_reports: list[ProgressReportOut]
    notices: list[NoticeOut]


class PreviewIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT, description="方案正文")


class UnitCandidateOut(Schema):
    id: int
    name: str
    score: float
    reason: str


class NameOut(Schema):
    index: int
    printed: str
    group: str | None = Field(..., description="townships / departments, or null for one unit")
    status: str = Field(..., description="matched, uncertain or unmatched")
    candidates: list[UnitCandidateOut]
    chosen: list[int]


class PreviewUnitOut(Schema):
    role: str
    printed: str
    index: int


class PreviewMeasureOut(Schema):
    order: int
    number: str
    section: str
    title: str
    deadline: str | None
    units: list[PreviewUnitOut]


class PreviewOut(Schema):
    title: str
    year: int | None
    names_units: bool
    deadlines: int
    stats: dict[str, int]
    measures: list[PreviewMeasureOut]
    names: list[NameOut]
    other_text: list[str]


class ImportIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT, description="方案正文（与预览相同）")
    title: str = Field("", max_length=200)
    source_name: str = Field("", max_length=255)
    choices: dict[str, list[Id]] = Field(
        default_factory=dict,
        description="方案所写的名称 → 所指单位 id（空列表：不指定，稍后分配）",
    )
    create: list[Annotated[str, Field(max_length=128)]] = Field(
        default_factory=list, max_length=200, description="作为新单位创建的名称"
    )
    report_cycle: Cycle = Cycle.QUARTER
    leading_group_id: Id | None = None


class SettingsIn(Schema):
    reminder_days: list[DayCount] | None = Field(None, max_length=6)
    escalation_days: list[DayCount] | None = Field(None, max_length=6)
    report_cycle: Cycle | None = None


class CloseIn(Schema):
    through: Day


class AssignmentIn(Schema):
    unit_id: Id
    role: AssignmentRole = AssignmentRole.RESPONSIBLE
    due_on: Day | None = None
    cycle: Cycle | None = None


class AssignmentOut(Schema):
    id: int
    measure_id: int
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    role: str
    printed_name: str
    due_on: dt.date | None
    cycle: str
    starts_on: dt.date
    done_on: dt.date | None


class OwedOut(Schema):
    plan_id: int
    plan_title: str
    measure_id: int
    measure_number: str
    measure_title: str
    section: str
    state: UnitStateOut
    period_now: str | None = Field(..., description="the period a report is owed for now")
    reports: list[ProgressReportOut]


class ProgressReportIn(Schema):
    period: str = Field(..., max_length=16, description="2026-11、2026-Q4、2026-H2 或 2026")
    narrative: str = Field(..., max_length=5000)
    milestones: str = Field("", max_length=2000)
    share_done: Share | None = None
    completes: bool = Field(False, description="报告任务已完成（须附佐证材料：用上传接口）")


class NoteIn(Schema):
    note: str = Field("", max_length=500)


class MeasureDoneOut(Schema):
    id: int
    done_on: dt.date | None
    done_note: str


class LedgerOfficeOut(Schema):
    id: int
    name: str


class LedgerPlanOut(Schema):
    id: int
    title: str
    year: int | None
    region_code: str
    region_name: str
    office_unit: LedgerOfficeOut
    status: str
    status_label: str
    report_cycle: str
    published_at: str | None
    closed_through: str | None


class LedgerUnitOut(Schema):
    assignment_id: int
    unit_id: int
    unit_name: str
    role: str = Field(..., description="lead, supporting or responsible")
    role_label: str
    cycle: str | None
    status: str
    status_label: str
    due_on: str | None = Field(..., description="the date the status is measured against")
    days_left: int | None
    done_on: str | None


class LedgerReportOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    period: str
    period_end: str
    narrative: str
    share_done: int | None
    completes: bool
    status: str
    status_label: str
    submitted_at: str


class LedgerMeasureOut(Schema):
    id: int
    order: int
    number: str
    section: str
    title: str
    due_kind: str = Field(..., description="date, ongoing or unknown")
    due_on: str | None
    deadline_printed: str
    done_on: str | None
    status: str
    status_label: str
    units: list[LedgerUnitOut]
    latest_report: LedgerReportOut | None


class LedgerOut(Schema):
    """The ledger for the city's or the province's system (docs/api.md, *Supervision*)."""

    schema_: str = Field(..., alias="schema", description="ipshield.supervision.ledger")
    version: int
    generated_at: str
    as_of: str
    plan: LedgerPlanOut
    statuses: list[LabelOut]
    counts: dict[str, int]
    measures: list[LedgerMeasureOut]


# --- Output -----------------------------------------------------------------------------------


def _state_out(row: selectors.AssignmentRow) -> dict[str, Any]:
    assignment = row.assignment
    return {
        "assignment_id": assignment.pk,
        "unit_id": assignment.unit_id,
        "unit_name": assignment.unit.name,
        "role": assignment.role,
        "role_label": str(AssignmentRole(assignment.role).label),
        "cycle": assignment.cycle or None,
        "light": row.light,
        "light_label": row.state.label,
        "due_on": row.state.due_on,
        "days_left": row.state.days,
        "done_on": assignment.done_on,
    }


# --- Lookups ----------------------------------------------------------------------------------


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = selectors.plan_get(actor=actor(request), plan_id=plan_id)
    if plan is None:
        raise Http404
    return plan


def _measure(request: HttpRequest, measure_id: int) -> Measure:
    measure = (
        Measure.objects.select_related("plan")
        .filter(pk=measure_id, plan__in=selectors.plans_for(actor=actor(request)).values("pk"))
        .first()
    )
    if measure is None:
        raise Http404
    return measure


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    plans = selectors.plans_for(actor=actor(request)).values("pk")
    assignment = (
        Assignment.objects.select_related("measure__plan", "unit")
        .filter(pk=assignment_id, measure__plan__in=plans)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def _readable_plan(user: Any, plan_id: int) -> Plan | None:
    return (
        selectors.plans_for(actor=user)
        .select_related("region__parent__parent")
        .filter(pk=plan_id)
        .first()
    )


def _report(request: HttpRequest, report_id: int) -> ProgressReport:
    """A report, for its unit and those who read its whole plan (higher regions included)."""
    user = actor(request)
    report = selectors.report_get(actor=user, report_id=report_id)
    if report is None:
        report = (
            ProgressReport.objects.select_related("assignment__unit", "assignment__measure")
            .prefetch_related("attachments")
            .filter(pk=report_id)
            .first()
        )
        plan = _readable_plan(user, report.assignment.measure.plan_id) if report else None
        if plan is None or not selectors.reads_whole_plan(user, plan):
            raise Http404
    return report


def _unit_of(user: Any) -> Unit | None:
    profile = profile_of(user)
    return profile.unit if profile is not None else None


# --- Plans ------------------------------------------------------------------------------------


@router.get("/supervision/plans", response=list[PlanOut], summary="实施方案（可查看的）")
@paginated(page_size=50)
def plan_list(request: HttpRequest, status: PlanStatus | None = None) -> Any:
    plans = selectors.plans_for(actor=actor(request)).annotate(measure_count=Count("measures"))
    if status:
        plans = plans.filter(status=status)
    return plans.order_by("-created_at", "-id")


def _office_unit(user: Any) -> Unit:
    unit = _unit_of(user)
    if unit is None:
        raise PermissionDenied(_("只有单位工作人员可以导入方案。"), code=errors.NOT_OFFICE)
    return unit


def _preview_out(preview: Any) -> dict[str, Any]:
    return {
        "title": preview.title,
        "year": preview.year,
        "names_units": preview.names_units,
        "deadlines": preview.deadlines,
        "stats": preview.stats,
        "measures": [
            {
                "order": m.order,
                "number": m.parsed.number,
                "section": m.parsed.section,
                "title": m.parsed.title or m.parsed.text[:300],
                "deadline": m.parsed.deadline,
                "units": [
                    {"role": role, "printed": choice.printed, "index": choice.index}
                    for role, choice in m.units
                ],
            }
            for m in preview.measures
        ],
        "names": [
            {
                "index": c.index,
                "printed": c.printed,
                "group": c.group,
                "status": c.status,
                "candidates": c.candidates,
                "chosen": c.chosen,
            }
            for c in preview.choices
        ],
        "other_text": preview.other_text,
    }


@router.post(
    "/supervision/plans/preview",
    response=PreviewOut,
    summary="方案导入预览：任务措施、责任单位的匹配候选与未识别的文字",
)
def plan_import_preview(request: HttpRequest, payload: PreviewIn) -> dict[str, Any]:
    unit = _office_unit(actor(request))
    return _preview_out(plan_preview(payload.text, region=unit.region))


class FilePreviewOut(PreviewOut):
    text: str = Field(..., description="从文件读出的正文：导入时原样提交给 POST /supervision/plans")


MAX_PLAN_FILE = 20 * 1024 * 1024  # bytes: a plan is a few pages; a scan without text is refused


@router.post(
    "/supervision/plans/preview/file",
    response=FilePreviewOut,
    summary="上传方案文件预览（multipart：file，.txt、.docx 或带文字层的 PDF）",
)
def plan_import_preview_file(
    request: HttpRequest,
    # Optional here so that a missing file is refused naming the field "file".
    file: File[UploadedFile | None] = None,
) -> dict[str, Any]:
    unit = _office_unit(actor(request))
    if file is None or not file.size:
        raise InvalidInput(_("请选择方案文件。"), field="file", code=errors.FIELD_REQUIRED)
    if file.size > MAX_PLAN_FILE:
        raise InvalidInput(
            _("方案文件不能超过 %(mb)s MB。") % {"mb": MAX_PLAN_FILE // (1024 * 1024)},
            field="file",
            code=errors.OUT_OF_RANGE,
        )
    text = read_plan_file(file.read(), file.name or "")
    body = _preview_out(plan_preview(text, region=unit.region))
    body["text"] = text
    return body


@router.post("/supervision/plans", response={201: PlanOut}, summary="导入方案（草稿）")
def plan_import(request: HttpRequest, payload: ImportIn) -> Status:
    group = None
    if payload.leading_group_id is not None:
        group = LeadingGroup.objects.filter(pk=payload.leading_group_id).first()
        if group is None:
            raise InvalidInput(_("该领导组不存在。"), field="leading_group_id")
    plan = services.plan_import(
        actor=actor(request),
        text=payload.text,
        title=payload.title,
        source_name=payload.source_name,
        choices=payload.choices,
        create=payload.create,
        report_cycle=payload.report_cycle,
        leading_group=group,
    )
    return Status(201, plan)


@router.get(
    "/supervision/plans/{plan_id}",
    response=PlanDetailOut,
    summary="方案详情与督办看板：各状态任务数、任务措施及其状态、逾期单位、最新进展、督办单",
)
def plan_detail(request: HttpRequest, plan_id: Id) -> Plan:
    user = actor(request)
    plan = _plan(request, plan_id)
    board = selectors.dashboard(plan=plan)
    plan.as_of = board.today
    plan.can_manage = services.is_office(user, plan)
    plan.statuses = [{"code": code, "label": label} for code, label in board.lights]
    plan.counts = dict(board.counts)
    plan.measure_count = board.total
    plan.sections = [
        {
            "title": title,
            "measures": [
                {
                    "id": row.measure.pk,
                    "order": row.measure.order,
                    "number": row.measure.number,
                    "section": row.measure.section,
                    "title": row.measure.title,
                    "due_kind": row.measure.due_kind,
                    "due_on": row.measure.due_on,
                    "deadline_printed": row.measure.deadline_printed,
                    "done_on": row.measure.done_on,
                    "light": row.light,
                    "light_label": row.label,
                    "units": [_state_out(arow) for arow in row.rows],
                }
                for row in rows
            ],
        }
        for title, rows in board.sections
    ]
    plan.overdue_by_unit = [
        {"unit_id": unit.pk, "unit_name": unit.name, "count": count}
        for unit, count in board.overdue_by_unit
    ]
    plan.upcoming = [_state_out(arow) for arow in board.upcoming]
    plan.latest_reports = board.latest_reports
    plan.notices = board.notices
    return plan


@router.get(
    "/supervision/plans/{plan_id}/ledger",
    response=LedgerOut,
    by_alias=True,
    summary="工作台账 JSON（供市、省系统对接：ipshield.supervision.ledger 第 1 版）",
)
def plan_ledger(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    return exports.ledger_data(_plan(request, plan_id))


@router.get(
    "/supervision/plans/{plan_id}/ledger/{fmt}",
    response={200: None},
    summary="下载工作台账：xlsx、pdf 或 json",
)
def plan_ledger_file(
    request: HttpRequest, plan_id: Id, fmt: Annotated[str, Field(max_length=8)]
) -> HttpResponse:
    data, content_type, filename = exports.ledger_file(_plan(request, plan_id), fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = exports.attachment_header(filename)
    return response


@router.post("/supervision/plans/{plan_id}/publish", response=PlanOut, summary="发布方案")
def plan_publish(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    plan = services.plan_publish(actor=actor(request), plan=_plan(request, plan_id))
    return plan


@router.put(
    "/supervision/plans/{plan_id}/settings",
    response=PlanOut,
    summary="提醒与督办设置：到期前提醒天数、三级督办的逾期天数、默认报送周期",
)
def plan_settings(request: HttpRequest, plan_id: Id, payload: SettingsIn) -> dict[str, Any]:
    plan = services.plan_settings(
        actor=actor(request),
        plan=_plan(request, plan_id),
        reminder_days=payload.reminder_days,
        escalation_days=payload.escalation_days,
        report_cycle=payload.report_cycle,
    )
    return plan


@router.post(
    "/supervision/plans/{plan_id}/close-periods",
    response=PlanOut,
    summary="关闭报送期（截至某日，之后不能再报送该日之前结束的报送期）",
)
def plan_close_periods(request: HttpRequest, plan_id: Id, payload: CloseIn) -> dict[str, Any]:
    plan = services.plan_close_periods(
        actor=actor(request), plan=_plan(request, plan_id), through=payload.through
    )
    return plan


# --- Assignments and measures -----------------------------------------------------------------


@router.put(
    "/supervision/measures/{measure_id}/assignments",
    response=AssignmentOut,
    summary="指定责任单位（或修改其分工、期限、报送周期）",
)
def assignment_set(request: HttpRequest, measure_id: Id, payload: AssignmentIn) -> Assignment:
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise InvalidInput(
            _("单位 %(id)s 不存在。") % {"id": payload.unit_id},
            field="unit_id",
            code=errors.UNKNOWN_UNIT,
        )
    return services.assignment_set(
        actor=actor(request),
        measure=_measure(request, measure_id),
        unit=unit,
        role=payload.role,
        due_on=payload.due_on,
        cycle=payload.cycle or "",
    )


@router.delete(
    "/supervision/assignments/{assignment_id}",
    response={204: None},
    summary="取消责任分工（已报送过进展的不能取消）",
)
def assignment_remove(request: HttpRequest, assignment_id: Id) -> Status:
    services.assignment_remove(actor=actor(request), assignment=_assignment(request, assignment_id))
    return Status(204, None)


@router.post(
    "/supervision/measures/{measure_id}/complete",
    response=MeasureDoneOut,
    summary="标记任务措施完成（须有已采纳且附佐证材料的进展报告）",
)
def measure_complete(request: HttpRequest, measure_id: Id, payload: NoteIn) -> Measure:
    return services.measure_complete(
        actor=actor(request), measure=_measure(request, measure_id), note=payload.note
    )


@router.get(
    "/supervision/my-assignments",
    response=list[OwedOut],
    summary="本单位承担的任务：状态（红黄绿）、当前应报送期与已报送的进展",
)
def my_assignments(request: HttpRequest, plan_id: Id | None = None) -> list[dict[str, Any]]:
    user = actor(request)
    unit = _unit_of(user)
    if unit is None:
        return []
    plans = selectors.plans_for(actor=user).filter(
        status=PlanStatus.PUBLISHED, measures__assignments__unit_id=unit.pk
    )
    if plan_id is not None:
        plans = plans.filter(pk=plan_id)
    today = timezone.localdate()
    owed = []
    for plan in plans.distinct().order_by("-created_at", "-id"):
        view = selectors.unit_view(plan=plan, unit_id=unit.pk, today=today)
        for row in view.rows:
            assignment = row.assignment
            measure = assignment.measure
            measure.plan = plan
            cycle = assignment.cycle or (
                None if (assignment.due_on or measure.due_on) else plan.report_cycle
            )
            reports = view.reports.get(assignment.pk, [])
            for report in reports:
                report.assignment = assignment
            owed.append(
                {
                    "plan_id": plan.pk,
                    "plan_title": plan.title,
                    "measure_id": measure.pk,
                    "measure_number": measure.number,
                    "measure_title": measure.title,
                    "section": measure.section,
                    "state": _state_out(row),
                    "period_now": period_of(today, cycle or plan.report_cycle)
                    if row.light != Light.DONE
                    else None,
                    "reports": reports,
                }
            )
    return owed


# --- Progress reports -------------------------------------------------------------------------


@router.post(
    "/supervision/assignments/{assignment_id}/reports",
    response={201: ProgressReportOut},
    summary="报送进展（JSON；附佐证材料用 …/reports/upload）",
)
def report_submit(request: HttpRequest, assignment_id: Id, payload: ProgressReportIn) -> Status:
    report = services.report_submit(
        actor=actor(request),
        assignment=_assignment(request, assignment_id),
        period=payload.period,
        narrative=payload.narrative,
        milestones=payload.milestones,
        share_done=payload.share_done,
        completes=payload.completes,
    )
    return Status(201, _reloaded(report))


class ProgressReportForm(Schema):
    period: str = Field(..., max_length=16, description="2026-11、2026-Q4、2026-H2 或 2026")
    narrative: str = Field(..., max_length=5000)
    milestones: str = Field("", max_length=2000)
    share_done: Share | None = None
    completes: bool = False


@router.post(
    "/supervision/assignments/{assignment_id}/reports/upload",
    response={201: ProgressReportOut},
    summary="报送进展并附佐证材料（multipart：表单字段与 files，至多 10 个，存入存证账本）",
)
def report_submit_with_files(
    request: HttpRequest,
    assignment_id: Id,
    payload: Form[ProgressReportForm],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    report = services.report_submit(
        actor=actor(request),
        assignment=_assignment(request, assignment_id),
        period=payload.period,
        narrative=payload.narrative,
        milestones=payload.milestones,
        share_done=payload.share_done,
        completes=payload.completes,
        uploads=list(files or []),
    )
    return Status(201, _reloaded(report))


def _reloaded(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_related("assignment__measure", "assignment__unit")
        .prefetch_related("attachments")
        .get(pk=report.pk)
    )


@router.get(
    "/supervision/reports",
    response=list[ProgressReportOut],
    summary="待审核的进展报告（本单位牵头办公室的方案）",
)
@paginated(page_size=50)
def reports_to_review(request: HttpRequest) -> Any:
    return selectors.reports_to_review(actor=actor(request)).prefetch_related("attachments")


@router.get("/supervision/reports/{report_id}", response=ProgressReportOut, summary="进展报告")
def report_detail(request: HttpRequest, report_id: Id) -> ProgressReport:
    return _report(request, report_id)


@router.post(
    "/supervision/reports/{report_id}/accept", response=ProgressReportOut, summary="采纳进展报告"
)
def report_accept(request: HttpRequest, report_id: Id, payload: NoteIn) -> dict[str, Any]:
    report = services.report_accept(
        actor=actor(request), report=_report(request, report_id), note=payload.note
    )
    return _reloaded(report)


@router.post(
    "/supervision/reports/{report_id}/return",
    response=ProgressReportOut,
    summary="退回进展报告（须写明理由；单位可重新报送该期）",
)
def report_return(request: HttpRequest, report_id: Id, payload: NoteIn) -> dict[str, Any]:
    report = services.report_return(
        actor=actor(request), report=_report(request, report_id), note=payload.note
    )
    return _reloaded(report)


# --- Supervision notices ----------------------------------------------------------------------


@router.get(
    "/supervision/notices",
    response=list[NoticeOut],
    summary="督办单：牵头办公室与上级单位看方案的全部，责任单位看本单位的",
)
@paginated(page_size=50)
def notice_list(request: HttpRequest, plan_id: Id | None = None) -> Any:
    user = actor(request)
    notices = SupervisionNotice.objects.select_related("assignment__unit", "assignment__measure")
    if plan_id is not None:
        notices = notices.filter(assignment__measure__plan_id=plan_id)
    if not sees_all_units(user):
        plans = list(selectors.plans_for(actor=user).select_related("region__parent__parent"))
        whole = [p.pk for p in plans if selectors.reads_whole_plan(user, p)]
        unit = _unit_of(user)
        mine = Q(assignment__unit_id=unit.pk) if unit is not None else Q(pk__in=[])
        notices = notices.filter(
            Q(assignment__measure__plan_id__in=whole)
            | (mine & Q(assignment__measure__plan_id__in=[p.pk for p in plans]))
        )
    return notices.order_by("-issued_at", "-id")


@router.get("/supervision/notices/{notice_id}", response=NoticeOut, summary="督办单")
def notice_detail(request: HttpRequest, notice_id: Id) -> SupervisionNotice:
    user = actor(request)
    notice = selectors.notice_get(actor=user, notice_id=notice_id)
    if notice is None:
        notice = (
            SupervisionNotice.objects.select_related("assignment__unit", "assignment__measure")
            .filter(pk=notice_id)
            .first()
        )
        plan = _readable_plan(user, notice.assignment.measure.plan_id) if notice else None
        if plan is None or not selectors.reads_whole_plan(user, plan):
            raise Http404
    return notice
