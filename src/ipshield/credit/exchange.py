"""The credit exchange format (信用信息交换): public records and list changes for provincial
credit platforms, and the import of the same format from elsewhere.

Format ``ipshield.credit.exchange/1`` (JSON; documented in ``docs/credit-exchange.md``)::

    {"format": "ipshield.credit.exchange/1", "origin": "ipshield.baode.example.gov.cn",
     "generated_at": "2026-11-23T10:00:00+08:00", "since": "2026-11-01",
     "records": [{"key": …, "source": "penalty", "subject_name": …, "subject_uscc": …,
                  "subject_is_person": false, "issuing_authority": …, "document_number": …,
                  "decided_on": "2026-06-01", "amount": "150000.00", "summary": …,
                  "public_until": "2029-06-01", "status": "public"}],
     "list_entries": [{"key": …, "entity_name": …, "entity_uscc": …, "unit": …, "ground": …,
                       "decision_number": …, "listed_on": …, "list_until": …,
                       "status": "listed" | "removed", "removed_on": null}]}

Keys are stable per origin, so importing a file twice changes nothing; a later file from the same
origin updates what changed (a record hidden, an entity removed from the list).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.common.errors import InvalidInput
from ipshield.credit import resolution
from ipshield.credit.models import (
    CreditRecord,
    ExternalListEntry,
    ListEntry,
    ListStatus,
    RecordSource,
    RecordStatus,
)
from ipshield.credit.records import _unit_of
from ipshield.engines.text import normalize_name

FORMAT = "ipshield.credit.exchange/1"


def origin() -> str:
    return (
        urlsplit(getattr(settings, "IPSHIELD_BASE_URL", "") or "http://ipshield").hostname
        or "ipshield"
    )


def export(*, since: dt.date | None = None) -> dict[str, Any]:
    """Public records and list entries changed since ``since`` (all when None)."""
    records = CreditRecord.objects.exclude(source_key__startswith="exchange:")
    entries = ListEntry.objects.filter(status__in=(ListStatus.LISTED, ListStatus.REMOVED))
    if since is not None:
        records = records.filter(updated_at__date__gte=since)
        entries = entries.filter(updated_at__date__gte=since)
    return {
        "format": FORMAT,
        "origin": origin(),
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "since": since.isoformat() if since else None,
        "records": [
            {
                "key": str(r.pk),
                "source": r.source,
                "subject_name": r.subject_name,
                "subject_uscc": r.subject_uscc,
                "subject_is_person": r.subject_is_person,
                "issuing_authority": r.issuing_authority,
                "document_number": r.document_number,
                "decided_on": r.decided_on.isoformat(),
                "amount": None if r.amount is None else str(r.amount),
                "summary": r.summary,
                "public_until": r.public_until.isoformat(),
                "status": "public" if r.status == RecordStatus.PUBLIC else "withdrawn",
            }
            for r in records.order_by("id")
        ],
        "list_entries": [
            {
                "key": str(e.pk),
                "entity_name": e.entity.name,
                "entity_uscc": e.entity.uscc or "",
                "unit": e.unit.name,
                "ground": e.get_ground_display(),
                "decision_number": e.decision_number,
                "listed_on": e.listed_on.isoformat() if e.listed_on else None,
                "list_until": e.list_until.isoformat() if e.list_until else None,
                "status": "listed" if e.status == ListStatus.LISTED else "removed",
                "removed_on": e.removed_on.isoformat() if e.removed_on else None,
            }
            for e in entries.select_related("entity", "unit").order_by("id")
        ],
    }


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            _("%(where)s 的日期格式不正确：%(value)s") % {"where": where, "value": value},
            field="file",
        ) from None


@transaction.atomic
def import_exchange(*, actor: Any, payload: Any) -> dict[str, int]:
    """Import another platform's exchange file; returns counts (created, updated, unchanged).
    The whole file is checked first: a malformed file changes nothing."""
    _unit_of(actor)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InvalidInput(
            _("文件不是信用信息交换格式（format 应为 %(f)s）。") % {"f": FORMAT}, field="file"
        )
    source = str(payload.get("origin") or "").strip()
    if not source or source == origin():
        raise InvalidInput(_("交换文件缺少来源平台（origin），或来自本平台。"), field="file")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for index, item in enumerate(payload.get("records") or [], 1):
        where = f"records[{index}]"
        key = f"exchange:{source}:{item.get('key')}"
        status = RecordStatus.PUBLIC if item.get("status") == "public" else RecordStatus.HIDDEN
        existing = CreditRecord.objects.filter(source_key=key).first()
        if existing is not None:
            if existing.status != status:
                existing.status = status
                existing.save(update_fields=["status", "updated_at"])
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            continue
        name = str(item.get("subject_name") or "").strip()
        if not name or item.get("source") not in RecordSource.values:
            raise InvalidInput(
                _("%(where)s 缺少当事人或信息来源不正确。") % {"where": where}, field="file"
            )
        record = CreditRecord(
            subject_name=name[:200],
            subject_name_normalized=normalize_name(name)[:200],
            subject_uscc=str(item.get("subject_uscc") or "")[:18],
            subject_is_person=bool(item.get("subject_is_person")),
            source=item["source"],
            issuing_authority=str(item.get("issuing_authority") or source)[:200],
            document_number=str(item.get("document_number") or "")[:64],
            decided_on=_date(item.get("decided_on"), where),
            amount=item.get("amount") or None,
            summary=str(item.get("summary") or "")[:5000],
            public_until=_date(item.get("public_until"), where),
            period_basis=_("来自 %(origin)s") % {"origin": source},
            status=status,
            source_key=key,
        )
        resolution.save_new(record)
        counts["created"] += 1
    for index, item in enumerate(payload.get("list_entries") or [], 1):
        where = f"list_entries[{index}]"
        name = str(item.get("entity_name") or "").strip()
        if not name or not item.get("key"):
            raise InvalidInput(_("%(where)s 缺少主体名称或编号。") % {"where": where}, field="file")
        values = {
            "entity_name": name[:200],
            "entity_name_normalized": normalize_name(name)[:200],
            "entity_uscc": str(item.get("entity_uscc") or "")[:18],
            "unit_name": str(item.get("unit") or source)[:200],
            "ground": str(item.get("ground") or "")[:200],
            "decision_number": str(item.get("decision_number") or "")[:64],
            "listed_on": _date(item.get("listed_on"), where),
            "list_until": _date(item.get("list_until"), where),
            "removed_on": _date(item["removed_on"], where) if item.get("removed_on") else None,
        }
        entry, created = ExternalListEntry.objects.get_or_create(
            origin=source, key=str(item["key"])[:100], defaults=values
        )
        if created:
            counts["created"] += 1
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(entry, k, v)
            entry.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def current_external_entries() -> QuerySet[ExternalListEntry]:
    """Entries of other platforms' lists in force today."""
    today = timezone.localdate()
    return ExternalListEntry.objects.filter(removed_on__isnull=True, list_until__gte=today)


def external_listing(*, uscc: str = "", name: str = "") -> ExternalListEntry | None:
    """A current entry on another platform's list for this code or exact name."""
    entries = current_external_entries()
    if uscc:
        return entries.filter(entity_uscc=uscc).first()
    if name:
        return entries.filter(entity_name_normalized=normalize_name(name)).first()
    return None
