"""Every change of a case's state. Each transition is looked up in ``workflow.TRANSITIONS``,
checked against the actor's roles and unit, and written to the case record in the same
transaction."""

from __future__ import annotations

import datetime as dt
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
from ipshield.cases import deadlines, errors, handoffs, record
from ipshield.cases.models import (
    Case,
    DecisionKind,
    ExcludedTime,
    Hearing,
    OpeningProposal,
    PriorNotice,
    Procedure,
    Source,
    Track,
)
from ipshield.cases.selectors import case_visible_to
from ipshield.cases.workflow import TRANSITIONS, UNDECIDED, Action, Status
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
    handoffs.case_received(case, actor=actor)
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
    handoffs.case_moved(case, actor=actor, action=action, after=after, note=note)
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
def case_request_opening(*, actor: Any, case: Case, proposal: str, opinion: str) -> Case:
    """The officer submits the opening approval form (立案审批表): open a case, or not, and why.
    The unit leader decides (《市场监督管理行政处罚程序规定》第二十条)."""
    if proposal not in OpeningProposal.values:
        raise InvalidInput(_("请选择立案意见。"), field="opening")
    opinion = _reason(opinion, field="opinion")
    case, before = _take(actor, case, Action.REQUEST_OPENING)
    case.opening_proposal = proposal
    note = f"{OpeningProposal(proposal).label}：{opinion}"
    return _move(actor, case, Action.REQUEST_OPENING, before, Status.OPENING_REVIEW, note)


@transaction.atomic
def case_start_investigation(*, actor: Any, case: Case, opinion: str = "") -> Case:
    """The unit leader approves opening the case (立案); the investigation starts."""
    case, before = _take(actor, case, Action.START_INVESTIGATION)
    case.opened_at = timezone.now()
    return _move(
        actor, case, Action.START_INVESTIGATION, before, Status.INVESTIGATING, opinion.strip()
    )


@transaction.atomic
def case_decline_opening(*, actor: Any, case: Case, reason: str) -> Case:
    """The unit leader approves not opening a case (不予立案), with the reasons the complainant
    or real-name reporter is told."""
    reason = _reason(reason)
    case, before = _take(actor, case, Action.DECLINE_OPENING)
    case.closed_at = timezone.now()
    return _move(actor, case, Action.DECLINE_OPENING, before, Status.NOT_OPENED, reason)


@transaction.atomic
def case_propose_decision(
    *,
    actor: Any,
    case: Case,
    kind: str,
    summary: str,
    penalty_amount: Decimal | None = None,
    procedure: str = Procedure.ORDINARY,
    penalty_kinds: Iterable[str] = (),
    facts: str = "",
    legal_basis: str = "",
) -> Case:
    """Submit the investigation report (调查终结报告) with the proposed decision: it goes to case
    review (案件审核). A penalty under the simple procedure is decided on the spot instead
    (《行政处罚法》第五十一、五十二条) and handed to the party there.

    A penalty records the procedure it was decided under and its kinds (``PenaltyKind`` values);
    the simple procedure is refused unless the penalty qualifies for it (see
    :func:`simple_procedure_refusal`). A penalty needs the facts and the legal basis, which the
    prior notice and the decision state (第四十四条, 第五十九条), and the on-the-spot decision too
    (第五十二条第二款: 当事人的违法行为，行政处罚的种类和依据)."""
    if kind not in DecisionKind.values:
        raise InvalidInput(_("请选择处理决定。"), field="kind")
    summary = _reason(summary, field="summary")
    facts, legal_basis = (facts or "").strip(), (legal_basis or "").strip()
    kinds: list[str] = []
    if kind == DecisionKind.PENALTY:
        if penalty_amount is None or penalty_amount < 0:
            raise InvalidInput(_("行政处罚须填写罚没金额（可为 0）。"), field="penalty_amount")
        if procedure not in Procedure.values:
            raise InvalidInput(_("处罚程序不正确。"), field="procedure")
        kinds = _penalty_kinds(penalty_kinds)
    else:
        penalty_amount, procedure = None, ""
    case, before = _take(actor, case, Action.PROPOSE_DECISION)
    if procedure == Procedure.SIMPLE:
        refusal = simple_procedure_refusal(case, kinds=kinds, amount=penalty_amount)
        if refusal:
            raise InvalidInput(refusal, field="procedure", code="simple_procedure_not_allowed")
    if kind == DecisionKind.PENALTY:
        if not facts:
            raise InvalidInput(_("请填写违法事实。"), field="facts")
        if not legal_basis:
            raise InvalidInput(_("请填写法律依据。"), field="legal_basis")
    case.decision_kind, case.decision_summary, case.penalty_amount = kind, summary, penalty_amount
    case.decision_procedure, case.penalty_kinds = procedure, kinds
    case.facts, case.legal_basis = facts, legal_basis
    if procedure == Procedure.SIMPLE:
        # Decided and handed over on the spot; a fine is paid within 15 days (第六十七条).
        today = timezone.localdate()
        case.decided_at = timezone.now()
        case.decision_served_on = today
        if (penalty_amount or 0) > 0:
            case.fine_due_on = today + dt.timedelta(days=15)
        return _move(actor, case, Action.PROPOSE_DECISION, before, Status.DECIDED, summary)
    return _move(actor, case, Action.PROPOSE_DECISION, before, Status.CASE_REVIEW, summary)


