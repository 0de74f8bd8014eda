"""Every change of state in plan supervision: import and publish a plan, assign units, report
progress, review reports, complete measures, close periods, send reminders and supervision
notices (督办单). Keyword-only, one transaction each, audited.

Who acts: the plan's *office* — writers of the plan's office unit (the leading group's office)
— runs the plan; a *unit* — writers of an assigned unit — reports on its own assignments.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.models import GroupPosition, LeadingGroup, Region, Unit, UnitKind
from ipshield.accounts.notices import notify, people
from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer, unit_create
from ipshield.cases.models import DocumentCounter
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.supervision import errors, events
from ipshield.supervision.imports import plan_preview
from ipshield.supervision.models import (
    Assignment,
    AssignmentRole,
    Cycle,
    DueKind,
    IncidentReport,
    Measure,
    Meeting,
    Plan,
    PlanKind,
    PlanStatus,
    ProgressReport,
    Reminder,
    ReportStatus,
    SupervisionNotice,
)
from ipshield.supervision.status import period_bounds, period_of

# The roles that act for a unit in supervision (read-only roles only read).
WRITERS = frozenset(
    {Role.CASE_OFFICER, Role.LEGAL_REVIEWER, Role.UNIT_LEADER, Role.MEDIATOR, Role.SYSADMIN}
)
MAX_ATTACHMENTS = 10


# --- who may act


def _unit_id(actor: Any) -> int | None:
    profile = profile_of(actor)
    return profile.unit_id if profile is not None else None


def is_office(actor: Any, plan: Plan) -> bool:
    profile = profile_of(actor)
    if profile is None or profile.read_only:
        return False
    return profile.unit_id == plan.office_unit_id and profile.has_role(*WRITERS)


def require_office(actor: Any, plan: Plan) -> None:
    require_writer(actor)
    if not is_office(actor, plan):
        raise PermissionDenied(
            _("只有方案牵头办公室（%(unit)s）的工作人员可以办理。") % {"unit": plan.office_unit},
            code=errors.NOT_OFFICE,
        )


def require_unit(actor: Any, assignment: Assignment) -> None:
    require_writer(actor)
    profile = profile_of(actor)
    if profile is None or profile.unit_id != assignment.unit_id or not profile.has_role(*WRITERS):
        raise PermissionDenied(
            _("只能报送本单位承担的任务进展。"), field="assignment", code=errors.NOT_ASSIGNED_UNIT
        )


def _text(value: Any, field: str, *, required: bool, limit: int) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(_("请填写此项。"), field=field, code=errors.FIELD_REQUIRED)
    if len(text) > limit:
        raise InvalidInput(
            _("不能超过 %(limit)s 个字。") % {"limit": limit},
            field=field,
            code=errors.OUT_OF_RANGE,
        )
    return text


def _cycle(value: Any, field: str = "report_cycle") -> str:
    if value in Cycle.values:
        return str(value)
    raise InvalidInput(
        _("报送周期应为每月、每季度、每半年或每年。"), field=field, code=errors.OUT_OF_RANGE
    )


def _days_list(value: Any, field: str) -> list[int]:
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").split(",") if v.strip()]
    try:
        days = sorted({int(v) for v in value}, reverse=True)
    except (TypeError, ValueError):
        days = []
    if not days or len(days) > 6 or any(d < 0 or d > 365 for d in days):
        raise InvalidInput(
            _("请填写 1 至 6 个 0—365 之间的天数，用逗号分隔。"),
            field=field,
            code=errors.OUT_OF_RANGE,
        )
    return days


# --- plans


def _measure_due(measure: Any) -> tuple[str, dt.date | None]:
    due = measure.due
    if due is None:
        return DueKind.UNKNOWN, None
    if due.kind in ("date", "years") and due.due_on is not None:
        return DueKind.DATE, due.due_on
    if due.kind == "ongoing":
        return DueKind.ONGOING, None
    return DueKind.UNKNOWN, None


def plan_import(
    *,
    actor: Any,
    text: str,
    title: str = "",
    source_name: str = "",
    choices: Mapping[str, Sequence[int]] | None = None,
    create: Iterable[str] = (),
    report_cycle: str = Cycle.QUARTER,
    leading_group: LeadingGroup | None = None,
    office_unit: Unit | None = None,
) -> Plan:
    """Create a draft plan from ``text`` in one transaction: its measures and their
    assignments. ``choices`` maps a responsible unit as printed to the unit ids it means
    (an empty list: nobody, the office assigns later); ``create`` lists printed names to create
    as new units of the plan's region. Names left uncertain or unmatched are refused, listed.

    >>> plan = plan_import(actor=officer, text=plan_text, choices={"县文化和放游局": [culture.pk]})
    """
    require_writer(actor)
    profile = profile_of(actor)
    if office_unit is None:
        if leading_group is not None:
            office_unit = leading_group.office_unit
        elif profile is not None and profile.unit is not None:
            office_unit = profile.unit
    if office_unit is None or profile is None or profile.unit_id != office_unit.pk:
        raise PermissionDenied(
            _("只有牵头办公室所在单位的工作人员可以导入方案。"), code=errors.NOT_OFFICE
        )
    if not profile.has_role(*WRITERS):
        raise PermissionDenied(_("您的角色不能导入方案。"), code=errors.NOT_OFFICE)
    if leading_group is None:  # the group whose office imports it steers it
        leading_group = LeadingGroup.objects.filter(office_unit=office_unit).order_by("pk").first()
    region: Region = office_unit.region
    cycle = _cycle(report_cycle)
    preview = plan_preview(text, region=region)
    choices = dict(choices or {})
    create = [name for name in create if name]
    known_ids = {u.pk for u in Unit.objects.filter(is_external=False).only("pk")}
    for printed, ids in choices.items():
        unknown = [i for i in ids if i not in known_ids]
        if unknown:
            raise InvalidInput(
                _("“%(name)s”所选的单位不存在。") % {"name": printed},
                field="units",
                code=errors.UNKNOWN_UNIT,
            )
    open_names = [
        c.printed
        for c in preview.choices
        if not c.certain and c.printed not in choices and c.printed not in create
    ]
    if open_names:
        raise InvalidInput(
            _("以下责任单位尚未确认：%(names)s。请为每个名称选择单位、新建单位或选择不指定。")
            % {"names": "、".join(open_names)},
            field="units",
            code=errors.UNITS_UNRESOLVED,
            details={"names": open_names},
        )
    title = _text(title or preview.title, "title", required=True, limit=200)
    with transaction.atomic():
        created: dict[str, int] = {}
        for name in create:
            clean = _text(name, "units", required=True, limit=128)
            existing = Unit.objects.filter(name=clean).first()
            unit = existing or unit_create(
                actor=actor, name=clean, kind=UnitKind.OTHER_DEPARTMENT, region=region
            )
            created[name] = unit.pk
        today = timezone.localdate()
        plan = Plan.objects.create(
            title=title,
            year=preview.year,
            leading_group=leading_group,
            office_unit=office_unit,
            region=region,
            report_cycle=cycle,
            source_name=source_name[:255],
            source_text=text,
            unread_text=preview.other_text[:200],
            created_by=actor,
        )
        assignments = []
        for item in preview.measures:
            parsed = item.parsed
            due_kind, due_on = _measure_due(parsed)
            measure = Measure.objects.create(
                plan=plan,
                order=item.order,
                number=parsed.number[:16],
                section=parsed.section[:200],
                title=(parsed.title or parsed.text)[:300],
                text=parsed.text,
                deadline_printed=(parsed.deadline or "")[:100],
                due_kind=due_kind,
                due_on=due_on,
            )
            seen: set[int] = set()
            for role, choice in item.units:
                if choice.printed in created:
                    ids = [created[choice.printed]]
                elif choice.printed in choices:
                    ids = list(choices[choice.printed])
                else:
                    ids = choice.chosen
                for unit_id in ids:
                    if unit_id in seen:
                        continue
                    seen.add(unit_id)
                    assignments.append(
                        Assignment(
                            measure=measure,
                            unit_id=unit_id,
                            role=role,
                            printed_name=choice.printed[:100],
                            due_on=due_on,
                            cycle="" if due_on else cycle,
                            starts_on=today,
                        )
                    )
        Assignment.objects.bulk_create(assignments)
        events.plan_imported(actor=actor, plan=plan, measures=len(preview.measures))
    return plan


def _plan_locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("office_unit").get(pk=plan.pk)


def plan_publish(*, actor: Any, plan: Plan) -> Plan:
    """Put a draft plan into force: every assigned unit's writers are told what they owe."""
    with transaction.atomic():
        plan = _plan_locked(plan)
        require_office(actor, plan)
        if plan.status != PlanStatus.DRAFT:
            raise Conflict(_("方案已发布，不能重复发布。"), code=errors.PLAN_NOT_DRAFT)
        # how many assignments each unit has, from one query
        owed = Counter(
            Assignment.objects.filter(measure__plan=plan).values_list("unit_id", flat=True)
        )
        if not owed:
            raise Conflict(
                _("方案还没有任何责任分工：请先为任务措施指定责任单位。"),
                code=errors.PLAN_NO_ASSIGNMENTS,
            )
        today = timezone.localdate()
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.save(update_fields=["status", "published_at", "updated_at"])
        Assignment.objects.filter(measure__plan=plan).update(starts_on=today)
        link = f"/workbench/supervision/plans/{plan.pk}/unit/"
        for unit_id, count in owed.items():
            notify(
                users=_unit_writers(unit_id),
                kind="supervision.assigned",
                params={"plan": plan.title, "count": count},
                link=link,
            )
        events.plan_published(actor=actor, plan=plan)
    return plan


