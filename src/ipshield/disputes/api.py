"""API routes of dispute resolution, under ``/api/v1/disputes``.

Mounted with ``api.add_router("/", disputes.api.router, tags=["disputes"])``. A dispute is read
through the caller's scope (``selectors.dispute_for``: 404 outside it, never 403, so the number
of other people's disputes is not told). Every step is ``POST /disputes/{id}/actions/{action}``
with the action's parameters, checked by the same form as the page (``forms.ACTION_FORMS``) and
taken by one service (``actions.run``). Refusals are ``{code, message, field}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Reply

from ipshield.common.api import actor, paginated
from ipshield.common.errors import InvalidInput, NotFound
from ipshield.common.validation import Day, Id
from ipshield.disputes import actions, errors, queries, record, selectors, services
from ipshield.disputes.deadlines import LIMITS
from ipshield.disputes.forms import action_form
from ipshield.disputes.models import Dispute, DisputeSource, Organisation
from ipshield.disputes.views import _offered
from ipshield.disputes.workflow import Action, Status
from ipshield.evidence.models import EvidenceItem

router = Router()

Short = Annotated[str, Field(max_length=200)]
Long = Annotated[str, Field(max_length=5000)]


class ClaimIO(Schema):
    text: Annotated[str, Field(max_length=500)]
    amount: Annotated[str, Field(max_length=20)] = ""


class PartyIn(Schema):
    name: Short
    is_person: bool = False
    phone: Annotated[str, Field(max_length=32)] = ""
    address: Short = ""
    representative: Annotated[str, Field(max_length=64)] = ""


class PartyOut(Schema):
    id: int
    side: str
    name: str
    is_person: bool
    representative: str
    consented: bool | None


class DeadlineOut(Schema):
    key: str
    label: str
    source: str
    starts_on: dt.date
    due_on: dt.date
    extended: bool
    met: bool


class EventOut(Schema):
    seq: int
    verb: str
    status: str
    actor_name: str
    at: dt.datetime
    hash: str
    leaf_index: int | None


class DisputeOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    source: str
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.unit.name")
    right_kind: str
    region_code: str = Field(..., alias="region_id")
    claim_amount: Decimal | None
    mediator_id: int | None
    applied_at: dt.datetime
    accepted_at: dt.datetime | None
    due_on: dt.date | None
    link: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_link(obj: Any) -> str:
        return services.link(obj)


class RecordCheckOut(Schema):
    ok: bool
    anchored: int
    pending: int
    chain_ok: bool
    bad_seq: int | None


class DisputeDetailOut(DisputeOut):
    facts: str
    rights_text: str
    industry: str
    claims: list[ClaimIO]
    outcome_reason: str
    parties: list[PartyOut]
    deadlines: list[DeadlineOut]
    events: list[EventOut]
    record_check: RecordCheckOut
    sides: list[str] = Field(..., alias="caller_sides", description="the caller's sides")
    actions: list[str] = Field(..., alias="caller_actions", description="what they may do now")

    @staticmethod
    def resolve_deadlines(obj: Any) -> list[dict[str, Any]]:
        rows = []
        for d in obj.deadlines.all():
            limit = LIMITS.get(d.key)
            rows.append(
                {
                    "key": d.key,
                    "label": str(limit.label) if limit else d.key,
                    "source": str(limit.source) if limit else "",
                    "starts_on": d.starts_on,
                    "due_on": d.due_on,
                    "extended": d.extended,
                    "met": d.met_at is not None,
                }
            )
        return rows

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.order_by("seq"))

    @staticmethod
    def resolve_record_check(obj: Any) -> dict[str, Any]:
        return record.check(obj).__dict__


class ApplyIn(Schema):
    organisation_id: Id
    right_kind: Annotated[str, Field(max_length=32)]
    region_code: Annotated[str, Field(max_length=12)] | None = None
    title: Short
    facts: Long
    claims: Annotated[list[ClaimIO], Field(max_length=20)]
    respondents: Annotated[list[PartyIn], Field(max_length=10)]
    industry: Annotated[str, Field(max_length=64)] = ""
    rights_text: Annotated[str, Field(max_length=500)] = ""
    attachment_ids: Annotated[list[Id], Field(max_length=10)] = Field(
        default_factory=list, description="evidence items of the caller (/api/v1/evidence)"
    )


class ActionIn(Schema):
    """The parameters of every action; each action reads its own (unknown ones are ignored)."""

    reason: Annotated[str, Field(max_length=1000)] | None = None
    party_id: Id | None = Field(None, description="consent/refuse: the respondent (organisation)")
    mediator: Id | None = Field(None, description="assign: the mediator's id")
    until: Day | None = Field(None, description="extend: the new due date")
    parties_agree: bool = Field(False, description="extend: every party agrees")
    court: Id | None = Field(None, description="apply_confirmation: the court's unit id")
    concerns_ownership: bool = False
    approval: Annotated[str, Field(max_length=500)] | None = None
    ruling_number: Annotated[str, Field(max_length=64)] | None = None
    ruling_text: Long | None = None
    commission: Id | None = Field(None, description="refer_arbitration: the commission's id")
    clause: Long | None = None
    award_number: Annotated[str, Field(max_length=64)] | None = None
    award_summary: Long | None = None
    award_on: Day | None = None
    note: Annotated[str, Field(max_length=1000)] | None = None


def _dispute(request: HttpRequest, dispute_id: int) -> Dispute:
    try:
        return selectors.dispute_for(actor(request), dispute_id)
    except Dispute.DoesNotExist:
        raise NotFound(
            _("找不到该纠纷，或您无权查看。"), field="dispute_id", code="not_found"
        ) from None


def _detail(request: HttpRequest, dispute: Dispute) -> Dispute:
    """``dispute`` read again, with what the detail shows of the caller (their sides and the
    actions they may take now)."""
    user = actor(request)
    dispute = Dispute.objects.select_related("organisation__unit", "mediator", "region").get(
        pk=dispute.pk
    )
    sides = selectors.sides_of(user, dispute)
    dispute.caller_sides = sorted(sides)
    dispute.caller_actions = [str(a) for a in _offered(user, dispute, sides)]
    return dispute


@router.get("/disputes", response=list[DisputeOut], summary="纠纷（可查看的）")
@paginated(page_size=50)
def dispute_list(
    request: HttpRequest,
    status: Status | None = None,
    source: DisputeSource | None = None,
    inbox: Literal["accept", "assign", "mediating", "court_accept", "court_decide", "award"]
    | None = None,
    overdue: bool = False,
) -> Any:
    user = actor(request)
    return queries.dispute_list(
        user,
        status=status or "",
        source=source or "",
        overdue=overdue,
        inbox=inbox or "",
        unit_id=selectors.unit_id_of(user),
    )


@router.get("/disputes/{dispute_id}", response=DisputeDetailOut, summary="纠纷详情及办理记录")
def dispute_detail(request: HttpRequest, dispute_id: Id) -> Any:
    return _detail(request, _dispute(request, dispute_id))


@router.post("/disputes", response={201: DisputeDetailOut}, summary="申请调解")
def dispute_apply(request: HttpRequest, payload: ApplyIn) -> Any:
    from ipshield.accounts.models import Region

    user = actor(request)
    organisation = (
        Organisation.objects.select_related("unit__region")
        .filter(pk=payload.organisation_id)
        .first()
    )
    if organisation is None:
        raise InvalidInput(
            _("请选择调解组织。"), field="organisation_id", code=errors.FIELD_INVALID
        )
    region = organisation.unit.region
    if payload.region_code:
        region = Region.objects.filter(code=payload.region_code).first()
        if region is None:
            raise InvalidInput(
                _("请选择纠纷发生地。"), field="region_code", code=errors.FIELD_INVALID
            )
    items = list(
        EvidenceItem.objects.filter(pk__in=payload.attachment_ids, owner_id=user.pk)
        if user.is_authenticated
        else []
    )
    if len(items) != len(set(payload.attachment_ids)):
        raise InvalidInput(
            _("附件应为您本人的存证。"), field="attachment_ids", code=errors.FIELD_INVALID
        )
    dispute = services.dispute_apply(
        actor=user,
        organisation=organisation,
        title=payload.title,
        facts=payload.facts,
        right_kind=payload.right_kind,
        region=region,
        claims=[c.dict() for c in payload.claims],
        respondents=[r.dict() for r in payload.respondents],
        industry=payload.industry,
        rights_text=payload.rights_text,
        attachments=items,
    )
    return Reply(201, _detail(request, dispute))


@router.post(
    "/disputes/{dispute_id}/actions/{action}",
    response=DisputeDetailOut,
    summary="办理一项纠纷事项（受理、同意、指派、延长、申请司法确认、裁定……）",
)
def dispute_act(request: HttpRequest, dispute_id: Id, action: Action, payload: ActionIn) -> Any:
    dispute = _dispute(request, dispute_id)
    if not actions.known(action):
        raise NotFound(_("没有这项操作。"), field="action", code=errors.NOT_ALLOWED)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    form = action_form(action, dispute, data)
    if not form.is_valid():
        field, problems = next(iter(form.errors.items()))
        raise InvalidInput(
            problems[0], field=None if field == "__all__" else field, code=errors.FIELD_INVALID
        )
    actions.run(actor(request), dispute, action, form.cleaned_data)
    return _detail(request, dispute)
