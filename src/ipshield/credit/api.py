"""API of credit supervision.

* ``GET /credit/public`` — the public credit query (no account): public records only, persons'
  names masked as published.
* ``GET /credit/check`` — joint-punishment check for other departments' systems (a unit token)
  and staff sessions: list status, public records and the measures that apply. Every call is
  logged with who asked and why (``purpose``); calls are rate limited per caller.
* ``GET /credit/matches``, ``POST /credit/matches/{id}/confirm|split`` — the entity-resolution
  review queue of the caller's unit and the officers' decisions (``resolution.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.throttling import AuthRateThrottle

from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.common.api import actor, paginated
from ipshield.common.errors import InvalidInput, NotFound, PermissionDenied
from ipshield.common.validation import Day, Id, SearchText, TextRefused, clean_data
from ipshield.credit import selectors, services

router = Router()
CHECK_RATE = settings.IPSHIELD_CREDIT_CHECK_RATE


class RecordOut(Schema):
    id: int
    subject_name: str = Field(..., description="当事人（自然人姓名已遮蔽）")
    subject_uscc: str
    source: str
    source_label: str = Field(..., alias="get_source_display")
    issuing_authority: str
    document_number: str
    decided_on: dt.date
    amount: Decimal | None = Field(None, description="金额（元）")
    summary: str
    public_until: dt.date = Field(..., description="公示截止日（含当日）")


class MeasureOut(Schema):
    domain: str
    domain_label: str = Field(..., alias="get_domain_display")
    title: str
    basis: str


class CheckOut(Schema):
    check_id: int = Field(..., description="本次核查的登记编号")
    query_uscc: str
    query_name: str
    entity_name: str | None = Field(None, description="匹配到的市场主体")
    restricted: bool = Field(..., description="是否有适用的联合惩戒措施")
    repeat_infringer: bool
    intentional: bool
    dishonesty_list: bool = Field(False, description="是否列入严重违法失信名单")
    listed_until: dt.date | None = Field(None, description="列入期满日")
    listed_by: str | None = Field(None, description="作出列入决定的单位（含外地平台）")
    records: list[RecordOut]
    measures: list[MeasureOut]


@router.get(
    "/credit/public", response=list[RecordOut], auth=None, summary="信用信息公示查询（公开）"
)
@paginated(page_size=50)
def public_query(request: HttpRequest, q: Annotated[str, Field(min_length=2, max_length=200)]):
    """Search by name (at least two characters of it) or by unified social credit code."""
    if len(q.strip()) < 2:
        raise InvalidInput(_("请至少输入两个字。"), field="q")
    return selectors.public_search(q=q[:200])


@router.get(
    "/credit/check",
    response=CheckOut,
    summary="联合惩戒核查",
    throttle=[AuthRateThrottle(CHECK_RATE)],
)
def credit_check(
    request: HttpRequest,
    purpose: SearchText,
    uscc: SearchText = "",
    name: SearchText = "",
):
    """Check an entity by USCC (preferred) or exact name before granting a subsidy, a contract,
    an honour, funding or a licence. ``purpose`` (why you ask) is required and logged with the
    caller. A wrong check digit is named in the error."""
    user = actor(request)
    profile = profile_of(user)
    if not (sees_all_units(user) or (profile and profile.is_staff_member)):
        raise PermissionDenied(_("联合惩戒核查仅对单位工作人员和单位接口令牌开放。"))
    channel = "api-token" if request.headers.get("Authorization") else "api-session"
    result = services.credit_check(
        actor=user, uscc=uscc, name=name, purpose=purpose, channel=channel
    )
    return {
        "check_id": result.check_id,
        "query_uscc": result.query_uscc,
        "query_name": result.query_name,
        "entity_name": result.entity.name if result.entity else None,
        "restricted": result.restricted,
        "repeat_infringer": result.repeat_infringer,
        "intentional": result.intentional,
        "dishonesty_list": result.listed is not None or result.listed_elsewhere is not None,
        "listed_until": (result.listed or result.listed_elsewhere).list_until
        if (result.listed or result.listed_elsewhere)
        else None,
        "listed_by": result.listed.unit.name
        if result.listed
        else (result.listed_elsewhere.unit_name if result.listed_elsewhere else None),
        "records": result.records,
        "measures": result.measures,
    }


class RecordIn(Schema):
    source: str = Field(..., description="penalty / judgment / ruling / spot_check / …")
    subject_name: str
    subject_uscc: str = ""
    subject_is_person: bool = False
    subject_address: str = ""
    subject_legal_rep: str = Field("", description="法定代表人或经营者")
    issuing_authority: str = Field("", description="默认为本单位")
    document_number: str = ""
    decided_on: str = Field(..., description="YYYY-MM-DD")
    legal_basis: str = ""
    severity: str = "general"
    amount: str | None = None
    penalty_kinds: list[str] = Field(default_factory=list)
    intentional: bool = False
    summary: str = ""


class StaffRecordOut(RecordOut):
    status: str
    severity: str
    intentional: bool
    period_basis: str
    entity_id: int | None
    match_state: str
    match_score: float | None


class ImportReportOut(Schema):
    created: int
    duplicates: int
    error_count: int
    errors: list[dict]


@router.post("/credit/records", response={201: StaffRecordOut}, summary="录入信用记录")
def record_enter(request: HttpRequest, payload: RecordIn):
    """A unit enters a record from another source (a judgment, a ruling, a spot check …)."""
    from ipshield.credit.records import record_enter as enter

    return Status(201, enter(actor=actor(request), **payload.dict()))


@router.post("/credit/records/import", response=ImportReportOut, summary="导入信用记录（CSV/JSON）")
def records_import(request: HttpRequest, file: File[UploadedFile]):
    """Bad rows are listed with their field; valid rows are kept; re-imports add nothing."""
    from ipshield.credit.records import records_import as run

    report = run(actor=actor(request), data=file.read(), name=file.name or "")
    return {
        "created": report.created,
        "duplicates": report.duplicates,
        "error_count": report.error_count,
        "errors": report.errors,
    }


# -- The serious-dishonesty list -------------------------------------------------------------


class ListEntryOut(Schema):
    id: int
    entity_id: int
    entity_name: str = Field(..., alias="entity.name")
    entity_uscc: str | None = Field(None, alias="entity.uscc")
    unit: str = Field(..., alias="unit.name")
    ground: str
    ground_label: str = Field(..., alias="get_ground_display")
    status: str
    facts: str
    review_opinion: str
    decision_number: str
    notified_on: dt.date | None
    listed_on: dt.date | None
    list_until: dt.date | None
    removed_on: dt.date | None
    removal_reason: str


class PublicListOut(Schema):
    entity_name: str = Field(..., alias="entity.name")
    entity_uscc: str | None = Field(None, alias="entity.uscc")
    unit: str = Field(..., alias="unit.name")
    ground_label: str = Field(..., alias="get_ground_display")
    decision_number: str
    listed_on: dt.date | None
    list_until: dt.date | None


class ProposeIn(Schema):
    entity_id: Id
    rule_id: Id
    facts: str


class ReviewIn(Schema):
    approve: bool
    opinion: str


class DecideIn(Schema):
    decision_number: str


class NotifyIn(Schema):
    on: Day
    method: str


class PublishIn(Schema):
    on: Day | None = None


@router.get(
    "/credit/dishonesty-list",
    response=list[PublicListOut],
    auth=None,
    summary="严重违法失信名单（公开）",
)
@paginated(page_size=50)
def public_list(request: HttpRequest, q: SearchText = ""):
    return selectors.public_list(q=q)


def _entry(request: HttpRequest, entry_id: Id):
    from ipshield.credit.models import ListEntry

    user = actor(request)
    profile = profile_of(user)
    entry = ListEntry.objects.select_related("entity", "unit").filter(pk=entry_id).first()
    if entry is None or not (
        sees_all_units(user) or (profile and profile.unit_id == entry.unit_id)
    ):
        raise NotFound(_("找不到该名单记录。"))
    return entry


@router.post(
    "/credit/dishonesty-list", response={201: ListEntryOut}, summary="提出列入严重违法失信名单"
)
def list_propose(request: HttpRequest, payload: ProposeIn):
    from ipshield.credit import listing
    from ipshield.credit.models import ListingRule
    from ipshield.registry.models import Entity

    entity = Entity.objects.filter(pk=payload.entity_id).first()
    if entity is None:
        raise NotFound(_("找不到该市场主体。"), field="entity_id")
    rule = ListingRule.objects.filter(pk=payload.rule_id, active=True).first()
    if rule is None:
        raise NotFound(_("找不到该列入标准。"), field="rule_id")
    entry = listing.list_propose(
        actor=actor(request), entity=entity, rule=rule, facts=payload.facts
    )
    return Status(201, entry)


@router.get("/credit/dishonesty-list/{int:entry_id}", response=ListEntryOut, summary="名单记录")
def list_entry(request: HttpRequest, entry_id: Id):
    return _entry(request, entry_id)


@router.post(
    "/credit/dishonesty-list/{int:entry_id}/review", response=ListEntryOut, summary="法制审核"
)
def list_review(request: HttpRequest, entry_id: Id, payload: ReviewIn):
    from ipshield.credit import listing

    return listing.list_review(
        actor=actor(request),
        entry=_entry(request, entry_id),
        approve=payload.approve,
        opinion=payload.opinion,
    )


@router.post(
    "/credit/dishonesty-list/{int:entry_id}/decide", response=ListEntryOut, summary="作出列入决定"
)
def list_decide(request: HttpRequest, entry_id: Id, payload: DecideIn):
    from ipshield.credit import listing

    return listing.list_decide(
        actor=actor(request),
        entry=_entry(request, entry_id),
        decision_number=payload.decision_number,
    )


@router.post(
    "/credit/dishonesty-list/{int:entry_id}/notify", response=ListEntryOut, summary="登记告知"
)
def list_notify(request: HttpRequest, entry_id: Id, payload: NotifyIn):
    from ipshield.credit import listing

    return listing.list_notify(
        actor=actor(request), entry=_entry(request, entry_id), on=payload.on, method=payload.method
    )


@router.post(
    "/credit/dishonesty-list/{int:entry_id}/publish", response=ListEntryOut, summary="公示列入"
)
def list_publish(request: HttpRequest, entry_id: Id, payload: PublishIn):
    from ipshield.credit import listing

    return listing.list_publish(
        actor=actor(request), entry=_entry(request, entry_id), on=payload.on
    )


# -- Exchange with provincial platforms ------------------------------------------------------


@router.get("/credit/exchange", summary="信用信息交换：导出")
def exchange_export(request: HttpRequest, since: Day | None = None):
    """Public records and list changes since ``since`` in the exchange format
    (``ipshield.credit.exchange/1``, docs/credit-exchange.md)."""
    from ipshield.credit.exchange import export

    user = actor(request)
    profile = profile_of(user)
    if not (sees_all_units(user) or (profile and profile.is_staff_member)):
        raise PermissionDenied(_("信用信息交换仅对单位工作人员和单位接口令牌开放。"))
    return export(since=since)


@router.post("/credit/exchange", summary="信用信息交换：导入")
def exchange_import(request: HttpRequest, file: File[UploadedFile]):
    """Import another platform's exchange file; importing it again changes nothing."""
    import json

    from ipshield.credit.exchange import import_exchange

    try:
        # The same text rule as every request body: no NUL, controls or direction overrides.
        payload = clean_data(json.loads(file.read().decode("utf-8-sig")))
    except TextRefused as refused:
        raise InvalidInput(f"{refused.field}: {refused.message}", field="file") from None
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(_("文件不是有效的 JSON。"), field="file") from None
    return import_exchange(actor=actor(request), payload=payload)


