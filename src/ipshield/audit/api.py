"""``GET /api/v1/audit-events``: the audit trail for auditors and administrators (reading it is
recorded as ``audit_log.read``).

No ``from __future__ import annotations`` here: ninja reads the ``Query[...]`` annotation at
import time."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ipshield.audit import selectors, services
from ipshield.audit.models import AuditEvent, Verb
from ipshield.common.api import actor, paginated
from ipshield.common.errors import InvalidInput
from ipshield.common.validation import Day, Id

router = Router()


class AuditEventOut(Schema):
    id: int
    created_at: dt.datetime
    verb: str = Field(description="稳定的事件代码，例如 case.accepted；见 verb_label")
    verb_label: str
    actor_id: int | None
    actor_username: str | None
    actor_name: str
    unit_id: int | None
    unit_name: str | None
    target_type: str
    target_id: str
    target_url: str = Field(description="对象页面的路径；没有页面时为空")
    data: dict[str, Any]

    @staticmethod
    def resolve_verb_label(event: AuditEvent) -> str:
        return str(event.get_verb_display())

    @staticmethod
    def resolve_actor_username(event: AuditEvent) -> str | None:
        return event.actor.get_username() if event.actor else None

    @staticmethod
    def resolve_actor_name(event: AuditEvent) -> str:
        return selectors.actor_name(event)

    @staticmethod
    def resolve_unit_name(event: AuditEvent) -> str | None:
        return event.unit.name if event.unit else None

    @staticmethod
    def resolve_target_url(event: AuditEvent) -> str:
        return selectors.target_url(event)


class AuditFilterIn(Schema):
    unit_id: Id | None = Field(None, description="操作单位")
    person: str = Field("", max_length=150, description="操作人的用户名，或姓名中的字")
    verb: Verb | None = Field(None, description="事件代码")
    target_type: str = Field(
        "", max_length=64, pattern=r"^([a-z_]+\.[a-z_]+)?$", description="对象类型，如 cases.case"
    )
    target_id: str = Field("", max_length=64, description="对象编号")
    since: Day | None = Field(None, description="起始日期（含，北京时间）")
    until: Day | None = Field(None, description="截止日期（含，北京时间）")


@router.get(
    "/audit-events",
    response=list[AuditEventOut],
    summary="审计记录（审计监督人员、系统管理员）",
)
@paginated(page_size=50)
def audit_event_list(request: HttpRequest, filters: Query[AuditFilterIn]):
    """Every unit's audit events, newest first, filtered. Each call is itself recorded."""
    from django.utils.translation import gettext as _

    if filters.since and filters.until and filters.until < filters.since:
        raise InvalidInput(_("截止日期不能早于起始日期。"), field="until")
    page = request.GET.get("page", "1")
    return services.audit_log_read(
        actor=actor(request),
        filters=selectors.AuditFilters(
            unit_id=filters.unit_id,
            person=filters.person.strip(),
            verb=filters.verb.value if filters.verb else "",
            target_type=filters.target_type,
            target_id=filters.target_id.strip(),
            since=filters.since,
            until=filters.until,
        ),
        channel="api",
        page=int(page) if page.isdigit() else 1,
    )
