"""One typed function per audit verb. Call them inside the service's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from ipshield.audit.models import AuditEvent, Verb


def _actor_unit(actor: Any) -> Any:
    profile = getattr(actor, "profile", None) if actor is not None else None
    return getattr(profile, "unit", None)


def record_event(verb: Verb, *, actor: Any, target: models.Model, **data: Any) -> AuditEvent:
    return AuditEvent.objects.create(
        verb=verb,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=_actor_unit(actor),
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data,
    )


def user_signed_up(*, user: Any) -> AuditEvent:
    return record_event(Verb.USER_SIGNED_UP, actor=user, target=user, username=user.username)


def user_created(*, actor: Any, user: Any, roles: list[str]) -> AuditEvent:
    return record_event(Verb.USER_CREATED, actor=actor, target=user, roles=roles)


def user_roles_changed(*, actor: Any, user: Any, before: list[str], after: list[str]) -> AuditEvent:
    return record_event(
        Verb.USER_ROLES_CHANGED, actor=actor, target=user, before=before, after=after
    )


def unit_created(*, actor: Any, unit: Any) -> AuditEvent:
    return record_event(Verb.UNIT_CREATED, actor=actor, target=unit, name=unit.name)


def leading_group_seat_set(*, actor: Any, group: Any, member: Any) -> AuditEvent:
    return record_event(
        Verb.LEADING_GROUP_SEAT_SET,
        actor=actor,
        target=group,
        person_id=member.person_id,
        position=member.position,
        title=member.title,
    )


def token_issued(*, actor: Any, token: Any) -> AuditEvent:
    return record_event(Verb.TOKEN_ISSUED, actor=actor, target=token, unit_id=token.unit_id)


def token_revoked(*, actor: Any, token: Any) -> AuditEvent:
    return record_event(Verb.TOKEN_REVOKED, actor=actor, target=token, unit_id=token.unit_id)


def record_shared(*, actor: Any, target: models.Model, unit: Any, reason: str) -> AuditEvent:
    return record_event(
        Verb.RECORD_SHARED, actor=actor, target=target, unit_id=unit.pk, reason=reason
    )


def entity_created(*, actor: Any, entity: Any) -> AuditEvent:
    return record_event(Verb.ENTITY_CREATED, actor=actor, target=entity, name=entity.name)


def entity_updated(*, actor: Any, entity: Any, changes: dict[str, Any]) -> AuditEvent:
    return record_event(Verb.ENTITY_UPDATED, actor=actor, target=entity, changes=changes)


def rights_holder_created(*, actor: Any, holder: Any) -> AuditEvent:
    return record_event(Verb.RIGHTS_HOLDER_CREATED, actor=actor, target=holder, name=holder.name)


def right_registered(*, actor: Any, right: Any) -> AuditEvent:
    return record_event(
        Verb.RIGHT_REGISTERED,
        actor=actor,
        target=right,
        kind=right.kind,
        registration_number=right.registration_number,
    )


def right_verified(*, actor: Any, right: Any) -> AuditEvent:
    return record_event(Verb.RIGHT_VERIFIED, actor=actor, target=right)


def right_rejected(*, actor: Any, right: Any, reason: str) -> AuditEvent:
    return record_event(Verb.RIGHT_REJECTED, actor=actor, target=right, reason=reason)


def right_expired(*, right: Any) -> AuditEvent:
    return record_event(
        Verb.RIGHT_EXPIRED, actor=None, target=right, valid_until=str(right.valid_until)
    )


def evidence_preserved(*, actor: Any, item: Any) -> AuditEvent:
    return record_event(
        Verb.EVIDENCE_PRESERVED,
        actor=actor,
        target=item,
        sha256=item.sha256,
        leaf_index=item.leaf_index,
        case_id=item.case_id,
    )


def calendar_changed(*, actor: Any, target: models.Model, change: str, **data: Any) -> AuditEvent:
    """A year's holiday schedule confirmed or withdrawn, or one of its days entered or removed."""
    return record_event(Verb.CALENDAR_CHANGED, actor=actor, target=target, change=change, **data)


def audit_log_read(
    *, actor: Any, filters: dict[str, Any], channel: str, page: int | None = None
) -> AuditEvent:
    """Someone read the audit trail (page, export or API) with these filters."""
    data: dict[str, Any] = {"filters": filters, "channel": channel}
    if page is not None:
        data["page"] = page
    return AuditEvent.objects.create(
        verb=Verb.AUDIT_LOG_READ,
        actor=actor if getattr(actor, "pk", None) else None,
        unit=_actor_unit(actor),
        target_type=AuditEvent._meta.label_lower,
        target_id="",
        data=data,
    )


def cluster_rule_saved(*, actor: Any, rule: Any, **data: Any) -> AuditEvent:
    """A mediation-first rule (disputes.ClusterRule) created or changed."""
    return record_event(Verb.CLUSTER_RULE_SAVED, actor=actor, target=rule, **data)
