"""API routes for complaints, reports, tracking and cases.

Submissions answer ``201`` with the tracking number and the access code, which is shown this once
(only its hash is kept). ``/reports`` and ``/track`` are open to callers without an account;
attachments are uploaded through the portal, not through JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.utils import check_csrf
from pydantic import BeforeValidator

from ipshield.accounts.models import Region
from ipshield.accounts.services import token_authenticate
from ipshield.cases import intake, selectors
from ipshield.cases.models import Case
from ipshield.common.api import actor, paginated
from ipshield.common.errors import DomainError, InvalidInput, NotFound
from ipshield.common.validation import Id, Money, SearchText
from ipshield.registry.models import IPRight, RightKind

router = Router()

# -- Guessing access codes ------------------------------------------------------------------------
# A code is 8 hex digits; failed checks of one number from one address are limited so that nobody
# can try codes for someone else's case at speed. Shared by the portal's /track/ page.
TRACK_FAILURE_LIMIT = 20
TRACK_FAILURE_WINDOW = 15 * 60


def _track_key(request: HttpRequest, number: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{address}|{number.strip().upper()}".encode()).hexdigest()
    return f"track-failures:{digest}"


def track_attempts_left(request: HttpRequest, number: str) -> bool:
    return cache.get(_track_key(request, number), 0) < TRACK_FAILURE_LIMIT


def track_attempt_failed(request: HttpRequest, number: str) -> None:
    key = _track_key(request, number)
    if not cache.add(key, 1, TRACK_FAILURE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, TRACK_FAILURE_WINDOW)


# -- Schemas --------------------------------------------------------------------------------------


def _number_as_text(value: Any) -> Any:
    # JSON numbers arrive as int/float; the service parses text, so that "12,800.50" works too.
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    return value


# The length bound belongs to the text, not to the union: on ``str | None`` it met ``null``
# (which the schema allows) and failed with a TypeError, a 500.
Amount = Annotated[
    Annotated[str, Field(max_length=32)] | None,
    BeforeValidator(_number_as_text),
    Field(description="涉案金额（元），数字或文本，如 12800.50"),
]


class _IntakeIn(Schema):
    title: str = Field(..., max_length=200, description="事由")
    description: str = Field(..., max_length=5000, description="情况描述")
    region_code: str = Field(..., max_length=9, description="侵权发生地的行政区划代码（6 位）")
    infringer_uscc: str = Field("", max_length=40, description="涉嫌侵权人统一社会信用代码")
    infringer_name: str = Field("", max_length=200, description="涉嫌侵权人名称")
    infringer_address: str = Field("", max_length=200, description="涉嫌侵权人地址")
    place: str = Field("", max_length=500, description="店铺地址、网店链接或展会")
    amount_involved: Amount = None
    public_health: bool = Field(False, description="涉及食品、药品等公共健康")


class ComplaintIn(_IntakeIn):
    right_id: Id = Field(..., description="被侵权的权利（本人已核验的权利）")


class ReportIn(_IntakeIn):
    right_kind: RightKind = Field(..., description="涉及的权利类型")
    anonymous: bool = Field(..., description="匿名举报：不提交举报人信息")
    reporter_name: str = Field("", max_length=64, description="举报人姓名（实名举报必填）")
    reporter_id_number: str = Field("", max_length=32, description="身份证件号码")
    reporter_phone: str = Field("", max_length=32, description="联系电话（实名举报必填）")
    reporter_email: str = Field("", max_length=100, description="电子邮箱")


class SubmittedOut(Schema):
    number: str = Field(..., description="编号：查询进度用")
    access_code: str = Field(..., description="查询码：只在此返回一次，请妥善保存")
    status: str
    unit: str = Field(..., description="承办单位")
    track: str = Field(..., description="程序（繁简分流）：simple / ordinary / major")
    status_page: str = Field(..., description="门户上的进度页")


class TrackIn(Schema):
    number: str = Field(..., max_length=24, description="编号")
    access_code: str = Field(..., max_length=16, description="查询码")


class StepOut(Schema):
    status: str
    label: str
    state: str = Field(..., description="done / current / todo / skipped")


class EntryOut(Schema):
    at: dt.datetime
    verb: str
    label: str
    status: str
    status_label: str
    detail: str


class TrackOut(Schema):
    number: str
    title: str
    source: str
    received_at: dt.datetime
    unit: str
    status: str
    status_label: str
    suspended: bool
    steps: list[StepOut]
    timeline: list[EntryOut]


class MyCaseOut(Schema):
    number: str
    title: str
    source: str
    status: str
    status_label: str
    received_at: dt.datetime

    @staticmethod
    def resolve_status_label(case: Case) -> str:
        return case.get_status_display()

    @staticmethod
    def resolve_received_at(case: Case) -> dt.datetime:
        return timezone.localtime(case.received_at)


# -- Helpers --------------------------------------------------------------------------------------

# The services name their own parameters; the API's payload names a few of them differently.
_PAYLOAD_FIELD = {"right": "right_id", "region": "region_code"}


def _payload_fields(error: DomainError) -> DomainError:
    if error.field in _PAYLOAD_FIELD:
        error.field = _PAYLOAD_FIELD[error.field]
    return error


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise InvalidInput(_("区划代码 %(c)s 不存在。") % {"c": code.strip()}, field="region_code")
    return region


def _finite_amount(value: str | None) -> str | None:
    # NaN and Infinity parse as decimals but cannot be compared: refuse them here by name.
    try:
        number = Decimal(value.replace(",", "").strip()) if value else None
    except InvalidOperation:
        return value
    if number is not None and not number.is_finite():
        raise InvalidInput(_("涉案金额应为数字（元）。"), field="amount_involved")
    return value


def _optional_caller(request: HttpRequest) -> Any:
    """A bearer token's account, the signed-in browser (CSRF-checked), or nobody."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = token_authenticate(header[7:].strip())
        if user is None:
            raise AuthenticationError()
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # A report filed in someone's name must come from their own pages.
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return user
    return AnonymousUser()


