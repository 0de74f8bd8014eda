"""The penalty procedure's steps that are records on a case rather than moves between statuses:
serving documents (送达), the party's statement or written waiver (陈述、申辩), the hearing notice
(听证通知), collective discussion (集体讨论), payments of a fine with the late-payment surcharge
(加处罚款), the confiscated goods with their disposal (罚没物品的处置), and the archiving of a
closed case (立卷归档). The moves themselves (opening approval, case review, the leader's
approval, the hearing, the decision) are in ``workflow.TRANSITIONS`` and ``services``.

Every step is one service: it locks the case, checks the actor's unit and role and the case's
state, writes its record and a case-record entry in one transaction, and tells the next person.
``STEPS`` says when each is offered; the services check again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from ipshield.accounts.models import Unit
from ipshield.cases import deadlines, errors, handoffs, record
from ipshield.cases.models import (
    Archive,
    Case,
    CollectiveDiscussion,
    CompulsoryMeasure,
    ConfiscatedGoods,
    DecisionKind,
    DisposalMethod,
    DocumentCounter,
    Enforcement,
    ExcludedTime,
    Hearing,
    InformationRequest,
    InvestigationRecord,
    MeasureKind,
    Payment,
    PaymentPlan,
    PlanKind,
    PriorNotice,
    RecordKind,
    Remedy,
    RemedyKind,
    RemedyOutcome,
    Retention,
    ServedDocument,
    Service,
    ServiceMethod,
    TimeLimit,
    Track,
)
from ipshield.cases.workflow import LEADERS, OFFICERS, Status
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied

# Step names (the action names the workbench and the API use).
RECORD_INQUIRY = "record_inquiry"
RECORD_INSPECTION = "record_inspection"
IMPOSE_MEASURE = "impose_measure"
EXTEND_MEASURE = "extend_measure"
RELEASE_MEASURE = "release_measure"
RECORD_REMEDY = "record_remedy"
RECORD_REMEDY_OUTCOME = "record_remedy_outcome"
APPLY_ENFORCEMENT = "apply_enforcement"
APPROVE_PAYMENT_PLAN = "approve_payment_plan"
REQUEST_INFORMATION = "request_information"
SERVE_NOTICE = "serve_notice"
RECORD_STATEMENT = "record_statement"
RECORD_WAIVER = "record_waiver"
SCHEDULE_HEARING = "schedule_hearing"
RECORD_DISCUSSION = "record_discussion"
SERVE_DECISION = "serve_decision"
RECORD_PAYMENT = "record_payment"
RECORD_CONFISCATION = "record_confiscation"
RECORD_DISPOSAL = "record_disposal"
ARCHIVE_CASE = "archive_case"

# Limits (TimeLimit keys, migration 0011) that run for the party or from service.
STATEMENT_PERIOD = "statement_period"
HEARING_REQUEST = "hearing_request"
PAY_FINE = "pay_fine"

# Working days from a notice of hearing to the hearing, at least (《行政处罚法》第六十四条第二项;
# its "七日" are working days, 第八十五条).
HEARING_NOTICE_DAYS = 7
# Days after an announcement is published until it counts as served (《行政处罚法》第六十一条
# refers to the Civil Procedure Law, whose 第九十五条 says thirty days).
ANNOUNCEMENT_DAYS = 30
# The late-payment surcharge: 3 % of the fine a day, in all at most the fine (《行政处罚法》
# 第七十二条第一款第一项).
SURCHARGE_RATE = Decimal("0.03")
CENT = Decimal("0.01")

# Sealing or seizure: 30 days, extendable once by at most 30 (《行政强制法》第二十五条; its "三十日"
# are calendar days: only periods of ten days or less are working days, 第六十九条).
MEASURE_DAYS = 30
# Remedy windows from service: reconsideration 60 days (《行政复议法》2023 第二十条), litigation six
# months (《行政诉讼法》第四十六条); a court is asked to enforce within three months after both
# have passed (《行政强制法》第五十三条), at least ten working days after a written demand
# (第五十四条, 第六十九条).
RECONSIDERATION_DAYS = 60
LITIGATION_MONTHS = 6
ENFORCEMENT_MONTHS = 3
DEMAND_WORKING_DAYS = 10

HEAVIER_THAN_NOTIFIED = "heavier_than_notified"
HEAVIER_THAN_DECIDED = "heavier_than_decided"
TOO_FEW_OFFICERS = "too_few_officers"
MEASURE_NOT_RELEASED = "measure_not_released"
REMEDY_PENDING = "remedy_pending"
ENFORCEMENT_TOO_EARLY = "enforcement_too_early"
ENFORCEMENT_TOO_LATE = "enforcement_too_late"
STATEMENT_PERIOD_RUNNING = "statement_period_running"
DISCUSSION_REQUIRED = "collective_discussion_required"
NOT_SERVED = "not_served"
UNPAID = "fine_unpaid"
OVERPAYMENT = "overpayment"
HEARING_TOO_SOON = "hearing_too_soon"
NO_HEARING_RIGHT = "no_hearing_right"
NO_CONFISCATION = "no_confiscation"
ALREADY_DISPOSED = "already_disposed"
GOODS_UNDISPOSED = "goods_undisposed"
PROCEEDS_NOT_AUCTION = "proceeds_not_auction"
COUNTERFEIT_NOT_AUCTIONABLE = "counterfeit_not_auctionable"
ALREADY_ARCHIVED = "already_archived"


# --- reading the state of a case's procedure


def latest_notice(case: Case) -> PriorNotice | None:
    return case.prior_notices.select_related("service").order_by("-id").first()


def notice_served(notice: PriorNotice | None) -> bool:
    return notice is not None and notice.service_id is not None


def statement_closed(notice: PriorNotice | None, today: dt.date | None = None) -> bool:
    """Whether the party's statement period is over: ended, waived in writing, or the party
    was heard at a hearing."""
    if not notice_served(notice):
        return False
    assert notice is not None
    if notice.waived_on is not None:
        return True
    if Hearing.objects.filter(notice=notice, recorded_at__isnull=False).exists():
        return True
    today = today or timezone.localdate()
    return notice.statement_ends_on is not None and notice.statement_ends_on < today


def discussion_required(case: Case) -> bool:
    """Complex or major cases are decided by the leaders collectively (《行政处罚法》第五十七条
    第二款); the platform takes the major track, which the unit's triage rules set, as the sign."""
    return case.track == Track.MAJOR


def hearing_right(kinds: list[str], amount: Decimal | None, case: Case) -> bool:
    """Whether the intended penalty gives the party a right to a hearing (《行政处罚法》第六十三条;
    the amounts that count as 较大数额 for market supervision are settings, see
    ``IPSHIELD_HEARING_FINE_PERSON`` / ``_ORGANISATION``)."""
    from django.conf import settings

    from ipshield.cases.services import party_is_person

    heavy = {"licence", "restriction"}
    if set(kinds) & heavy:
        return True
    amount = amount or Decimal(0)
    person = party_is_person(case)
    threshold = Decimal(
        str(
            settings.IPSHIELD_HEARING_FINE_PERSON
            if person
            else settings.IPSHIELD_HEARING_FINE_ORGANISATION
        )
    )
    return amount >= threshold


@dataclass(frozen=True)
class Dues:
    """What a party owes on a fine on ``on``: payments apply to the fine first, then to the
    surcharge; the surcharge accrues daily on the part of the fine still unpaid."""

    fine: Decimal
    due_on: dt.date | None
    surcharge: Decimal
    paid: Decimal
    outstanding: Decimal
    days_late: int
    # paid beyond a fine reduced or revoked on reconsideration or by a court, to be returned
    # (《行政复议法》第七十二条第二款)
    refund: Decimal = Decimal(0)


@dataclass(frozen=True)
class InForce:
    """The penalty decision as it now stands: as decided, or as the latest reconsideration
    decision or judgment changed it; nothing when it was revoked or found void."""

    amount: Decimal
    kinds: list[str]
    summary: str
    ended: bool  # revoked or void: nothing is owed under it
    by: Remedy | None  # the remedy whose outcome made it so


ENDING = (RemedyOutcome.REVOKED, RemedyOutcome.VOID)


def decision_in_force(case: Case) -> InForce:
    """What the party owes under the decision today. A decision confirmed unlawful but not
    revoked stays in force (《行政诉讼法》第七十四条, 《行政复议法》第六十五条)."""
    decisive = (
        case.remedies.filter(outcome__in=(RemedyOutcome.CHANGED, *ENDING), outcome_on__isnull=False)
        .order_by("-outcome_on", "-id")
        .first()
        if case.pk
        else None
    )
    if decisive is None:
        return InForce(
            case.penalty_amount or Decimal(0),
            list(case.penalty_kinds or ()),
            case.decision_summary,
            False,
            None,
        )
    if decisive.outcome in ENDING:
        return InForce(Decimal(0), [], "", True, decisive)
    return InForce(
        decisive.changed_amount or Decimal(0),
        list(decisive.changed_kinds or ()),
        decisive.changed_summary,
        False,
        decisive,
    )