# -- entity resolution: the review queue ---------------------------------------------------------


class CandidateOut(Schema):
    entity_id: int
    entity_name: str = Field(..., alias="entity.name")
    entity_uscc: str | None = Field(None, alias="entity.uscc")
    score: float
    decision: str = Field(..., description="same / likely / unsure")
    reasons: list[str] = Field(..., alias="reason_texts", description="理由（按请求语言）")


class MatchOut(Schema):
    id: int
    subject_name: str
    subject_uscc: str
    subject_address: str
    subject_legal_representative: str
    source: str
    document_number: str
    decided_on: dt.date
    entity_id: int | None = Field(None, description="当前关联的市场主体")
    match_state: str = Field(..., description="likely：已关联待确认；unsure：待人工识别 …")
    match_state_label: str = Field(..., alias="get_match_state_display")
    match_score: float | None
    candidates: list[CandidateOut] = Field(default_factory=list)

    @staticmethod
    def resolve_candidates(obj):
        return list(obj.candidates.select_related("entity"))


class MatchDecisionIn(Schema):
    entity_id: Id


@router.get("/credit/matches", response=list[MatchOut], summary="主体识别待确认队列")
@paginated(page_size=50)
def match_queue(request: HttpRequest):
    from ipshield.credit import resolution

    return resolution.review_queue(actor=actor(request))


