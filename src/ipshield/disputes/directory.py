"""The directory of dispute resolution: organisations, their mediators and the conflicts of
interest mediators declare. Administrators manage every organisation; an organisation's unit
leader manages their own and its mediators; a mediator sets their own availability and
declares their own conflicts. Every change writes an audit event in its transaction; every
refusal names the field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from ipshield.accounts.models import Region, Unit, UnitKind
from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.audit.events import record_event
from ipshield.audit.models import Verb
from ipshield.common.errors import InvalidInput, PermissionDenied
from ipshield.disputes import errors
from ipshield.disputes.models import Conflict, Mediator, Organisation, OrganisationKind
from ipshield.disputes.selectors import roles_of
from ipshield.engines.text import normalize_name
from ipshield.registry.models import Entity, RightKind

__all__ = [
    "MAX_INDUSTRIES",
    "can_manage",
    "conflict_declare",
    "conflict_remove",
    "mediator_available",
    "mediator_save",
    "organisation_save",
]

MAX_INDUSTRIES = 10
LIMIT_DAYS = (1, 180)
LOAD = (1, 200)


# --- who may manage ---------------------------------------------------------------------------


def _is_admin(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False) or Role.SYSADMIN in roles_of(actor))


def can_manage(actor: Any, unit: Unit | None) -> bool:
    """Whether ``actor`` manages the organisation of ``unit`` (None: any organisation):
    administrators always, a unit leader their own unit's."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if _is_admin(actor):
        return True
    if Role.UNIT_LEADER not in roles_of(actor):
        return False
    profile = profile_of(actor)
    return profile is not None and (unit is None or profile.unit_id == unit.pk)


def _require_manager(actor: Any, unit: Unit) -> None:
    require_writer(actor)
    if not can_manage(actor, unit):
        raise PermissionDenied(
            _("只有系统管理员或本单位负责人可以管理纠纷化解组织和调解员。"),
            code=errors.NOT_YOURS,
        )


# --- input ------------------------------------------------------------------------------------