def plan_settings(
    *,
    actor: Any,
    plan: Plan,
    reminder_days: Any = None,
    escalation_days: Any = None,
    report_cycle: str | None = None,
) -> Plan:
    """Change when reminders and supervision notices go out, and the default report cycle."""
    with transaction.atomic():
        plan = _plan_locked(plan)
        require_office(actor, plan)
        changes: dict[str, Any] = {}
        if reminder_days is not None:
            plan.reminder_days = _days_list(reminder_days, "reminder_days")
            changes["reminder_days"] = plan.reminder_days
        if escalation_days is not None:
            days = _days_list(escalation_days, "escalation_days")
            if len(days) != 3 or 0 in days:
                raise InvalidInput(
                    _("请按一级、二级、三级督办的顺序填写三个逾期天数（均大于 0）。"),
                    field="escalation_days",
                    code=errors.OUT_OF_RANGE,
                )
            plan.escalation_days = sorted(days)
            changes["escalation_days"] = plan.escalation_days
        if report_cycle is not None:
            plan.report_cycle = _cycle(report_cycle)
            changes["report_cycle"] = plan.report_cycle
        plan.save()
        events.plan_changed(actor=actor, plan=plan, changes=changes)
    return plan


def plan_close_periods(*, actor: Any, plan: Plan, through: dt.date) -> Plan:
    """Close reporting up to ``through``: no report for a period ending on or before it."""
    with transaction.atomic():
        plan = _plan_locked(plan)
        require_office(actor, plan)
        if through > timezone.localdate():
            raise InvalidInput(
                _("只能关闭已经结束的报送期。"), field="through", code=errors.PERIOD_FUTURE
            )
        if plan.closed_through and through <= plan.closed_through:
            raise Conflict(
                _("%(date)s 之前的报送期已经关闭。") % {"date": plan.closed_through},
                field="through",
                code=errors.PERIOD_CLOSED,
            )
        plan.closed_through = through
        plan.save(update_fields=["closed_through", "updated_at"])
        events.plan_changed(actor=actor, plan=plan, changes={"closed_through": str(through)})
    return plan