def payment_schedule(case: Case) -> list[tuple[dt.date, Decimal]]:
    """When how much of the fine is due: the whole fine on ``Case.fine_due_on``, or the
    approved deferral or instalments (《行政处罚法》第六十六条第二款). A fine reduced on
    reconsideration or by a court is due on the same days, its last instalments cut."""
    fine = decision_in_force(case).amount
    if case.fine_due_on is None or fine <= 0:
        return []
    plan = case.payment_plans.order_by("-id").first() if case.pk else None
    if plan is None:
        return [(case.fine_due_on, fine)]
    # What was paid before the plan was approved stays due on the original day.
    rows = [(plan.original_due_on, plan.paid_before)] if plan.paid_before > 0 else []
    rows += [(dt.date.fromisoformat(d), Decimal(a)) for d, a in plan.schedule]
    schedule, left = [], fine
    for day, amount in sorted(rows):
        if left <= 0:
            break
        schedule.append((day, min(amount, left)))
        left -= amount
    return schedule


def dues(case: Case, on: dt.date | None = None, *, payments: list[Payment] | None = None) -> Dues:
    """What is owed on ``on``. Payments go to the earliest instalment first; the surcharge runs
    on the part of each instalment still unpaid after its day, from the next day, except
    during reconsideration or litigation, and in all is at most the fine (第七十二条)."""
    on = on or timezone.localdate()
    fine = decision_in_force(case).amount
    rows = payments if payments is not None else list(case.payments.order_by("paid_on", "id"))
    paid_total = sum((p.amount for p in rows), Decimal(0))
    schedule = payment_schedule(case)
    if not schedule:
        return Dues(
            fine,
            case.fine_due_on,
            Decimal(0),
            paid_total,
            max(fine - paid_total, Decimal(0)),
            0,
            max(paid_total - fine, Decimal(0)),
        )
    pauses = remedy_pauses(case, on)
    events = sorted(
        {d for d, _a in schedule if d <= on} | {p.paid_on for p in rows if p.paid_on <= on} | {on}
    )
    surcharge = Decimal(0)
    prev = schedule[0][0]
    for day in events:
        if day <= prev:
            continue
        # Between two events the overdue part does not change: instalments due by ``prev``,
        # less what was paid by ``prev``.
        due = sum((a for d, a in schedule if d <= prev), Decimal(0))
        paid = sum((p.amount for p in rows if p.paid_on <= prev), Decimal(0))
        overdue = max(due - paid, Decimal(0))
        surcharge += overdue * SURCHARGE_RATE * _counted_days(prev, day, pauses)
        prev = day
    surcharge = min(surcharge, fine).quantize(CENT, rounding=ROUND_HALF_UP)
    paid = sum((p.amount for p in rows if p.paid_on <= on), Decimal(0))
    outstanding = max(fine + surcharge - paid, Decimal(0))
    first_unpaid = _first_unpaid(schedule, paid)
    days_late = max((on - first_unpaid).days, 0) if outstanding > 0 and first_unpaid else 0
    refund = max(paid - fine - surcharge, Decimal(0))
    return Dues(
        fine, first_unpaid or schedule[-1][0], surcharge, paid, outstanding, days_late, refund
    )


def _first_unpaid(schedule: list[tuple[dt.date, Decimal]], paid: Decimal) -> dt.date | None:
    """The day of the earliest instalment not covered by ``paid``."""
    covered = Decimal(0)
    for day, amount in schedule:
        covered += amount
        if covered > paid:
            return day
    return None


