"""Every change of state in cooperation between units. Each service is keyword-only, runs in one
transaction, checks the actor's unit and role, looks its move up in ``workflow``, writes the
cooperation history (``events``) and, where the case is affected, a note in the case's own
record (``cases.record.note_added``).

Sharing: sending an assistance request, proposing a transfer, referring to the police and
linking a case to a joint operation make the case visible to the other unit(s) through
``accounts.services.record_share``. Accepting a transfer moves the case (``Case.unit``) and leaves
the old unit a share.

External units (``Unit.is_external``, other regions' or outside contacts) have no people here:
the sending unit records their answer for them, quoting their written receipt
(``receipt_reference``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshield.accounts.models import Region, Unit, UnitKind
from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import record_share, require_writer
from ipshield.cases import record
from ipshield.cases.models import Case
from ipshield.cases.selectors import case_visible_to
from ipshield.cases.workflow import FINAL
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.cooperation import errors, events, selectors, thresholds
from ipshield.cooperation.models import (
    AssistanceRequest,
    CaseCriminalFacts,
    JointOperation,
    MarkUse,
    ProsecutionThreshold,
    ReferralDecision,
    Transfer,
)
from ipshield.cooperation.workflow import (
    ASSISTANCE,
    OPERATION,
    TRANSFER,
    AssistanceAction,
    OperationAction,
    OperationStatus,
    Step,
    TransferAction,
    TransferKind,
    TransferStatus,
)

OFFICERS = frozenset({Role.CASE_OFFICER, Role.UNIT_LEADER})
LEADERS = frozenset({Role.UNIT_LEADER})
MAX_AMOUNT = Decimal("999999999999")

__all__ = [
    "assistance_request_acknowledge",
    "assistance_request_decline",
    "assistance_request_reply",
    "assistance_request_send",
    "criminal_facts_set",
    "operation_add_unit",
    "operation_create",
    "operation_finish",
    "operation_link_case",
    "operation_start",
    "police_unit_for",
    "referral_decide",
    "threshold_save",
    "transfer_accept",
    "transfer_propose",
    "transfer_refuse",
    "transfer_withdraw",
]


# --- Checks shared by the services ------------------------------------------------------------


def _staff(actor: Any, roles: frozenset[str] = OFFICERS) -> int:
    """The actor's unit, if they are a writer in a unit with one of ``roles``."""
    require_writer(actor)
    profile = profile_of(actor)
    if profile is None or profile.unit_id is None or not profile.is_staff_member:
        raise PermissionDenied(_("只有单位工作人员可以办理。"), code=errors.ROLE_NOT_ALLOWED)
    if not profile.has_role(*roles):
        raise PermissionDenied(_("您的角色不能执行此操作。"), code=errors.ROLE_NOT_ALLOWED)
    return profile.unit_id


def _text(
    value: str, *, field: str, label: str, max_length: int = 5000, code: str = errors.FIELD_REQUIRED
) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("请填写%(label)s。") % {"label": label}, field=field, code=code)
    if len(value) > max_length:
        raise InvalidInput(
            _("%(label)s最多 %(n)d 个字。") % {"label": label, "n": max_length}, field=field
        )
    return value


def _receipt(value: str) -> str:
    value = (value or "").strip()
    if len(value) > 100:
        raise InvalidInput(_("回执/文号最多 100 个字。"), field="receipt_reference")
    return value


def _owned_case(unit_id: int, case: Case, *, actor: Any) -> Case:
    """Lock ``case`` and check that the actor's unit handles it."""
    if not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该案件，或您无权办理。"), field="case")
    case = Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if case.unit_id != unit_id:
        raise PermissionDenied(
            _("只有承办该案件的单位（%(unit)s）可以办理。") % {"unit": case.unit.name},
            field="case",
            code=errors.CASE_NOT_OWNED,
        )
    return case


def _open_case(case: Case) -> None:
    if case.status in FINAL:
        raise Conflict(
            _("案件已“%(status)s”，不能再协办或移送。") % {"status": case.get_status_display()},
            field="case",
            code=errors.CASE_FINISHED,
        )


_REFUSALS = {
    errors.ALREADY_ACKNOWLEDGED: gettext_lazy("该请求已签收，无需重复签收。"),
    errors.NOT_ACKNOWLEDGED: gettext_lazy("请先签收，再答复。"),
    errors.ALREADY_ANSWERED: gettext_lazy("已经答复（或已撤回），不能再变更。"),
}


