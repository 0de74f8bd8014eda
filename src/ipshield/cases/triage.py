"""繁简分流 and routing: which track a case takes and which unit handles it.

The rules are ``TriageRule`` rows an administrator edits (defaults in migration 0004); routing
sends a right's kind to the kind of unit responsible for it in the case's region or the nearest
region above that has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ipshield.accounts.models import Region, Unit
from ipshield.cases.models import Track, TriageOperator, TriageRule
from ipshield.registry.services import verifying_unit_for

SEVERITY = {Track.SIMPLE: 0, Track.ORDINARY: 1, Track.MAJOR: 2}


@dataclass(frozen=True)
class Facts:
    amount_involved: Decimal | None
    prior_penalties: int
    rights_count: int
    cross_region: bool
    public_health: bool
    repeat_infringer: bool = False


def _holds(rule: TriageRule, facts: Facts) -> bool:
    value: Any = getattr(facts, rule.field)
    if rule.operator == TriageOperator.IS_TRUE:
        return bool(value)
    if value is None:
        return False
    if rule.operator == TriageOperator.GTE:
        return Decimal(value) >= rule.value
    return Decimal(value) < rule.value


def decide_track(facts: Facts) -> tuple[str, list[str]]:
    """Return the track and the names of the rules that decided it."""
    matched = [r for r in TriageRule.objects.filter(active=True) if _holds(r, facts)]
    if not matched:
        return Track.ORDINARY, [_("无规则命中，按普通程序")]
    worst = max(SEVERITY[r.track] for r in matched)
    track = next(t for t, s in SEVERITY.items() if s == worst)
    # A simple-track rule only counts when nothing more serious holds.
    return track, [r.name for r in matched if SEVERITY[r.track] == worst]


def route(*, right_kind: str, region: Region) -> Unit:
    """The responsible unit for this kind of right in ``region`` (or the nearest above)."""
    return verifying_unit_for(kind=right_kind, region=region)