def _submitted(submitted: intake.Submitted) -> Any:
    case = submitted.case
    return Status(
        201,
        {
            "number": case.number,
            "access_code": submitted.access_code,
            "status": case.status,
            "unit": case.unit.name,
            "track": case.track,
            "status_page": f"/track/{case.number}/",
        },
    )


def _public(case: Case) -> dict[str, Any]:
    progress = selectors.public_progress(case)
    return {
        "number": case.number,
        "title": case.title,
        "source": case.source,
        "received_at": timezone.localtime(case.received_at),
        "unit": case.unit.name,
        "status": progress.status,
        "status_label": progress.status_label,
        "suspended": progress.suspended,
        "steps": [asdict(step) for step in progress.steps],
        "timeline": [
            {**asdict(entry), "at": timezone.localtime(entry.at)}
            for entry in selectors.public_timeline(case)
        ],
    }


# -- Routes ---------------------------------------------------------------------------------------


@router.post("/complaints", response={201: SubmittedOut}, summary="权利人投诉")
def complaint_submit(request: HttpRequest, payload: ComplaintIn):
    """A rights holder complains about an infringement of one of their verified rights.
    Attachments are added on the portal."""
    right = IPRight.objects.filter(pk=payload.right_id).first()
    if right is None:
        raise InvalidInput(_("请选择被侵权的权利。"), field="right_id")
    try:
        submitted = intake.complaint_submit(
            actor=actor(request),
            right=right,
            title=payload.title,
            description=payload.description,
            region=_region(payload.region_code),
            infringer_uscc=payload.infringer_uscc,
            infringer_name=payload.infringer_name,
            infringer_address=payload.infringer_address,
            place=payload.place,
            amount_involved=_finite_amount(payload.amount_involved),
            public_health=payload.public_health,
        )
    except DomainError as error:
        raise _payload_fields(error) from None
    return _submitted(submitted)


@router.post("/reports", response={201: SubmittedOut}, auth=None, summary="举报（可匿名）")
def report_submit(request: HttpRequest, payload: ReportIn):
    """Anyone reports an infringement; no account needed. A real-name reporter's identity is
    stored encrypted and shown only to the handling officers, each view recorded."""
    caller = _optional_caller(request)
    try:
        submitted = intake.report_submit(
            # An anonymous report carries no account either: the case must not lead back to one.
            actor=AnonymousUser() if payload.anonymous else caller,
            right_kind=payload.right_kind,
            title=payload.title,
            description=payload.description,
            region=_region(payload.region_code),
            anonymous=payload.anonymous,
            reporter_name=payload.reporter_name,
            reporter_id_number=payload.reporter_id_number,
            reporter_phone=payload.reporter_phone,
            reporter_email=payload.reporter_email,
            infringer_uscc=payload.infringer_uscc,
            infringer_name=payload.infringer_name,
            infringer_address=payload.infringer_address,
            place=payload.place,
            amount_involved=_finite_amount(payload.amount_involved),
            public_health=payload.public_health,
        )
    except DomainError as error:
        raise _payload_fields(error) from None
    return _submitted(submitted)