@transaction.atomic
def case_approve_case_review(*, actor: Any, case: Case, opinion: str = "") -> Case:
    """Case review (案件审核) agrees: on to legal review where 第五十八条 requires it, else to
    the leader."""
    case, before = _take(actor, case, Action.APPROVE_CASE_REVIEW)
    after = Status.LEGAL_REVIEW if legal_review_required(case) else Status.LEADER_APPROVAL
    return _move(actor, case, Action.APPROVE_CASE_REVIEW, before, after, opinion.strip())


@transaction.atomic
def case_return_case_review(*, actor: Any, case: Case, reason: str) -> Case:
    reason = _reason(reason)
    case, before = _take(actor, case, Action.RETURN_CASE_REVIEW)
    return _move(actor, case, Action.RETURN_CASE_REVIEW, before, Status.INVESTIGATING, reason)


@transaction.atomic
def case_approve_review(*, actor: Any, case: Case, opinion: str = "") -> Case:
    """Legal review (法制审核) agrees: to the leader, or after a hearing back to the decision."""
    from ipshield.cases.procedure import latest_notice, notice_served

    case, before = _take(actor, case, Action.APPROVE_REVIEW)
    after = Status.NOTICE if notice_served(latest_notice(case)) else Status.LEADER_APPROVAL
    return _move(actor, case, Action.APPROVE_REVIEW, before, after, opinion.strip())


@transaction.atomic
def case_approve_decision(*, actor: Any, case: Case, opinion: str = "") -> Case:
    """The leader approves the proposed decision. A penalty then goes to the party as a prior
    notice (告知, 《行政处罚法》第四十四条); any other decision takes effect."""
    from ipshield.cases.procedure import hearing_right

    case, before = _take(actor, case, Action.APPROVE_DECISION)
    opinion = opinion.strip()
    if case.decision_kind == DecisionKind.PENALTY:
        kinds = list(case.penalty_kinds or ())
        PriorNotice.objects.create(
            case=case,
            summary=case.decision_summary,
            amount=case.penalty_amount,
            kinds=kinds,
            hearing_right=hearing_right(kinds, case.penalty_amount, case),
        )
        return _move(actor, case, Action.APPROVE_DECISION, before, Status.NOTICE, opinion)
    case.decided_at = timezone.now()
    return _move(actor, case, Action.APPROVE_DECISION, before, Status.DECIDED, opinion)


@transaction.atomic
def case_return_decision(*, actor: Any, case: Case, reason: str) -> Case:
    reason = _reason(reason)
    case, before = _take(actor, case, Action.RETURN_DECISION)
    return _move(actor, case, Action.RETURN_DECISION, before, Status.INVESTIGATING, reason)


@transaction.atomic
def case_request_hearing(*, actor: Any, case: Case, requested_on: Any) -> Case:
    """Record the party's request for a hearing (within five days of the notice, 第六十四条)."""
    from ipshield.cases import procedure

    day = procedure._date(requested_on, "requested_on")
    assert day is not None
    procedure._not_future(day, "requested_on")
    case, before = _take(actor, case, Action.REQUEST_HEARING)
    notice = procedure.check_hearing_request(case, day)
    notice.hearing_requested_on = day
    notice.save(update_fields=["hearing_requested_on"])
    Hearing.objects.create(notice=notice, case=case)
    return _move(actor, case, Action.REQUEST_HEARING, before, Status.HEARING, day.isoformat())


