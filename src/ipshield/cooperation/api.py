"""API routes for assistance requests, transfers, joint operations and criminal referral.

Mount with ``api.add_router("/", cooperation.api.router, tags=["cooperation"])``. Routes are thin:
parse, look the record up through a unit-scoped selector (404 when the actor's unit may not see
it), call one service, render. Refusals come back as ``{code, message, field}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ipshield.accounts.models import Unit
from ipshield.cases.models import Case
from ipshield.common.api import actor, paginated
from ipshield.common.errors import InvalidInput
from ipshield.common.validation import Count, Day, Id, Money, SearchText
from ipshield.cooperation import selectors, services, thresholds
from ipshield.cooperation.models import MarkUse

router = Router()


# --- Schemas ----------------------------------------------------------------------------------


class EventOut(Schema):
    verb: str
    verb_label: str
    at: dt.datetime
    unit_name: str | None
    actor_name: str | None
    note: str
    data: dict[str, Any]


def _events(queryset: Any) -> list[dict[str, Any]]:
    rows = []
    for e in queryset:
        profile = getattr(e.actor, "profile", None) if e.actor else None
        rows.append(
            {
                "verb": e.verb,
                "verb_label": str(e.get_verb_display()),
                "at": e.at,
                "unit_name": e.unit.name if e.unit else None,
                "actor_name": profile.display_name if profile else None,
                "note": e.note,
                "data": e.data,
            }
        )
    return rows


class AssistanceRequestIn(Schema):
    case_id: Id
    to_unit_id: Id
    asked: str = Field(..., max_length=5000, description="请求协办的事项")
    due_on: Day = Field(..., description="办理期限")


class AssistanceRequestOut(Schema):
    id: int
    case_id: int
    case_number: str = Field(..., alias="case.number")
    from_unit_id: int
    from_unit_name: str = Field(..., alias="from_unit.name")
    to_unit_id: int
    to_unit_name: str = Field(..., alias="to_unit.name")
    asked: str
    due_on: dt.date
    status: str
    reply: str
    decline_reason: str
    receipt_reference: str
    sent_at: dt.datetime
    acknowledged_at: dt.datetime | None
    answered_at: dt.datetime | None


class AssistanceRequestDetail(AssistanceRequestOut):
    history: list[EventOut] = []


class ReceiptIn(Schema):
    receipt_reference: str = Field("", max_length=100, description="外部单位的书面回执/文号")


class ReplyIn(ReceiptIn):
    reply: str = Field("", max_length=5000)


class ReasonIn(ReceiptIn):
    reason: str = Field("", max_length=5000)


class TransferIn(Schema):
    case_id: Id
    to_unit_id: Id
    reason: str = Field("", max_length=5000)


class TransferOut(Schema):
    id: int
    case_id: int
    case_number: str = Field(..., alias="case.number")
    kind: str
    from_unit_id: int
    from_unit_name: str = Field(..., alias="from_unit.name")
    to_unit_id: int
    to_unit_name: str = Field(..., alias="to_unit.name")
    reason: str
    status: str
    answer_note: str
    receipt_reference: str
    proposed_at: dt.datetime
    answered_at: dt.datetime | None


class TransferDetail(TransferOut):
    history: list[EventOut] = []


class AcceptIn(ReceiptIn):
    note: str = Field("", max_length=5000)


class OperationIn(Schema):
    name: str = Field(..., max_length=200)
    unit_ids: list[Id]
    starts_on: Day
    ends_on: Day
    area: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)


class OperationOut(Schema):
    id: int
    name: str
    lead_unit_id: int
    unit_ids: list[int]
    case_ids: list[int]
    starts_on: dt.date
    ends_on: dt.date
    area: str
    description: str
    status: str
    result_summary: str

    @staticmethod
    def resolve_unit_ids(obj: Any) -> list[int]:
        return sorted(u.pk for u in obj.units.all())

    @staticmethod
    def resolve_case_ids(obj: Any) -> list[int]:
        return sorted(c.pk for c in obj.cases.all())


class CaseIdIn(Schema):
    case_id: Id


class UnitIdIn(Schema):
    unit_id: Id


class FinishIn(Schema):
    result_summary: str = Field("", max_length=5000)


class FactsIn(Schema):
    illegal_business_volume: Money | None = Field(None, description="非法经营数额（元）")
    illegal_gains: Money | None = Field(None, description="违法所得数额（元）")
    marks_count: Count = Field(1, description="假冒注册商标种数")
    mark_use: MarkUse = MarkUse.GOODS
    prior_punishment: bool = Field(False, description="二年内曾受过刑事处罚或行政处罚")
    note: str = Field("", max_length=5000)


class FactsOut(Schema):
    illegal_business_volume: str | None
    illegal_gains: str | None
    marks_count: int
    mark_use: str
    prior_punishment: bool
    note: str
    updated_at: str | None


class DecisionIn(Schema):
    refer: bool
    reason: str = Field("", max_length=5000)
    police_unit_id: Id | None = Field(None, description="默认为案件所在地的公安机关")


class DecisionOut(Schema):
    id: int
    refer: bool
    reason: str
    reasons: list[str]
    decided_at: dt.datetime
    transfer_id: int | None
    package_sha256: str


class ReferralOut(Schema):
    case_id: int
    facts: FactsOut | None
    reasons: list[str]
    blocks_close: str | None
    decisions: list[DecisionOut]


# --- Lookups ----------------------------------------------------------------------------------


def _unit(unit_id: int, *, field: str) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise InvalidInput(_("单位 %(id)s 不存在。") % {"id": unit_id}, field=field)
    return unit


def _case(request: HttpRequest, case_id: Id) -> Case:
    case = selectors.referral_case_get(actor=actor(request), case_id=case_id)
    if case is None:
        raise Http404
    return case


def _request(request: HttpRequest, request_id: Id) -> Any:
    found = selectors.assistance_request_get(actor=actor(request), request_id=request_id)
    if found is None:
        raise Http404
    return found


def _transfer(request: HttpRequest, transfer_id: Id) -> Any:
    found = selectors.transfer_get(actor=actor(request), transfer_id=transfer_id)
    if found is None:
        raise Http404
    return found


def _operation(request: HttpRequest, operation_id: Id) -> Any:
    found = selectors.operation_get(actor=actor(request), operation_id=operation_id)
    if found is None:
        raise Http404
    return found


# --- Assistance requests ----------------------------------------------------------------------


@router.get(
    "/assistance-requests",
    response=list[AssistanceRequestOut],
    summary="协办请求（本单位发出/收到）",
)
@paginated(page_size=50)
def assistance_request_list(
    request: HttpRequest,
    direction: SearchText = "",
    status: SearchText = "",
    case_id: Id | None = None,
):
    return selectors.assistance_request_list(
        actor=actor(request), direction=direction, status=status, case_id=case_id
    )


@router.post("/assistance-requests", response={201: AssistanceRequestOut}, summary="发出协办请求")
def assistance_request_send(request: HttpRequest, payload: AssistanceRequestIn):
    sent = services.assistance_request_send(
        actor=actor(request),
        case=_case(request, payload.case_id),
        to_unit=_unit(payload.to_unit_id, field="to_unit_id"),
        asked=payload.asked,
        due_on=payload.due_on,
    )
    return Status(201, sent)


@router.get(
    "/assistance-requests/{request_id}", response=AssistanceRequestDetail, summary="协办请求详情"
)
def assistance_request_detail(request: HttpRequest, request_id: Id):
    found = _request(request, request_id)
    found.history = _events(selectors.history(found))
    return found


@router.post(
    "/assistance-requests/{request_id}/acknowledge",
    response=AssistanceRequestOut,
    summary="签收协办请求",
)
def assistance_request_acknowledge(request: HttpRequest, request_id: Id, payload: ReceiptIn):
    return services.assistance_request_acknowledge(
        actor=actor(request),
        request=_request(request, request_id),
        receipt_reference=payload.receipt_reference,
    )


@router.post(
    "/assistance-requests/{request_id}/reply",
    response=AssistanceRequestOut,
    summary="回复协办请求",
)
def assistance_request_reply(request: HttpRequest, request_id: Id, payload: ReplyIn):
    return services.assistance_request_reply(
        actor=actor(request),
        request=_request(request, request_id),
        reply=payload.reply,
        receipt_reference=payload.receipt_reference,
    )


@router.post(
    "/assistance-requests/{request_id}/decline",
    response=AssistanceRequestOut,
    summary="拒绝协办",
)
def assistance_request_decline(request: HttpRequest, request_id: Id, payload: ReasonIn):
    return services.assistance_request_decline(
        actor=actor(request),
        request=_request(request, request_id),
        reason=payload.reason,
        receipt_reference=payload.receipt_reference,
    )


# --- Transfers --------------------------------------------------------------------------------


@router.get("/transfers", response=list[TransferOut], summary="案件移送（本单位移出/收到）")
@paginated(page_size=50)
def transfer_list(
    request: HttpRequest,
    direction: SearchText = "",
    status: SearchText = "",
    kind: SearchText = "",
    case_id: Id | None = None,
):
    return selectors.transfer_list(
        actor=actor(request), direction=direction, status=status, kind=kind, case_id=case_id
    )


@router.post("/transfers", response={201: TransferOut}, summary="提出案件移送")
def transfer_propose(request: HttpRequest, payload: TransferIn):
    transfer = services.transfer_propose(
        actor=actor(request),
        case=_case(request, payload.case_id),
        to_unit=_unit(payload.to_unit_id, field="to_unit_id"),
        reason=payload.reason,
    )
    return Status(201, transfer)


@router.get("/transfers/{transfer_id}", response=TransferDetail, summary="案件移送详情")
def transfer_detail(request: HttpRequest, transfer_id: Id):
    found = _transfer(request, transfer_id)
    found.history = _events(selectors.history(found))
    return found


@router.post(
    "/transfers/{transfer_id}/accept",
    response=TransferOut,
    summary="接收移送（公安机关即确认接收）",
)
def transfer_accept(request: HttpRequest, transfer_id: Id, payload: AcceptIn):
    return services.transfer_accept(
        actor=actor(request),
        transfer=_transfer(request, transfer_id),
        note=payload.note,
        receipt_reference=payload.receipt_reference,
    )


@router.post("/transfers/{transfer_id}/refuse", response=TransferOut, summary="拒收移送")
def transfer_refuse(request: HttpRequest, transfer_id: Id, payload: ReasonIn):
    return services.transfer_refuse(
        actor=actor(request),
        transfer=_transfer(request, transfer_id),
        reason=payload.reason,
        receipt_reference=payload.receipt_reference,
    )


@router.post("/transfers/{transfer_id}/withdraw", response=TransferOut, summary="撤回移送")
def transfer_withdraw(request: HttpRequest, transfer_id: Id, payload: ReasonIn):
    return services.transfer_withdraw(
        actor=actor(request), transfer=_transfer(request, transfer_id), reason=payload.reason
    )


# --- Joint operations -------------------------------------------------------------------------


@router.get("/joint-operations", response=list[OperationOut], summary="联合执法行动")
@paginated(page_size=50)
def operation_list(request: HttpRequest, status: SearchText = ""):
    return selectors.operation_list(actor=actor(request), status=status)


@router.post("/joint-operations", response={201: OperationOut}, summary="创建联合执法行动")
def operation_create(request: HttpRequest, payload: OperationIn):
    operation = services.operation_create(
        actor=actor(request),
        name=payload.name,
        units=[_unit(pk, field="unit_ids") for pk in payload.unit_ids],
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        area=payload.area,
        description=payload.description,
    )
    return Status(201, operation)


@router.post(
    "/joint-operations/{operation_id}/units", response=OperationOut, summary="增加参与单位"
)
def operation_add_unit(request: HttpRequest, operation_id: Id, payload: UnitIdIn):
    return services.operation_add_unit(
        actor=actor(request),
        operation=_operation(request, operation_id),
        unit=_unit(payload.unit_id, field="unit_id"),
    )


@router.post(
    "/joint-operations/{operation_id}/cases", response=OperationOut, summary="关联本单位案件"
)
def operation_link_case(request: HttpRequest, operation_id: Id, payload: CaseIdIn):
    return services.operation_link_case(
        actor=actor(request),
        operation=_operation(request, operation_id),
        case=_case(request, payload.case_id),
    )


@router.post("/joint-operations/{operation_id}/start", response=OperationOut, summary="启动行动")
def operation_start(request: HttpRequest, operation_id: Id):
    return services.operation_start(
        actor=actor(request), operation=_operation(request, operation_id)
    )


@router.post("/joint-operations/{operation_id}/finish", response=OperationOut, summary="结束行动")
def operation_finish(request: HttpRequest, operation_id: Id, payload: FinishIn):
    return services.operation_finish(
        actor=actor(request),
        operation=_operation(request, operation_id),
        result_summary=payload.result_summary,
    )


# --- Criminal referral ------------------------------------------------------------------------


def _decision_out(decision: Any) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "refer": decision.refer,
        "reason": decision.reason,
        "reasons": decision.reasons,
        "decided_at": decision.decided_at,
        "transfer_id": decision.transfer_id,
        "package_sha256": decision.package_sha256,
    }


@router.get("/referrals/{case_id}", response=ReferralOut, summary="两法衔接：追诉标准评估与决定")
def referral_status(request: HttpRequest, case_id: Id):
    case = _case(request, case_id)
    return {
        "case_id": case.pk,
        "facts": selectors.facts_dict(selectors.criminal_facts_of(case)),
        "reasons": thresholds.evaluate(case),
        "blocks_close": thresholds.referral_blocks_close(case),
        "decisions": [_decision_out(d) for d in selectors.referral_decisions(case)],
    }


@router.put("/referrals/{case_id}/facts", response=FactsOut, summary="记录涉刑事实")
def criminal_facts_set(request: HttpRequest, case_id: Id, payload: FactsIn):
    facts = services.criminal_facts_set(
        actor=actor(request),
        case=_case(request, case_id),
        illegal_business_volume=payload.illegal_business_volume,
        illegal_gains=payload.illegal_gains,
        marks_count=payload.marks_count,
        mark_use=payload.mark_use,
        prior_punishment=payload.prior_punishment,
        note=payload.note,
    )
    return selectors.facts_dict(facts)


@router.post(
    "/referrals/{case_id}/decision",
    response={201: DecisionOut},
    summary="作出是否移送公安机关的决定",
)
def referral_decide(request: HttpRequest, case_id: Id, payload: DecisionIn):
    police = (
        _unit(payload.police_unit_id, field="police_unit_id")
        if payload.police_unit_id is not None
        else None
    )
    decision = services.referral_decide(
        actor=actor(request),
        case=_case(request, case_id),
        refer=payload.refer,
        reason=payload.reason,
        police_unit=police,
    )
    return Status(201, _decision_out(decision))


@router.get("/referrals/{case_id}/package", summary="下载移送材料包（JSON）")
def referral_package(request: HttpRequest, case_id: Id):
    """The transfer package as a JSON file: the frozen one if the case was referred, else a
    preview. ``X-Content-SHA256`` is the SHA-256 of the bytes served (for a referred case, the
    ``package_sha256`` recorded with the decision)."""
    case = _case(request, case_id)
    package = selectors.referral_package(case)
    body = selectors.package_bytes(package)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referral-{case.number}.json"'
    response["X-Content-SHA256"] = selectors.package_sha256(package)
    return response