def _match_target(request: HttpRequest, record_id: Id, entity_id: Id):
    from ipshield.credit.models import CreditRecord
    from ipshield.registry.models import Entity

    record = CreditRecord.objects.filter(pk=record_id).first()
    if record is None:
        raise NotFound(_("找不到该信用记录。"))
    entity = Entity.objects.filter(pk=entity_id).first()
    if entity is None:
        raise NotFound(_("找不到该市场主体。"), field="entity_id")
    return record, entity


@router.post("/credit/matches/{int:record_id}/confirm", response=MatchOut, summary="确认为同一主体")
def match_confirm(request: HttpRequest, record_id: Id, payload: MatchDecisionIn):
    from ipshield.credit import resolution

    record, entity = _match_target(request, record_id, payload.entity_id)
    resolution.match_confirm(actor=actor(request), record=record, entity=entity)
    record.refresh_from_db()
    return record


@router.post("/credit/matches/{int:record_id}/split", response=MatchOut, summary="确认不是该主体")
def match_split(request: HttpRequest, record_id: Id, payload: MatchDecisionIn):
    from ipshield.credit import resolution

    record, entity = _match_target(request, record_id, payload.entity_id)
    resolution.match_split(actor=actor(request), record=record, entity=entity)
    record.refresh_from_db()
    return record