def _step(table: dict[str, Step], action: str, obj: Any, action_label: str | Promise) -> str:
    """The status ``action`` leads to from ``obj.status``, or the coded refusal."""
    step = table[action]
    if obj.status not in step.sources:
        code = step.refusal_code(obj.status)
        message = _REFUSALS.get(code) or _("当前状态为“%(status)s”，不能%(action)s。") % {
            "status": obj.get_status_display(),
            "action": action_label,
        }
        raise Conflict(
            str(message),
            code=code,
            field="status",
            details={"status": obj.status, "action": action},
        )
    return step.target


def _answering_for(unit_id: int, *, sender_id: int, receiver: Unit, receipt: str) -> str:
    """Check that the actor may answer for ``receiver``; return the receipt reference.

    The receiving unit answers for itself. For an external unit, which has no people here, the
    sending unit records the answer from the external unit's written receipt."""
    receipt = _receipt(receipt)
    if unit_id == receiver.pk:
        return receipt
    if receiver.is_external and unit_id == sender_id:
        if not receipt:
            raise InvalidInput(
                _("对方为外部单位，请登记其书面回执或文号。"),
                field="receipt_reference",
                code=errors.RECEIPT_REQUIRED,
            )
        return receipt
    raise PermissionDenied(
        _("只有接收单位（%(unit)s）可以签收或答复。") % {"unit": receiver.name},
        field="to_unit",
        code=errors.NOT_RECEIVER,
    )


def _share_reason(prefix: str, text: str) -> str:
    return f"{prefix}：{text}"[:200]


# --- Assistance requests (案件协办) -------------------------------------------------------------


@transaction.atomic
def assistance_request_send(
    *, actor: Any, case: Case, to_unit: Unit, asked: str, due_on: dt.date
) -> AssistanceRequest:
    """The unit handling ``case`` asks ``to_unit`` to help with part of it; the case becomes
    visible to ``to_unit``."""
    unit_id = _staff(actor)
    asked = _text(asked, field="asked", label=_("协办事项"))
    if not isinstance(due_on, dt.date):
        raise InvalidInput(_("请填写办理期限。"), field="due_on")
    if due_on < timezone.localdate():
        raise InvalidInput(_("办理期限不能早于今天。"), field="due_on", code=errors.DUE_IN_PAST)
    if to_unit.pk == unit_id:
        raise InvalidInput(_("不能向本单位发出协办请求。"), field="to_unit", code=errors.SAME_UNIT)
    case = _owned_case(unit_id, case, actor=actor)
    _open_case(case)
    request = AssistanceRequest.objects.create(
        case=case,
        from_unit_id=unit_id,
        to_unit=to_unit,
        asked=asked,
        due_on=due_on,
        sent_by=actor,
        sent_at=timezone.now(),
    )
    record_share(actor=actor, target=case, unit=to_unit, reason=_share_reason(_("案件协办"), asked))
    events.request_sent(actor=actor, request=request)
    record.note_added(
        case=case,
        actor=actor,
        note=_("向%(unit)s发出协办请求（期限 %(due)s）：%(asked)s")
        % {"unit": to_unit.name, "due": due_on.isoformat(), "asked": asked},
    )
    return request


def _lock_request(actor: Any, request: AssistanceRequest) -> AssistanceRequest:
    if selectors.assistance_request_get(actor=actor, request_id=request.pk) is None:
        raise NotFound(_("找不到该协办请求，或您无权办理。"))
    return (
        AssistanceRequest.objects.select_for_update()
        .select_related("case", "from_unit", "to_unit")
        .get(pk=request.pk)
    )


@transaction.atomic
def assistance_request_acknowledge(
    *, actor: Any, request: AssistanceRequest, receipt_reference: str = ""
) -> AssistanceRequest:
    """The receiving unit confirms it has the request (签收)."""
    unit_id = _staff(actor)
    request = _lock_request(actor, request)
    receipt = _answering_for(
        unit_id, sender_id=request.from_unit_id, receiver=request.to_unit, receipt=receipt_reference
    )
    request.status = _step(
        ASSISTANCE, AssistanceAction.ACKNOWLEDGE, request, AssistanceAction.ACKNOWLEDGE.label
    )
    request.acknowledged_by, request.acknowledged_at = actor, timezone.now()
    request.receipt_reference = receipt or request.receipt_reference
    request.save(
        update_fields=[
            "status",
            "acknowledged_by",
            "acknowledged_at",
            "receipt_reference",
            "updated_at",
        ]
    )
    events.request_acknowledged(actor=actor, request=request, receipt_reference=receipt)
    return request


