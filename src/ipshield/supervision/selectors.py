"""Every read of plan supervision, with its scoping: the plan's office and those who see all
units (leading-group members, auditors, administrators) read a whole plan; a unit reads the
published plans it has assignments in, and its own assignments."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.supervision.models import (
    Assignment,
    Measure,
    Plan,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    SupervisionNotice,
)
from ipshield.supervision.status import LIGHT_ORDER, Light, State, state_of, worst

__all__ = [
    "AssignmentRow",
    "assignment_rows",
    "dashboard",
    "ledger",
    "open_assignment_states",
    "plan_get",
    "plans_for",
    "unit_view",
]


def _unit_id(actor: Any) -> int | None:
    profile = profile_of(actor)
    return profile.unit_id if profile is not None else None


# Regions nest province > city > county > township: a plan lies at most three levels below.
_BELOW = ("region__parent_id", "region__parent__parent_id", "region__parent__parent__parent_id")


def _below(region_id: str) -> Q:
    """Plans of the regions under ``region_id`` (not of the region itself)."""
    found = Q(pk__in=[])
    for path in _BELOW:
        found |= Q(**{path: region_id})
    return found


def plans_for(*, actor: Any) -> QuerySet[Plan]:
    """The plans ``actor`` may read: all of them for those who see all units; the plans its
    unit's office runs; published plans it has assignments in; and, read-only, the plans in
    force (or closed) of the regions below its unit's region — the city or provincial bureau
    follows a county plan's progress. Writing stays with the plan's office (``services``)."""
    plans = Plan.objects.select_related("office_unit", "leading_group", "region")
    if sees_all_units(actor):
        return plans
    profile = profile_of(actor)
    unit = profile.unit if profile is not None else None
    if unit is None:
        return plans.none()
    from django.db.models import Exists

    assigned = Assignment.objects.filter(unit_id=unit.pk, measure__plan=OuterRef("pk"))
    readable = Q(office_unit_id=unit.pk) | (Q(status=PlanStatus.PUBLISHED) & Exists(assigned))
    if profile.is_staff_member and not unit.is_external:
        readable |= Q(status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED]) & _below(unit.region_id)
    return plans.filter(readable)


def plan_get(*, actor: Any, plan_id: int) -> Plan | None:
    return plans_for(actor=actor).filter(pk=plan_id).first()


def reads_whole_plan(actor: Any, plan: Plan) -> bool:
    """Whether ``actor`` reads every unit's work in ``plan``: its office, those who see all
    units, and (read-only) the staff of a unit of a region above the plan's."""
    if sees_all_units(actor) or _unit_id(actor) == plan.office_unit_id:
        return True
    profile = profile_of(actor)
    unit = profile.unit if profile is not None else None
    if unit is None or unit.is_external or not profile.is_staff_member:
        return False
    region = plan.region.parent
    while region is not None:
        if region.pk == unit.region_id:
            return True
        region = region.parent
    return False


@dataclass
class AssignmentRow:
    assignment: Assignment
    state: State
    last_end: dt.date | None

    @property
    def light(self) -> str:
        return self.state.light


def _last_end() -> Subquery:
    return Subquery(
        ProgressReport.objects.filter(assignment=OuterRef("pk"))
        .exclude(status=ReportStatus.RETURNED)
        .order_by("-period_end")
        .values("period_end")[:1]
    )


def _state(assignment: Any, plan: Plan, today: dt.date) -> State:
    measure = assignment.measure
    return state_of(
        today=today,
        due_on=assignment.due_on or measure.due_on,
        cycle=assignment.cycle
        or (None if (assignment.due_on or measure.due_on) else plan.report_cycle),
        starts_on=assignment.starts_on,
        done_on=assignment.done_on or measure.done_on,
        last_end=assignment.last_end,
        reminder_days=plan.reminder_days,
    )


def assignment_rows(
    *,
    plan: Plan,
    today: dt.date | None = None,
    unit_id: int | None = None,
    measure_id: int | None = None,
) -> list[AssignmentRow]:
    """Every assignment of ``plan`` (or of one unit, or one measure, in it) with its light, in
    measure order."""
    today = today or timezone.localdate()
    rows = (
        Assignment.objects.filter(measure__plan=plan)
        .select_related("measure", "unit")
        .annotate(last_end=_last_end())
        .order_by("measure__order", "role", "id")
    )
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    if measure_id is not None:
        rows = rows.filter(measure_id=measure_id)
    return [AssignmentRow(a, _state(a, plan, today), a.last_end) for a in rows]


