"""API routes for penalty publications, typical cases and file review scores.

``/publications`` and ``/typical-cases`` are public (no account needed) and carry only the
masked data the portal shows. Withdrawal and the per-unit review scores are for staff.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from ipshield.common.api import actor, paginated
from ipshield.common.errors import NotFound
from ipshield.common.validation import Day, Id, SearchText, Year
from ipshield.publication import selectors, services

router = Router()


class PublicationOut(Schema):
    id: int
    decision_number: str = Field(..., description="决定书文号")
    title: str
    infringer_name: str = Field(..., description="当事人（自然人姓名已遮蔽）")
    infringer_uscc: str = Field(..., description="统一社会信用代码（自然人为空）")
    penalty_kinds: list[str]
    penalty_amount: Decimal | None = Field(None, description="罚没金额（元）")
    unit: str = Field(..., alias="unit.name", description="作出决定的单位")
    decided_on: dt.date
    published_at: dt.datetime
    period_ends_on: dt.date = Field(..., description="公示期满日（含当日）")


class PublicationDetailOut(PublicationOut):
    summary: str = Field(..., description="处罚决定摘要（已遮蔽）")


class StaffPublicationOut(PublicationDetailOut):
    status: str
    period_basis: str
    revoked_on: dt.date | None
    withdrawal_due_on: dt.date | None = Field(None, description="应撤回期限")
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str


class WithdrawIn(Schema):
    revoked_on: Day = Field(..., description="决定被撤销、变更或确认违法的日期")
    reason: str = Field(..., min_length=1, max_length=2000, description="撤回理由")


class TypicalCaseOut(Schema):
    id: int
    title: str
    summary: str
    unit: str = Field(..., alias="unit.name")
    published_at: dt.datetime | None


class UnitScoreOut(Schema):
    unit_id: int
    unit_name: str
    count: int = Field(..., description="评查案卷数")
    average: Decimal = Field(..., description="平均得分率（%）")
    lowest: Decimal
    highest: Decimal


@router.get(
    "/publications", response=list[PublicationOut], auth=None, summary="行政处罚公示（公开）"
)
@paginated(page_size=50)
def publication_list(
    request: HttpRequest, q: SearchText = "", unit_id: Id | None = None, year: Year | None = None
):
    """Decisions currently published. ``q`` matches the party's published name (Traditional
    and Simplified alike) or the decision number."""
    return selectors.publication_public_list(q=q, unit_id=unit_id, year=year)


@router.get(
    "/publications/{publication_id}",
    response=PublicationDetailOut,
    auth=None,
    summary="行政处罚公示详情（公开）",
)
def publication_detail(request: HttpRequest, publication_id: Id):
    publication = selectors.publication_public_get(publication_id=publication_id)
    if publication is None:
        raise Http404
    return publication


@router.post(
    "/publications/{publication_id}/withdraw",
    response=StaffPublicationOut,
    summary="撤回行政处罚公示",
)
def publication_withdraw(request: HttpRequest, publication_id: Id, payload: WithdrawIn):
    """Withdraw after the decision was revoked; the answer carries the statutory deadline
    (three working days after ``revoked_on``) and the time of withdrawal."""
    user = actor(request)
    publication = selectors.publication_staff_get(actor=user, publication_id=publication_id)
    if publication is None:
        raise NotFound(_("找不到该公示，或您无权办理。"))
    return services.publication_withdraw(
        actor=user, publication=publication, reason=payload.reason, revoked_on=payload.revoked_on
    )


@router.get("/typical-cases", response=list[TypicalCaseOut], auth=None, summary="典型案例（公开）")
@paginated(page_size=50)
def typical_case_list(request: HttpRequest):
    return selectors.typical_case_public_list()


@router.get(
    "/typical-cases/{typical_case_id}",
    response=TypicalCaseOut,
    auth=None,
    summary="典型案例详情（公开）",
)
def typical_case_detail(request: HttpRequest, typical_case_id: Id):
    typical_case = selectors.typical_case_public_get(typical_case_id=typical_case_id)
    if typical_case is None:
        raise Http404
    return typical_case


@router.get("/file-reviews/by-unit", response=list[UnitScoreOut], summary="案卷评查：各单位得分")
def file_review_rollup(request: HttpRequest, year: Year | None = None):
    return selectors.file_review_rollup(actor=actor(request), year=year)
