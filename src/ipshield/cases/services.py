"""Every change of a case's state. Each transition is looked up in ``workflow.TRANSITIONS``,
checked against the actor's roles and unit, and written to the case record in the same
transaction."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.models import Unit
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.cases import deadlines, errors, record
from ipshield.cases.models import Case, DecisionKind, Source, Track
from ipshield.cases.selectors import case_visible_to
from ipshield.cases.workflow import TRANSITIONS, Action, Status
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.cooperation.thresholds import ensure_close_allowed

NUMBER_ATTEMPTS = 8


def new_case_number(source: str) -> str:
    """A tracking number people can read out on the phone: prefix, date, 6 random digits."""
    prefix = {Source.COMPLAINT: "TS", Source.REPORT: "JB"}.get(source, "XS")
    today = timezone.localdate().strftime("%Y%m%d")
    return f"{prefix}{today}{secrets.randbelow(10**6):06d}"


def legal_review_required(case: Case) -> bool:
    """Major-track cases, and penalties above the configured amount, need legal review."""
    if case.track == Track.MAJOR:
        return True
    threshold = Decimal(str(settings.IPSHIELD_LEGAL_REVIEW_PENALTY_ABOVE))
    return case.decision_kind == DecisionKind.PENALTY and (case.penalty_amount or 0) > threshold


@transaction.atomic
def case_receive(
    *,
    actor: Any,
    source: str,
    unit: Unit,
    title: str,
    description: str,
    track: str = Track.ORDINARY,
    **details: Any,
) -> Case:
    """Receive something to look at; it waits in ``received`` for the unit to accept it."""
    if source not in Source.values:
        raise InvalidInput(_("来源不正确。"), field="source")
    if track not in Track.values:
        raise InvalidInput(_("程序不正确。"), field="track")
    title = _reason(title, field="title")
    description = _reason(description, field="description")
    allowed = {
        "right",
        "rights_holder",
        "infringer",
        "infringer_name",
        "infringer_address",
        "place",
        "amount_involved",
        "public_health",
        "cross_region",
        "region",
        "rights_count",
        "origin_unit",
    }
    unknown = set(details) - allowed
    if unknown:
        raise InvalidInput(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    case = Case(
        source=source,
        unit=unit,
        title=title,
        description=description,
        track=track,
        received_at=timezone.now(),
        submitted_by=actor if getattr(actor, "pk", None) else None,
        **details,
    )
    # Numbers are random within the day (they carry no count of a unit's workload); on the rare
    # collision, draw again.
    for attempt in range(NUMBER_ATTEMPTS):
        case.number = new_case_number(source)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            break
        except IntegrityError:
            if (
                attempt == NUMBER_ATTEMPTS - 1
                or Case.objects.filter(number=case.number).count() == 0
            ):
                raise
            case.pk = None
    record.received(case=case, actor=actor)
    return case


def _roles(actor: Any) -> set[str]:
    profile = profile_of(actor)
    return set(profile.roles) if profile else set()


def require_handler(actor: Any, case: Case) -> Case:
    """Lock and return the case if ``actor``'s unit handles it. Only the owning unit handles a
    case; units it is shared with (assistance, joint operations, a former owner) only read it."""
    require_writer(actor)
    if not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该案件，或您无权办理。"))
    fresh = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    profile = profile_of(actor)
    if profile is None or profile.unit_id != fresh.unit_id:
        raise PermissionDenied(
            _("该案件由%(unit)s办理，您的单位只能查看。") % {"unit": fresh.unit.name},
            code=errors.NOT_CASE_OWNER,
        )
    return fresh


def _take(actor: Any, case: Case, action: str) -> tuple[Case, str]:
    """Lock the case and check that ``actor`` may take ``action`` on it now."""
    case = require_handler(actor, case)
    transition = TRANSITIONS[action]
    if case.status not in transition.sources:
        raise Conflict(
            _("案件当前状态为“%(status)s”，不能执行“%(action)s”。")
            % {"status": case.get_status_display(), "action": Action(action).label},
            code=errors.ILLEGAL_TRANSITION,
            details={"status": case.status, "action": action},
        )
    if not _roles(actor) & {str(r) for r in transition.roles}:
        raise PermissionDenied(
            _("您的角色不能执行“%(action)s”。") % {"action": Action(action).label},
            code=errors.ROLE_NOT_ALLOWED,
        )
    return case, case.status


def _move(actor: Any, case: Case, action: str, before: str, after: str, note: str = "") -> Case:
    case.status = after
    case.save()
    record.transitioned(
        case=case, actor=actor, action=action, before=before, after=after, note=note
    )
    deadlines.apply(case, actor=actor, status=after)
    return case


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写理由。"), field=field)
    return reason


@transaction.atomic
def case_accept(*, actor: Any, case: Case) -> Case:
    case, before = _take(actor, case, Action.ACCEPT)
    case.accepted_at = timezone.now()
    return _move(actor, case, Action.ACCEPT, before, Status.ACCEPTED)


@transaction.atomic
def case_reject(*, actor: Any, case: Case, reason: str) -> Case:
    reason = _reason(reason)
    case, before = _take(actor, case, Action.REJECT)
    case.closed_at = timezone.now()
    return _move(actor, case, Action.REJECT, before, Status.REJECTED, note=reason)


@transaction.atomic
def case_start_investigation(*, actor: Any, case: Case) -> Case:
    case, before = _take(actor, case, Action.START_INVESTIGATION)
    return _move(actor, case, Action.START_INVESTIGATION, before, Status.INVESTIGATING)


@transaction.atomic
def case_propose_decision(
    *,
    actor: Any,
    case: Case,
    kind: str,
    summary: str,
    penalty_amount: Decimal | None = None,
) -> Case:
    """Record the proposed decision; it goes to legal review when required, else takes effect."""
    if kind not in DecisionKind.values:
        raise InvalidInput(_("请选择处理决定。"), field="kind")
    summary = _reason(summary, field="summary")
    if kind == DecisionKind.PENALTY:
        if penalty_amount is None or penalty_amount < 0:
            raise InvalidInput(_("行政处罚须填写罚没金额（可为 0）。"), field="penalty_amount")
    else:
        penalty_amount = None
    case, before = _take(actor, case, Action.PROPOSE_DECISION)
    case.decision_kind, case.decision_summary, case.penalty_amount = kind, summary, penalty_amount
    if legal_review_required(case):
        return _move(actor, case, Action.PROPOSE_DECISION, before, Status.LEGAL_REVIEW, summary)
    case.decided_at = timezone.now()
    return _move(actor, case, Action.PROPOSE_DECISION, before, Status.DECIDED, summary)


@transaction.atomic
def case_approve_review(*, actor: Any, case: Case, opinion: str = "") -> Case:
    case, before = _take(actor, case, Action.APPROVE_REVIEW)
    case.decided_at = timezone.now()
    return _move(actor, case, Action.APPROVE_REVIEW, before, Status.DECIDED, opinion)


@transaction.atomic
def case_return_review(*, actor: Any, case: Case, reason: str) -> Case:
    reason = _reason(reason)
    case, before = _take(actor, case, Action.RETURN_REVIEW)
    return _move(actor, case, Action.RETURN_REVIEW, before, Status.INVESTIGATING, reason)


@transaction.atomic
def case_publish(
    *,
    actor: Any,
    case: Case,
    decision_number: str = "",
    infringer_name: str = "",
    person_names: Iterable[str] = (),
) -> Case:
    """Publish the penalty decision on the portal (masked) in the same transaction."""
    from ipshield.publication.services import publication_create_for

    case, before = _take(actor, case, Action.PUBLISH)
    if case.decision_kind != DecisionKind.PENALTY:
        raise Conflict(_("只有行政处罚决定需要公示。"), code=errors.NOT_A_PENALTY)
    case.published_at = timezone.now()
    case = _move(actor, case, Action.PUBLISH, before, Status.PUBLISHED)
    publication_create_for(
        case=case,
        actor=actor,
        decision_number=decision_number,
        infringer_name=infringer_name,
        person_names=person_names,
    )
    return case


def publication_required(case: Case) -> bool:
    """Penalty decisions made under the ordinary procedure are published (《市场监督管理行政处罚
    信息公示规定》第二条); simple-procedure decisions are not."""
    return case.decision_kind == DecisionKind.PENALTY and case.track != Track.SIMPLE


@transaction.atomic
def case_close(*, actor: Any, case: Case) -> Case:
    case, before = _take(actor, case, Action.CLOSE)
    ensure_close_allowed(case)
    if publication_required(case) and before != Status.PUBLISHED:
        raise Conflict(
            _("行政处罚决定须先公示再结案。"),
            code=errors.ILLEGAL_TRANSITION,
            details={"status": before, "action": Action.CLOSE},
        )
    case.closed_at = timezone.now()
    return _move(actor, case, Action.CLOSE, before, Status.CLOSED)


@transaction.atomic
def case_suspend(*, actor: Any, case: Case, reason: str) -> Case:
    """Suspend handling (中止); only a unit leader may approve it."""
    reason = _reason(reason)
    case, before = _take(actor, case, Action.SUSPEND)
    case.status_before_suspension = before
    case.suspended_on = timezone.localdate()
    return _move(actor, case, Action.SUSPEND, before, Status.SUSPENDED, reason)


@transaction.atomic
def case_resume(*, actor: Any, case: Case, reason: str = "") -> Case:
    case, before = _take(actor, case, Action.RESUME)
    target = case.status_before_suspension or Status.INVESTIGATING
    case.status_before_suspension = ""
    if case.suspended_on is not None:
        # Time under suspension does not count (《市场监督管理行政处罚程序规定》第六十四条).
        deadlines.shift_for_suspension(
            case, actor=actor, since=case.suspended_on, until=timezone.localdate()
        )
        case.suspended_on = None
    return _move(actor, case, Action.RESUME, before, target, reason)


@transaction.atomic
def case_override_track(*, actor: Any, case: Case, track: str, reason: str) -> Case:
    """An officer changes the track triage chose, with a recorded reason."""
    if track not in Track.values:
        raise InvalidInput(_("程序不正确。"), field="track")
    reason = _reason(reason)
    case = require_handler(actor, case)
    if not _roles(actor) & {"case_officer", "unit_leader"}:
        raise PermissionDenied(_("您的角色不能变更程序。"), code=errors.ROLE_NOT_ALLOWED)
    if case.status not in (Status.RECEIVED, Status.ACCEPTED, Status.INVESTIGATING):
        raise Conflict(_("案件已作出决定，不能再变更程序。"), code=errors.ILLEGAL_TRANSITION)
    before, case.track = case.track, track
    case.save(update_fields=["track", "updated_at"])
    record.track_overridden(case=case, actor=actor, before=before, after=track, reason=reason)
    return case


@transaction.atomic
def case_extend_deadline(*, actor: Any, case: Case, key: str, reason: str) -> Case:
    """A unit leader approves the one extension the rules allow for a running time limit."""
    require_writer(actor)
    reason = _reason(reason)
    case = require_handler(actor, case)
    if "unit_leader" not in _roles(actor):
        raise PermissionDenied(_("延长期限须经单位负责人批准。"), code=errors.ROLE_NOT_ALLOWED)
    if deadlines.extend(case, actor=actor, key=key, reason=reason) is None:
        raise Conflict(
            _("该期限不能延长（已延长过、已完成或依规不可延长）。"), code="not_extendable"
        )
    case.extended = True
    case.save(update_fields=["extended", "updated_at"])
    return case


@transaction.atomic
def case_notify_reporter(*, actor: Any, case: Case, note: str) -> Case:
    """Record that the real-name reporter was told of the case-opening decision."""
    require_writer(actor)
    note = _reason(note, field="note")
    case = require_handler(actor, case)
    record.note_added(case=case, actor=actor, note=_("已告知举报人：") + note)
    deadlines.meet(case, deadlines.NOTIFY_REPORTER)
    return case
