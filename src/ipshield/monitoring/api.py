"""API routes of online monitoring: mark search, protected marks and the watch list, listing
imports, and alerts (list, detail, dismiss one or many, turn into a lead with page capture).

Staff tokens and sessions see their unit's alerts; a rights holder's session sees the alerts on
their own protected marks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from ipshield.common.api import actor, paginated
from ipshield.common.errors import NotFound, PermissionDenied
from ipshield.common.validation import Id, NiceClass, Price, SearchText
from ipshield.monitoring import selectors, services
from ipshield.monitoring.models import ProtectedMark
from ipshield.registry.models import IPRight

router = Router()


class ReasonOut(Schema):
    code: str = Field(..., description="稳定的理由代码，如 marks.glyph")
    params: dict[str, Any]


class HitOut(Schema):
    name: str
    source: str = Field(..., description="register 商标注册簿 / right 本平台登记 / mark 监测名单")
    reference: str = Field(..., description="注册号（注册簿）或本平台记录编号")
    score: float = Field(..., description="近似度 0–1")
    reasons: list[str] = Field(..., description="理由（按请求语言）")
    reason_codes: list[ReasonOut] = Field(..., description="理由的代码与参数")


class MarkOut(Schema):
    id: int
    kind: str = Field(..., description="holder 权利人登记 / watch 单位监测名单")
    name: str
    nice_classes: list[int]
    categories: str
    price_min: Decimal | None
    price_max: Decimal | None
    active: bool
    right_id: int | None
    holder: str | None = Field(None, alias="holder.name")
    unit: str | None = Field(None, alias="unit.name")


class HolderMarkIn(Schema):
    right_id: Id
    name: str = Field("", max_length=100, description="默认为商标名称")
    categories: str = Field("", max_length=200)
    price_min: Price | None = Field(None, description="参考价下限（元）")
    price_max: Price | None = Field(None, description="参考价上限（元）")


class WatchMarkIn(Schema):
    name: str = Field(..., max_length=100)
    nice_classes: list[NiceClass] = Field(default_factory=list, description="不填则全部类别")
    categories: str = Field("", max_length=200)
    price_min: Price | None = None
    price_max: Price | None = None
    note: str = Field("", max_length=200)


class ListingOut(Schema):
    id: int
    platform: str
    shop: str
    title: str
    price: Decimal | None
    url: str
    seller_name: str
    seller_uscc: str
    seller_id: int | None
    listed_at: dt.datetime


class AlertOut(Schema):
    id: int
    status: str
    risk: int = Field(..., description="风险分 0–100")
    level: str = Field(..., description="high / medium / low")
    similarity: float
    matched: str
    reasons: list[str] = Field(..., alias="reason_texts", description="理由（按请求语言）")
    mark_id: int
    mark: str = Field(..., alias="mark.name")
    listing: ListingOut
    dismissal_reason: str
    case_number: str | None = Field(None, alias="case.number")
    evidence_id: int | None
    capture_error: str
    created_at: dt.datetime


class DismissIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500, description="排除理由")


class BulkDismissIn(DismissIn):
    alert_ids: list[Id] = Field(..., min_length=1, max_length=services.MAX_BULK)


class BulkOut(Schema):
    dismissed: int


class LeadIn(Schema):
    capture: bool = Field(True, description="同时对商品网页取证")


class ImportOut(Schema):
    id: int
    format: str
    status: str
    file_name: str
    total: int
    processed: int
    percent: int
    created_count: int
    duplicate_count: int
    error_count: int
    alert_count: int
    errors: list[dict]
    failure: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _staff(request: HttpRequest):
    user = actor(request)
    if not selectors.is_staff(user):
        raise PermissionDenied(_("只有单位工作人员可以使用此接口。"))
    return user


@router.get("/marks/search", response=list[HitOut], summary="近似商标检索")
def mark_search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=200),
    k: int = Query(20, ge=1, le=100),
    classes: str = Query("", max_length=200),
):
    """Marks confusingly similar to ``q`` with the reasons, best first. ``classes``: Nice
    classes separated by commas (only marks in one of them)."""
    from ipshield.registry.validation import clean_nice_classes

    _staff(request)
    wanted = clean_nice_classes(classes, field="classes") if classes else None
    hits = selectors.mark_search(query=q, k=k, classes=wanted)
    return [
        {
            "name": h.name,
            "source": h.source,
            "reference": h.reference,
            "score": round(h.score, 4),
            "reasons": h.reason_texts,
            "reason_codes": [{"code": r.code, "params": r.params} for r in h.reasons],
        }
        for h in hits
    ]


@router.get("/protected-marks", response=list[MarkOut], summary="受保护商标与监测名单")
@paginated(page_size=50)
def protected_mark_list(request: HttpRequest):
    user = actor(request)
    if selectors.is_staff(user):
        return selectors.watch_list(actor=user)
    return selectors.holder_marks(actor=user)


@router.post("/protected-marks", response={201: MarkOut}, summary="权利人登记受保护商标")
def protected_mark_register(request: HttpRequest, payload: HolderMarkIn):
    user = actor(request)
    right = IPRight.objects.filter(pk=payload.right_id).first()
    if right is None:
        raise NotFound(_("找不到该商标。"), field="right_id")
    mark = services.protected_mark_register(
        actor=user,
        right=right,
        name=payload.name,
        categories=payload.categories,
        price_min=payload.price_min,
        price_max=payload.price_max,
    )
    return Status(201, mark)


@router.post("/watch-list", response={201: MarkOut}, summary="加入本单位监测名单")
def watch_mark_add(request: HttpRequest, payload: WatchMarkIn):
    mark = services.watch_mark_add(actor=_staff(request), **payload.dict())
    return Status(201, mark)


@router.post("/protected-marks/{int:mark_id}/stop", response=MarkOut, summary="停止监测")
def protected_mark_stop(request: HttpRequest, mark_id: Id):
    user = actor(request)
    mark = ProtectedMark.objects.filter(pk=mark_id).first()
    if mark is None:
        raise NotFound(_("找不到该商标。"))
    return services.protected_mark_stop(actor=user, mark=mark)


@router.get("/alerts", response=list[AlertOut], summary="侵权预警")
@paginated(page_size=50)
def alert_list(
    request: HttpRequest,
    status: SearchText = "",
    level: SearchText = "",
    mark_id: Id | None = None,
    platform: SearchText = "",
    q: SearchText = "",
):
    """Highest risk first. ``status``: open / dismissed / lead; ``level``: high / medium / low."""
    return selectors.alert_list(
        actor=actor(request), status=status, level=level, mark_id=mark_id, platform=platform, q=q
    )


def _alert(request: HttpRequest, alert_id: Id):
    alert = selectors.alert_detail(actor=actor(request), alert_id=alert_id)
    if alert is None:
        raise NotFound(_("找不到该预警。"))
    return alert


@router.get("/alerts/{int:alert_id}", response=AlertOut, summary="预警详情")
def alert_detail(request: HttpRequest, alert_id: Id):
    return _alert(request, alert_id)


@router.post("/alerts/{int:alert_id}/dismiss", response=AlertOut, summary="排除预警")
def alert_dismiss(request: HttpRequest, alert_id: Id, payload: DismissIn):
    return services.alert_dismiss(
        actor=_staff(request), alert=_alert(request, alert_id), reason=payload.reason
    )


@router.post("/alerts/bulk-dismiss", response=BulkOut, summary="批量排除预警")
def alerts_dismiss(request: HttpRequest, payload: BulkDismissIn):
    count = services.alerts_dismiss(
        actor=_staff(request), alert_ids=payload.alert_ids, reason=payload.reason
    )
    return {"dismissed": count}


@router.post("/alerts/{int:alert_id}/lead", response=AlertOut, summary="预警转线索并网页取证")
def alert_to_lead(request: HttpRequest, alert_id: Id, payload: LeadIn):
    """Creates a lead (source 监测预警) for the caller's unit and, with ``capture``, preserves the
    listing's page as evidence on it; a failed capture leaves the lead and ``capture_error``."""
    alert = services.alert_to_lead(
        actor=_staff(request), alert=_alert(request, alert_id), capture=payload.capture
    )
    return selectors.alert_detail(actor=actor(request), alert_id=alert.pk)


@router.get("/listing-imports", response=list[ImportOut], summary="商品信息导入记录")
@paginated(page_size=50)
def import_list(request: HttpRequest):
    return selectors.import_list(actor=_staff(request))


@router.get("/listing-imports/{int:import_id}", response=ImportOut, summary="导入进度")
def import_detail(request: HttpRequest, import_id: Id):
    row = selectors.import_list(actor=_staff(request)).filter(pk=import_id).first()
    if row is None:
        raise NotFound(_("找不到该导入记录。"))
    return row


@router.post("/listing-imports", response={201: ImportOut}, summary="导入商品信息（CSV/JSONL）")
def import_start(request: HttpRequest, file: File[UploadedFile]):
    """Small files are processed at once; larger ones are queued for the worker — poll
    ``/listing-imports/{id}`` for progress."""
    from ipshield.monitoring.imports import listing_import_start

    row = listing_import_start(actor=_staff(request), upload=file)
    return Status(201, row)
