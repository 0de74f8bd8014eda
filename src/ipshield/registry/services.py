"""Every change to market entities, rights holders and IP rights."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.models import Region, Unit
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.audit import events
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.common.uploads import validate_upload
from ipshield.engines.text import normalize_name
from ipshield.registry import errors
from ipshield.registry.models import (
    VERIFYING_UNIT_KIND,
    Entity,
    EntityKind,
    HolderKind,
    IPRight,
    RightKind,
    RightsHolder,
    RightStatus,
)
from ipshield.registry.selectors import right_visible_to_staff
from ipshield.registry.validation import clean_nice_classes, clean_uscc


def _required(value: str, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("请填写%(label)s。") % {"label": label}, field=field)
    return value


@transaction.atomic
def entity_create(
    *,
    actor: Any,
    name: str,
    uscc: str = "",
    kind: str = EntityKind.ENTERPRISE,
    legal_representative: str = "",
    address: str = "",
    region: Region | None = None,
    business_scope: str = "",
    established_on: dt.date | None = None,
) -> Entity:
    require_writer(actor)
    name = _required(name, field="name", label=_("名称"))
    code = clean_uscc(uscc) if uscc and uscc.strip() else None
    if kind not in EntityKind.values:
        raise InvalidInput(_("主体类型不正确。"), field="kind")
    if code and Entity.objects.filter(uscc=code).exists():
        raise Conflict(
            _("统一社会信用代码 %(code)s 已登记。") % {"code": code},
            field="uscc",
            code=errors.USCC_TAKEN,
        )
    entity = Entity.objects.create(
        uscc=code,
        name=name,
        name_normalized=normalize_name(name),
        kind=kind,
        legal_representative=legal_representative.strip(),
        address=address.strip(),
        region=region,
        business_scope=business_scope,
        established_on=established_on,
    )
    events.entity_created(actor=actor, entity=entity)
    return entity


@transaction.atomic
def entity_update(*, actor: Any, entity: Entity, **fields: Any) -> Entity:
    require_writer(actor)
    allowed = {"name", "legal_representative", "address", "region", "business_scope", "kind"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    changes: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "name":
            value = _required(value, field="name", label=_("名称"))
        before = getattr(entity, key)
        if before != value:
            changes[key] = [str(before), str(value)]
            setattr(entity, key, value)
    if changes:
        entity.name_normalized = normalize_name(entity.name)
        entity.save()
        events.entity_updated(actor=actor, entity=entity, changes=changes)
    return entity


@transaction.atomic
def rights_holder_for_user(
    *,
    user: Any,
    name: str,
    kind: str,
    region: Region,
    phone: str = "",
    email: str = "",
    uscc: str = "",
) -> RightsHolder:
    """Create (or update) the rights-holder record of a signed-in portal user."""
    name = _required(name, field="holder_name", label=_("权利人名称"))
    if kind not in HolderKind.values:
        raise InvalidInput(_("权利人类型不正确。"), field="holder_kind")
    entity = None
    if uscc and uscc.strip():
        code = clean_uscc(uscc, field="holder_uscc")
        entity = Entity.objects.filter(uscc=code).first()
        if entity is None:
            entity = Entity.objects.create(
                uscc=code, name=name, name_normalized=normalize_name(name), region=region
            )
            events.entity_created(actor=user, entity=entity)
    holder = RightsHolder.objects.filter(user=user).first()
    if holder is None:
        holder = RightsHolder.objects.create(
            user=user,
            name=name,
            kind=kind,
            region=region,
            entity=entity,
            contact_phone=phone,
            contact_email=email,
        )
        events.rights_holder_created(actor=user, holder=holder)
    else:
        holder.name, holder.kind, holder.region = name, kind, region
        holder.entity = entity or holder.entity
        holder.contact_phone, holder.contact_email = phone, email
        holder.save()
    return holder


def verifying_unit_for(*, kind: str, region: Region) -> Unit:
    """The unit of the right kind's department in ``region`` or its nearest ancestor."""
    unit_kind = VERIFYING_UNIT_KIND[kind]
    node: Region | None = region
    while node is not None:
        unit = Unit.objects.filter(kind=unit_kind, region=node, is_external=False).first()
        if unit is not None:
            return unit
        node = node.parent
    raise InvalidInput(
        _("%(region)s及其上级区划没有负责核验该类权利的单位，请联系管理员。")
        % {"region": region.name},
        field="region",
        code=errors.NO_VERIFYING_UNIT,
    )