@transaction.atomic
def case_record_hearing(*, actor: Any, case: Case, record_text: str, report: str) -> Case:
    """Record the hearing held (听证笔录) and the host's report (听证报告); the case goes to legal
    review (《行政处罚法》第五十八条第一款第二项) and then back to the leader's decision."""
    from ipshield.cases import procedure

    record_text = procedure._text(record_text, "record")
    report = procedure._text(report, "report")
    case, before = _take(actor, case, Action.RECORD_HEARING)
    hearing = Hearing.objects.filter(case=case, recorded_at__isnull=True).order_by("-id").first()
    if hearing is None or hearing.held_on is None:
        raise Conflict(_("请先送达听证通知并确定听证日期。"), code="hearing_not_scheduled")
    if hearing.held_on > timezone.localdate():
        raise Conflict(
            _("听证定于 %(d)s 举行，尚未举行。") % {"d": hearing.held_on.isoformat()},
            code="hearing_not_held",
        )
    hearing.record, hearing.report, hearing.recorded_at = record_text, report, timezone.now()
    hearing.save(update_fields=["record", "report", "recorded_at"])
    procedure.hearing_time_excluded(case, actor=actor, hearing=hearing)
    return _move(actor, case, Action.RECORD_HEARING, before, Status.LEGAL_REVIEW, report)


@transaction.atomic
def case_decide(
    *,
    actor: Any,
    case: Case,
    summary: str = "",
    penalty_amount: Decimal | None = None,
    penalty_kinds: Iterable[str] | None = None,
) -> Case:
    """The leader makes the penalty decision (行政处罚决定) once the party has been heard: it gets
    the unit's next decision number and must then be served."""
    from ipshield.cases import procedure

    case, before = _take(actor, case, Action.DECIDE)
    notice = procedure.latest_notice(case)
    amount = case.penalty_amount if penalty_amount is None else Decimal(str(penalty_amount))
    if amount is None or amount < 0:
        raise InvalidInput(_("罚没金额不正确。"), field="penalty_amount")
    kinds = (
        list(case.penalty_kinds or ()) if penalty_kinds is None else _penalty_kinds(penalty_kinds)
    )
    procedure.check_decision(case, notice, amount, kinds)
    summary = (summary or "").strip() or case.decision_summary
    case.decision_summary, case.penalty_amount, case.penalty_kinds = summary, amount, kinds
    case.decided_at = timezone.now()
    case.decision_number = procedure.decision_number(
        case.unit, timezone.localdate(case.decided_at).year
    )
    return _move(actor, case, Action.DECIDE, before, Status.DECIDED, case.decision_number)


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
    # The decision's own number (given when it was decided) wins over one typed in.
    decision_number = case.decision_number or decision_number
    if case.decision_kind != DecisionKind.PENALTY:
        raise Conflict(_("只有行政处罚决定需要公示。"), code=errors.NOT_A_PENALTY)
    case.published_at = timezone.now()
    case = _move(actor, case, Action.PUBLISH, before, Status.PUBLISHED)
    publication_create_for(
        case=case,
        actor=actor,
        decision_number=decision_number,
        penalty_kinds=case.penalty_kinds or None,
        infringer_name=infringer_name,
        person_names=person_names,
    )
    return case


def publication_required(case: Case) -> bool:
    """Penalty decisions made under the ordinary procedure are published, except a warning
    alone (《市场监督管理行政处罚信息公示规定》第二条); simple-procedure decisions are not. The
    triage track plays no part: see ``deadlines.publication_required``."""
    return deadlines.publication_required(case)


# The simple procedure's ceilings (《行政处罚法》（2021）第五十一条: 公民 200 yuan, 法人或者其他组织
# 3,000 yuan, or a warning). "法律另有规定的，从其规定": a law with other figures is not encoded.
SIMPLE_FINE_PERSON_MAX = Decimal("200")
SIMPLE_FINE_ORGANISATION_MAX = Decimal("3000")


def _penalty_kinds(values: Iterable[str]) -> list[str]:
    from ipshield.publication.models import PenaltyKind

    kinds: list[str] = []
    for value in values or ():
        if value not in PenaltyKind.values:
            raise InvalidInput(_("未知的处罚种类：%(k)s") % {"k": value}, field="penalty_kinds")
        if value not in kinds:
            kinds.append(value)
    return kinds


def party_is_person(case: Case) -> bool:
    """Natural persons (individual businesses included) have the lower ceiling; when the case
    names no party, the lower ceiling applies."""
    from ipshield.publication.services import is_probably_person_name
    from ipshield.registry.models import EntityKind

    if case.infringer is not None:
        return case.infringer.kind in (EntityKind.PERSON, EntityKind.INDIVIDUAL_BUSINESS)
    name = case.infringer_name.strip()
    return not name or is_probably_person_name(name)