@router.post("/track", response=TrackOut, auth=None, summary="进度查询（编号 + 查询码）")
def track(request: HttpRequest, payload: TrackIn):
    """The public progress of one case: status, steps and the public timeline. A wrong number
    and a wrong code get the same answer."""
    if not track_attempts_left(request, payload.number):
        raise HttpError(429, "too many failed attempts")
    case = intake.case_by_access_code(payload.number, payload.access_code)
    if case is None:
        track_attempt_failed(request, payload.number)
        raise NotFound(_("编号或查询码不正确。"), code="track_not_found")
    return _public(case)


@router.get("/my/cases", response=list[MyCaseOut], summary="我提交的投诉和举报")
@paginated(page_size=50)
def my_cases(request: HttpRequest):
    return selectors.cases_submitted_by(actor(request))


# -- Staff: the unit's cases ----------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    number: str
    title: str
    source: str
    track: str
    status: str
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    deadline: dt.date | None
    deadline_label: str
    received_at: dt.datetime


class CaseEventOut(Schema):
    seq: int
    verb: str
    at: dt.datetime
    actor_id: int | None
    unit_id: int | None
    before: dict[str, Any]
    after: dict[str, Any]
    note: str
    hash: str


class CaseDetailOut(CaseOut):
    description: str
    infringer_name: str
    place: str
    amount_involved: Decimal | None
    decision_kind: str
    penalty_amount: Decimal | None
    decision_number: str
    decision_served_on: dt.date | None
    fine_due_on: dt.date | None
    duplicate_of_id: int | None
    allowed_actions: list[str]
    record: list[CaseEventOut]


class Instalment(Schema):
    due_on: dt.date
    amount: Money


# Quantities and auction proceeds: any finite number of sane size; the service refuses zero,
# negatives and too many decimals with a coded error that names the field.
Quantity = Annotated[Decimal, Field(ge=Decimal("-1e11"), le=Decimal("1e11"), allow_inf_nan=False)]