def assignment_set(
    *,
    actor: Any,
    measure: Measure,
    unit: Unit,
    role: str = AssignmentRole.RESPONSIBLE,
    due_on: dt.date | None = None,
    cycle: str = "",
) -> Assignment:
    """Assign ``unit`` to ``measure`` (or change its role, date or cycle). A measure without a
    date reports on a cycle (the plan's, unless given)."""
    with transaction.atomic():
        plan = _plan_locked(measure.plan)
        require_office(actor, plan)
        if role not in AssignmentRole.values:
            raise InvalidInput(_("分工应为牵头、配合或责任单位。"), field="role")
        if unit.is_external:
            raise InvalidInput(
                _("外部联系单位不能承担方案任务。"), field="unit", code=errors.UNKNOWN_UNIT
            )
        due_on = due_on or measure.due_on
        cycle = "" if due_on else _cycle(cycle or plan.report_cycle, "cycle")
        assignment, created = Assignment.objects.update_or_create(
            measure=measure,
            unit=unit,
            defaults={"role": role, "due_on": due_on, "cycle": cycle},
            create_defaults={
                "role": role,
                "due_on": due_on,
                "cycle": cycle,
                "starts_on": timezone.localdate(),
            },
        )
        events.assignment_set(actor=actor, assignment=assignment, created=created)
        if created and plan.status == PlanStatus.PUBLISHED:
            notify(
                users=_unit_writers(unit.pk),
                kind="supervision.assigned",
                params={"plan": plan.title, "count": 1},
                link=f"/workbench/supervision/plans/{plan.pk}/unit/",
            )
    return assignment


def assignment_remove(*, actor: Any, assignment: Assignment) -> None:
    """Take a unit off a measure; refused once it has reported (its record stays)."""
    with transaction.atomic():
        plan = _plan_locked(assignment.measure.plan)
        require_office(actor, plan)
        if assignment.reports.exists():
            raise Conflict(
                _("该单位已报送过进展，不能取消分工。"),
                field="assignment",
                code=errors.ASSIGNMENT_DONE,
            )
        events.assignment_removed(actor=actor, assignment=assignment)
        assignment.delete()