def _text(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(
            _("请填写%(label)s。") % {"label": label}, field=field, code=errors.FIELD_REQUIRED
        )
    if len(text) > limit:
        raise InvalidInput(
            _("%(label)s不能超过 %(limit)s 个字。") % {"label": label, "limit": limit},
            field=field,
            code=errors.FIELD_INVALID,
        )
    return text


def _int(value: Any, *, field: str, label: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise InvalidInput(
            _("%(label)s应为 %(low)s 至 %(high)s 的整数。")
            % {"label": label, "low": low, "high": high},
            field=field,
            code=errors.FIELD_INVALID,
        )
    return number


def clean_video_link(value: Any) -> str:
    """An http(s) address of the organisation's video room, or empty."""
    link = _text(
        value, field="video_link", label=_("视频调解会议室链接"), limit=300, required=False
    )
    if not link:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise InvalidInput(
            _("视频会议室链接应为以 http:// 或 https:// 开头的网址。"),
            field="video_link",
            code=errors.FIELD_INVALID,
        ) from None
    return link


def clean_specialties(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else list(value or [])
    if not items:
        raise InvalidInput(
            _("请至少选择一种擅长的权利类型。"), field="specialties", code=errors.FIELD_REQUIRED
        )
    chosen = []
    for item in items:
        if item not in RightKind.values:
            raise InvalidInput(
                _("未知的权利类型：%(value)s。") % {"value": str(item)[:40]},
                field="specialties",
                code=errors.FIELD_INVALID,
            )
        if item not in chosen:
            chosen.append(item)
    # In the registry's order, so a profile reads the same whatever the form sent.
    return [k for k in RightKind.values if k in chosen]


def clean_industries(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").split(",")
    items: list[str] = []
    for item in value or []:
        text = _text(item, field="industries", label=_("行业"), limit=32, required=False)
        if text and text not in items:
            items.append(text)
    if len(items) > MAX_INDUSTRIES:
        raise InvalidInput(
            _("熟悉的行业最多 %(n)s 个。") % {"n": MAX_INDUSTRIES},
            field="industries",
            code=errors.FIELD_INVALID,
        )
    return items


# --- organisations ----------------------------------------------------------------------------


@transaction.atomic
def organisation_save(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    video_link: str = "",
    address: str = "",
    accepts_online: bool = True,
    limit_days: Any = 30,
) -> Organisation:
    """Make ``unit`` a dispute-resolution organisation, or change its settings."""
    if not isinstance(unit, Unit):
        raise InvalidInput(_("请选择单位。"), field="unit", code=errors.FIELD_REQUIRED)
    _require_manager(actor, unit)
    if kind not in OrganisationKind.values:
        raise InvalidInput(_("请选择组织类型。"), field="kind", code=errors.FIELD_REQUIRED)
    if (kind == OrganisationKind.COURT) != (unit.kind == UnitKind.COURT):
        raise InvalidInput(
            _("人民法院类型只能用于法院单位，法院单位也只能是人民法院类型。"),
            field="kind",
            code=errors.FIELD_INVALID,
        )
    values = {
        "kind": kind,
        "video_link": clean_video_link(video_link),
        "address": _text(address, field="address", label=_("调解场所"), limit=200, required=False),
        "accepts_online": bool(accepts_online),
        "limit_days": _int(
            limit_days, field="limit_days", label=_("调解期限（日）"), bounds=LIMIT_DAYS
        ),
    }
    organisation = Organisation.objects.select_for_update().filter(unit=unit).first()
    created = organisation is None
    if created:
        organisation = Organisation.objects.create(unit=unit, **values)
    else:
        for name, value in values.items():
            setattr(organisation, name, value)
        organisation.save(update_fields=[*values, "updated_at"])
    record_event(
        Verb.ORGANISATION_SAVED,
        actor=actor,
        target=organisation,
        created=created,
        unit=unit.name,
        kind=kind,
        accepts_online=values["accepts_online"],
        limit_days=values["limit_days"],
    )
    return organisation


# --- mediators --------------------------------------------------------------------------------


@transaction.atomic
def mediator_save(
    *,
    actor: Any,
    user: Any,
    organisation: Organisation,
    name: str,
    title: str = "",
    specialties: Any = (),
    industries: Any = (),
    region: Region | None = None,
    available: bool = True,
    max_load: Any = 10,
) -> Mediator:
    """Register ``user`` as a mediator of ``organisation`` or change their profile. The account
    must belong to the organisation's unit; the organisation must mediate."""
    if not isinstance(organisation, Organisation):
        raise InvalidInput(_("请选择调解组织。"), field="organisation", code=errors.FIELD_REQUIRED)
    _require_manager(actor, organisation.unit)
    if not organisation.mediates:
        raise InvalidInput(
            _("仲裁委员会和法院不设调解员，请选择调解组织。"),
            field="organisation",
            code=errors.NOT_MEDIATING_BODY,
        )
    profile = profile_of(user) if user is not None else None
    if profile is None or not user.is_active:
        raise InvalidInput(_("请选择调解员的账号。"), field="user", code=errors.FIELD_REQUIRED)
    if profile.unit_id != organisation.unit_id:
        raise InvalidInput(
            _("调解员的账号应属于%(unit)s。") % {"unit": organisation.unit.name},
            field="user",
            code=errors.FIELD_INVALID,
        )
    if not isinstance(region, Region):
        raise InvalidInput(_("请选择所在区划。"), field="region", code=errors.FIELD_REQUIRED)
    values = {
        "organisation": organisation,
        "name": _text(name, field="name", label=_("姓名"), limit=64),
        "title": _text(title, field="title", label=_("职务/职称"), limit=64, required=False),
        "specialties": clean_specialties(specialties),
        "industries": clean_industries(industries),
        "region": region,
        "available": bool(available),
        "max_load": _int(max_load, field="max_load", label=_("同时办理上限"), bounds=LOAD),
    }
    mediator = Mediator.objects.select_for_update().filter(user=user).first()
    created = mediator is None
    if created:
        mediator = Mediator.objects.create(user=user, **values)
    else:
        if mediator.organisation_id != organisation.pk and mediator.active_count:
            raise InvalidInput(
                _("该调解员还有 %(n)s 件在办纠纷，办结后才能调到其他组织。")
                % {"n": mediator.active_count},
                field="organisation",
                code=errors.FIELD_INVALID,
            )
        for field, value in values.items():
            setattr(mediator, field, value)
        mediator.save(update_fields=[*values, "updated_at"])
    record_event(
        Verb.MEDIATOR_SAVED,
        actor=actor,
        target=mediator,
        created=created,
        organisation=organisation.pk,
        specialties=values["specialties"],
        available=values["available"],
        max_load=values["max_load"],
    )
    return mediator


def _require_self_or_manager(actor: Any, mediator: Mediator) -> None:
    require_writer(actor)
    if getattr(actor, "pk", None) == mediator.user_id:
        return
    if not can_manage(actor, mediator.organisation.unit):
        raise PermissionDenied(
            _("只有调解员本人、本单位负责人或系统管理员可以修改。"), code=errors.NOT_YOURS
        )


@transaction.atomic
def mediator_available(*, actor: Any, mediator: Mediator, available: bool) -> Mediator:
    """A mediator says whether they take new disputes now (their own profile page)."""
    _require_self_or_manager(actor, mediator)
    mediator = Mediator.objects.select_for_update().get(pk=mediator.pk)
    mediator.available = bool(available)
    mediator.save(update_fields=["available", "updated_at"])
    record_event(Verb.MEDIATOR_SAVED, actor=actor, target=mediator, available=mediator.available)
    return mediator


# --- conflicts of interest --------------------------------------------------------------------


@transaction.atomic
def conflict_declare(
    *,
    actor: Any,
    mediator: Mediator,
    name: str,
    entity: Entity | None = None,
    reason: str,
) -> Conflict:
    """A mediator declares a conflict of interest with a party (a name, or a registered entity):
    they are never assigned to a dispute with that party (``services.dispute_assign``)."""
    _require_self_or_manager(actor, mediator)
    if entity is not None and not isinstance(entity, Entity):
        raise InvalidInput(_("请选择市场主体。"), field="entity", code=errors.FIELD_INVALID)
    name = _text(name or (entity.name if entity else ""), field="name", label=_("名称"), limit=200)
    reason = _text(reason, field="reason", label=_("利害关系"), limit=200)
    key = normalize_name(name)
    if not key:
        raise InvalidInput(_("请填写名称。"), field="name", code=errors.FIELD_REQUIRED)
    if Conflict.objects.filter(mediator=mediator, name_normalized=key).exists():
        raise InvalidInput(
            _("已经申报过与“%(name)s”的利害关系。") % {"name": name},
            field="name",
            code=errors.FIELD_INVALID,
        )
    conflict = Conflict.objects.create(mediator=mediator, entity=entity, name=name, reason=reason)
    record_event(
        Verb.CONFLICT_DECLARED,
        actor=actor,
        target=conflict,
        mediator=mediator.pk,
        name=name,
        entity=entity.pk if entity else None,
    )
    return conflict


@transaction.atomic
def conflict_remove(*, actor: Any, conflict: Conflict) -> None:
    """Withdraw a declaration (the audit trail keeps that it existed)."""
    _require_self_or_manager(actor, conflict.mediator)
    record_event(
        Verb.CONFLICT_REMOVED,
        actor=actor,
        target=conflict,
        mediator=conflict.mediator_id,
        name=conflict.name,
    )
    conflict.delete()
