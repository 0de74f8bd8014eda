"""The evaluation part of the demo: this year's indicator sheet of the county's leading group,
with the nine computed indicators, created by the office (so the year's ranking and the
supervision dashboard's standings show the demo's cases, publications and plans).

Idempotent: one sheet per year and leading group.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ipshield.accounts.models import LeadingGroup
from ipshield.evaluation import services
from ipshield.evaluation.models import IndicatorSheet


def load(*, users: dict[str, Any], group: LeadingGroup) -> int:
    """Create this year's sheet if missing; returns how many sheets there are."""
    year = timezone.localdate().year
    if not IndicatorSheet.objects.filter(leading_group=group, year=year).exists():
        services.sheet_create_default(actor=users["officer"], year=year, leading_group=group)
    return IndicatorSheet.objects.count()