# --- progress reports


def report_submit(
    *,
    actor: Any,
    assignment: Assignment,
    period: str,
    narrative: str,
    milestones: str = "",
    share_done: Any = None,
    completes: bool = False,
    uploads: Sequence[UploadedFile] = (),
) -> ProgressReport:
    """A unit's report on its assignment for ``period``; attachments go into the evidence
    ledger. Refused for another unit's assignment, a period of another cycle, in the future,
    closed or already reported."""
    from ipshield.evidence.services import check_upload, evidence_attach

    assignment = Assignment.objects.select_related("measure__plan", "unit").get(pk=assignment.pk)
    plan = assignment.measure.plan
    require_unit(actor, assignment)
    if plan.status != PlanStatus.PUBLISHED:
        raise Conflict(_("方案不在实施中，不能报送进展。"), code=errors.PLAN_NOT_PUBLISHED)
    if assignment.done_on or assignment.measure.done_on:
        raise Conflict(
            _("该任务已完成，无需再报送。"), field="assignment", code=errors.ASSIGNMENT_DONE
        )
    key = str(period or "").strip()
    bounds = period_bounds(key)
    cycle = assignment.cycle or plan.report_cycle
    if bounds is None:
        raise InvalidInput(
            _("报送期格式不正确（如 2026-11、2026-Q4、2026-H2、2026）。"),
            field="period",
            code=errors.PERIOD_INVALID,
        )
    start, end, period_cycle = bounds
    if period_cycle != cycle:
        raise InvalidInput(
            _("该任务按%(cycle)s报送，请选择对应的报送期（如 %(example)s）。")
            % {"cycle": Cycle(cycle).label, "example": period_of(timezone.localdate(), cycle)},
            field="period",
            code=errors.PERIOD_WRONG_CYCLE,
        )
    today = timezone.localdate()
    if start > today:
        raise InvalidInput(
            _("报送期 %(period)s 尚未开始。") % {"period": key},
            field="period",
            code=errors.PERIOD_FUTURE,
        )
    if end < period_bounds(period_of(assignment.starts_on, cycle))[0]:  # type: ignore[index]
        raise InvalidInput(
            _("报送期 %(period)s 早于任务起始日期。") % {"period": key},
            field="period",
            code=errors.PERIOD_INVALID,
        )
    if plan.closed_through and end <= plan.closed_through:
        raise Conflict(
            _("报送期 %(period)s 已关闭，不能再报送。") % {"period": key},
            field="period",
            code=errors.PERIOD_CLOSED,
        )
    narrative = _text(narrative, "narrative", required=True, limit=5000)
    milestones = _text(milestones, "milestones", required=False, limit=2000)
    share = _share(share_done)
    if completes and share is not None and share < 100:
        raise InvalidInput(
            _("报告任务已完成时，完成比例应为 100%。"), field="share_done", code=errors.OUT_OF_RANGE
        )
    if completes and not uploads:
        raise InvalidInput(
            _("报告任务完成须附上佐证材料。"), field="files", code=errors.EVIDENCE_REQUIRED
        )
    if len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput(
            _("附件不能超过 %(count)s 个。") % {"count": MAX_ATTACHMENTS},
            field="files",
            code=errors.OUT_OF_RANGE,
        )
    for upload in uploads:
        check_upload(upload, field="files")
    if _reported(assignment, key):
        raise Conflict(
            _("报送期 %(period)s 已报送过，不能重复报送。") % {"period": key},
            field="period",
            code=errors.PERIOD_REPORTED,
        )
    try:
        with transaction.atomic():
            Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
            if _reported(assignment, key):
                raise IntegrityError("reported")
            report = ProgressReport.objects.create(
                assignment=assignment,
                period=key,
                period_start=start,
                period_end=end,
                narrative=narrative,
                milestones=milestones,
                share_done=100 if completes else share,
                completes=completes,
                submitted_by=actor,
                submitted_at=timezone.now(),
            )
            items = [
                evidence_attach(actor=actor, upload=upload, unit=assignment.unit)
                for upload in uploads
            ]
            report.attachments.add(*items)
            events.report_submitted(actor=actor, report=report)
            notify(
                users=_unit_writers(plan.office_unit_id),
                kind="supervision.report",
                params={"unit": assignment.unit.name, "measure": _measure_name(assignment)},
                link=f"/workbench/supervision/reports/{report.pk}/",
            )
    except IntegrityError as exc:
        raise Conflict(
            _("报送期 %(period)s 已报送过，不能重复报送。") % {"period": key},
            field="period",
            code=errors.PERIOD_REPORTED,
        ) from exc
    return report