def open_assignment_states(*, today: dt.date) -> Iterator[tuple[Assignment, State, Plan]]:
    """Open assignments of the plans in force, with their lights (for reminders)."""
    plans = {p.pk: p for p in Plan.objects.filter(status=PlanStatus.PUBLISHED)}
    rows = (
        Assignment.objects.filter(
            measure__plan_id__in=list(plans),
            done_on__isnull=True,
            measure__done_on__isnull=True,
        )
        .select_related("measure", "unit")
        .annotate(last_end=_last_end())
        .order_by("id")
    )
    for assignment in rows.iterator(chunk_size=500):
        plan = plans[assignment.measure.plan_id]
        assignment.measure.plan = plan
        yield assignment, _state(assignment, plan, today), plan


@dataclass
class MeasureRow:
    measure: Measure
    light: str
    rows: list[AssignmentRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Light(self.light).label)


@dataclass
class Dashboard:
    plan: Plan
    today: dt.date
    sections: list[tuple[str, list[MeasureRow]]]
    counts: dict[str, int]  # measures per light
    overdue_by_unit: list[tuple[Any, int]]
    upcoming: list[AssignmentRow]
    latest_reports: list[ProgressReport]
    notices: list[SupervisionNotice]
    lights: list[tuple[str, str]]  # (light, label) worst first

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def measure_light(measure: Measure, rows: list[AssignmentRow]) -> str:
    """A measure's light: done once marked done, else the worst of its assignments'."""
    return Light.DONE if measure.done_on else worst([r.light for r in rows])


def _measure_rows(plan: Plan, today: dt.date) -> list[MeasureRow]:
    rows = assignment_rows(plan=plan, today=today)
    by_measure: dict[int, list[AssignmentRow]] = defaultdict(list)
    for row in rows:
        by_measure[row.assignment.measure_id].append(row)
    result = []
    for measure in plan.measures.all():
        mine = by_measure.get(measure.pk, [])
        result.append(MeasureRow(measure, measure_light(measure, mine), mine))
    return result


def dashboard(*, plan: Plan, today: dt.date | None = None) -> Dashboard:
    """What the leading group looks at: measures by section with lights, overdue work by unit,
    what falls due in the next 60 days, the latest reports and supervision notices."""
    today = today or timezone.localdate()
    measures = _measure_rows(plan, today)
    sections: list[tuple[str, list[MeasureRow]]] = []
    for row in measures:
        if not sections or sections[-1][0] != row.measure.section:
            sections.append((row.measure.section, []))
        sections[-1][1].append(row)
    counts = Counter(row.light for row in measures)
    overdue: Counter[Any] = Counter()
    upcoming = []
    for row in measures:
        for arow in row.rows:
            if arow.light == Light.OVERDUE:
                overdue[arow.assignment.unit] += 1
            elif (
                arow.light in (Light.DUE_SOON, Light.ON_TRACK)
                and arow.state.days is not None
                and arow.state.days <= 60
            ):
                upcoming.append(arow)
    upcoming.sort(key=lambda r: (r.state.due_on, r.assignment.measure.order))
    latest = list(
        ProgressReport.objects.filter(assignment__measure__plan=plan)
        .select_related("assignment__unit", "assignment__measure")
        .order_by("-submitted_at", "-id")[:10]
    )
    notices = list(
        SupervisionNotice.objects.filter(assignment__measure__plan=plan)
        .select_related("assignment__unit", "assignment__measure")
        .order_by("-issued_at", "-id")[:10]
    )
    return Dashboard(
        plan=plan,
        today=today,
        sections=sections,
        counts={light: counts.get(light, 0) for light in LIGHT_ORDER},
        overdue_by_unit=sorted(overdue.items(), key=lambda kv: (-kv[1], kv[0].name)),
        upcoming=upcoming[:20],
        latest_reports=latest,
        notices=notices,
        lights=[(light, str(Light(light).label)) for light in LIGHT_ORDER],
    )


def plan_light_counts(*, plans: list[Plan], today: dt.date | None = None) -> dict[int, Counter]:
    """Assignments per light of each plan (the plan list's bar): one query of plain values."""
    today = today or timezone.localdate()
    by_id = {p.pk: p for p in plans}
    counts: dict[int, Counter] = {p.pk: Counter() for p in plans}
    rows = (
        Assignment.objects.filter(measure__plan_id__in=list(by_id))
        .annotate(last_end=_last_end())
        .values_list(
            "measure__plan_id",
            "due_on",
            "measure__due_on",
            "cycle",
            "starts_on",
            "done_on",
            "measure__done_on",
            "last_end",
        )
    )
    for plan_id, due_on, measure_due, cycle, starts_on, done_on, measure_done, last_end in rows:
        plan = by_id[plan_id]
        due = due_on or measure_due
        state = state_of(
            today=today,
            due_on=due,
            cycle=cycle or (None if due else plan.report_cycle),
            starts_on=starts_on,
            done_on=done_on or measure_done,
            last_end=last_end,
            reminder_days=plan.reminder_days,
        )
        counts[plan_id][state.light] += 1
    return counts


