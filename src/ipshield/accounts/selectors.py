"""Reads for units and people, and the unit-scoping rule every app's selectors use.

The rule: a staff member sees rows owned by their unit and rows shared to it (``Share``);
auditors, leading-group members and system administrators see every unit's rows. People without
a unit (the public, rights holders) see no unit-owned rows — their own rows come from the
owning app's selectors.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Model, Q, QuerySet
from django.db.models.functions import Cast

from ipshield.accounts.models import (
    ApiToken,
    LeadingGroup,
    LeadingGroupMember,
    Profile,
    Region,
    Share,
    Unit,
)

M = TypeVar("M", bound=Model)


def profile_of(actor: Any) -> Profile | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    try:
        return actor.profile
    except Profile.DoesNotExist:
        return None


def sees_all_units(actor: Any) -> bool:
    profile = profile_of(actor)
    return bool(getattr(actor, "is_superuser", False) or (profile and profile.sees_all_units))


# Above this many rows shared to a unit, the shared ids stay a subquery instead of a list.
SHARED_IDS_INLINE_LIMIT = 2000


def scope_to_unit(queryset: QuerySet[M], *, actor: Any, unit_field: str) -> QuerySet[M]:
    """Limit ``queryset`` to what ``actor``'s unit may see (owned via ``unit_field`` or shared).

    The shared ids are fetched first: when there are none (the common case) the query is a
    plain ``unit = X`` that both databases answer from the unit's composite indexes; an
    ``OR id IN (subquery)`` makes their planners misjudge the row count and walk other indexes
    (measured in benchmarks/cases.py).
    """
    if sees_all_units(actor):
        return queryset
    profile = profile_of(actor)
    if profile is None or profile.unit_id is None or not profile.is_staff_member:
        return queryset.none()
    content_type = ContentType.objects.get_for_model(queryset.model)
    shared = Share.objects.filter(content_type=content_type, unit_id=profile.unit_id)
    ids = list(shared.values_list("object_id", flat=True)[: SHARED_IDS_INLINE_LIMIT + 1])
    owned = Q(**{unit_field: profile.unit_id})
    if not ids:
        return queryset.filter(owned)
    if len(ids) > SHARED_IDS_INLINE_LIMIT:
        subquery = shared.annotate(oid=Cast("object_id", BigIntegerField())).values("oid")
        return queryset.filter(owned | Q(pk__in=subquery))
    return queryset.filter(owned | Q(pk__in=[int(i) for i in ids]))


def region_tree() -> list[Region]:
    return list(Region.objects.select_related("parent").order_by("code"))


def unit_list(*, actor: Any, search: str = "", kind: str = "") -> QuerySet[Unit]:
    """Units are a directory every staff member may read (needed to transfer and notify)."""
    profile = profile_of(actor)
    if not sees_all_units(actor) and (profile is None or not profile.is_staff_member):
        return Unit.objects.none()
    units = Unit.objects.select_related("region", "parent")
    if search:
        units = units.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    if kind:
        units = units.filter(kind=kind)
    return units.order_by("region_id", "name")


def units_managed_by(*, actor: Any) -> QuerySet[Unit]:
    """Units whose people ``actor`` may add: all for administrators, else their own."""
    if sees_all_units(actor):
        return Unit.objects.filter(is_external=False).order_by("region_id", "name")
    profile = profile_of(actor)
    if profile is None or profile.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk=profile.unit_id)


def person_list(*, actor: Any, search: str = "", unit_id: int | None = None) -> QuerySet[Profile]:
    """People of the actor's unit (all units for auditors and administrators)."""
    people = scope_to_unit(
        Profile.objects.filter(unit__isnull=False), actor=actor, unit_field="unit"
    ).select_related("user", "unit")
    if search:
        people = people.filter(
            Q(display_name__icontains=search) | Q(user__username__icontains=search)
        )
    if unit_id:
        people = people.filter(unit_id=unit_id)
    return people.prefetch_related("user__groups").order_by("unit__name", "display_name")


def person_get(*, actor: Any, profile_id: int) -> Profile | None:
    return person_list(actor=actor).filter(pk=profile_id).first()


def token_list(*, actor: Any) -> QuerySet[ApiToken]:
    return scope_to_unit(ApiToken.objects.all(), actor=actor, unit_field="unit").select_related(
        "unit"
    )


def leading_group_members(*, group: LeadingGroup) -> QuerySet[LeadingGroupMember]:
    return group.members.select_related("person", "unit").order_by("order", "id")


def leading_groups() -> QuerySet[LeadingGroup]:
    return LeadingGroup.objects.select_related("region", "office_unit")


def user_by_username(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def notifications_for(*, user: Any) -> QuerySet[Any]:
    from ipshield.accounts.models import Notification

    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_notifications(*, user: Any) -> int:
    from ipshield.accounts.models import Notification

    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