def _answer(request: AssistanceRequest, actor: Any, receipt: str) -> None:
    now = timezone.now()
    if request.acknowledged_at is None:  # declining straight away also confirms receipt
        request.acknowledged_by, request.acknowledged_at = actor, now
    request.answered_by, request.answered_at = actor, now
    request.receipt_reference = receipt or request.receipt_reference
    request.save()


@transaction.atomic
def assistance_request_reply(
    *, actor: Any, request: AssistanceRequest, reply: str, receipt_reference: str = ""
) -> AssistanceRequest:
    """The receiving unit answers an acknowledged request with what it found or did."""
    unit_id = _staff(actor)
    reply = _text(reply, field="reply", label=_("回复内容"))
    request = _lock_request(actor, request)
    receipt = _answering_for(
        unit_id, sender_id=request.from_unit_id, receiver=request.to_unit, receipt=receipt_reference
    )
    request.status = _step(
        ASSISTANCE, AssistanceAction.REPLY, request, AssistanceAction.REPLY.label
    )
    request.reply = reply
    _answer(request, actor, receipt)
    events.request_replied(actor=actor, request=request, receipt_reference=receipt)
    record.note_added(
        case=request.case,
        actor=actor,
        note=_("%(unit)s回复协办请求：%(reply)s") % {"unit": request.to_unit.name, "reply": reply},
    )
    return request


@transaction.atomic
def assistance_request_decline(
    *, actor: Any, request: AssistanceRequest, reason: str, receipt_reference: str = ""
) -> AssistanceRequest:
    """The receiving unit declines, with a reason (before or after acknowledging)."""
    unit_id = _staff(actor)
    reason = _text(reason, field="reason", label=_("拒绝理由"), code=errors.REASON_REQUIRED)
    request = _lock_request(actor, request)
    receipt = _answering_for(
        unit_id, sender_id=request.from_unit_id, receiver=request.to_unit, receipt=receipt_reference
    )
    request.status = _step(
        ASSISTANCE, AssistanceAction.DECLINE, request, AssistanceAction.DECLINE.label
    )
    request.decline_reason = reason
    _answer(request, actor, receipt)
    events.request_declined(actor=actor, request=request, receipt_reference=receipt)
    record.note_added(
        case=request.case,
        actor=actor,
        note=_("%(unit)s拒绝协办：%(reason)s") % {"unit": request.to_unit.name, "reason": reason},
    )
    return request


# --- Transfers (案件移送) -----------------------------------------------------------------------


def _no_open_transfer(case: Case) -> None:
    if Transfer.objects.filter(case=case, status=TransferStatus.PROPOSED).exists():
        raise Conflict(
            _("该案件已有待接收的移送，请等待对方答复或先撤回。"),
            field="case",
            code=errors.TRANSFER_PENDING,
        )


