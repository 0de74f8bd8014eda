"""Every change to units, people, tokens and shares. Each writes its audit event."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts import errors
from ipshield.accounts.models import (
    ApiToken,
    GroupPosition,
    LeadingGroup,
    LeadingGroupMember,
    Profile,
    Region,
    Share,
    Unit,
)
from ipshield.accounts.roles import STAFF_ROLES, Role, sync_role_groups
from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.audit import events
from ipshield.common.errors import InvalidInput, PermissionDenied

User = get_user_model()
TOKEN_PREFIX = "ips_"  # noqa: S105 (a public prefix, not a secret)


def require_writer(actor: Any) -> None:
    """Refuse changes by read-only roles (auditors, leading-group members)."""
    profile = profile_of(actor)
    if profile is not None and profile.read_only and not actor.is_superuser:
        raise PermissionDenied(_("您的角色只能查看，不能修改。"), code=errors.READ_ONLY)


def _check_password(password: str, *, user: Any, field: str = "password") -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field=field, code=errors.WEAK_PASSWORD) from exc


def _check_roles(roles: Iterable[str]) -> list[str]:
    clean = []
    for role in roles:
        if role not in Role.values:
            raise InvalidInput(
                _("未知角色：%(role)s") % {"role": role}, field="roles", code=errors.UNKNOWN_ROLE
            )
        clean.append(role)
    return sorted(set(clean))


def _set_roles(user: Any, roles: list[str]) -> None:
    groups = list(Group.objects.filter(name__in=roles))
    if len(groups) != len(set(roles)):
        # Role groups are made after migrate; make them now rather than drop a role silently.
        sync_role_groups()
        groups = list(Group.objects.filter(name__in=roles))
    user.groups.set(groups)


@transaction.atomic
def user_sign_up(
    *, username: str, password: str, display_name: str, phone: str = "", email: str = ""
) -> Any:
    """A member of the public creates an account; they become a rights holder user."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(
            _("用户名“%(name)s”已被使用，请换一个。") % {"name": username},
            field="username",
            code=errors.USERNAME_TAKEN,
        )
    user = User(username=username, email=email.strip())
    _check_password(password, user=user)
    user.set_password(password)
    user.save()
    Profile.objects.create(user=user, display_name=display_name.strip(), phone=phone.strip())
    _set_roles(user, [Role.RIGHTS_HOLDER])
    events.user_signed_up(user=user)
    return user