def remedy_pauses(case: Case, on: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The periods of reconsideration or litigation, during which the surcharge does not run
    (《行政处罚法》第七十三条第三款): from filing to the outcome (or ``on`` while pending)."""
    if case.pk is None:
        return []
    return [
        (filed, outcome or on)
        for filed, outcome in case.remedies.values_list("filed_on", "outcome_on")
        if filed <= on
    ]


def _counted_days(start: dt.date, end: dt.date, pauses: list[tuple[dt.date, dt.date]]) -> int:
    """Days after ``start`` up to ``end`` outside the ``pauses`` (each from its first day to its
    last, inclusive)."""
    days = (end - start).days
    for first, last in pauses:
        lo, hi = max(first, start + dt.timedelta(days=1)), min(last, end)
        if hi >= lo:
            days -= (hi - lo).days + 1
    return max(days, 0)


@dataclass(frozen=True)
class Windows:
    """The party's remedy windows and the unit's window to ask a court to enforce."""

    served_on: dt.date
    reconsideration_until: dt.date
    litigation_until: dt.date
    enforcement_from: dt.date  # the later of the litigation window and the last instalment
    enforcement_until: dt.date


def remedy_windows(case: Case) -> Windows | None:
    """From service: 60 days to apply for reconsideration, six months to sue; a court may be
    asked to enforce after both and after the last deferred or instalment day (第七十二条第二款),
    within three months."""
    if case.decision_served_on is None:
        return None
    served = case.decision_served_on
    litigation = deadlines.workdays.add_months(served, LITIGATION_MONTHS)
    schedule = payment_schedule(case)
    start = max([litigation, *(d for d, _a in schedule[-1:])])
    return Windows(
        served_on=served,
        reconsideration_until=served + dt.timedelta(days=RECONSIDERATION_DAYS),
        litigation_until=litigation,
        enforcement_from=start,
        enforcement_until=deadlines.workdays.add_months(start, ENFORCEMENT_MONTHS),
    )


def decision_number(unit: Unit, year: int) -> str:
    """The next decision number of ``unit`` in ``year``, e.g. 保市监处罚〔2026〕12号. Call inside
    the deciding transaction: the counter row stays locked until it commits, and a rollback
    gives the number back, so numbers run without gaps."""
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        unit=unit, kind="penalty_decision", year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = unit.document_prefix or f"{unit.short_name or unit.name}处罚"
    return f"{prefix}〔{year}〕{counter.last}号"


def archive_number(unit: Unit, year: int) -> tuple[str, int]:
    """The next archive number (卷号) of ``unit`` in ``year``, e.g. 保市监档〔2026〕3号: the
    unit's document prefix with 档 in place of 处罚 (保市监处罚 → 保市监档), else its short name
    with 档; and its sequence in the year. Numbered like :func:`decision_number`, under the same
    row lock, without gaps."""
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        unit=unit, kind="archive", year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = unit.document_prefix.removesuffix("处罚")
    if not prefix:
        prefix = unit.short_name or unit.name
    return f"{prefix}档〔{year}〕{counter.last}号", counter.last


# --- input helpers


def _date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(_("请填写日期。"), field=field)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(_("日期格式不正确。"), field=field) from None


def _not_future(day: dt.date, field: str) -> dt.date:
    if day > timezone.localdate():
        raise InvalidInput(_("日期不能晚于今天。"), field=field)
    return day


def _past(data: dict[str, Any], field: str) -> dt.date:
    """The required date ``data[field]``, today at the latest."""
    day = _date(data.get(field), field)
    assert day is not None
    return _not_future(day, field)


def _who(actor: Any) -> Any:
    """The user to store as the one who recorded something (None for the platform)."""
    return actor if getattr(actor, "pk", None) else None


def _text(value: Any, field: str, *, required: bool = True, limit: int = 20000) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(_("请填写此项。"), field=field)
    if len(text) > limit:
        raise InvalidInput(_("内容过长。"), field=field)
    return text


def _amount(value: Any, field: str, *, zero: bool = False) -> Decimal:
    """A sum of money in yuan with at most two decimals; more than 0 (or 0 with ``zero``)."""
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise InvalidInput(_("金额格式不正确。"), field=field) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidInput(_("金额须大于 0，最多两位小数。"), field=field)
    if amount < 0 or (amount == 0 and not zero):
        if zero:
            raise InvalidInput(_("金额不能为负数，最多两位小数。"), field=field)
        raise InvalidInput(_("金额须大于 0，最多两位小数。"), field=field)
    if amount >= Decimal("1e12"):
        raise InvalidInput(_("金额过大。"), field=field)
    return amount


def _handle(actor: Any, case: Case, roles: frozenset[str], statuses: frozenset[str]) -> Case:
    """Lock the case for ``actor``'s unit and check role and status."""
    from ipshield.cases.services import _roles, require_handler

    case = require_handler(actor, case)
    if not _roles(actor) & {str(r) for r in roles}:
        raise PermissionDenied(_("您的角色不能办理此环节。"), code=errors.ROLE_NOT_ALLOWED)
    if case.status not in statuses:
        raise Conflict(
            _("案件当前状态为“%(status)s”，不能办理此环节。")
            % {"status": case.get_status_display()},
            code=errors.ILLEGAL_TRANSITION,
        )
    return case


def _service(
    actor: Any, case: Case, document: str, data: dict[str, Any], *, earliest: dt.date | None
) -> Service:
    """Record the service of ``document`` from the form's fields (method, dates, recipient)."""
    method = str(data.get("method") or "")
    if method not in ServiceMethod.values:
        raise InvalidInput(_("请选择送达方式。"), field="method")
    sent_on = _date(data.get("sent_on"), "sent_on")
    assert sent_on is not None
    _not_future(sent_on, "sent_on")
    if earliest is not None and sent_on < earliest:
        raise InvalidInput(
            _("发出日期不能早于%(d)s。") % {"d": earliest.isoformat()}, field="sent_on"
        )
    if method == ServiceMethod.ANNOUNCEMENT:
        served_on = sent_on + dt.timedelta(days=ANNOUNCEMENT_DAYS)
    else:
        served_on = _date(data.get("served_on") or sent_on, "served_on")
        assert served_on is not None
        _not_future(served_on, "served_on")
        if served_on < sent_on:
            raise InvalidInput(_("送达日期不能早于发出日期。"), field="served_on")
    consent = bool(data.get("consent"))
    if method == ServiceMethod.ELECTRONIC and not consent:
        raise InvalidInput(
            _("电子送达须经当事人同意并签订确认书（《行政处罚法》第六十一条第二款）。"),
            field="consent",
        )
    recipient = _text(data.get("recipient"), "recipient", limit=200)
    return Service.objects.create(
        case=case,
        document=document,
        method=method,
        sent_on=sent_on,
        served_on=served_on,
        recipient=recipient,
        consent=consent,
        note=_text(data.get("note"), "note", required=False, limit=500),
        recorded_by=_who(actor),
    )


def _limit_end(key: str, start: dt.date, fallback_days: int) -> dt.date:
    limit = TimeLimit.objects.filter(key=key).first()
    if limit is None:
        return deadlines.workdays.add_working_days(start, fallback_days)
    return deadlines.due_date(limit, start)


# --- the step services


@transaction.atomic
def serve_notice(*, actor: Any, case: Case, data: dict[str, Any]) -> PriorNotice:
    """Record that the prior notice (行政处罚告知书) was served; the party's statement period
    (and the time to ask for a hearing) runs from the day of service."""
    case = _handle(actor, case, OFFICERS, frozenset({Status.NOTICE}))
    notice = latest_notice(case)
    if notice is None or notice.service_id is not None:
        raise Conflict(_("告知书已送达。"), code=errors.ILLEGAL_TRANSITION)
    approved = approved_at(case)
    earliest = timezone.localdate(approved) if approved else None
    service = _service(actor, case, ServedDocument.PRIOR_NOTICE, data, earliest=earliest)
    notice.service = service
    notice.statement_ends_on = _limit_end(STATEMENT_PERIOD, service.served_on, 5)
    notice.save(update_fields=["service", "statement_ends_on"])
    record.step_recorded(
        case=case,
        actor=actor,
        step=SERVE_NOTICE,
        details={
            "method": service.method,
            "served_on": service.served_on.isoformat(),
            "ends_on": notice.statement_ends_on.isoformat(),
        },
    )
    return notice


def approved_at(case: Case) -> dt.datetime | None:
    """When the leader approved the intended decision (the latest approval)."""
    from ipshield.cases.models import CaseEvent

    event = (
        CaseEvent.objects.filter(case=case, verb="transition", after__action="approve_decision")
        .order_by("-seq")
        .first()
    )
    return event.at if event else None


def _served_notice(case: Case) -> PriorNotice:
    notice = latest_notice(case)
    if not notice_served(notice):
        raise Conflict(_("请先送达行政处罚告知书。"), code=NOT_SERVED)
    assert notice is not None
    return notice


@transaction.atomic
def record_statement(*, actor: Any, case: Case, data: dict[str, Any]) -> PriorNotice:
    """Record the party's statement and defence (陈述、申辩), heard and checked."""
    case = _handle(actor, case, OFFICERS, frozenset({Status.NOTICE}))
    notice = _served_notice(case)
    statement = _text(data.get("statement"), "statement")
    stated_on = _past(data, "stated_on")
    assert notice.service is not None
    if stated_on < notice.service.served_on:
        raise InvalidInput(_("陈述申辩日期不能早于告知书送达日期。"), field="stated_on")
    notice.statement = (notice.statement + "\n\n" if notice.statement else "") + statement
    notice.stated_on = stated_on
    notice.save(update_fields=["statement", "stated_on"])
    record.step_recorded(
        case=case,
        actor=actor,
        step=RECORD_STATEMENT,
        details={"date": stated_on.isoformat()},
        note=statement,
    )
    return notice


@transaction.atomic
def record_waiver(*, actor: Any, case: Case, data: dict[str, Any]) -> PriorNotice:
    """Record that the party waived in writing the statement and hearing (书面放弃)."""
    case = _handle(actor, case, OFFICERS, frozenset({Status.NOTICE}))
    notice = _served_notice(case)
    if notice.waived_on is not None:
        raise Conflict(_("已记录当事人书面放弃。"), code=errors.ILLEGAL_TRANSITION)
    waived_on = _past(data, "waived_on")
    assert notice.service is not None
    if waived_on < notice.service.served_on:
        raise InvalidInput(_("放弃日期不能早于告知书送达日期。"), field="waived_on")
    notice.waived_on = waived_on
    notice.save(update_fields=["waived_on"])
    record.step_recorded(
        case=case,
        actor=actor,
        step=RECORD_WAIVER,
        details={"date": waived_on.isoformat()},
        note=_text(data.get("note"), "note", required=False, limit=2000),
    )
    return notice


def check_hearing_request(case: Case, requested_on: dt.date) -> PriorNotice:
    """Refuse a hearing request the notice gives no right to, or one made too late."""
    notice = _served_notice(case)
    if not notice.hearing_right:
        raise Conflict(
            _("拟作出的处罚不属于当事人有权要求听证的情形（《行政处罚法》第六十三条）。"),
            code=NO_HEARING_RIGHT,
        )
    if notice.waived_on is not None:
        raise Conflict(_("当事人已书面放弃听证。"), code=NO_HEARING_RIGHT)
    assert notice.service is not None
    served = notice.service.served_on
    if requested_on < served:
        raise InvalidInput(_("申请日期不能早于告知书送达日期。"), field="requested_on")
    last = _limit_end(HEARING_REQUEST, served, 5)
    if requested_on > last:
        raise InvalidInput(
            _("听证申请应在告知书送达后五个工作日内提出（至 %(d)s），已逾期。")
            % {"d": last.isoformat()},
            field="requested_on",
            code="hearing_request_late",
        )
    return notice


@transaction.atomic
def schedule_hearing(*, actor: Any, case: Case, data: dict[str, Any]) -> Hearing:
    """Record the hearing notice: served at least seven days before the hearing."""
    case = _handle(actor, case, OFFICERS, frozenset({Status.HEARING}))
    hearing = Hearing.objects.filter(case=case, recorded_at__isnull=True).order_by("-id").first()
    if hearing is None:
        raise Conflict(_("没有待举行的听证。"), code=errors.ILLEGAL_TRANSITION)
    notified_on = _past(data, "notified_on")
    held_on = _date(data.get("held_on"), "held_on")
    assert held_on is not None
    if notified_on < hearing.notice.hearing_requested_on:  # type: ignore[operator]
        raise InvalidInput(_("听证通知不能早于当事人申请听证的日期。"), field="notified_on")
    deadlines.load_calendar()
    earliest = deadlines.workdays.add_working_days(notified_on, HEARING_NOTICE_DAYS)
    if held_on < earliest:
        raise InvalidInput(
            _(
                "听证通知须在举行听证的七个工作日前送达（《行政处罚法》第六十四条第二项、"
                "第八十五条），听证日期最早为 %(d)s。"
            )
            % {"d": earliest.isoformat()},
            field="held_on",
            code=HEARING_TOO_SOON,
        )
    hearing.notified_on, hearing.held_on = notified_on, held_on
    hearing.place = _text(data.get("place"), "place", limit=200)
    hearing.host = _text(data.get("host"), "host", limit=100)
    hearing.save(update_fields=["notified_on", "held_on", "place", "host"])
    record.step_recorded(
        case=case,
        actor=actor,
        step=SCHEDULE_HEARING,
        details={"notified_on": notified_on.isoformat(), "date": held_on.isoformat()},
        note=f"{hearing.place} {hearing.host}",
    )
    return hearing


@transaction.atomic
def record_discussion(*, actor: Any, case: Case, data: dict[str, Any]) -> CollectiveDiscussion:
    """Record the leaders' collective discussion (集体讨论): date, who attended, minutes and the
    conclusion."""
    case = _handle(actor, case, LEADERS, frozenset({Status.LEADER_APPROVAL, Status.NOTICE}))
    held_on = _past(data, "held_on")
    discussion = CollectiveDiscussion.objects.create(
        case=case,
        held_on=held_on,
        attendees=_text(data.get("attendees"), "attendees", limit=2000),
        minutes=_text(data.get("minutes"), "minutes"),
        conclusion=_text(data.get("conclusion"), "conclusion", limit=5000),
        recorded_by=_who(actor),
    )
    record.step_recorded(
        case=case,
        actor=actor,
        step=RECORD_DISCUSSION,
        details={"date": held_on.isoformat()},
        note=discussion.conclusion,
    )
    return discussion


def check_decision(
    case: Case, notice: PriorNotice | None, amount: Decimal | None, kinds: list[str]
) -> None:
    """The checks before a penalty decision: the notice served, the statement period over or
    waived, no heavier penalty than notified (《行政处罚法》第四十五条第二款), and collective
    discussion where it is required."""
    if not notice_served(notice):
        raise Conflict(_("请先送达行政处罚告知书。"), code=NOT_SERVED)
    assert notice is not None
    if not statement_closed(notice):
        raise Conflict(
            _("当事人陈述申辩期限（至 %(d)s）尚未届满，且当事人未书面放弃，不能作出决定。")
            % {"d": notice.statement_ends_on.isoformat() if notice.statement_ends_on else ""},
            code=STATEMENT_PERIOD_RUNNING,
        )
    if (amount or Decimal(0)) > (notice.amount or Decimal(0)):
        raise InvalidInput(
            _(
                "决定的罚没金额不能高于告知的 %(a)s 元：不得因当事人陈述、申辩而给予更重的处罚"
                "（《行政处罚法》第四十五条第二款）；拟加重的，须重新告知。"
            )
            % {"a": notice.amount or 0},
            field="penalty_amount",
            code=HEAVIER_THAN_NOTIFIED,
        )
    added = set(kinds) - set(notice.kinds or ())
    if added:
        raise InvalidInput(
            _("决定不能增加告知书未载明的处罚种类；拟加重的，须重新告知。"),
            field="penalty_kinds",
            code=HEAVIER_THAN_NOTIFIED,
        )
    if discussion_required(case) and not case.discussions.exists():
        raise Conflict(
            _(
                "重大案件须经负责人集体讨论决定（《行政处罚法》第五十七条第二款），请先记录集体讨论。"
            ),
            code=DISCUSSION_REQUIRED,
        )


@transaction.atomic
def serve_decision(*, actor: Any, case: Case, data: dict[str, Any]) -> Service:
    """Record the service of the decision (送达); the time to pay a fine runs from it."""
    case = _handle(actor, case, OFFICERS, frozenset({Status.DECIDED, Status.PUBLISHED}))
    if case.decision_kind != DecisionKind.PENALTY:
        raise Conflict(_("只有行政处罚决定书需要送达记录。"), code=errors.NOT_A_PENALTY)
    if case.decision_served_on is not None:
        raise Conflict(_("决定书已送达。"), code=errors.ILLEGAL_TRANSITION)
    decided = timezone.localdate(case.decided_at) if case.decided_at else None
    service = _service(actor, case, ServedDocument.DECISION, data, earliest=decided)
    case.decision_served_on = service.served_on
    if (case.penalty_amount or 0) > 0:
        limit = TimeLimit.objects.filter(key=PAY_FINE).first()
        case.fine_due_on = (
            deadlines.due_date(limit, service.served_on)
            if limit
            else service.served_on + dt.timedelta(days=15)
        )
    case.save(update_fields=["decision_served_on", "fine_due_on", "updated_at"])
    deadlines.meet(case, deadlines.SERVE_DECISION)
    record.step_recorded(
        case=case,
        actor=actor,
        step=SERVE_DECISION,
        details={
            "method": service.method,
            "served_on": service.served_on.isoformat(),
            "due_on": case.fine_due_on.isoformat() if case.fine_due_on else "",
        },
    )
    return service


@transaction.atomic
def record_payment(*, actor: Any, case: Case, data: dict[str, Any]) -> Payment:
    """Record a payment of the fine and surcharge; more than is owed on that day is refused."""
    case = _handle(actor, case, OFFICERS, frozenset({Status.DECIDED, Status.PUBLISHED}))
    if case.fine_due_on is None:
        raise Conflict(_("决定书送达后才能记录缴款。"), code=NOT_SERVED)
    paid_on = _past(data, "paid_on")
    if case.decided_at and paid_on < timezone.localdate(case.decided_at):
        raise InvalidInput(_("缴款日期不能早于决定日期。"), field="paid_on")
    amount = _amount(data.get("amount"), "amount")
    owed = dues(case, paid_on)
    later = case.payments.filter(paid_on__gt=paid_on).exists()
    if later:
        raise InvalidInput(_("缴款须按日期顺序记录。"), field="paid_on")
    if amount > owed.outstanding:
        raise InvalidInput(
            _("缴款 %(a)s 元超过截至 %(d)s 应缴的 %(o)s 元（罚款 %(f)s 元，加处罚款 %(s)s 元）。")
            % {
                "a": amount,
                "d": paid_on.isoformat(),
                "o": owed.outstanding,
                "f": owed.fine,
                "s": owed.surcharge,
            },
            field="amount",
            code=OVERPAYMENT,
        )
    payment = Payment.objects.create(
        case=case,
        paid_on=paid_on,
        amount=amount,
        note=_text(data.get("note"), "note", required=False, limit=500),
        recorded_by=_who(actor),
    )
    # Under instalments, the fine's day is the next instalment still unpaid.
    next_due = dues(case).due_on
    if next_due and next_due != case.fine_due_on:
        case.fine_due_on = next_due
        case.save(update_fields=["fine_due_on", "updated_at"])
    record.step_recorded(
        case=case,
        actor=actor,
        step=RECORD_PAYMENT,
        details={
            "date": paid_on.isoformat(),
            "amount": str(amount),
            "surcharge": str(owed.surcharge),
        },
    )
    return payment


def paid_in_full(case: Case) -> bool:
    if case.fine_due_on is None:
        return True
    return dues(case).outstanding <= 0


def total_paid(case: Case) -> Decimal:
    return case.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def hearing_time_excluded(case: Case, *, actor: Any, hearing: Hearing) -> None:
    """The time from the hearing request to the hearing does not count towards the decision
    limit (程序规定第六十四条第二款)."""
    since = hearing.notice.hearing_requested_on
    until = hearing.held_on
    if since and until and until > since:
        deadlines.exclude_time(
            case, actor=actor, reason=ExcludedTime.HEARING, since=since, until=until
        )


def _officers(value: Any) -> str:
    """At least two officers' names (《行政处罚法》第四十二条第一款)."""
    text = _text(value, "officers", limit=200)
    names = [
        n for n in text.replace("，", "、").replace(",", "、").replace(" ", "、").split("、") if n
    ]
    if len(names) < 2:
        raise InvalidInput(
            _("执法人员不得少于两人（《行政处罚法》第四十二条第一款），请填写两名以上执法人员。"),
            field="officers",
            code=TOO_FEW_OFFICERS,
        )
    return "、".join(names)


def _record_investigation(kind: str):
    def run(*, actor: Any, case: Case, data: dict[str, Any]) -> InvestigationRecord:
        case = _handle(actor, case, OFFICERS, frozenset({Status.INVESTIGATING}))
        held_on = _past(data, "held_on")
        entry = InvestigationRecord.objects.create(
            case=case,
            kind=kind,
            held_on=held_on,
            place=_text(data.get("place"), "place", limit=200),
            officers=_officers(data.get("officers")),
            person=_text(data.get("person"), "person", limit=200),
            content=_text(data.get("content"), "content"),
            recorded_by=_who(actor),
        )
        record.step_recorded(
            case=case,
            actor=actor,
            step=RECORD_INQUIRY if kind == RecordKind.INQUIRY else RECORD_INSPECTION,
            details={"date": held_on.isoformat()},
            note=f"{entry.person} · {entry.place}",
        )
        return entry

    return run


record_inquiry = _record_investigation(RecordKind.INQUIRY)
record_inspection = _record_investigation(RecordKind.INSPECTION)

MEASURE_STATUSES = frozenset(
    {
        Status.INVESTIGATING,
        Status.CASE_REVIEW,
        Status.LEGAL_REVIEW,
        Status.LEADER_APPROVAL,
        Status.NOTICE,
        Status.HEARING,
        Status.DECIDED,
        Status.PUBLISHED,
        Status.SUSPENDED,
    }
)


def _chosen(rows: Any, data: dict[str, Any], field: str, message: Any) -> Any:
    """The row of ``rows`` whose id ``data[field]`` names; with no id given, the only one."""
    raw = data.get(field)
    if str(raw or "").isdigit():
        row = rows.filter(pk=raw).first()
    else:
        only = list(rows[:2]) if raw in (None, "") else []
        row = only[0] if len(only) == 1 else None
    if row is None:
        raise InvalidInput(message, field=field)
    return row


def _open_measure(case: Case, data: dict[str, Any]) -> CompulsoryMeasure:
    return _chosen(
        case.measures.filter(released_on__isnull=True),
        data,
        "measure",
        _("请选择查封、扣押措施。"),
    )


@transaction.atomic
def impose_measure(*, actor: Any, case: Case, data: dict[str, Any]) -> CompulsoryMeasure:
    """Seal or seize (查封、扣押), approved by the leader (《行政强制法》第十八条第一项): at most
    thirty days from the decision."""
    case = _handle(actor, case, LEADERS, frozenset({Status.INVESTIGATING}))
    kind = str(data.get("kind") or "")
    if kind not in MeasureKind.values:
        raise InvalidInput(_("请选择查封或者扣押。"), field="kind")
    decided_on = _past(data, "decided_on")
    measure = CompulsoryMeasure.objects.create(
        case=case,
        kind=kind,
        items=_text(data.get("items"), "items", limit=5000),
        decided_on=decided_on,
        ends_on=decided_on + dt.timedelta(days=MEASURE_DAYS),
        approved_by=_who(actor),
    )
    record.step_recorded(
        case=case,
        actor=actor,
        step=IMPOSE_MEASURE,
        details={"date": decided_on.isoformat(), "due_on": measure.ends_on.isoformat()},
        note=measure.items,
    )
    return measure


@transaction.atomic
def extend_measure(*, actor: Any, case: Case, data: dict[str, Any]) -> CompulsoryMeasure:
    """Extend a running measure once, by at most thirty days, with the leader's approval and
    reasons told to the party in writing (《行政强制法》第二十五条)."""
    case = _handle(actor, case, LEADERS, MEASURE_STATUSES)
    measure = _open_measure(case, data)
    if measure.extended:
        raise Conflict(_("查封、扣押期限只能延长一次。"), code="not_extendable", field="measure")
    if measure.ends_on < timezone.localdate():
        raise Conflict(
            _("查封、扣押期限已于 %(d)s 届满，不能再延长，应当解除。") % {"d": measure.ends_on},
            code="not_extendable",
            field="measure",
        )
    measure.extension_reason = _text(data.get("reason"), "reason", limit=500)
    measure.ends_on += dt.timedelta(days=MEASURE_DAYS)
    measure.extended = True
    measure.save(update_fields=["extension_reason", "ends_on", "extended"])
    record.step_recorded(
        case=case,
        actor=actor,
        step=EXTEND_MEASURE,
        details={"due_on": measure.ends_on.isoformat()},
        note=measure.extension_reason,
    )
    return measure


@transaction.atomic
def release_measure(*, actor: Any, case: Case, data: dict[str, Any]) -> CompulsoryMeasure:
    """Release (解除) a measure: no violation, goods unrelated, the period over, or the goods
    confiscated by the decision (《行政强制法》第二十八条)."""
    case = _handle(actor, case, OFFICERS, MEASURE_STATUSES | {Status.CLOSED})
    measure = _open_measure(case, data)
    released_on = _past(data, "released_on")
    if released_on < measure.decided_on:
        raise InvalidInput(_("解除日期不能早于查封、扣押日期。"), field="released_on")
    measure.released_on = released_on
    measure.release_reason = _text(data.get("reason"), "reason", limit=500)
    measure.save(update_fields=["released_on", "release_reason"])
    record.step_recorded(
        case=case,
        actor=actor,
        step=RELEASE_MEASURE,
        details={"date": released_on.isoformat()},
        note=measure.release_reason,
    )
    return measure


DECIDED_STATUSES = frozenset({Status.DECIDED, Status.PUBLISHED})


@transaction.atomic
def record_remedy(*, actor: Any, case: Case, data: dict[str, Any]) -> Remedy:
    """Record that the party applied for reconsideration or sued (after the decision's
    service). A late one is still recorded: whether to accept it is the reviewing body's call."""
    case = _handle(actor, case, OFFICERS, DECIDED_STATUSES)
    kind = str(data.get("remedy") or "")
    if kind not in RemedyKind.values:
        raise InvalidInput(_("请选择行政复议或者行政诉讼。"), field="remedy")
    if case.decision_served_on is None:
        raise Conflict(_("决定书送达后才能记录复议、诉讼。"), code=NOT_SERVED)
    filed_on = _past(data, "filed_on")
    if filed_on < case.decision_served_on:
        raise InvalidInput(_("申请或起诉日期不能早于决定书送达日期。"), field="filed_on")
    remedy = Remedy.objects.create(
        case=case,
        kind=kind,
        filed_on=filed_on,
        body=_text(data.get("body"), "body", limit=200),
        note=_text(data.get("note"), "note", required=False, limit=5000),
        recorded_by=_who(actor),
    )
    record.step_recorded(
        case=case,
        actor=actor,
        step=RECORD_REMEDY,
        details={"date": filed_on.isoformat(), "remedy": kind},
        note=remedy.body,
    )
    return remedy


@transaction.atomic
def record_remedy_outcome(*, actor: Any, case: Case, data: dict[str, Any]) -> Remedy:
    """Record the outcome, with its effects.

    - Changed (变更): what the decision now is (content, amount, kinds), never heavier than the
      decision in force (《行政复议法》第六十三条第二款, 《行政诉讼法》第七十七条第二款). The fine
      owed follows it, and what was paid beyond it is to be returned (《行政复议法》第七十二条
      第二款); the publication is withdrawn and the changed decision published in its place.
    - Revoked (撤销) or void (确认无效): nothing is owed any more; the publication is withdrawn.
    - Confirmed unlawful (确认违法): the decision stays in force, but comes off the portal.

    A withdrawal is due within three working days of the outcome (公示规定第十一条,
    《行政处罚法》第四十八条第二款); it also removes the credit record (``credit`` listens)."""
    case = _handle(actor, case, OFFICERS, DECIDED_STATUSES | {Status.CLOSED})
    remedy = _chosen(
        case.remedies.filter(outcome=RemedyOutcome.PENDING),
        data,
        "remedy_id",
        _("请选择审理中的复议或诉讼。"),
    )
    outcome = str(data.get("outcome") or "")
    if outcome not in RemedyOutcome.values or outcome == RemedyOutcome.PENDING:
        raise InvalidInput(_("请选择结果。"), field="outcome")
    outcome_on = _past(data, "outcome_on")
    if outcome_on < remedy.filed_on:
        raise InvalidInput(_("结果日期不能早于申请或起诉日期。"), field="outcome_on")
    note = _text(data.get("note"), "note", required=False, limit=5000)
    fields = ["outcome", "outcome_on", "note"]
    if outcome == RemedyOutcome.CHANGED:
        _changed_decision(case, remedy, data)
        fields += ["changed_summary", "changed_amount", "changed_kinds"]
    remedy.outcome, remedy.outcome_on = outcome, outcome_on
    remedy.note = (remedy.note + "\n" if remedy.note else "") + note
    remedy.save(update_fields=fields)
    details: dict[str, Any] = {"date": outcome_on.isoformat(), "outcome": outcome}
    if outcome == RemedyOutcome.CHANGED:
        details["amount"] = str(remedy.changed_amount)
    record.step_recorded(
        case=case, actor=actor, step=RECORD_REMEDY_OUTCOME, details=details, note=note
    )
    withdrawn = None
    if outcome in (
        RemedyOutcome.CHANGED,
        RemedyOutcome.REVOKED,
        RemedyOutcome.UNLAWFUL,
        RemedyOutcome.VOID,
    ):
        withdrawn = _withdraw_publication(actor, case, remedy)
    if outcome == RemedyOutcome.CHANGED and withdrawn is not None:
        _publish_changed(actor, case, remedy, withdrawn)
    return remedy


def _changed_decision(case: Case, remedy: Remedy, data: dict[str, Any]) -> None:
    """Read and check the changed decision into ``remedy`` (not saved)."""
    from ipshield.cases.services import _penalty_kinds
    from ipshield.publication.models import penalty_kind_labels

    before = decision_in_force(case)
    summary = _text(data.get("changed_summary"), "changed_summary", limit=5000)
    if data.get("changed_amount") in (None, ""):
        raise InvalidInput(_("请填写变更后的罚没金额（可为 0）。"), field="changed_amount")
    amount = _amount(data.get("changed_amount"), "changed_amount", zero=True)
    raw_kinds = data.get("changed_kinds")
    kinds = before.kinds if raw_kinds in (None, "", []) else _penalty_kinds(raw_kinds)
    if amount > before.amount:
        raise Conflict(
            _(
                "变更后的罚没金额 %(new)s 元高于原决定的 %(old)s 元：复议机关或人民法院不得作出"
                "对申请人（原告）更为不利的变更（《行政复议法》第六十三条第二款、"
                "《行政诉讼法》第七十七条第二款）。"
            )
            % {"new": amount, "old": before.amount},
            code=HEAVIER_THAN_DECIDED,
            field="changed_amount",
        )
    # (kinds not recorded on the decision cannot be compared)
    added = set(kinds) - set(before.kinds) if before.kinds else set()
    if added:
        raise Conflict(
            _("变更后的决定不能增加原决定没有的处罚种类（%(k)s）。")
            % {"k": "、".join(penalty_kind_labels(sorted(added)))},
            code=HEAVIER_THAN_DECIDED,
            field="changed_kinds",
        )
    remedy.changed_summary, remedy.changed_amount, remedy.changed_kinds = summary, amount, kinds


def _withdraw_publication(actor: Any, case: Case, remedy: Remedy) -> Any:
    """Withdraw the decision's publication on the portal, if one is there; return it."""
    from ipshield.publication.models import Publication, PublicationStatus
    from ipshield.publication.services import publication_withdraw

    publication = Publication.objects.filter(case=case, status=PublicationStatus.PUBLISHED).first()
    if publication is None:
        return None
    reason = _("%(kind)s结果：%(outcome)s") % {
        "kind": remedy.get_kind_display(),
        "outcome": remedy.get_outcome_display(),
    }
    return publication_withdraw(
        actor=actor, publication=publication, reason=reason, revoked_on=remedy.outcome_on
    )


def _publish_changed(actor: Any, case: Case, remedy: Remedy, last: Any) -> None:
    """Publish the changed decision in place of ``last``, the publication just withdrawn,
    unless the changed decision is one that is not published (a warning alone, 公示规定第二条)."""
    from ipshield.publication.models import PenaltyKind
    from ipshield.publication.services import publication_create_for

    if set(remedy.changed_kinds) <= {PenaltyKind.WARNING}:
        return
    publication_create_for(
        case=case,
        actor=actor,
        decision_number=last.decision_number,
        penalty_kinds=remedy.changed_kinds,
        infringer_name=last.infringer_name if not last.infringer_is_person else "",
        summary=remedy.changed_summary,
        amount=remedy.changed_amount,
        anew=True,
    )


@transaction.atomic
def apply_enforcement(*, actor: Any, case: Case, data: dict[str, Any]) -> Enforcement:
    """Record the application to a people's court for compulsory enforcement of the unpaid
    fine, approved by the leader: after both remedy windows passed with nothing pending, at
    least ten working days after the written demand, and within three months."""
    case = _handle(actor, case, LEADERS, DECIDED_STATUSES)
    if hasattr(case, "enforcement"):
        raise Conflict(_("已申请人民法院强制执行。"), code=errors.ILLEGAL_TRANSITION)
    windows = remedy_windows(case)
    if windows is None or case.fine_due_on is None:
        raise Conflict(_("决定书送达后才能申请强制执行。"), code=NOT_SERVED)
    if dues(case).outstanding <= 0:
        raise Conflict(_("罚款已缴清，无须申请强制执行。"), code="fine_paid")
    if case.remedies.filter(outcome=RemedyOutcome.PENDING).exists():
        raise Conflict(_("复议或诉讼尚在审理中。"), code=REMEDY_PENDING)
    urged_on = _past(data, "urged_on")
    applied_on = _past(data, "applied_on")
    if applied_on <= windows.enforcement_from:
        raise InvalidInput(
            _(
                "当事人的复议期限（至 %(r)s）、诉讼期限（至 %(l)s）和批准的缴纳期限届满后才能申请"
                "（《行政强制法》第五十三条，《行政处罚法》第七十二条第二款）。"
            )
            % {
                "r": windows.reconsideration_until.isoformat(),
                "l": windows.litigation_until.isoformat(),
            },
            field="applied_on",
            code=ENFORCEMENT_TOO_EARLY,
        )
    if applied_on > windows.enforcement_until:
        raise InvalidInput(
            _(
                "申请强制执行应在期限届满之日起三个月内（至 %(d)s）提出"
                "（《行政强制法》第五十三条）。"
            )
            % {"d": windows.enforcement_until.isoformat()},
            field="applied_on",
            code=ENFORCEMENT_TOO_LATE,
        )
    deadlines.load_calendar()
    earliest = deadlines.workdays.add_working_days(urged_on, DEMAND_WORKING_DAYS)
    if applied_on < earliest:
        raise InvalidInput(
            _(
                "催告书送达十个工作日后当事人仍未履行的，才能申请"
                "（《行政强制法》第五十四条），最早 %(d)s。"
            )
            % {"d": earliest.isoformat()},
            field="applied_on",
            code=ENFORCEMENT_TOO_EARLY,
        )
    enforcement = Enforcement.objects.create(
        case=case,
        urged_on=urged_on,
        applied_on=applied_on,
        court=_text(data.get("court"), "court", limit=200),
        note=_text(data.get("note"), "note", required=False, limit=5000),
        recorded_by=_who(actor),
    )
    record.step_recorded(
        case=case,
        actor=actor,
        step=APPLY_ENFORCEMENT,
        details={"date": applied_on.isoformat()},
        note=enforcement.court,
    )
    return enforcement


def _instalments(value: Any) -> list[tuple[dt.date, Decimal]]:
    """Instalments as a list of ``{"due_on", "amount"}`` (the API) or as lines of "date amount"
    (the form)."""
    rows: list[tuple[Any, Any]] = []
    if isinstance(value, list | tuple):
        for item in value:
            if not isinstance(item, dict):
                raise InvalidInput(_("分期安排格式不正确。"), field="instalments")
            rows.append((item.get("due_on"), item.get("amount")))
    else:
        for line in str(value or "").splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise InvalidInput(
                    _("每行写一期：日期和金额，如“2027-01-15 2000”。"), field="instalments"
                )
            rows.append((parts[0], parts[1]))
    out = []
    for day, amount in rows:
        when = _date(day, "instalments")
        assert when is not None
        out.append((when, _amount(amount, "instalments")))
    return out


@transaction.atomic
def approve_payment_plan(*, actor: Any, case: Case, data: dict[str, Any]) -> PaymentPlan:
    """The leader approves a deferral or instalments of the unpaid fine on the party's
    application (《行政处罚法》第六十六条第二款), before it falls overdue."""
    case = _handle(actor, case, LEADERS, DECIDED_STATUSES)
    if case.fine_due_on is None:
        raise Conflict(_("决定书送达后才能批准暂缓或者分期缴纳。"), code=NOT_SERVED)
    owed = dues(case)
    if owed.outstanding <= 0:
        raise Conflict(_("罚款已缴清。"), code="fine_paid")
    if owed.days_late > 0:
        raise Conflict(
            _("罚款已逾期，加处罚款已开始计算，不能再批准暂缓或者分期缴纳。"),
            code="fine_overdue",
        )
    kind = str(data.get("plan") or "")
    if kind not in PlanKind.values:
        raise InvalidInput(_("请选择暂缓缴纳或者分期缴纳。"), field="plan")
    remaining = owed.fine - owed.paid
    today = timezone.localdate()
    if kind == PlanKind.DEFERRAL:
        until = _date(data.get("deferred_to"), "deferred_to")
        assert until is not None
        if until <= case.fine_due_on:
            raise InvalidInput(_("暂缓至的日期须晚于原缴纳期限。"), field="deferred_to")
        schedule = [(until, remaining)]
    else:
        schedule = _instalments(data.get("instalments"))
        if len(schedule) < 2:
            raise InvalidInput(_("分期缴纳至少两期。"), field="instalments")
        days = [d for d, _a in schedule]
        if days != sorted(set(days)) or days[0] < today:
            raise InvalidInput(
                _("各期日期须不早于今天，并按先后排列、互不相同。"), field="instalments"
            )
        total = sum((a for _d, a in schedule), Decimal(0))
        if total != remaining:
            raise InvalidInput(
                _("各期金额合计 %(t)s 元，应等于尚未缴纳的罚款 %(r)s 元。")
                % {"t": total, "r": remaining},
                field="instalments",
                code="instalments_sum",
            )
    previous = case.payment_plans.order_by("-id").first()
    plan = PaymentPlan.objects.create(
        case=case,
        kind=kind,
        original_due_on=previous.original_due_on if previous else case.fine_due_on,
        paid_before=owed.paid,
        schedule=[[d.isoformat(), str(a)] for d, a in schedule],
        reason=_text(data.get("reason"), "reason", limit=500),
        approved_on=today,
        approved_by=_who(actor),
    )
    case.fine_due_on = schedule[0][0]
    case.save(update_fields=["fine_due_on", "updated_at"])
    record.step_recorded(
        case=case,
        actor=actor,
        step=APPROVE_PAYMENT_PLAN,
        details={"due_on": schedule[-1][0].isoformat(), "amount": str(remaining)},
        note=plan.reason,
    )
    return plan


# --- confiscated goods and their disposal (罚没物品的处置)


def _quantity(value: Any) -> Decimal:
    try:
        quantity = Decimal(str(value).strip())
    except (ArithmeticError, ValueError, TypeError):
        raise InvalidInput(_("数量须为数字。"), field="quantity") from None
    if not quantity.is_finite() or quantity <= 0 or quantity.as_tuple().exponent < -3:  # type: ignore[operator]
        raise InvalidInput(_("数量须大于 0，最多三位小数。"), field="quantity")
    if quantity >= Decimal("1e11"):
        raise InvalidInput(_("数量过大。"), field="quantity")
    return quantity


def confiscates_goods(case: Case) -> bool:
    """Whether the case's penalty decision confiscates (没收违法所得、没收非法财物)."""
    return case.decision_kind == DecisionKind.PENALTY and "confiscation" in (
        case.penalty_kinds or ()
    )


def infringes_trademark(case: Case) -> bool:
    """Whether the case is about a registered trademark: then what is confiscated is infringing
    goods or the tools to make them, which are destroyed (《商标法》第六十条第二款), never put
    back on the market."""
    from ipshield.registry.models import RightKind

    return case.right_id is not None and case.right.kind == RightKind.TRADEMARK


@transaction.atomic
def record_confiscation(*, actor: Any, case: Case, data: dict[str, Any]) -> ConfiscatedGoods:
    """List one item of the goods the decision confiscated (没收非法财物): what, how many, in
    which unit of measure. Repeat for each item."""
    case = _handle(actor, case, OFFICERS, DECIDED_STATUSES)
    if not confiscates_goods(case):
        raise Conflict(_("本案处罚决定不含没收，不能登记罚没物品。"), code=NO_CONFISCATION)
    goods = ConfiscatedGoods.objects.create(
        case=case,
        description=_text(data.get("description"), "description", limit=500),
        quantity=_quantity(data.get("quantity")),
        unit_of_measure=_text(data.get("unit_of_measure"), "unit_of_measure", limit=20),
        note=_text(data.get("note"), "note", required=False, limit=500),
        recorded_by=_who(actor),
    )
    record.step_recorded(
        case=case,
        actor=actor,
        step=RECORD_CONFISCATION,
        details={"quantity": f"{goods.quantity_text} {goods.unit_of_measure}"},
        note=goods.description,
    )
    return goods


@transaction.atomic
def record_disposal(*, actor: Any, case: Case, data: dict[str, Any]) -> ConfiscatedGoods:
    """Record how one listed item was disposed of, after the decision was served: destroyed,
    publicly auctioned (the proceeds go to the treasury), handed to the competent body, or
    otherwise handled as the law provides (《行政处罚法》第七十四条), by at least two officers.
    Goods infringing a trademark are destroyed, not auctioned (《商标法》第六十条第二款).

    A closed case is not offered: closing is refused while an item is undisposed, so a closed
    case has nothing left to dispose of."""
    case = _handle(actor, case, OFFICERS, DECIDED_STATUSES)
    if case.decision_served_on is None:
        raise Conflict(_("决定书送达后才能处置罚没物品。"), code=NOT_SERVED)
    rows = ConfiscatedGoods.objects.select_for_update().filter(case=case)
    if data.get("goods") in (None, ""):
        rows = rows.filter(disposed_on__isnull=True)  # the only one left, if only one is
    goods = _chosen(rows, data, "goods", _("请选择要处置的罚没物品。"))
    if goods.disposed_on is not None:
        raise Conflict(
            _("该物品已于 %(d)s 处置。") % {"d": goods.disposed_on.isoformat()},
            code=ALREADY_DISPOSED,
            field="goods",
        )
    method = str(data.get("method") or "")
    if method not in DisposalMethod.values:
        raise InvalidInput(_("请选择处置方式。"), field="method")
    if method == DisposalMethod.AUCTIONED and infringes_trademark(case):
        raise InvalidInput(
            _(
                "侵犯注册商标专用权的商品和主要用于制造侵权商品、伪造注册商标标识的工具应当没收、"
                "销毁（《商标法》第六十条第二款），不得拍卖后重新进入市场。"
            ),
            field="method",
            code=COUNTERFEIT_NOT_AUCTIONABLE,
        )
    disposed_on = _past(data, "disposed_on")
    if disposed_on < case.decision_served_on:
        raise InvalidInput(_("处置日期不能早于决定书送达日期。"), field="disposed_on")
    officers = _officers(data.get("officers"))
    place = _text(data.get("place"), "place", limit=200)
    proceeds = None
    raw_proceeds = data.get("proceeds")
    if method == DisposalMethod.AUCTIONED:
        if raw_proceeds in (None, ""):
            raise InvalidInput(_("请填写拍卖款项。"), field="proceeds")
        proceeds = _amount(raw_proceeds, "proceeds")
    elif raw_proceeds not in (None, ""):
        raise InvalidInput(
            _("只有公开拍卖才有拍卖款项。"), field="proceeds", code=PROCEEDS_NOT_AUCTION
        )
    recipient = _text(
        data.get("recipient"),
        "recipient",
        required=method == DisposalMethod.HANDED_OVER,
        limit=200,
    )
    note = _text(data.get("note"), "note", required=method == DisposalMethod.OTHER, limit=500)
    goods.method, goods.disposed_on = method, disposed_on
    goods.officers, goods.place, goods.recipient = officers, place, recipient
    goods.proceeds, goods.disposal_note = proceeds, note
    goods.disposed_by = _who(actor)
    goods.save(
        update_fields=[
            "method",
            "disposed_on",
            "officers",
            "place",
            "recipient",
            "proceeds",
            "disposal_note",
            "disposed_by",
        ]
    )
    details: dict[str, Any] = {"date": disposed_on.isoformat(), "disposal": method}
    if proceeds is not None:
        details["amount"] = str(proceeds)
    record.step_recorded(
        case=case,
        actor=actor,
        step=RECORD_DISPOSAL,
        details=details,
        note=" · ".join(p for p in (str(goods), place, officers, recipient, note) if p),
    )
    return goods


ASKING_STATUSES = frozenset(
    {Status.RECEIVED, Status.ACCEPTED, Status.OPENING_REVIEW, Status.INVESTIGATING}
)


@transaction.atomic
def request_information(*, actor: Any, case: Case, data: dict[str, Any]) -> InformationRequest:
    """Ask the complainant or reporter for more (补充材料); they answer on the status page."""
    from ipshield.cases.models import Source

    case = _handle(actor, case, OFFICERS, ASKING_STATUSES)
    if case.source not in (Source.COMPLAINT, Source.REPORT):
        raise Conflict(_("只有投诉、举报可以请提交人补充材料。"), code="no_submitter")
    asked = InformationRequest.objects.create(
        case=case,
        question=_text(data.get("question"), "question", limit=2000),
        asked_by=_who(actor),
    )
    record.step_recorded(
        case=case, actor=actor, step=REQUEST_INFORMATION, details={}, note=asked.question
    )
    return asked


@transaction.atomic
def answer_information(*, case: Case, request_id: Any, answer: str, actor: Any = None) -> None:
    """The submitter's answer, from the status page (the page has checked who they are)."""
    asked = (
        InformationRequest.objects.select_for_update()
        .filter(case=case, pk=request_id if str(request_id or "").isdigit() else None)
        .first()
    )
    if asked is None:
        raise InvalidInput(_("找不到该补充请求。"), field="request")
    if asked.answered_at is not None:
        raise Conflict(_("已经补充过了。"), code="already_answered", field="request")
    asked.answer = _text(answer, "answer", limit=5000)
    asked.answered_at = timezone.now()
    asked.save(update_fields=["answer", "answered_at"])
    record.step_recorded(
        case=case,
        actor=actor,
        step="information_answered",
        details={},
        note=asked.answer,
    )
    handoffs.information_answered(case)


# --- archiving a closed case (立卷归档)

MAX_VOLUMES = 100
MAX_PAGES = 100000
MAX_NOTE = 2000


def default_retention(case: Case) -> str:
    """Penalty cases are kept long (长期); other closed cases short (短期)."""
    return Retention.LONG if case.decision_kind == DecisionKind.PENALTY else Retention.SHORT


def _count(value: Any, field: str, label: Any, *, top: int) -> int | None:
    """A whole number from 1 to ``top`` (None when not given)."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(_("%(label)s须为整数。") % {"label": label}, field=field) from None
    if not 1 <= number <= top:
        raise InvalidInput(
            _("%(label)s须在 1 到 %(top)d 之间。") % {"label": label, "top": top}, field=field
        )
    return number


@transaction.atomic
def archive_case(*, actor: Any, case: Case, data: dict[str, Any]) -> Archive:
    """File a closed case in the unit's archive (立卷归档, 《行政处罚法》第四十七条): the next
    archive number of the unit in the year of archiving, the retention period (长期 by default
    for penalty cases), the volumes and pages, the day, and a note (备考). Once per case."""
    case = _handle(actor, case, OFFICERS, frozenset({Status.CLOSED}))
    existing = Archive.objects.filter(case=case).first()
    if existing is not None:
        raise Conflict(
            _("本案已于 %(d)s 归档，卷号 %(n)s。")
            % {"d": existing.archived_on.isoformat(), "n": existing.number},
            code=ALREADY_ARCHIVED,
        )
    retention = str(data.get("retention") or default_retention(case))
    if retention not in Retention.values:
        raise InvalidInput(_("请选择保管期限：永久、长期或短期。"), field="retention")
    volumes = _count(data.get("volumes"), "volumes", gettext_lazy("册数"), top=MAX_VOLUMES) or 1
    pages = _count(data.get("pages"), "pages", gettext_lazy("页数"), top=MAX_PAGES)
    try:
        archived_on = _date(data.get("archived_on") or timezone.localdate(), "archived_on")
    except InvalidInput:
        raise InvalidInput(
            _("归档日期格式不正确（如 2026-12-07）。"), field="archived_on"
        ) from None
    assert archived_on is not None
    if archived_on > timezone.localdate():
        raise InvalidInput(_("归档日期不能晚于今天。"), field="archived_on")
    if case.closed_at is not None and archived_on < timezone.localdate(case.closed_at):
        raise InvalidInput(_("归档日期不能早于结案日期。"), field="archived_on")
    note = str(data.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(_("备考过长（最多 %(n)d 字）。") % {"n": MAX_NOTE}, field="note")
    year = archived_on.year
    number, sequence = archive_number(case.unit, year)
    archive = Archive.objects.create(
        case=case,
        number=number,
        year=year,
        sequence=sequence,
        retention=retention,
        volumes=volumes,
        pages=pages,
        archived_on=archived_on,
        note=note,
        archived_by=_who(actor),
    )
    record.step_recorded(
        case=case,
        actor=actor,
        step=ARCHIVE_CASE,
        details={
            "date": archived_on.isoformat(),
            "archive_number": archive.number,
            "retention": retention,
        },
        note=note,
    )
    return archive


def archived(case: Case) -> bool:
    return Archive.objects.filter(case=case).exists()


def closing_refusal(case: Case) -> tuple[str, str] | None:
    """(code, message) when the procedure's records stop the case being closed: a fine neither
    paid nor sent to a court, a measure not released, a remedy still pending, confiscated goods
    not yet disposed of."""
    if case.measures.filter(released_on__isnull=True).exists():
        return MEASURE_NOT_RELEASED, str(_("查封、扣押尚未解除，不能结案。"))
    if case.remedies.filter(outcome=RemedyOutcome.PENDING).exists():
        return REMEDY_PENDING, str(_("复议或诉讼尚在审理中，不能结案。"))
    undisposed = case.confiscated_goods.filter(disposed_on__isnull=True).count()
    if undisposed:
        return GOODS_UNDISPOSED, ngettext(
            "尚有 %(n)d 项罚没物品未处置，不能结案（《行政处罚法》第七十四条）。",
            "尚有 %(n)d 项罚没物品未处置，不能结案（《行政处罚法》第七十四条）。",
            undisposed,
        ) % {"n": undisposed}
    if not paid_in_full(case) and not hasattr(case, "enforcement"):
        owed = dues(case)
        return UNPAID, str(
            _("罚款尚未缴清（尚欠 %(o)s 元，含加处罚款 %(s)s 元），不能结案。")
            % {"o": owed.outstanding, "s": owed.surcharge}
        )
    return None


# --- which steps are offered, and the one dispatcher


@dataclass(frozen=True)
class Step:
    label: Any
    roles: frozenset[str]
    offered: Callable[[Case], bool]
    run: Callable[..., Any]


def _notice_unserved(case: Case) -> bool:
    return case.status == Status.NOTICE and not notice_served(latest_notice(case))


def _notice_open(case: Case) -> bool:
    notice = latest_notice(case)
    return (
        case.status == Status.NOTICE and notice_served(notice) and notice.waived_on is None  # type: ignore[union-attr]
    )


def _hearing_unscheduled(case: Case) -> bool:
    return (
        case.status == Status.HEARING
        and Hearing.objects.filter(case=case, recorded_at__isnull=True).exists()
    )


def _decision_unserved(case: Case) -> bool:
    return (
        case.status in (Status.DECIDED, Status.PUBLISHED)
        and case.decision_kind == DecisionKind.PENALTY
        and case.decision_served_on is None
    )


def _fine_open(case: Case) -> bool:
    return case.status in (Status.DECIDED, Status.PUBLISHED) and case.fine_due_on is not None


def _investigating(case: Case) -> bool:
    return case.status == Status.INVESTIGATING


def _measure_open(case: Case) -> bool:
    return (
        case.status in MEASURE_STATUSES and case.measures.filter(released_on__isnull=True).exists()
    )


def _measure_extendable(case: Case) -> bool:
    return (
        case.status in MEASURE_STATUSES
        and case.measures.filter(
            released_on__isnull=True, extended=False, ends_on__gte=timezone.localdate()
        ).exists()
    )


def _remedy_recordable(case: Case) -> bool:
    return case.status in DECIDED_STATUSES and case.decision_served_on is not None


def _remedy_pending(case: Case) -> bool:
    return case.remedies.filter(outcome=RemedyOutcome.PENDING).exists()


def _enforceable(case: Case) -> bool:
    windows = remedy_windows(case)
    return (
        case.status in DECIDED_STATUSES
        and windows is not None
        and windows.enforcement_from < timezone.localdate()
        and not hasattr(case, "enforcement")
        and dues(case).outstanding > 0
    )


def _confiscation_open(case: Case) -> bool:
    return case.status in DECIDED_STATUSES and confiscates_goods(case)


def _goods_undisposed(case: Case) -> bool:
    return (
        case.status in DECIDED_STATUSES
        and case.decision_served_on is not None
        and case.confiscated_goods.filter(disposed_on__isnull=True).exists()
    )


def _plan_possible(case: Case) -> bool:
    if case.status not in DECIDED_STATUSES or case.fine_due_on is None:
        return False
    owed = dues(case)
    return owed.outstanding > 0 and owed.days_late == 0


STEPS: dict[str, Step] = {
    RECORD_INQUIRY: Step(gettext_lazy("记录询问笔录"), OFFICERS, _investigating, record_inquiry),
    RECORD_INSPECTION: Step(
        gettext_lazy("记录现场笔录"), OFFICERS, _investigating, record_inspection
    ),
    IMPOSE_MEASURE: Step(gettext_lazy("批准查封、扣押"), LEADERS, _investigating, impose_measure),
    EXTEND_MEASURE: Step(
        gettext_lazy("延长查封、扣押期限"), LEADERS, _measure_extendable, extend_measure
    ),
    RELEASE_MEASURE: Step(gettext_lazy("解除查封、扣押"), OFFICERS, _measure_open, release_measure),
    SERVE_NOTICE: Step(gettext_lazy("送达告知书"), OFFICERS, _notice_unserved, serve_notice),
    RECORD_STATEMENT: Step(gettext_lazy("记录陈述申辩"), OFFICERS, _notice_open, record_statement),
    RECORD_WAIVER: Step(gettext_lazy("记录书面放弃"), OFFICERS, _notice_open, record_waiver),
    SCHEDULE_HEARING: Step(
        gettext_lazy("送达听证通知"), OFFICERS, _hearing_unscheduled, schedule_hearing
    ),
    RECORD_DISCUSSION: Step(
        gettext_lazy("记录集体讨论"),
        LEADERS,
        lambda c: c.status in (Status.LEADER_APPROVAL, Status.NOTICE),
        record_discussion,
    ),
    SERVE_DECISION: Step(gettext_lazy("送达决定书"), OFFICERS, _decision_unserved, serve_decision),
    RECORD_PAYMENT: Step(gettext_lazy("记录缴款"), OFFICERS, _fine_open, record_payment),
    RECORD_CONFISCATION: Step(
        gettext_lazy("登记罚没物品"), OFFICERS, _confiscation_open, record_confiscation
    ),
    RECORD_DISPOSAL: Step(
        gettext_lazy("记录罚没物品处置"), OFFICERS, _goods_undisposed, record_disposal
    ),
    RECORD_REMEDY: Step(
        gettext_lazy("记录复议、诉讼"), OFFICERS, _remedy_recordable, record_remedy
    ),
    RECORD_REMEDY_OUTCOME: Step(
        gettext_lazy("记录复议、诉讼结果"), OFFICERS, _remedy_pending, record_remedy_outcome
    ),
    APPLY_ENFORCEMENT: Step(
        gettext_lazy("申请法院强制执行"), LEADERS, _enforceable, apply_enforcement
    ),
    REQUEST_INFORMATION: Step(
        gettext_lazy("请提交人补充材料"),
        OFFICERS,
        lambda c: c.status in ASKING_STATUSES and c.source in ("complaint", "report"),
        request_information,
    ),
    APPROVE_PAYMENT_PLAN: Step(
        gettext_lazy("批准暂缓或者分期缴纳"), LEADERS, _plan_possible, approve_payment_plan
    ),
    ARCHIVE_CASE: Step(
        gettext_lazy("立卷归档"),
        OFFICERS,
        lambda c: c.status == Status.CLOSED and not archived(c),
        archive_case,
    ),
}


def offered_steps(case: Case, roles: set[str]) -> list[str]:
    return [
        name
        for name, step in STEPS.items()
        if roles & {str(r) for r in step.roles} and step.offered(case)
    ]


@transaction.atomic
def run_step(name: str, actor: Any, case: Case, data: dict[str, Any]) -> Any:
    step = STEPS[name]
    result = step.run(actor=actor, case=case, data=data)
    handoffs.step_recorded(case, actor=actor, step=name)
    return result


# --- the case record's words for a step (rendered in the reader's language)

STEP_LABELS = {
    **{name: step.label for name, step in STEPS.items()},
    "information_answered": gettext_lazy("提交人补充材料"),
    "mediation": gettext_lazy("投诉转为调解"),
    "mediation_ended": gettext_lazy("投诉调解结束"),
}
_DETAIL_LABELS = {
    "dispute": gettext_lazy("调解编号"),
    "organisation": gettext_lazy("调解组织"),
    "mediation_outcome": gettext_lazy("调解结果"),
    "method": gettext_lazy("送达方式"),
    "served_on": gettext_lazy("送达日期"),
    "ends_on": gettext_lazy("陈述申辩期限至"),
    "due_on": gettext_lazy("罚款缴纳期限至"),
    "date": gettext_lazy("日期"),
    "notified_on": gettext_lazy("通知日期"),
    "amount": gettext_lazy("金额（元）"),
    "remedy": gettext_lazy("救济途径"),
    "outcome": gettext_lazy("结果"),
    "surcharge": gettext_lazy("截至当日加处罚款（元）"),
    "quantity": gettext_lazy("数量"),
    "disposal": gettext_lazy("处置方式"),
    "archive_number": gettext_lazy("卷号"),
    "retention": gettext_lazy("保管期限"),
}


def describe_step(after: dict[str, Any]) -> str:
    step = str(after.get("step", ""))
    parts = [str(STEP_LABELS.get(step, step))]
    for key, label in _DETAIL_LABELS.items():
        value = after.get(key)
        if value in (None, ""):
            continue
        if key == "method" and value in ServiceMethod.values:
            value = ServiceMethod(value).label
        elif key == "remedy" and value in RemedyKind.values:
            value = RemedyKind(value).label
        elif key == "outcome" and value in RemedyOutcome.values:
            value = RemedyOutcome(value).label
        elif key == "disposal" and value in DisposalMethod.values:
            value = DisposalMethod(value).label
        elif key == "retention" and value in Retention.values:
            value = Retention(value).label
        elif key == "mediation_outcome":
            value = _(str(value))  # a dispute status's source label (disputes.workflow.Status)
        parts.append(_("%(label)s：%(value)s") % {"label": label, "value": value})
    return pgettext("clause separator", "；").join(str(p) for p in parts)