@dataclass
class UnitView:
    plan: Plan
    unit_id: int
    rows: list[AssignmentRow]
    reports: dict[int, list[ProgressReport]]


def unit_view(*, plan: Plan, unit_id: int, today: dt.date | None = None) -> UnitView:
    """What one unit owes under ``plan``, with its reports."""
    rows = assignment_rows(plan=plan, today=today, unit_id=unit_id)
    reports: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in (
        ProgressReport.objects.filter(assignment__in=[r.assignment for r in rows])
        .select_related("assignment__unit")
        .prefetch_related("attachments")
        .order_by("-period_end", "-submitted_at")
    ):
        reports[report.assignment_id].append(report)
    order = {light: i for i, light in enumerate(LIGHT_ORDER)}
    rows.sort(key=lambda r: (order[r.light], r.assignment.measure.order))
    return UnitView(plan, unit_id, rows, dict(reports))


@dataclass
class LedgerRow:
    """One line of the ledger (台账) a county office sends upwards."""

    measure: Measure
    lead_units: list[str]
    other_units: list[str]
    due: str
    progress: str
    light: str

    @property
    def status(self) -> str:
        return str(Light(self.light).label)


def latest_reports(*, plan: Plan) -> dict[int, ProgressReport]:
    """The latest report (not returned) of each measure of ``plan``, by measure id: the
    latest of each assignment found by key (an index seek each), then the latest of those."""
    latest_id = Subquery(
        ProgressReport.objects.filter(assignment=OuterRef("pk"))
        .exclude(status=ReportStatus.RETURNED)
        .order_by("-period_end", "-submitted_at", "-id")
        .values("pk")[:1]
    )
    ids = [
        pk
        for pk in Assignment.objects.filter(measure__plan=plan)
        .annotate(latest=latest_id)
        .values_list("latest", flat=True)
        if pk is not None
    ]
    latest: dict[int, ProgressReport] = {}
    for report in (
        ProgressReport.objects.filter(pk__in=ids)
        .select_related("assignment__unit")
        .order_by("-period_end", "-submitted_at", "-id")
    ):
        latest.setdefault(report.assignment.measure_id, report)
    return latest


def ledger(*, plan: Plan, today: dt.date | None = None) -> list[LedgerRow]:
    """The ledger of measures: measure, units, due date, latest progress, status."""
    today = today or timezone.localdate()
    measures = _measure_rows(plan, today)
    latest = latest_reports(plan=plan)
    rows = []
    for row in measures:
        lead = [r.assignment.unit.name for r in row.rows if r.assignment.role == "lead"]
        other = [r.assignment.unit.name for r in row.rows if r.assignment.role != "lead"]
        measure = row.measure
        due = measure.due_on.isoformat() if measure.due_on else (measure.deadline_printed or "")
        report = latest.get(measure.pk)
        progress = (
            f"{report.assignment.unit.name}（{report.period}）：{report.narrative}"
            if report is not None
            else ""
        )
        rows.append(LedgerRow(measure, lead, other, due, progress, row.light))
    return rows


def reports_to_review(*, actor: Any) -> QuerySet[ProgressReport]:
    unit_id = _unit_id(actor)
    return (
        ProgressReport.objects.filter(
            status=ReportStatus.SUBMITTED, assignment__measure__plan__office_unit_id=unit_id
        )
        .select_related("assignment__unit", "assignment__measure__plan")
        .order_by("submitted_at", "id")
    )