@transaction.atomic
def person_create(
    *,
    actor: Any,
    username: str,
    display_name: str,
    roles: Iterable[str],
    unit: Unit | None,
    password: str | None = None,
    title: str = "",
    phone: str = "",
    email: str = "",
) -> Any:
    """Create a person. Staff roles need a unit; a unit leader may only add to their own unit."""
    require_writer(actor)
    role_list = _check_roles(roles)
    # Everyone who works inside a unit needs one; a system administrator may stand outside.
    if set(role_list) & {str(r) for r in STAFF_ROLES - {Role.SYSADMIN}} and unit is None:
        raise InvalidInput(_("工作人员必须属于一个单位。"), field="unit", code=errors.UNIT_REQUIRED)
    actor_profile = profile_of(actor)
    outside_own_unit = actor_profile is None or unit is None or actor_profile.unit_id != unit.pk
    if actor is not None and not sees_all_units(actor) and outside_own_unit:
        raise PermissionDenied(_("只能在本单位添加人员。"), field="unit")
    if User.objects.filter(username__iexact=username.strip()).exists():
        raise InvalidInput(
            _("用户名“%(name)s”已被使用，请换一个。") % {"name": username},
            field="username",
            code=errors.USERNAME_TAKEN,
        )
    user = User(username=username.strip(), email=email, is_staff=Role.SYSADMIN in role_list)
    if password:
        _check_password(password, user=user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Profile.objects.create(
        user=user, display_name=display_name, unit=unit, title=title, phone=phone
    )
    _set_roles(user, role_list)
    events.user_created(actor=actor, user=user, roles=role_list)
    return user


@transaction.atomic
def person_set_roles(*, actor: Any, user: Any, roles: Iterable[str]) -> None:
    require_writer(actor)
    before = sorted(user.groups.values_list("name", flat=True))
    after = _check_roles(roles)
    _set_roles(user, after)
    user.is_staff = Role.SYSADMIN in after or user.is_superuser
    user.save(update_fields=["is_staff"])
    events.user_roles_changed(actor=actor, user=user, before=before, after=after)


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    region: Region,
    parent: Unit | None = None,
    short_name: str = "",
    is_external: bool = False,
) -> Unit:
    require_writer(actor)
    if Unit.objects.filter(name=name.strip()).exists():
        raise InvalidInput(_("已有同名单位。"), field="name", code="unit_name_taken")
    unit = Unit.objects.create(
        name=name.strip(),
        kind=kind,
        region=region,
        parent=parent,
        short_name=short_name,
        is_external=is_external,
    )
    events.unit_created(actor=actor, unit=unit)
    return unit


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(
    *, actor: Any, unit: Unit, name: str, roles: Iterable[str] = (Role.CASE_OFFICER,)
) -> tuple[ApiToken, str]:
    """Issue a token to ``unit``'s system. Returns the token row and the secret, shown once.

    The token acts as a service account of the unit carrying ``roles``, so the same
    unit-scoping rules apply to machines as to people.
    """
    require_writer(actor)
    if not name.strip():
        raise InvalidInput(_("请填写令牌用途。"), field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    prefix = secret[: len(TOKEN_PREFIX) + 6]
    service_user = User(username=f"api-{unit.pk}-{secrets.token_hex(4)}")
    service_user.set_unusable_password()
    service_user.save()
    Profile.objects.create(
        user=service_user, display_name=f"{unit.name} · {name.strip()}", unit=unit
    )
    _set_roles(service_user, _check_roles(roles))
    token = ApiToken.objects.create(
        unit=unit,
        name=name.strip(),
        prefix=prefix,
        token_hash=hash_token(secret),
        issued_by=actor if getattr(actor, "pk", None) else None,
        acts_as=service_user,
    )
    events.token_issued(actor=actor, token=token)
    return token, secret


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> None:
    require_writer(actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        token.acts_as.is_active = False
        token.acts_as.save(update_fields=["is_active"])
        events.token_revoked(actor=actor, token=token)


ROLE_SEPARATOR = "\n"  # not in a group's name


def token_authenticate(secret: str) -> Any | None:
    """Return the user a bearer secret acts as, or None. Touches ``last_used_at`` at most once
    a minute so that busy integrations do not write on every request."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    # The profile, its unit and the roles come along: every API call asks for them.
    roles = (
        Group.objects.filter(user=models.OuterRef("acts_as_id"))
        .order_by()
        .values("user")
        .annotate(names=models.StringAgg("name", delimiter=models.Value(ROLE_SEPARATOR)))
        .values("names")
    )
    token = (
        ApiToken.objects.select_related("acts_as__profile__unit")
        .annotate(acts_as_roles=models.Subquery(roles))
        .filter(token_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.acts_as.is_active:
        return None
    profile = profile_of(token.acts_as)
    if profile is not None:
        profile.roles_known(filter(None, (token.acts_as_roles or "").split(ROLE_SEPARATOR)))
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.acts_as


@transaction.atomic
def record_share(*, actor: Any, target: models.Model, unit: Unit, reason: str) -> Share:
    """Make ``target`` visible to ``unit`` (idempotent)."""
    require_writer(actor)
    share, created = Share.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        unit=unit,
        defaults={"shared_by": actor if getattr(actor, "pk", None) else None, "reason": reason},
    )
    if created:
        events.record_shared(actor=actor, target=target, unit=unit, reason=reason)
    return share


@transaction.atomic
def leading_group_seat(
    *,
    actor: Any,
    group: LeadingGroup,
    person: Profile,
    position: str,
    title: str,
    unit: Unit,
    order: int,
) -> LeadingGroupMember:
    """Seat ``person`` in the leading group (or update the seat's title, unit and order)."""
    require_writer(actor)
    if position not in GroupPosition.values:
        raise InvalidInput(_("组内职务不正确。"), field="position")
    member, created = LeadingGroupMember.objects.update_or_create(
        group=group,
        person=person,
        position=position,
        defaults={"title": title, "unit": unit, "order": order},
    )
    if created:
        events.leading_group_seat_set(actor=actor, group=group, member=member)
    return member


@transaction.atomic
def notification_settings_set(*, actor: Any, email: bool, digest: bool, sms: bool) -> Any:
    """Record how ``actor`` wants to be told (their own settings only)."""
    from ipshield.accounts.models import NotificationSettings

    current, _created = NotificationSettings.objects.select_for_update().get_or_create(user=actor)
    current.email, current.digest, current.sms = bool(email), bool(digest), bool(sms)
    current.save(update_fields=["email", "digest", "sms"])
    return current


@transaction.atomic
def notifications_mark_read(*, user: Any) -> int:
    from ipshield.accounts.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
