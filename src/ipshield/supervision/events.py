"""One typed function per supervision verb; call them inside the service's transaction."""

from __future__ import annotations

from typing import Any

from ipshield.audit.events import record_event
from ipshield.audit.models import AuditEvent, Verb
from ipshield.supervision.models import (
    Assignment,
    IncidentReport,
    Measure,
    Meeting,
    Plan,
    ProgressReport,
    SupervisionNotice,
)


def plan_imported(*, actor: Any, plan: Plan, measures: int) -> AuditEvent:
    return record_event(
        Verb.PLAN_IMPORTED, actor=actor, target=plan, title=plan.title, measures=measures
    )


def plan_published(*, actor: Any, plan: Plan) -> AuditEvent:
    return record_event(Verb.PLAN_PUBLISHED, actor=actor, target=plan, title=plan.title)


def plan_changed(*, actor: Any, plan: Plan, changes: dict[str, Any]) -> AuditEvent:
    return record_event(Verb.PLAN_CHANGED, actor=actor, target=plan, changes=changes)


def assignment_set(*, actor: Any, assignment: Assignment, created: bool) -> AuditEvent:
    return record_event(
        Verb.ASSIGNMENT_SET,
        actor=actor,
        target=assignment,
        measure_id=assignment.measure_id,
        unit_id=assignment.unit_id,
        role=assignment.role,
        created=created,
        due_on=assignment.due_on.isoformat() if assignment.due_on else None,
        cycle=assignment.cycle,
    )


def assignment_removed(*, actor: Any, assignment: Assignment) -> AuditEvent:
    return record_event(
        Verb.ASSIGNMENT_REMOVED,
        actor=actor,
        target=assignment,
        measure_id=assignment.measure_id,
        unit_id=assignment.unit_id,
    )


def report_submitted(*, actor: Any, report: ProgressReport) -> AuditEvent:
    return record_event(
        Verb.PROGRESS_REPORTED,
        actor=actor,
        target=report,
        assignment_id=report.assignment_id,
        period=report.period,
        completes=report.completes,
        attachments=[item.leaf_index for item in report.attachments.all()],
    )


def report_reviewed(*, actor: Any, report: ProgressReport) -> AuditEvent:
    return record_event(
        Verb.PROGRESS_REVIEWED,
        actor=actor,
        target=report,
        status=report.status,
        note=report.review_note,
    )


def measure_completed(*, actor: Any, measure: Measure) -> AuditEvent:
    return record_event(
        Verb.MEASURE_COMPLETED, actor=actor, target=measure, plan_id=measure.plan_id
    )


def notice_issued(*, notice: SupervisionNotice) -> AuditEvent:
    return record_event(
        Verb.SUPERVISION_NOTICE_ISSUED,
        actor=None,
        target=notice,
        number=notice.number,
        level=notice.level,
        assignment_id=notice.assignment_id,
        recipients=notice.recipients,
    )


def meeting_recorded(*, actor: Any, meeting: Meeting, decisions: int) -> AuditEvent:
    return record_event(
        Verb.MEETING_RECORDED,
        actor=actor,
        target=meeting,
        title=meeting.title,
        held_on=meeting.held_on.isoformat(),
        decisions=decisions,
    )


def incident_reported(*, actor: Any, incident: IncidentReport) -> AuditEvent:
    return record_event(Verb.INCIDENT_REPORTED, actor=actor, target=incident, title=incident.title)


def incident_acknowledged(*, actor: Any, incident: IncidentReport) -> AuditEvent:
    return record_event(Verb.INCIDENT_ACKNOWLEDGED, actor=actor, target=incident)