class ActionIn(Schema):
    reason: str = Field("", max_length=2000)
    kind: str = Field("", max_length=16, description="propose_decision: penalty/no_violation/…")
    summary: str = Field("", max_length=5000)
    penalty_amount: Money | None = None
    opinion: str = Field("", max_length=2000)
    track: str = Field("", max_length=16)
    key: str = Field("", max_length=40)
    note: str = Field("", max_length=2000)
    procedure: str = Field(
        "", max_length=16, description="propose_decision: simple (当场处罚) or ordinary (default)"
    )
    penalty_kinds: list[Annotated[str, Field(max_length=16)]] = Field(
        default_factory=list,
        max_length=10,
        description="propose_decision: warning, criticism, fine, confiscation, licence, …",
    )
    excluded_reason: str = Field(
        "",
        max_length=16,
        description="exclude_time: hearing, announcement, testing, identification or refund",
    )
    since: dt.date | None = Field(None, description="exclude_time: first day not counted")
    until: dt.date | None = Field(None, description="exclude_time: the day it ended")
    opening: str = Field("", max_length=16, description="request_opening: open or not_open")
    facts: str = Field("", max_length=20000, description="propose_decision: 违法事实")
    legal_basis: str = Field("", max_length=5000, description="propose_decision: 法律依据")
    method: str = Field(
        "",
        max_length=16,
        description="serve_notice/serve_decision: hand, left, electronic, entrusted, post, "
        "announcement; record_disposal: destroyed, auctioned, handed_over, other",
    )
    sent_on: dt.date | None = Field(None, description="serve_*: the day it was sent")
    served_on: dt.date | None = Field(None, description="serve_*: the day it was received")
    recipient: str = Field(
        "",
        max_length=200,
        description="serve_*: who received it; record_disposal: the receiving body (handed_over)",
    )
    consent: bool = Field(False, description="serve_*: the party agreed to electronic service")
    statement: str = Field("", max_length=20000, description="record_statement")
    stated_on: dt.date | None = None
    waived_on: dt.date | None = Field(None, description="record_waiver")
    requested_on: dt.date | None = Field(None, description="request_hearing")
    notified_on: dt.date | None = Field(None, description="schedule_hearing: notice served")
    held_on: dt.date | None = Field(
        None, description="schedule_hearing: hearing date; record_discussion: meeting date"
    )
    place: str = Field("", max_length=200, description="schedule_hearing, record_disposal")
    host: str = Field("", max_length=100, description="schedule_hearing")
    record: str = Field("", max_length=20000, description="record_hearing: 听证笔录")
    report: str = Field("", max_length=20000, description="record_hearing: 听证报告")
    attendees: str = Field("", max_length=2000, description="record_discussion")
    minutes: str = Field("", max_length=20000, description="record_discussion")
    conclusion: str = Field("", max_length=5000, description="record_discussion")
    paid_on: dt.date | None = Field(None, description="record_payment")
    amount: Money | None = Field(None, description="record_payment")
    officers: str = Field(
        "",
        max_length=200,
        description="record_inquiry/record_inspection/record_disposal: two officers or more",
    )
    person: str = Field("", max_length=200, description="record_inquiry/record_inspection")
    content: str = Field("", max_length=20000, description="record_inquiry/record_inspection")
    items: str = Field("", max_length=5000, description="impose_measure: what is sealed or seized")
    decided_on: dt.date | None = Field(None, description="impose_measure")
    measure: int | None = Field(None, ge=1, le=2**31 - 1, description="extend/release_measure")
    released_on: dt.date | None = Field(None, description="release_measure")
    remedy: str = Field("", max_length=16, description="record_remedy: reconsideration/litigation")
    filed_on: dt.date | None = Field(None, description="record_remedy")
    body: str = Field("", max_length=200, description="record_remedy: the reviewing body")
    remedy_id: int | None = Field(None, ge=1, le=2**31 - 1, description="record_remedy_outcome")
    outcome: str = Field(
        "",
        max_length=16,
        description="record_remedy_outcome: upheld/changed/revoked/unlawful/void/withdrawn",
    )
    outcome_on: dt.date | None = Field(None, description="record_remedy_outcome")
    changed_summary: str = Field(
        "", max_length=5000, description="record_remedy_outcome (changed): the decision now"
    )
    changed_amount: Money | None = Field(
        None, description="record_remedy_outcome (changed): at most the amount in force, may be 0"
    )
    changed_kinds: list[Annotated[str, Field(max_length=16)]] = Field(
        default_factory=list,
        max_length=10,
        description="record_remedy_outcome (changed): penalty kinds, none added; empty: unchanged",
    )
    urged_on: dt.date | None = Field(None, description="apply_enforcement: demand served")
    applied_on: dt.date | None = Field(None, description="apply_enforcement")
    court: str = Field("", max_length=200, description="apply_enforcement")
    question: str = Field("", max_length=2000, description="request_information")
    plan: str = Field("", max_length=16, description="approve_payment_plan: deferral/instalments")
    deferred_to: dt.date | None = Field(None, description="approve_payment_plan (deferral)")
    instalments: list[Instalment] = Field(
        default_factory=list, max_length=36, description="approve_payment_plan (instalments)"
    )
    description: str = Field("", max_length=500, description="record_confiscation: the goods")
    quantity: Quantity | None = Field(None, description="record_confiscation: more than 0")
    unit_of_measure: str = Field(
        "", max_length=20, description="record_confiscation: 件, 盒, 千克 …"
    )
    goods: int | None = Field(
        None, ge=1, le=2**31 - 1, description="record_disposal: the confiscated item's id"
    )
    disposed_on: dt.date | None = Field(None, description="record_disposal")
    proceeds: Quantity | None = Field(
        None, description="record_disposal: auction proceeds (paid to the treasury), auctions only"
    )
    retention: str = Field(
        "",
        max_length=16,
        description="archive_case: permanent, long or short (default: long for penalty cases)",
    )
    # Any sane integer: the service refuses what is out of range with a coded error naming it.
    volumes: int | None = Field(
        None, ge=-(2**31), le=2**31 - 1, description="archive_case: volumes (册数), default 1"
    )
    pages: int | None = Field(
        None, ge=-(2**31), le=2**31 - 1, description="archive_case: pages (页数), optional"
    )
    archived_on: dt.date | None = Field(None, description="archive_case: default today")


