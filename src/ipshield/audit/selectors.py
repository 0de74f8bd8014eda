"""Reads of the audit trail."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from ipshield.audit.models import AuditEvent


def events_for(*, target: models.Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor", "unit")