@transaction.atomic
def right_register(
    *,
    actor: Any,
    holder: RightsHolder,
    kind: str,
    registration_number: str,
    title: str,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    nice_classes: list[int] | str = (),  # type: ignore[assignment]
    certificate: UploadedFile | None = None,
) -> IPRight:
    """Register an IP right for verification by the responsible unit of the holder's region."""
    if holder.user_id is not None and actor is not None and holder.user_id != actor.pk:
        profile = profile_of(actor)
        if profile is None or not profile.is_staff_member:
            raise PermissionDenied(_("只能登记自己的知识产权。"))
    if kind not in RightKind.values:
        raise InvalidInput(_("请选择权利类型。"), field="kind")
    number = _required(registration_number, field="registration_number", label=_("注册/登记号"))
    number = number.replace(" ", "").upper()
    title = _required(title, field="title", label=_("名称"))
    if valid_from and valid_until and valid_until < valid_from:
        raise InvalidInput(_("有效期至不能早于生效日期。"), field="valid_until")
    classes = clean_nice_classes(nice_classes or [])
    if kind == RightKind.TRADEMARK and not classes:
        raise InvalidInput(_("商标请至少填写一个尼斯分类（1–45）。"), field="nice_classes")
    if kind != RightKind.TRADEMARK:
        classes = []
    if IPRight.objects.filter(kind=kind, registration_number=number).exists():
        raise Conflict(
            _("%(kind)s %(number)s 已经登记过。")
            % {"kind": RightKind(kind).label, "number": number},
            field="registration_number",
            code=errors.RIGHT_DUPLICATE,
        )
    digest = ""
    if certificate is not None:
        validate_upload(certificate, field="certificate")
        hasher = hashlib.sha256()
        for chunk in certificate.chunks():
            hasher.update(chunk)
        digest = hasher.hexdigest()
        certificate.seek(0)
    right = IPRight(
        kind=kind,
        registration_number=number,
        title=title,
        holder=holder,
        valid_from=valid_from,
        valid_until=valid_until,
        nice_classes=classes,
        verifying_unit=verifying_unit_for(kind=kind, region=holder.region),
        certificate_sha256=digest,
    )
    if certificate is not None:
        right.certificate.save(certificate.name or "certificate", certificate, save=False)
    try:
        with transaction.atomic():
            right.save()
    except IntegrityError as exc:  # a concurrent registration of the same number
        if right.certificate:
            right.certificate.delete(save=False)
        raise Conflict(
            _("该权利已经登记过。"), field="registration_number", code=errors.RIGHT_DUPLICATE
        ) from exc
    events.right_registered(actor=actor, right=right)
    return right


def _pending_for(actor: Any, right: IPRight) -> IPRight:
    require_writer(actor)
    if not right_visible_to_staff(actor=actor, right_id=right.pk):
        raise PermissionDenied(_("该权利不由您的单位核验。"))
    if right.status != RightStatus.PENDING:
        raise Conflict(
            _("该权利当前状态为“%(s)s”，不能再核验。") % {"s": right.get_status_display()},
            code=errors.RIGHT_NOT_PENDING,
        )
    return right


@transaction.atomic
def right_verify(*, actor: Any, right: IPRight) -> IPRight:
    right = IPRight.objects.select_for_update().get(pk=right.pk)
    _pending_for(actor, right)
    right.status = RightStatus.VERIFIED
    right.verified_by = actor
    right.verified_at = timezone.now()
    right.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    events.right_verified(actor=actor, right=right)
    return right


@transaction.atomic
def right_reject(*, actor: Any, right: IPRight, reason: str) -> IPRight:
    right = IPRight.objects.select_for_update().get(pk=right.pk)
    _pending_for(actor, right)
    reason = _required(reason, field="reason", label=_("未通过原因"))
    right.status = RightStatus.REJECTED
    right.rejection_reason = reason
    right.verified_by = actor
    right.verified_at = timezone.now()
    right.save(
        update_fields=["status", "rejection_reason", "verified_by", "verified_at", "updated_at"]
    )
    events.right_rejected(actor=actor, right=right, reason=reason)
    return right


@transaction.atomic
def rights_expire_due(*, today: dt.date | None = None) -> int:
    """Mark verified rights whose validity has ended as expired. Returns how many changed."""
    today = today or timezone.localdate()
    due = list(
        IPRight.objects.select_for_update().filter(
            status=RightStatus.VERIFIED, valid_until__lt=today
        )
    )
    for right in due:
        right.status = RightStatus.EXPIRED
        right.save(update_fields=["status", "updated_at"])
        events.right_expired(right=right)
    return len(due)
