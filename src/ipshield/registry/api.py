"""API routes for market entities and IP rights."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ipshield.accounts.models import Region
from ipshield.common.api import actor, paginated
from ipshield.common.errors import InvalidInput, PermissionDenied
from ipshield.common.validation import Day, Id, NiceClass, SearchText
from ipshield.registry import selectors, services
from ipshield.registry.models import EntityKind, RightKind, RightsHolder

router = Router()


class EntityIn(Schema):
    name: str = Field(..., min_length=1, max_length=200, description="名称")
    uscc: str = Field("", max_length=40, description="统一社会信用代码（18 位）")
    kind: EntityKind = EntityKind.ENTERPRISE
    legal_representative: str = Field("", max_length=64)
    address: str = Field("", max_length=200)
    region_code: str | None = None


class EntityOut(Schema):
    id: int
    uscc: str | None
    name: str
    name_normalized: str
    kind: str
    legal_representative: str
    address: str
    region_code: str | None = Field(None, alias="region_id")


class RightIn(Schema):
    kind: RightKind
    registration_number: str = Field(..., min_length=1, max_length=64)
    title: str = Field(..., min_length=1, max_length=200)
    valid_from: Day | None = None
    valid_until: Day | None = None
    nice_classes: list[NiceClass] = []
    holder_id: Id | None = Field(None, description="工作人员代为登记时填写；权利人本人登记可省略")


class RightOut(Schema):
    id: int
    kind: str
    registration_number: str
    title: str
    holder_id: int
    holder_name: str = Field(..., alias="holder.name")
    valid_from: dt.date | None
    valid_until: dt.date | None
    nice_classes: list[int]
    status: str
    verifying_unit_id: int


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise InvalidInput(_("区划代码 %(c)s 不存在。") % {"c": code}, field="region_code")
    return region


@router.get("/entities", response=list[EntityOut], summary="市场主体")
@paginated(page_size=50)
def entity_list(request: HttpRequest, search: SearchText = "", kind: SearchText = ""):
    return selectors.entity_list(actor=actor(request), search=search, kind=kind)


@router.post("/entities", response={201: EntityOut}, summary="登记市场主体")
def entity_create(request: HttpRequest, payload: EntityIn):
    user = actor(request)
    if not user.has_perm("registry.add_entity"):
        raise PermissionDenied(_("您没有登记市场主体的权限。"))
    entity = services.entity_create(
        actor=user,
        name=payload.name,
        uscc=payload.uscc,
        kind=payload.kind,
        legal_representative=payload.legal_representative,
        address=payload.address,
        region=_region(payload.region_code),
    )
    return Status(201, entity)


@router.get("/entities/{entity_id}", response=EntityOut, summary="市场主体详情")
def entity_detail(request: HttpRequest, entity_id: Id):
    entity = selectors.entity_get(actor=actor(request), entity_id=entity_id)
    if entity is None:
        raise Http404
    return entity


@router.get("/rights", response=list[RightOut], summary="知识产权（按单位范围）")
@paginated(page_size=50)
def right_list(
    request: HttpRequest, status: SearchText = "", kind: SearchText = "", search: SearchText = ""
):
    return selectors.right_list(actor=actor(request), status=status, kind=kind, search=search)


@router.get("/rights/{right_id}", response=RightOut, summary="知识产权详情")
def right_detail(request: HttpRequest, right_id: Id):
    right = selectors.right_get(actor=actor(request), right_id=right_id)
    if right is None:
        raise Http404
    return right


@router.post("/rights", response={201: RightOut}, summary="登记知识产权")
def right_register(request: HttpRequest, payload: RightIn):
    user = actor(request)
    if payload.holder_id is not None:
        if not user.has_perm("registry.verify_ipright"):
            raise PermissionDenied(_("只有工作人员可以代权利人登记。"), field="holder_id")
        holder = get_object_or_404(RightsHolder, pk=payload.holder_id)
    else:
        holder = selectors.holder_of(user)
        if holder is None:
            raise InvalidInput(
                _("请先在门户“我的权利”中完善权利人信息。"), field="holder_id", code="no_holder"
            )
    right = services.right_register(
        actor=user,
        holder=holder,
        kind=payload.kind,
        registration_number=payload.registration_number,
        title=payload.title,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        nice_classes=payload.nice_classes,
    )
    return Status(201, right)


@router.post("/rights/{right_id}/verify", response=RightOut, summary="核验通过")
def right_verify(request: HttpRequest, right_id: Id):
    user = actor(request)
    right = selectors.right_get(actor=user, right_id=right_id)
    if right is None:
        raise Http404
    if not user.has_perm("registry.verify_ipright"):
        raise PermissionDenied(_("您没有核验知识产权的权限。"))
    return services.right_verify(actor=user, right=right)


@router.post("/rights/{right_id}/reject", response=RightOut, summary="核验不通过")
def right_reject(request: HttpRequest, right_id: Id, payload: RejectIn):
    user = actor(request)
    right = selectors.right_get(actor=user, right_id=right_id)
    if right is None:
        raise Http404
    if not user.has_perm("registry.verify_ipright"):
        raise PermissionDenied(_("您没有核验知识产权的权限。"))
    return services.right_reject(actor=user, right=right, reason=payload.reason)
