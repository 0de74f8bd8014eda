"""API routes for the current user, regions, units and people."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from ipshield.accounts import selectors
from ipshield.accounts.selectors import profile_of
from ipshield.common.api import actor, paginated
from ipshield.common.validation import SearchText

router = Router()


class MeOut(Schema):
    username: str
    display_name: str
    unit_id: int | None
    unit_name: str | None
    roles: list[str]


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    region_code: str
    parent_id: int | None
    is_external: bool


class PersonOut(Schema):
    id: int
    username: str
    display_name: str
    unit_id: int | None
    title: str
    roles: list[str]


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest):
    user = actor(request)
    profile = profile_of(user)
    return MeOut(
        username=user.username,
        display_name=profile.display_name if profile else user.username,
        unit_id=profile.unit_id if profile else None,
        unit_name=profile.unit.name if profile and profile.unit else None,
        roles=sorted(profile.roles) if profile else [],
    )


@router.get("/regions", response=list[RegionOut], summary="行政区划")
def regions(request: HttpRequest):
    return [
        RegionOut(code=r.code, name=r.name, level=r.level, parent_code=r.parent_id)
        for r in selectors.region_tree()
    ]


@router.get("/units", response=list[UnitOut], summary="单位名录")
@paginated(page_size=50)
def units(request: HttpRequest, search: SearchText = "", kind: SearchText = ""):
    return [
        UnitOut(
            id=u.pk,
            name=u.name,
            short_name=u.short_name,
            kind=u.kind,
            region_code=u.region_id,
            parent_id=u.parent_id,
            is_external=u.is_external,
        )
        for u in selectors.unit_list(actor=actor(request), search=search, kind=kind)
    ]


@router.get("/people", response=list[PersonOut], summary="人员（本单位；审计可见全部）")
@paginated(page_size=50)
def people(request: HttpRequest, search: SearchText = ""):
    return [
        PersonOut(
            id=p.pk,
            username=p.user.username,
            display_name=p.display_name,
            unit_id=p.unit_id,
            title=p.title,
            roles=sorted(g.name for g in p.user.groups.all()),
        )
        for p in selectors.person_list(actor=actor(request), search=search)
    ]