def _propose(actor: Any, case: Case, to_unit: Unit, reason: str, kind: str) -> Transfer:
    transfer = Transfer.objects.create(
        case=case,
        kind=kind,
        from_unit_id=case.unit_id,
        to_unit=to_unit,
        reason=reason,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    # The receiver reads the case to decide; if it refuses, the share stays so that it can
    # still see what it refused (its history points at the case).
    record_share(
        actor=actor, target=case, unit=to_unit, reason=_share_reason(_("案件移送"), reason)
    )
    events.transfer_proposed(actor=actor, transfer=transfer)
    record.note_added(
        case=case,
        actor=actor,
        note=_("提出%(kind)s至%(unit)s：%(reason)s")
        % {"kind": transfer.get_kind_display(), "unit": to_unit.name, "reason": reason},
    )
    return transfer


@transaction.atomic
def transfer_propose(*, actor: Any, case: Case, to_unit: Unit, reason: str) -> Transfer:
    """The unit handling ``case`` offers it to ``to_unit`` (another unit, possibly an external
    one in another region); the receiver must accept or refuse. Suspected crimes go to the
    police through :func:`referral_decide` instead."""
    unit_id = _staff(actor)
    reason = _text(reason, field="reason", label=_("移送理由"), code=errors.REASON_REQUIRED)
    if to_unit.kind == UnitKind.POLICE:
        raise InvalidInput(
            _("向公安机关移送涉嫌犯罪案件，请由单位负责人作出两法衔接移送决定。"),
            field="to_unit",
            code=errors.USE_REFERRAL,
        )
    if to_unit.pk == unit_id:
        raise InvalidInput(_("不能移送给本单位。"), field="to_unit", code=errors.SAME_UNIT)
    case = _owned_case(unit_id, case, actor=actor)
    _open_case(case)
    _no_open_transfer(case)
    return _propose(actor, case, to_unit, reason, TransferKind.UNIT)


def _lock_transfer(actor: Any, transfer: Transfer) -> Transfer:
    if selectors.transfer_get(actor=actor, transfer_id=transfer.pk) is None:
        raise NotFound(_("找不到该移送，或您无权办理。"))
    return (
        Transfer.objects.select_for_update()
        .select_related("case", "from_unit", "to_unit")
        .get(pk=transfer.pk)
    )


@transaction.atomic
def transfer_accept(
    *, actor: Any, transfer: Transfer, note: str = "", receipt_reference: str = ""
) -> Transfer:
    """The receiver accepts. An ordinary transfer moves the case to the receiver and leaves the
    sender a read share; a criminal referral is the police's acknowledgement of receipt."""
    unit_id = _staff(actor)
    transfer = _lock_transfer(actor, transfer)
    receipt = _answering_for(
        unit_id,
        sender_id=transfer.from_unit_id,
        receiver=transfer.to_unit,
        receipt=receipt_reference,
    )
    status = _step(TRANSFER, TransferAction.ACCEPT, transfer, TransferAction.ACCEPT.label)
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    unit_before = case.unit_id
    if transfer.kind == TransferKind.UNIT:
        if case.unit_id != transfer.from_unit_id:
            raise Conflict(
                _("案件已不由移送单位承办，不能接收。"),
                field="case",
                code=errors.ILLEGAL_TRANSITION,
            )
        _open_case(case)
        case.unit = transfer.to_unit
        case.save(update_fields=["unit", "updated_at"])
        record_share(
            actor=actor,
            target=case,
            unit=transfer.from_unit,
            reason=_share_reason(_("移送后保留查看"), transfer.to_unit.name),
        )
        case_note = _("%(to)s接收移送，承办单位由%(from)s变更为%(to)s。") % {
            "to": transfer.to_unit.name,
            "from": transfer.from_unit.name,
        }
    else:
        case_note = _("%(to)s确认接收涉嫌犯罪案件移送。") % {"to": transfer.to_unit.name}
    transfer.case = case
    transfer.status = status
    transfer.answer_note = (note or "").strip()
    transfer.receipt_reference = receipt
    transfer.answered_by, transfer.answered_at = actor, timezone.now()
    transfer.save()
    if transfer.answer_note:
        case_note = f"{case_note}{transfer.answer_note}"
    record.note_added(case=case, actor=actor, note=case_note)
    events.transfer_accepted(actor=actor, transfer=transfer, unit_before=unit_before)
    return transfer


@transaction.atomic
def transfer_refuse(
    *, actor: Any, transfer: Transfer, reason: str, receipt_reference: str = ""
) -> Transfer:
    """The receiver refuses, with a reason; the case stays where it was."""
    unit_id = _staff(actor)
    reason = _text(reason, field="reason", label=_("拒收理由"), code=errors.REASON_REQUIRED)
    transfer = _lock_transfer(actor, transfer)
    receipt = _answering_for(
        unit_id,
        sender_id=transfer.from_unit_id,
        receiver=transfer.to_unit,
        receipt=receipt_reference,
    )
    transfer.status = _step(TRANSFER, TransferAction.REFUSE, transfer, TransferAction.REFUSE.label)
    transfer.answer_note = reason
    transfer.receipt_reference = receipt
    transfer.answered_by, transfer.answered_at = actor, timezone.now()
    transfer.save()
    record.note_added(
        case=transfer.case,
        actor=actor,
        note=_("%(to)s拒绝接收%(kind)s：%(reason)s")
        % {"to": transfer.to_unit.name, "kind": transfer.get_kind_display(), "reason": reason},
    )
    events.transfer_refused(actor=actor, transfer=transfer)
    return transfer


@transaction.atomic
def transfer_withdraw(*, actor: Any, transfer: Transfer, reason: str) -> Transfer:
    """The sender takes back a transfer the receiver has not answered yet."""
    unit_id = _staff(actor)
    reason = _text(reason, field="reason", label=_("撤回理由"), code=errors.REASON_REQUIRED)
    transfer = _lock_transfer(actor, transfer)
    if unit_id != transfer.from_unit_id:
        raise PermissionDenied(
            _("只有移送单位可以撤回。"), field="from_unit", code=errors.NOT_SENDER
        )
    if transfer.kind == TransferKind.CRIMINAL:
        raise Conflict(
            _("涉嫌犯罪案件的移送由单位负责人决定，不能撤回。"),
            field="kind",
            code=errors.ILLEGAL_TRANSITION,
        )
    transfer.status = _step(
        TRANSFER, TransferAction.WITHDRAW, transfer, TransferAction.WITHDRAW.label
    )
    transfer.answered_by, transfer.answered_at = actor, timezone.now()
    transfer.save()
    record.note_added(
        case=transfer.case,
        actor=actor,
        note=_("撤回移送至%(unit)s：%(reason)s")
        % {"unit": transfer.to_unit.name, "reason": reason},
    )
    events.transfer_withdrawn(actor=actor, transfer=transfer, reason=reason)
    return transfer


# --- Joint enforcement (联合执法) ---------------------------------------------------------------


def _lock_operation(actor: Any, operation: JointOperation) -> JointOperation:
    if selectors.operation_get(actor=actor, operation_id=operation.pk) is None:
        raise NotFound(_("找不到该联合执法行动，或您无权办理。"))
    return JointOperation.objects.select_for_update().get(pk=operation.pk)


def _lead(unit_id: int, operation: JointOperation) -> None:
    if operation.lead_unit_id != unit_id:
        raise PermissionDenied(
            _("只有牵头单位可以执行此操作。"), field="lead_unit", code=errors.NOT_LEAD_UNIT
        )


def _not_finished(operation: JointOperation) -> None:
    if operation.status == OperationStatus.FINISHED:
        raise Conflict(
            _("行动已结束，不能再变更参与单位或关联案件。"),
            field="status",
            code=errors.ILLEGAL_TRANSITION,
        )


def _share_operation_case(actor: Any, operation: JointOperation, case: Case, units: Iterable[Unit]):
    for unit in units:
        if unit.pk != case.unit_id:
            record_share(
                actor=actor,
                target=case,
                unit=unit,
                reason=_share_reason(_("联合执法"), operation.name),
            )


@transaction.atomic
def operation_create(
    *,
    actor: Any,
    name: str,
    units: Iterable[Unit],
    starts_on: dt.date,
    ends_on: dt.date,
    area: str,
    description: str = "",
) -> JointOperation:
    """The actor's unit plans a joint operation and leads it; ``units`` take part with it."""
    unit_id = _staff(actor)
    name = _text(name, field="name", label=_("行动名称"), max_length=200)
    area = _text(area, field="area", label=_("行动区域"), max_length=200)
    others = {u.pk: u for u in units if u.pk != unit_id}
    if not others:
        raise InvalidInput(_("请至少选择一个其他参与单位。"), field="units")
    if ends_on < starts_on:
        raise InvalidInput(
            _("结束日期不能早于开始日期。"), field="ends_on", code=errors.INVALID_PERIOD
        )
    operation = JointOperation.objects.create(
        name=name,
        lead_unit_id=unit_id,
        starts_on=starts_on,
        ends_on=ends_on,
        area=area,
        description=(description or "").strip(),
        created_by=actor,
    )
    operation.units.set([unit_id, *others])
    events.operation_created(actor=actor, operation=operation)
    return operation


@transaction.atomic
def operation_add_unit(*, actor: Any, operation: JointOperation, unit: Unit) -> JointOperation:
    """The lead unit adds a participating unit; the linked cases are shared with it."""
    unit_id = _staff(actor)
    operation = _lock_operation(actor, operation)
    _lead(unit_id, operation)
    _not_finished(operation)
    if operation.units.filter(pk=unit.pk).exists():
        return operation
    operation.units.add(unit)
    for case in operation.cases.all():
        _share_operation_case(actor, operation, case, [unit])
    events.operation_unit_added(actor=actor, operation=operation, unit_id=unit.pk)
    return operation


@transaction.atomic
def operation_link_case(*, actor: Any, operation: JointOperation, case: Case) -> JointOperation:
    """A participating unit links one of its own cases; every participating unit can read it."""
    unit_id = _staff(actor)
    operation = _lock_operation(actor, operation)
    if not operation.units.filter(pk=unit_id).exists():
        raise PermissionDenied(
            _("只有参与单位可以关联案件。"), field="units", code=errors.NOT_PARTICIPANT
        )
    _not_finished(operation)
    case = _owned_case(unit_id, case, actor=actor)
    if operation.cases.filter(pk=case.pk).exists():
        return operation
    operation.cases.add(case)
    _share_operation_case(actor, operation, case, operation.units.all())
    events.operation_case_linked(actor=actor, operation=operation, case=case)
    record.note_added(
        case=case, actor=actor, note=_("纳入联合执法行动“%(name)s”。") % {"name": operation.name}
    )
    return operation


@transaction.atomic
def operation_start(*, actor: Any, operation: JointOperation) -> JointOperation:
    unit_id = _staff(actor)
    operation = _lock_operation(actor, operation)
    _lead(unit_id, operation)
    operation.status = _step(
        OPERATION, OperationAction.START, operation, OperationAction.START.label
    )
    operation.started_at = timezone.now()
    operation.save(update_fields=["status", "started_at", "updated_at"])
    events.operation_started(actor=actor, operation=operation)
    return operation


@transaction.atomic
def operation_finish(
    *, actor: Any, operation: JointOperation, result_summary: str
) -> JointOperation:
    """The lead unit ends the operation with a short account of its results."""
    unit_id = _staff(actor)
    summary = _text(result_summary, field="result_summary", label=_("行动结果"))
    operation = _lock_operation(actor, operation)
    _lead(unit_id, operation)
    operation.status = _step(
        OPERATION, OperationAction.FINISH, operation, OperationAction.FINISH.label
    )
    operation.result_summary = summary
    operation.finished_at = timezone.now()
    operation.save(update_fields=["status", "result_summary", "finished_at", "updated_at"])
    events.operation_finished(actor=actor, operation=operation)
    return operation


# --- Criminal referral (两法衔接) ---------------------------------------------------------------


def _amount(value: Any, *, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(
            _("%(label)s应为数字（元）。") % {"label": label},
            field=field,
            code=errors.INVALID_AMOUNT,
        ) from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise InvalidInput(
            _("%(label)s应在 0 到 9999 亿元之间。") % {"label": label},
            field=field,
            code=errors.INVALID_AMOUNT,
        )
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def criminal_facts_set(
    *,
    actor: Any,
    case: Case,
    illegal_business_volume: Any = None,
    illegal_gains: Any = None,
    marks_count: int = 1,
    mark_use: str = MarkUse.GOODS,
    prior_punishment: bool = False,
    note: str = "",
) -> CaseCriminalFacts:
    """Record (or correct) what the case established that the prosecution thresholds look at."""
    unit_id = _staff(actor)
    volume = _amount(
        illegal_business_volume, field="illegal_business_volume", label=_("非法经营数额")
    )
    gains = _amount(illegal_gains, field="illegal_gains", label=_("违法所得数额"))
    if not isinstance(marks_count, int) or isinstance(marks_count, bool) or marks_count < 1:
        raise InvalidInput(_("假冒注册商标种数至少为 1。"), field="marks_count")
    if mark_use not in MarkUse.values:
        raise InvalidInput(_("请选择商品或服务。"), field="mark_use")
    case = _owned_case(unit_id, case, actor=actor)
    _open_case(case)
    facts, _created = CaseCriminalFacts.objects.update_or_create(
        case=case,
        defaults={
            "illegal_business_volume": volume,
            "illegal_gains": gains,
            "marks_count": marks_count,
            "mark_use": mark_use,
            "prior_punishment": bool(prior_punishment),
            "note": (note or "").strip(),
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    summary = selectors.facts_dict(facts) or {}
    events.facts_recorded(actor=actor, case=case, facts=summary)
    reasons = thresholds.evaluate(case)
    text = _(
        "记录涉刑事实：非法经营数额 %(v)s 元，违法所得数额 %(g)s 元，假冒注册商标 %(n)d 种。"
    ) % {
        "v": summary["illegal_business_volume"] or "—",
        "g": summary["illegal_gains"] or "—",
        "n": marks_count,
    }
    if reasons:
        text += _("达到刑事追诉标准：") + "；".join(reasons)
    record.note_added(case=case, actor=actor, note=text)
    return facts


def police_unit_for(case: Case) -> Unit | None:
    """The police unit of the case's region: the nearest one walking up from the region where
    the case happened (or, without one, the handling unit's region)."""
    region: Region | None = case.region or case.unit.region
    while region is not None:
        police = (
            Unit.objects.filter(kind=UnitKind.POLICE, region=region)
            .order_by("is_external", "id")
            .first()
        )
        if police is not None:
            return police
        region = region.parent
    return None


def _referral_target(case: Case, police_unit: Unit | None) -> Unit:
    """The police unit a referral of ``case`` goes to, once nothing stands in the way."""
    criminal = Transfer.objects.filter(case=case, kind=TransferKind.CRIMINAL)
    if criminal.filter(status__in=[TransferStatus.PROPOSED, TransferStatus.ACCEPTED]).exists():
        raise Conflict(_("该案件已移送公安机关。"), field="refer", code=errors.ALREADY_REFERRED)
    _no_open_transfer(case)
    police = police_unit or police_unit_for(case)
    if police is None:
        raise Conflict(
            _("未找到案件所在地的公安机关，请先在单位目录中登记。"),
            field="police_unit",
            code=errors.NO_POLICE_UNIT,
        )
    if police.kind != UnitKind.POLICE:
        raise InvalidInput(
            _("接收单位须为公安机关。"), field="police_unit", code=errors.NO_POLICE_UNIT
        )
    return police


@transaction.atomic
def referral_decide(
    *,
    actor: Any,
    case: Case,
    refer: bool,
    reason: str,
    police_unit: Unit | None = None,
) -> ReferralDecision:
    """The unit head decides whether to refer ``case`` to the police (两法衔接), with a reason
    either way. Referring freezes the transfer package for the police and proposes a criminal
    transfer to the police unit of the case's region, which must acknowledge receipt."""
    unit_id = _staff(actor, roles=LEADERS)
    reason = _text(reason, field="reason", label=_("决定理由"), code=errors.REASON_REQUIRED)
    case = _owned_case(unit_id, case, actor=actor)
    _open_case(case)
    police = _referral_target(case, police_unit) if refer else None
    facts = selectors.criminal_facts_of(case)
    reasons = thresholds.evaluate(case)
    record.note_added(
        case=case,
        actor=actor,
        note=(
            _("单位负责人决定移送公安机关：%(r)s")
            if refer
            else _("单位负责人决定不移送公安机关：%(r)s")
        )
        % {"r": reason},
    )
    transfer = _propose(actor, case, police, reason, TransferKind.CRIMINAL) if police else None
    decision = ReferralDecision(
        case=case,
        refer=bool(refer),
        reason=reason,
        reasons=reasons,
        facts=selectors.facts_dict(facts) or {},
        unit_id=unit_id,
        decided_by=actor,
        decided_at=timezone.now(),
        transfer=transfer,
    )
    if refer:
        decision.package = selectors.build_referral_package(case, decision=decision)
        decision.package_sha256 = selectors.package_sha256(decision.package)
    decision.save()
    events.referral_decided(actor=actor, decision=decision)
    return decision


@transaction.atomic
def threshold_save(
    *, actor: Any, threshold: ProsecutionThreshold, changed: Iterable[str] = ()
) -> ProsecutionThreshold:
    """Save an administrator's edit of a prosecution threshold and record what changed."""
    require_writer(actor)
    threshold.full_clean()
    threshold.save()
    changes = {name: str(getattr(threshold, name)) for name in changed}
    events.threshold_changed(actor=actor, threshold=threshold, changes=changes)
    return threshold
