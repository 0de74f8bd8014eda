"""The audit-log page and its CSV export, for auditors and system administrators."""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ipshield.audit import selectors, services
from ipshield.audit.forms import AuditFilterForm
from ipshield.audit.models import AuditEvent
from ipshield.audit.selectors import AuditFilters
from ipshield.common.errors import PermissionDenied as DomainPermissionDenied

PAGE_SIZE = 50


def _form(request) -> AuditFilterForm:
    if not selectors.can_read_audit_log(request.user):
        raise PermissionDenied(_("审计记录仅对审计监督人员和系统管理员开放。"))
    return AuditFilterForm(request.GET or None)


def _read(request, form: AuditFilterForm, channel: str, page: int | None = None):
    filters = form.filters() if form.is_bound else AuditFilters()  # no filters: every event
    try:
        return services.audit_log_read(
            actor=request.user, filters=filters, channel=channel, page=page
        )
    except DomainPermissionDenied as error:
        raise PermissionDenied(str(error.message)) from error


@login_required
@never_cache
def audit_log(request):
    form = _form(request)
    rows: list[dict[str, Any]] = []
    page = None
    if not form.is_bound or form.is_valid():
        number = request.GET.get("page", "1")
        events = _read(request, form, "web", int(number) if number.isdigit() else 1)
        page = Paginator(events, PAGE_SIZE).get_page(number)
        rows = [_row(event) for event in page]
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "rows": rows, "query": _query(request)},
    )


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "event": event,
        "actor": selectors.actor_name(event),
        "target_label": selectors.target_label(event.target_type),
        "url": selectors.target_url(event),
        "data": json.dumps(event.data, ensure_ascii=False, sort_keys=True) if event.data else "",
    }


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Cells starting with these are formulas to Excel; a leading apostrophe keeps them text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(events, base: str) -> Iterator[str]:
    yield codecs.BOM_UTF8.decode("utf-8")  # Excel reads UTF-8 only with the mark
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            _("时间"),
            _("事件"),
            _("事件代码"),
            _("操作人"),
            _("用户名"),
            _("操作单位"),
            _("对象类型"),
            _("对象编号"),
            _("对象链接"),
            _("详情"),
        ]
    )
    for event in events.iterator(chunk_size=2000):
        url = selectors.target_url(event)
        yield writer.writerow(
            [
                _cell(timezone.localtime(event.created_at).isoformat(timespec="seconds")),
                _cell(event.get_verb_display()),
                _cell(event.verb),
                _cell(selectors.actor_name(event)),
                _cell(event.actor.get_username() if event.actor else ""),
                _cell(event.unit.name if event.unit else ""),
                _cell(selectors.target_label(event.target_type)),
                _cell(event.target_id),
                _cell(base + url if url else ""),
                _cell(json.dumps(event.data, ensure_ascii=False, sort_keys=True)),
            ]
        )


@login_required
@never_cache
def audit_log_export(request):
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "audit/log.html",
            {"form": form, "page": None, "rows": [], "query": ""},
            status=400,
        )
    events = _read(request, form, "export")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(
        _csv_lines(events, request.build_absolute_uri("/").rstrip("/")),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
