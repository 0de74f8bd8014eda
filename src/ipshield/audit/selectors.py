"""Reads of the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ipshield.audit.models import AuditEvent


def events_for(*, target: models.Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor", "unit")


def can_read_audit_log(actor: Any) -> bool:
    """Auditors and system administrators read the whole audit trail (every unit's)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", True)
        and actor.has_perm("audit.view_auditevent")
    )


@dataclass(frozen=True)
class AuditFilters:
    """What an audit-log reader asked for; every field optional."""

    unit_id: int | None = None
    person: str = ""  # a user name (exact) or part of a person's name
    verb: str = ""
    target_type: str = ""  # app_label.model, e.g. ``cases.case``
    target_id: str = ""
    since: dt.date | None = None  # first day, inclusive (Asia/Shanghai)
    until: dt.date | None = None  # last day, inclusive

    def as_data(self) -> dict[str, Any]:
        """The filters that were set, JSON-ready (recorded with each read)."""
        return {
            key: value.isoformat() if isinstance(value, dt.date) else value
            for key, value in asdict(self).items()
            if value not in (None, "")
        }


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_event_list(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit events matching ``filters``, newest first. Callers check
    :func:`can_read_audit_log` (the services in ``audit.services`` do, and record the read)."""
    events = AuditEvent.objects.select_related("actor__profile", "unit")
    if filters.unit_id:
        events = events.filter(unit_id=filters.unit_id)
    if filters.person:
        # A user name means that person; anything else is looked for in people's names.
        if get_user_model().objects.filter(username=filters.person).exists():
            events = events.filter(actor__username=filters.person)
        else:
            events = events.filter(actor__profile__display_name__icontains=filters.person)
    if filters.verb:
        events = events.filter(verb=filters.verb)
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.since:
        events = events.filter(created_at__gte=_start_of(filters.since))
    if filters.until:
        events = events.filter(created_at__lt=_start_of(filters.until + dt.timedelta(days=1)))
    return events.order_by("-created_at", "-id")


# Objects with a page of their own: target type → (URL name, the URL's argument name).
# Staff pages check the reader's scope themselves; auditors and administrators see all units.
TARGET_PAGES: dict[str, tuple[str, str]] = {
    "cases.case": ("workbench:case-detail", "case_id"),
    "cooperation.assistancerequest": ("workbench:coop-request", "request_id"),
    "cooperation.transfer": ("workbench:coop-transfer", "transfer_id"),
    "cooperation.jointoperation": ("workbench:coop-operation", "operation_id"),
    "evidence.evidenceitem": ("evidence:detail", "item_id"),
    "monitoring.alert": ("monitoring:alert", "pk"),
    "monitoring.listingimport": ("monitoring:import", "pk"),
    "publication.publication": ("publication:staff-publication", "pk"),
    "publication.typicalcase": ("publication:staff-typical-case", "pk"),
    "publication.filereview": ("publication:staff-review", "pk"),
    "publication.reporterreward": ("publication:staff-reward", "pk"),
    "disputes.organisation": ("workbench:disputes-organisation", "pk"),
    "disputes.mediator": ("workbench:disputes-mediator", "pk"),
}


def target_url(event: AuditEvent) -> str:
    """The page of the event's object, or ``""`` when it has none."""
    page = TARGET_PAGES.get(event.target_type)
    if page is None or not event.target_id.isdigit():
        return ""
    name, argument = page
    try:
        return reverse(name, kwargs={argument: int(event.target_id)})
    except NoReverseMatch:
        return ""


def target_label(target_type: str) -> str:
    """The object type in the reader's language (``cases.case`` → 案件)."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def target_types() -> list[tuple[str, str]]:
    """Object types events can name, with their labels, for the filter."""
    used = AuditEvent.objects.values_list("target_type", flat=True).distinct()
    return sorted(((t, target_label(t)) for t in used), key=lambda pair: pair[1])


def actor_name(event: AuditEvent) -> str:
    if event.actor is None:
        return ""
    profile = getattr(event.actor, "profile", None)
    return profile.display_name if profile else event.actor.get_username()