def _staff_case(request: HttpRequest, case_id: Id) -> Case:
    case = selectors.case_list(actor=actor(request)).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("找不到该案件，或您无权查看。"))
    return case


def _detail(request: HttpRequest, case: Case) -> Case:
    """The case with what the caller may do to it and its record, for ``CaseDetailOut``."""
    from ipshield.accounts.selectors import profile_of
    from ipshield.cases.workflow import allowed_actions

    profile = profile_of(actor(request))
    roles = set(profile.roles) if profile and not profile.read_only else set()
    owner = profile is not None and profile.unit_id == case.unit_id
    from ipshield.cases.procedure import offered_steps

    case.allowed_actions = (
        [*allowed_actions(case.status, roles, case=case), *offered_steps(case, roles)]
        if owner
        else []
    )
    case.record = [_event(event, case) for event in selectors.case_record(case=case)]
    return case


def _event(event: Any, case: Case) -> dict[str, Any]:
    """One record entry for ``CaseEventOut``; a reporter's own steps carry no account id
    (the workbench shows them as "举报人"; identities are revealed there only, on record)."""
    from ipshield.cases.models import Source

    reporter = case.source == Source.REPORT and (
        event.unit_id is None
        or (case.submitted_by_id is not None and event.actor_id == case.submitted_by_id)
    )
    return {
        "seq": event.seq,
        "verb": event.verb,
        "at": event.at,
        "actor_id": None if reporter else event.actor_id,
        "unit_id": event.unit_id,
        "before": event.before,
        "after": event.after,
        "note": event.note,
        "hash": event.hash,
    }


@router.get("/cases", response=list[CaseOut], summary="本单位案件（按期限排序）")
@paginated(page_size=25)
def case_list(
    request: HttpRequest,
    status: SearchText = "",
    track: SearchText = "",
    source: SearchText = "",
    due: SearchText = "",
    q: Annotated[
        SearchText,
        Field(
            description="案件编号（全部或开头）、当事人名称（繁简均可）或事由、情况描述中的关键词"
        ),
    ] = "",
):
    """``q`` searches: a case number or its start; otherwise every word must appear in a party's
    name, the title or the description (Traditional or Simplified, any width)."""
    return selectors.case_list(
        actor=actor(request), status=status, track=track, source=source, due=due, q=q
    ).only(*selectors.LIST_FIELDS)


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="案件详情与执法记录")
def case_detail(request: HttpRequest, case_id: Id):
    return _detail(request, _staff_case(request, case_id))


@router.post(
    "/cases/{case_id}/actions/{action}", response=CaseDetailOut, summary="办理动作（受理、立案…）"
)
def case_action(request: HttpRequest, case_id: Id, action: str, payload: ActionIn):
    from ipshield.cases.actions import ALL_ACTIONS, REVEAL_IDENTITY, run_action

    if action not in ALL_ACTIONS or action == REVEAL_IDENTITY:
        # Reporter identities are revealed on the workbench only, never to other systems.
        raise NotFound(_("没有这个办理动作。"))
    case = _staff_case(request, case_id)
    run_action(action, actor(request), case, payload.model_dump())
    return _detail(request, _staff_case(request, case_id))


class LeadNoticeIn(Schema):
    to_unit_id: Id
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=5000)
    infringer_uscc: str = Field("", max_length=40)
    infringer_name: str = Field("", max_length=200)
    place: str = Field("", max_length=500)
    amount_involved: Amount = None


@router.post("/lead-notices", response={201: CaseOut}, summary="线索通报（发往其他单位）")
def lead_notice_create(request: HttpRequest, payload: LeadNoticeIn):
    from ipshield.accounts.models import Unit

    unit = Unit.objects.filter(pk=payload.to_unit_id, is_external=False).first()
    if unit is None:
        raise InvalidInput(_("没有这个单位。"), field="to_unit_id")
    submitted = intake.lead_notice_create(
        actor=actor(request),
        to_unit=unit,
        title=payload.title,
        description=payload.description,
        infringer_uscc=payload.infringer_uscc,
        infringer_name=payload.infringer_name,
        place=payload.place,
        amount_involved=payload.amount_involved,
    )
    return Status(201, submitted.case)
