"""Reads of entities, rights holders and rights, scoped to the actor.

- Market entities are a public register: every staff member may search them.
- IP rights belong to the unit that verifies them: officers see their unit's and those shared
  to it; auditors, leading-group members and administrators see all; a rights holder sees
  their own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from ipshield.accounts.selectors import profile_of, scope_to_unit, sees_all_units
from ipshield.engines import uscc as uscc_engine
from ipshield.engines.text import normalize_name
from ipshield.registry.models import Entity, IPRight, RightsHolder, RightStatus


def _is_staff(actor: Any) -> bool:
    profile = profile_of(actor)
    return sees_all_units(actor) or bool(profile and profile.is_staff_member)


def entity_list(*, actor: Any, search: str = "", kind: str = "") -> QuerySet[Entity]:
    if not _is_staff(actor):
        return Entity.objects.none()
    entities = Entity.objects.select_related("region")
    search = search.strip()
    if search:
        code = uscc_engine.normalize(search)
        if len(code) == 18:
            entities = entities.filter(uscc=code)
        else:
            entities = entities.filter(name_normalized__contains=normalize_name(search))
    if kind:
        entities = entities.filter(kind=kind)
    return entities.order_by("name_normalized", "id")


def entity_get(*, actor: Any, entity_id: int) -> Entity | None:
    return entity_list(actor=actor).filter(pk=entity_id).first()


def entity_find(*, name: str = "", uscc: str = "") -> Entity | None:
    """Look up one entity by code first, then by normalised name (Traditional or Simplified,
    full- or half-width, any spacing)."""
    if uscc:
        found = Entity.objects.filter(uscc=uscc_engine.normalize(uscc)).first()
        if found:
            return found
    if name:
        return Entity.objects.filter(name_normalized=normalize_name(name)).first()
    return None


def right_list(
    *, actor: Any, status: str = "", kind: str = "", search: str = ""
) -> QuerySet[IPRight]:
    if _is_staff(actor):
        rights = scope_to_unit(IPRight.objects.all(), actor=actor, unit_field="verifying_unit")
    else:
        rights = IPRight.objects.filter(holder__user_id=getattr(actor, "pk", None) or -1)
    if status:
        rights = rights.filter(status=status)
    if kind:
        rights = rights.filter(kind=kind)
    search = search.strip()
    if search:
        rights = rights.filter(
            Q(registration_number__icontains=search)
            | Q(title__icontains=search)
            | Q(holder__name__icontains=search)
        )
    return rights.select_related("holder", "verifying_unit").order_by("-created_at", "-id")


def right_get(*, actor: Any, right_id: int) -> IPRight | None:
    return right_list(actor=actor).filter(pk=right_id).first()


def right_visible_to_staff(*, actor: Any, right_id: int) -> bool:
    return (
        _is_staff(actor)
        and scope_to_unit(IPRight.objects.all(), actor=actor, unit_field="verifying_unit")
        .filter(pk=right_id)
        .exists()
    )


def holder_of(user: Any) -> RightsHolder | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return RightsHolder.objects.filter(user=user).select_related("region").first()


def workbench_counts(*, actor: Any) -> dict[str, int]:
    """The numbers on the workbench home, in a handful of queries."""
    rights = right_list(actor=actor).aggregate(
        total=Count("id"), pending=Count("id", filter=Q(status=RightStatus.PENDING))
    )
    return {
        "entities": entity_list(actor=actor).count(),
        "rights": rights["total"],
        "rights_pending": rights["pending"],
    }