def _reported(assignment: Assignment, key: str) -> bool:
    return (
        ProgressReport.objects.filter(assignment=assignment, period=key)
        .exclude(status=ReportStatus.RETURNED)
        .exists()
    )


def _share(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        share = int(str(value).strip().rstrip("%"))
    except (TypeError, ValueError):
        share = -1
    if not 0 <= share <= 100:
        raise InvalidInput(
            _("完成比例应为 0—100 之间的整数。"), field="share_done", code=errors.OUT_OF_RANGE
        )
    return share


def _measure_name(assignment: Assignment) -> str:
    measure = assignment.measure
    return f"{measure.number}{measure.title}"[:80]


def _report_locked(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("assignment__measure__plan", "assignment__unit")
        .get(pk=report.pk)
    )


def report_accept(*, actor: Any, report: ProgressReport, note: str = "") -> ProgressReport:
    """The office accepts a report; a report of completion (with its evidence) completes the
    unit's assignment, as of the day it was submitted."""
    with transaction.atomic():
        report = _report_locked(report)
        plan = report.assignment.measure.plan
        require_office(actor, plan)
        if report.status != ReportStatus.SUBMITTED:
            raise Conflict(_("该报告已审核。"), code=errors.REPORT_NOT_SUBMITTED)
        report.status = ReportStatus.ACCEPTED
        report.reviewed_by = actor
        report.reviewed_at = timezone.now()
        report.review_note = _text(note, "note", required=False, limit=500)
        report.save()
        assignment = report.assignment
        if report.completes and assignment.done_on is None:
            assignment.done_on = timezone.localdate(report.submitted_at)
            assignment.save(update_fields=["done_on"])
        events.report_reviewed(actor=actor, report=report)
        notify(
            users=[report.submitted_by],
            kind="supervision.report_accepted",
            params={"period": report.period, "measure": _measure_name(assignment)},
            link=f"/workbench/supervision/reports/{report.pk}/",
        )
    return report


def report_return(*, actor: Any, report: ProgressReport, note: str) -> ProgressReport:
    """The office returns a report with its reasons; the unit may report the period again."""
    with transaction.atomic():
        report = _report_locked(report)
        require_office(actor, report.assignment.measure.plan)
        note = _text(note, "note", required=True, limit=500)
        if report.status != ReportStatus.SUBMITTED:
            raise Conflict(_("该报告已审核。"), code=errors.REPORT_NOT_SUBMITTED)
        report.status = ReportStatus.RETURNED
        report.reviewed_by = actor
        report.reviewed_at = timezone.now()
        report.review_note = note
        report.save()
        events.report_reviewed(actor=actor, report=report)
        notify(
            users=_unit_writers(report.assignment.unit_id),
            kind="supervision.report_returned",
            params={
                "period": report.period,
                "measure": _measure_name(report.assignment),
                "reason": note,
            },
            link=f"/workbench/supervision/plans/{report.assignment.measure.plan_id}/unit/",
        )
    return report


def measure_complete(*, actor: Any, measure: Measure, note: str = "") -> Measure:
    """The office marks a measure done: only with evidence — an accepted report on it with
    attachments."""
    with transaction.atomic():
        plan = _plan_locked(measure.plan)
        require_office(actor, plan)
        measure = Measure.objects.select_for_update().get(pk=measure.pk)
        if measure.done_on:
            raise Conflict(_("该任务已标记为完成。"), code=errors.MEASURE_DONE)
        evidenced = ProgressReport.objects.filter(
            assignment__measure=measure,
            status=ReportStatus.ACCEPTED,
            attachments__isnull=False,
        ).exists()
        if not evidenced:
            raise Conflict(
                _("须有已采纳且附佐证材料的进展报告，才能标记完成。"),
                field="measure",
                code=errors.EVIDENCE_REQUIRED,
            )
        measure.done_on = timezone.localdate()
        measure.done_by = actor
        measure.done_note = _text(note, "note", required=False, limit=500)
        measure.save(update_fields=["done_on", "done_by", "done_note"])
        events.measure_completed(actor=actor, measure=measure)
    return measure


# --- reminders and supervision notices


def _unit_writers(unit_id: int | None) -> Any:
    return people(unit_id=unit_id, roles=WRITERS)


def _unit_leaders(unit_id: int) -> list[Any]:
    return list(people(unit_id=unit_id, roles=[Role.UNIT_LEADER])) or list(_unit_writers(unit_id))


def notice_recipients(assignment: Assignment, level: int) -> list[Any]:
    """Level 1: the unit's leaders; level 2: also the unit's seat in the leading group; level
    3: also the group's leader, deputies and office director (the office's leaders when the
    plan has no group)."""
    users = _unit_leaders(assignment.unit_id)
    group = assignment.measure.plan.leading_group
    if level >= 2 and group is not None:
        users += [
            m.person.user
            for m in group.members.filter(unit_id=assignment.unit_id).select_related("person__user")
        ]
    if level >= 3:
        if group is not None:
            users += [
                m.person.user
                for m in group.members.filter(
                    position__in=[
                        GroupPosition.LEADER,
                        GroupPosition.DEPUTY,
                        GroupPosition.OFFICE_DIRECTOR,
                    ]
                ).select_related("person__user")
            ]
        else:
            users += _unit_leaders(assignment.measure.plan.office_unit_id)
    return users


def notice_number(plan: Plan, year: int) -> str:
    """The next 督办单 number of the plan's office in ``year``, e.g. 保市监督办〔2026〕3号,
    numbered under a row lock without gaps."""
    unit = plan.office_unit
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        unit=unit, kind="supervision", year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = unit.document_prefix.removesuffix("处罚") or unit.short_name or unit.name
    return f"{prefix}督办〔{year}〕{counter.last}号"


def reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily run: reminders before due dates and supervision notices after them, each sent
    once. Returns how many of each went out."""
    from ipshield.supervision.selectors import open_assignment_states

    today = today or timezone.localdate()
    sent = {"reminders": 0, "notices": 0}
    for assignment, state, plan in open_assignment_states(today=today):
        if state.due_on is None or state.days is None:
            continue
        if state.days >= 0:
            days_before = state.days
            if days_before not in {int(d) for d in plan.reminder_days}:
                continue
            with transaction.atomic():
                _reminder, created = Reminder.objects.get_or_create(
                    assignment=assignment,
                    due_on=state.due_on,
                    days_before=days_before,
                    defaults={"sent_at": timezone.now()},
                )
                if created:
                    notify(
                        users=_unit_writers(assignment.unit_id),
                        kind="supervision.due_soon",
                        params={
                            "measure": _measure_name(assignment),
                            "due": state.due_on.isoformat(),
                            "days": days_before,
                        },
                        link=f"/workbench/supervision/plans/{plan.pk}/unit/",
                    )
                    sent["reminders"] += 1
            continue
        overdue = -state.days
        level = sum(1 for d in sorted(plan.escalation_days) if overdue >= int(d))
        if level == 0:
            continue
        sent["notices"] += _escalate(assignment, state.due_on, overdue, level, plan)
    return sent


def _escalate(assignment: Assignment, due_on: dt.date, overdue: int, level: int, plan: Plan) -> int:
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        issued = set(
            SupervisionNotice.objects.filter(assignment=assignment, due_on=due_on).values_list(
                "level", flat=True
            )
        )
        if level in issued or (issued and max(issued) > level):
            return 0
        recipients = notice_recipients(assignment, level)
        now = timezone.now()
        notice = SupervisionNotice.objects.create(
            assignment=assignment,
            level=level,
            number=notice_number(plan, timezone.localdate(now).year),
            due_on=due_on,
            days_overdue=overdue,
            issued_at=now,
            recipients=sorted({u.pk for u in recipients}),
        )
        notify(
            users=recipients,
            kind="supervision.notice",
            params={
                "number": notice.number,
                "level": level,
                "unit": assignment.unit.name,
                "measure": _measure_name(assignment),
                "due": due_on.isoformat(),
                "days": overdue,
            },
            link=f"/workbench/supervision/notices/{notice.pk}/",
        )
        events.notice_issued(notice=notice)
    return 1


# --- the leading group: meetings and their decisions, major-incident reports


def is_group_office(actor: Any, group: LeadingGroup) -> bool:
    profile = profile_of(actor)
    if profile is None or profile.read_only:
        return False
    return profile.unit_id == group.office_unit_id and profile.has_role(*WRITERS)


def _require_group_office(actor: Any, group: LeadingGroup) -> None:
    require_writer(actor)
    if not is_group_office(actor, group):
        raise PermissionDenied(
            _("只有领导组办公室（%(unit)s）的工作人员可以办理。") % {"unit": group.office_unit},
            code=errors.NOT_OFFICE,
        )


def decisions_plan(group: LeadingGroup) -> Plan:
    """The plan holding the decisions of ``group``'s meetings (created on first use, in force)."""
    plan = Plan.objects.filter(leading_group=group, kind=PlanKind.DECISIONS).first()
    if plan is not None:
        return plan
    return Plan.objects.create(
        title=_("%(group)s会议议定事项") % {"group": group.name},
        kind=PlanKind.DECISIONS,
        leading_group=group,
        office_unit=group.office_unit,
        region=group.region,
        status=PlanStatus.PUBLISHED,
        published_at=timezone.now(),
    )


def _past_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        raise InvalidInput(_("请填写正确的日期。"), field=field, code=errors.FIELD_REQUIRED)
    if value > timezone.localdate():
        raise InvalidInput(_("日期不能晚于今天。"), field=field, code=errors.PERIOD_FUTURE)
    if value.year < 2000:
        raise InvalidInput(_("请填写正确的日期。"), field=field, code=errors.OUT_OF_RANGE)
    return value


def _attach_all(actor: Any, uploads: Sequence[UploadedFile], unit: Unit) -> list[Any]:
    from ipshield.evidence.services import evidence_attach

    return [evidence_attach(actor=actor, upload=upload, unit=unit) for upload in uploads]


def _check_uploads(uploads: Sequence[UploadedFile]) -> None:
    from ipshield.evidence.services import check_upload

    if len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput(
            _("附件不能超过 %(count)s 个。") % {"count": MAX_ATTACHMENTS},
            field="files",
            code=errors.OUT_OF_RANGE,
        )
    for upload in uploads:
        check_upload(upload, field="files")


def meeting_record(
    *,
    actor: Any,
    group: LeadingGroup,
    title: str,
    held_on: Any,
    agenda: str,
    minutes: str = "",
    place: str = "",
    attendee_ids: Iterable[int] = (),
    decisions: Sequence[Mapping[str, Any]] = (),
    uploads: Sequence[UploadedFile] = (),
) -> Meeting:
    """Record a meeting of ``group`` with its attendance and minutes; each decision
    (``{"title", "text", "due_on", "units": [(unit_id, role)]}``) becomes a measure of the
    group's decisions plan, with its units told — supervised like any plan's measures."""
    _require_group_office(actor, group)
    title = _text(title, "title", required=True, limit=200)
    agenda = _text(agenda, "agenda", required=True, limit=5000)
    minutes = _text(minutes, "minutes", required=False, limit=20000)
    place = _text(place, "place", required=False, limit=200)
    held_on = _past_date(held_on, "held_on")
    seats = {m.pk: m for m in group.members.all()}
    try:
        attendees = [seats[int(i)] for i in attendee_ids]
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(
            _("出席人员须为本领导组成员。"), field="attendees", code=errors.UNKNOWN_UNIT
        ) from exc
    if len(decisions) > 50:
        raise InvalidInput(
            _("一次会议最多记录 50 项议定事项。"), field="decisions", code=errors.OUT_OF_RANGE
        )
    units = {u.pk: u for u in Unit.objects.filter(is_external=False)}
    clean = []
    for index, decision in enumerate(decisions, start=1):
        field = f"decisions.{index}"
        decision_title = _text(decision.get("title"), f"{field}.title", required=True, limit=300)
        due_on = decision.get("due_on")
        if isinstance(due_on, str) and due_on.strip():
            try:
                due_on = dt.date.fromisoformat(due_on.strip())
            except ValueError:
                due_on = None
                raise InvalidInput(
                    _("请填写正确的日期。"), field=f"{field}.due_on", code=errors.FIELD_REQUIRED
                ) from None
        if not isinstance(due_on, dt.date) or due_on < held_on:
            raise InvalidInput(
                _("议定事项的完成期限须为会议当天或之后的日期。"),
                field=f"{field}.due_on",
                code=errors.OUT_OF_RANGE,
            )
        pairs = []
        for unit_id, role in decision.get("units") or []:
            try:
                unit = units[int(unit_id)]
            except (KeyError, TypeError, ValueError):
                raise InvalidInput(
                    _("所选的单位不存在。"), field=f"{field}.units", code=errors.UNKNOWN_UNIT
                ) from None
            if role not in AssignmentRole.values:
                raise InvalidInput(_("分工应为牵头、配合或责任单位。"), field=f"{field}.units")
            pairs.append((unit, role))
        if not pairs:
            raise InvalidInput(
                _("每项议定事项须指定至少一个责任单位。"),
                field=f"{field}.units",
                code=errors.FIELD_REQUIRED,
            )
        text = _text(decision.get("text"), f"{field}.text", required=False, limit=5000)
        clean.append((decision_title, text, due_on, pairs))
    _check_uploads(uploads)
    with transaction.atomic():
        LeadingGroup.objects.select_for_update().filter(pk=group.pk).first()
        meeting = Meeting.objects.create(
            group=group,
            title=title,
            held_on=held_on,
            place=place,
            agenda=agenda,
            minutes=minutes,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        meeting.attendees.set(attendees)
        if uploads:
            meeting.attachments.add(*_attach_all(actor, uploads, group.office_unit))
        plan = decisions_plan(group)
        last = plan.measures.order_by("-order").values_list("order", flat=True).first() or 0
        told: dict[int, int] = {}
        for offset, (decision_title, text, due_on, pairs) in enumerate(clean, start=1):
            measure = Measure.objects.create(
                plan=plan,
                order=last + offset,
                number=str(last + offset),
                section=meeting.title[:200],
                title=decision_title,
                text=text,
                deadline_printed=due_on.isoformat(),
                due_kind=DueKind.DATE,
                due_on=due_on,
                meeting=meeting,
            )
            for unit, role in pairs:
                Assignment.objects.get_or_create(
                    measure=measure,
                    unit=unit,
                    defaults={"role": role, "due_on": due_on, "starts_on": held_on},
                )
                told[unit.pk] = told.get(unit.pk, 0) + 1
        for unit_id, count in told.items():
            notify(
                users=_unit_writers(unit_id),
                kind="supervision.assigned",
                params={"plan": plan.title, "count": count},
                link=f"/workbench/supervision/plans/{plan.pk}/unit/",
            )
        events.meeting_recorded(actor=actor, meeting=meeting, decisions=len(clean))
    return meeting


def incident_report(
    *,
    actor: Any,
    group: LeadingGroup,
    title: str,
    occurred_on: Any,
    description: str,
    measures_taken: str = "",
    uploads: Sequence[UploadedFile] = (),
) -> IncidentReport:
    """A unit of the group's region reports a major incident to the group; the office and the
    group's leader, deputies and office director are told."""
    require_writer(actor)
    profile = profile_of(actor)
    if profile is None or profile.unit is None or not profile.has_role(*WRITERS):
        raise PermissionDenied(
            _("只有单位工作人员可以报告重大事件。"), code=errors.NOT_ASSIGNED_UNIT
        )
    title = _text(title, "title", required=True, limit=200)
    description = _text(description, "description", required=True, limit=10000)
    measures_taken = _text(measures_taken, "measures_taken", required=False, limit=5000)
    occurred_on = _past_date(occurred_on, "occurred_on")
    _check_uploads(uploads)
    with transaction.atomic():
        incident = IncidentReport.objects.create(
            group=group,
            unit=profile.unit,
            title=title,
            occurred_on=occurred_on,
            description=description,
            measures_taken=measures_taken,
            reported_by=actor,
            reported_at=timezone.now(),
        )
        if uploads:
            incident.attachments.add(*_attach_all(actor, uploads, profile.unit))
        heads = [
            m.person.user
            for m in group.members.filter(
                position__in=[
                    GroupPosition.LEADER,
                    GroupPosition.DEPUTY,
                    GroupPosition.OFFICE_DIRECTOR,
                ]
            ).select_related("person__user")
        ]
        notify(
            users=[*_unit_writers(group.office_unit_id), *heads],
            kind="supervision.incident",
            params={"unit": profile.unit.name, "title": title},
            link=f"/workbench/supervision/incidents/{incident.pk}/",
        )
        events.incident_reported(actor=actor, incident=incident)
    return incident


def incident_acknowledge(*, actor: Any, incident: IncidentReport, note: str = "") -> IncidentReport:
    """The group's office acknowledges a major-incident report (once)."""
    with transaction.atomic():
        incident = (
            IncidentReport.objects.select_for_update()
            .select_related("group__office_unit")
            .get(pk=incident.pk)
        )
        _require_group_office(actor, incident.group)
        if incident.acknowledged_at is not None:
            raise Conflict(_("该报告已签收。"), code=errors.REPORT_NOT_SUBMITTED)
        incident.acknowledged_by = actor
        incident.acknowledged_at = timezone.now()
        incident.acknowledgement = _text(note, "note", required=False, limit=500)
        incident.save()
        notify(
            users=[incident.reported_by],
            kind="supervision.incident_acknowledged",
            params={"title": incident.title},
            link=f"/workbench/supervision/incidents/{incident.pk}/",
        )
        events.incident_acknowledged(actor=actor, incident=incident)
    return incident


def plan_get_for_office(*, actor: Any, plan_id: int) -> Plan:
    plan = Plan.objects.select_related("office_unit").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("找不到该方案。"), field="plan")
    require_office(actor, plan)
    return plan
