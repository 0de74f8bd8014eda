"""One typed function per evaluation verb; call them inside the service's transaction."""

from __future__ import annotations

from typing import Any

from ipshield.audit.events import record_event
from ipshield.audit.models import AuditEvent, Verb
from ipshield.evaluation.models import (
    Accountability,
    Commendation,
    EnteredValue,
    Indicator,
    IndicatorSheet,
)


def sheet_created(*, actor: Any, sheet: IndicatorSheet, indicators: int) -> AuditEvent:
    return record_event(
        Verb.EVALUATION_SHEET_CREATED,
        actor=actor,
        target=sheet,
        year=sheet.year,
        region_id=sheet.region_id,
        indicators=indicators,
    )


def indicator_saved(*, actor: Any, indicator: Indicator, changes: dict[str, Any]) -> AuditEvent:
    return record_event(
        Verb.INDICATOR_SAVED,
        actor=actor,
        target=indicator,
        sheet_id=indicator.sheet_id,
        changes=changes,
    )


def indicator_removed(*, actor: Any, indicator: Indicator) -> AuditEvent:
    return record_event(
        Verb.INDICATOR_REMOVED,
        actor=actor,
        target=indicator.sheet,
        indicator_id=indicator.pk,
        name=indicator.name,
    )


def value_entered(*, actor: Any, value: EnteredValue) -> AuditEvent:
    return record_event(
        Verb.EVALUATION_VALUE_ENTERED,
        actor=actor,
        target=value,
        indicator_id=value.indicator_id,
        unit_id=value.unit_id,
        value=str(value.value),
        attachment=value.attachment.leaf_index if value.attachment else None,
    )


def finalized(*, actor: Any, sheet: IndicatorSheet, units: int) -> AuditEvent:
    return record_event(
        Verb.EVALUATION_FINALIZED, actor=actor, target=sheet, year=sheet.year, units=units
    )


def accountability_recorded(*, actor: Any, item: Accountability) -> AuditEvent:
    return record_event(
        Verb.ACCOUNTABILITY_RECORDED,
        actor=actor,
        target=item,
        kind=item.kind,
        unit_id=item.unit_id,
        on=item.on.isoformat(),
    )


def commendation_recorded(*, actor: Any, item: Commendation) -> AuditEvent:
    return record_event(
        Verb.COMMENDATION_RECORDED,
        actor=actor,
        target=item,
        unit_id=item.unit_id,
        person=item.person,
        on=item.on.isoformat(),
    )
