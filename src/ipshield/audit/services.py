"""Reading the audit trail is itself recorded: who looked, through which channel, for what."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ipshield.audit import events
from ipshield.audit.models import AuditEvent
from ipshield.audit.selectors import AuditFilters, audit_event_list, can_read_audit_log
from ipshield.common.errors import PermissionDenied

CHANNELS = ("web", "export", "api")


@transaction.atomic
def audit_log_read(
    *, actor: Any, filters: AuditFilters, channel: str, page: int | None = None
) -> QuerySet[AuditEvent]:
    """The events ``filters`` select, for an auditor or administrator; records the read
    (``audit_log.read``) with the filters, the channel (page, export, API) and the page."""
    if not can_read_audit_log(actor):
        raise PermissionDenied(_("审计记录仅对审计监督人员和系统管理员开放。"))
    if channel not in CHANNELS:
        raise ValueError(channel)
    events.audit_log_read(actor=actor, filters=filters.as_data(), channel=channel, page=page)
    return audit_event_list(filters=filters)
