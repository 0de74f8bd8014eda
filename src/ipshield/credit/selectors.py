"""Reads of the credit app. The public query shows public records only (already masked when the
party is a person); staff read every record of the entity."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from ipshield.common.fulltext import TRIGRAM, fts_match, fts_table
from ipshield.common.validation import search_text
from ipshield.credit.models import (
    CreditRecord,
    ListEntry,
    ListStatus,
    RecordStatus,
    RemovalReason,
    RepairApplication,
    RepairStatus,
)
from ipshield.engines import uscc as uscc_engine
from ipshield.engines.text import normalize_name

PUBLIC_LIMIT = 50


def public_search(*, q: str) -> QuerySet[CreditRecord]:
    """Public records whose party's code is ``q`` or whose name contains it."""
    q = search_text(q)
    if not q:
        return CreditRecord.objects.none()
    records = CreditRecord.objects.filter(status=RecordStatus.PUBLIC).select_related("unit")
    code = uscc_engine.normalize(q)
    if len(code) == 18 and uscc_engine.explain(code) is None:
        return records.filter(subject_uscc=code).order_by("-decided_on")
    part = normalize_name(q)
    if len(part) >= TRIGRAM and fts_table("credit_record_name"):
        # SQLite: the FTS5 trigram table (migration 0009) finds the rows; a quoted phrase is a
        # plain substring there. PostgreSQL's pg_trgm index serves the LIKE below by itself.
        records = records.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM credit_record_name WHERE credit_record_name MATCH %s",
                [fts_match([part])],
            )
        )
    return records.filter(Q(subject_name_normalized__contains=part)).order_by(
        "subject_name_normalized", "-decided_on"
    )


def public_list(*, q: str = "", repaired: bool = False) -> QuerySet[ListEntry]:
    """Entities currently on the serious-dishonesty list (or, with ``repaired``, removed early
    by credit repair), optionally by name part or code."""
    if repaired:
        entries = ListEntry.objects.filter(
            status=ListStatus.REMOVED, removal_reason=RemovalReason.REPAIRED
        )
    else:
        entries = ListEntry.objects.filter(status=ListStatus.LISTED)
    entries = entries.select_related("entity", "unit")
    q = search_text(q)
    if q:
        code = uscc_engine.normalize(q)
        if len(code) == 18 and uscc_engine.explain(code) is None:
            entries = entries.filter(entity__uscc=code)
        else:
            entries = entries.filter(entity__name_normalized__contains=normalize_name(q))
    return entries.order_by("-listed_on", "-id")


def repair_queue(*, actor: Any) -> QuerySet[RepairApplication]:
    """Credit-repair applications to the actor's unit, pending first."""
    from ipshield.accounts.selectors import scope_to_unit

    applications = RepairApplication.objects.select_related("entry__entity", "applicant")
    applications = scope_to_unit(applications, actor=actor, unit_field="entry__unit")
    return applications.order_by(
        models.Case(models.When(status=RepairStatus.SUBMITTED, then=0), default=1), "-created_at"
    )