def report_get(*, actor: Any, report_id: int) -> ProgressReport | None:
    """A report, for its unit or anyone who reads its whole plan."""
    report = (
        ProgressReport.objects.select_related(
            "assignment__unit", "assignment__measure__plan__office_unit", "submitted_by__profile"
        )
        .prefetch_related("attachments")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return None
    plan = report.assignment.measure.plan
    if reads_whole_plan(actor, plan) or _unit_id(actor) == report.assignment.unit_id:
        return report
    return None


def notice_get(*, actor: Any, notice_id: int) -> SupervisionNotice | None:
    notice = (
        SupervisionNotice.objects.select_related(
            "assignment__unit", "assignment__measure__plan__office_unit"
        )
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        return None
    plan = notice.assignment.measure.plan
    if reads_whole_plan(actor, plan) or _unit_id(actor) == notice.assignment.unit_id:
        return notice
    user_id = getattr(actor, "pk", None)
    return notice if user_id in (notice.recipients or []) else None


def group_for(*, actor: Any, group_id: int | None = None) -> Any:
    """The leading group ``actor`` works with: the one asked for, else the one whose office
    is the person's unit, else the one of their region (or the only one)."""
    from ipshield.accounts.models import LeadingGroup

    groups = LeadingGroup.objects.select_related("office_unit", "region")
    if group_id is not None:
        return groups.filter(pk=group_id).first()
    profile = profile_of(actor)
    unit = profile.unit if profile is not None else None
    if unit is not None:
        found = groups.filter(office_unit=unit).first() or groups.filter(region=unit.region).first()
        if found is not None:
            return found
    return groups.order_by("pk").first()


def meetings_of(*, group: Any) -> QuerySet[Any]:
    from ipshield.supervision.models import Meeting

    return (
        Meeting.objects.filter(group=group)
        .prefetch_related("attendees__person", "attachments")
        .order_by("-held_on", "-id")
    )


def meeting_get(*, actor: Any, meeting_id: int) -> Any:
    """A meeting, for the group's members, its office, auditors and administrators, and the
    units its decisions are assigned to."""
    from ipshield.supervision.models import Meeting

    meeting = (
        Meeting.objects.select_related("group__office_unit")
        .prefetch_related("attendees__person", "attachments", "decisions__assignments__unit")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return None
    unit_id = _unit_id(actor)
    if sees_all_units(actor) or unit_id == meeting.group.office_unit_id:
        return meeting
    if Assignment.objects.filter(measure__meeting=meeting, unit_id=unit_id).exists():
        return meeting
    return None


def incidents_for(*, actor: Any) -> QuerySet[Any]:
    """Major-incident reports: all for the groups' offices and those who see all units; a
    unit's own otherwise."""
    from ipshield.supervision.models import IncidentReport

    rows = IncidentReport.objects.select_related("unit", "group", "reported_by__profile")
    if sees_all_units(actor):
        return rows
    unit_id = _unit_id(actor)
    if unit_id is None:
        return rows.none()
    return rows.filter(Q(group__office_unit_id=unit_id) | Q(unit_id=unit_id))


def incident_get(*, actor: Any, incident_id: int) -> Any:
    return incidents_for(actor=actor).prefetch_related("attachments").filter(pk=incident_id).first()


def evidence_scope(actor: Any, profile: Any) -> Any:
    """What the evidence pages add for supervision (``evidence.selectors.register_scope``):
    the attachments of the reports, meetings and incident reports of the plans and groups
    whose office is the person's unit."""
    from ipshield.supervision.models import IncidentReport, Meeting

    unit_id = profile.unit_id
    reports = ProgressReport.attachments.through.objects.filter(
        progressreport__assignment__measure__plan__office_unit_id=unit_id
    ).values("evidenceitem_id")
    minutes = Meeting.attachments.through.objects.filter(
        meeting__group__office_unit_id=unit_id
    ).values("evidenceitem_id")
    incidents = IncidentReport.attachments.through.objects.filter(
        incidentreport__group__office_unit_id=unit_id
    ).values("evidenceitem_id")
    return Q(pk__in=reports) | Q(pk__in=minutes) | Q(pk__in=incidents)


# --- reads of the workbench pages (one record each, scoped like the plan that holds it)


def measure_get(*, actor: Any, measure_id: int) -> Measure | None:
    """A measure of a plan ``actor`` may read."""
    measure = Measure.objects.select_related("plan__office_unit").filter(pk=measure_id).first()
    if measure is None or plan_get(actor=actor, plan_id=measure.plan_id) is None:
        return None
    return measure


def assignment_get(*, actor: Any, assignment_id: int) -> Assignment | None:
    """An assignment of a plan ``actor`` may read."""
    assignment = (
        Assignment.objects.select_related("measure__plan__office_unit", "unit")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        return None
    if plan_get(actor=actor, plan_id=assignment.measure.plan_id) is None:
        return None
    return assignment


def measure_reports(*, actor: Any, measure: Measure) -> QuerySet[ProgressReport]:
    """The reports on ``measure``: all of them for those who read the whole plan, else the
    reader's unit's own."""
    reports = (
        ProgressReport.objects.filter(assignment__measure=measure)
        .select_related("assignment__unit")
        .prefetch_related("attachments")
        .order_by("-period_end", "-submitted_at", "-id")
    )
    if reads_whole_plan(actor, measure.plan):
        return reports
    return reports.filter(assignment__unit_id=_unit_id(actor))


def notice_recipient_names(notice: SupervisionNotice) -> list[str]:
    """The names of the people a supervision notice went to."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(pk__in=list(notice.recipients or []))
        .select_related("profile")
        .order_by("pk")
    )
    names = []
    for user in users:
        profile = getattr(user, "profile", None)
        names.append(getattr(profile, "display_name", "") or user.get_username())
    return names