def simple_procedure_refusal(case: Case, *, kinds: list[str], amount: Decimal | None) -> str:
    """Why the penalty cannot be decided under the simple procedure, for people, or ''.

    It can when it is a warning, or a fine of at most 200 yuan (natural person) / 3,000 yuan
    (organisation), or both (《行政处罚法》第五十一条). Kinds not recorded: the amount is taken
    to be a fine."""
    amount = amount or Decimal(0)
    kinds_set = set(kinds) or ({"fine"} if amount > 0 else set())
    if not kinds_set:
        return str(_("适用简易程序须写明处罚种类（警告或罚款）。"))
    if not kinds_set <= {"warning", "fine"}:
        return str(
            _(
                "简易程序只适用于警告或者较小数额的罚款（《行政处罚法》第五十一条），"
                "其他处罚须适用普通程序。"
            )
        )
    person = party_is_person(case)
    ceiling = SIMPLE_FINE_PERSON_MAX if person else SIMPLE_FINE_ORGANISATION_MAX
    if "fine" in kinds_set and amount > ceiling:
        return str(
            _(
                "罚款%(a)s元超过简易程序的上限（对%(p)s二百元以下、对法人或者其他组织三千元以下，"
                "《行政处罚法》第五十一条），须适用普通程序。"
            )
            % {"a": amount, "p": _("自然人") if person else _("法人或者其他组织")}
        )
    return ""


@transaction.atomic
def case_close(*, actor: Any, case: Case) -> Case:
    from ipshield.cases import procedure

    case, before = _take(actor, case, Action.CLOSE)
    ensure_close_allowed(case)
    if (
        case.decision_kind == DecisionKind.PENALTY
        and case.decision_procedure == Procedure.ORDINARY
        and case.decision_served_on is None
    ):
        raise Conflict(_("行政处罚决定书尚未送达，不能结案。"), code=procedure.NOT_SERVED)
    if publication_required(case) and before != Status.PUBLISHED:
        raise Conflict(
            _("行政处罚决定须先公示再结案。"),
            code=errors.ILLEGAL_TRANSITION,
            details={"status": before, "action": Action.CLOSE},
        )
    refusal = procedure.closing_refusal(case)
    if refusal:
        raise Conflict(refusal[1], code=refusal[0])
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
        # Time under suspension does not count towards the decision limit only
        # (《市场监督管理行政处罚程序规定》第六十四条第二款); see deadlines.EXCLUDABLE.
        deadlines.shift_for_suspension(
            case, actor=actor, since=case.suspended_on, until=timezone.localdate()
        )
        case.suspended_on = None
    return _move(actor, case, Action.RESUME, before, target, reason)


@transaction.atomic
def case_exclude_time(
    *, actor: Any, case: Case, reason: str, since: Any, until: Any, note: str = ""
) -> Case:
    """Record time that does not count (不计入期限): a hearing, an announcement, testing or
    appraisal, the rights holder's identification, a refund order. Only the running limits whose
    source excludes ``reason`` move back (``deadlines.EXCLUDABLE``); suspension is recorded by
    suspending and resuming the case."""
    import datetime as dt

    require_writer(actor)
    if reason not in ExcludedTime.values or reason == ExcludedTime.SUSPENSION:
        raise InvalidInput(_("请选择不计入期限的事由。"), field="reason")
    try:
        since = since if isinstance(since, dt.date) else dt.date.fromisoformat(str(since))
    except ValueError:
        raise InvalidInput(_("开始日期格式不正确。"), field="since") from None
    try:
        until = until if isinstance(until, dt.date) else dt.date.fromisoformat(str(until))
    except ValueError:
        raise InvalidInput(_("结束日期格式不正确。"), field="until") from None
    if until <= since:
        raise InvalidInput(_("结束日期须晚于开始日期。"), field="until")
    if until > timezone.localdate():
        raise InvalidInput(_("结束日期不能晚于今天。"), field="until")
    case = require_handler(actor, case)
    if not _roles(actor) & {"case_officer", "unit_leader"}:
        raise PermissionDenied(_("您的角色不能办理该案件。"), code=errors.ROLE_NOT_ALLOWED)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not deadlines.exclude_time(case, actor=actor, reason=reason, since=since, until=until):
        raise Conflict(
            _("该事由不停止本案任何正在计算的期限（以各期限的法律依据为准）。"),
            code="time_counts",
            field="reason",
        )
    return case


@transaction.atomic
def case_override_track(*, actor: Any, case: Case, track: str, reason: str) -> Case:
    """An officer changes the track triage chose, with a recorded reason."""
    if track not in Track.values:
        raise InvalidInput(_("程序不正确。"), field="track")
    reason = _reason(reason)
    case = require_handler(actor, case)
    if not _roles(actor) & {"case_officer", "unit_leader"}:
        raise PermissionDenied(_("您的角色不能变更程序。"), code=errors.ROLE_NOT_ALLOWED)
    if case.status not in UNDECIDED:
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
