"""Statistics of dispute resolution per organisation and per mediator (issue 16).

The figures count the disputes *applied for* within the date range (local days, both ends
included) whose place (``Dispute.region``) lies in the region chosen (the region or any below
it). One grouped query per table: every figure of every organisation comes from one query on
disputes joined to their judicial confirmation, and likewise for mediators.

- ``applied``: disputes applied for; ``accepted``: those an organisation accepted;
- ``agreed``: an agreement took effect (whatever happened after);
- ``failed``: mediation ended without an agreement (调解不成, including a referral to
  arbitration); ``refused``: the respondent refused, the applicant withdrew or the application
  was declined; ``open``: still applied, accepted or in mediation;
- ``success_rate``: agreed ÷ (agreed + failed);
- ``average_days``: the mean days from acceptance to the end (agreement or failure) of the
  disputes that ended;
- ``confirmed`` and ``confirmation_rate``: agreements a court confirmed ÷ agreements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from ipshield.accounts.models import Region, RegionLevel
from ipshield.disputes.models import ConfirmationStatus, Dispute, Mediator, Organisation
from ipshield.disputes.workflow import Status

__all__ = [
    "Filters",
    "Row",
    "Table",
    "by_mediator",
    "by_organisation",
    "home_figures",
    "overview",
    "scope_of",
]

FAILED = (Status.FAILED, Status.ARBITRATION, Status.AWARDED)
REFUSED = (Status.REFUSED, Status.WITHDRAWN, Status.DECLINED)
OPEN = (Status.APPLIED, Status.ACCEPTED, Status.CONSENTED, Status.MEDIATING)
PREFIX = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
}


@dataclass(frozen=True)
class Filters:
    start: dt.date | None = None
    end: dt.date | None = None
    region: Region | None = None
    organisations: Iterable[int] | None = None  # None: every organisation


@dataclass
class Row:
    key: int | None
    name: str
    organisation: str = ""
    applied: int = 0
    accepted: int = 0
    agreed: int = 0
    failed: int = 0
    refused: int = 0
    open: int = 0
    confirmed: int = 0
    average_days: Decimal | None = None
    # Bar widths in percent of the busiest row's applications (the page's inline SVG).
    applied_bar: int = 0
    agreed_bar: int = 0
    failed_bar: int = 0

    @property
    def success_rate(self) -> Decimal | None:
        return _percent(self.agreed, self.agreed + self.failed)

    @property
    def confirmation_rate(self) -> Decimal | None:
        return _percent(self.confirmed, self.agreed)


@dataclass
class Table:
    rows: list[Row]
    total: Row
    filters: Filters = field(default_factory=Filters)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _disputes(filters: Filters) -> QuerySet[Dispute]:
    qs = Dispute.objects.all()
    tz = timezone.get_current_timezone()
    if filters.start is not None:
        qs = qs.filter(applied_at__gte=dt.datetime.combine(filters.start, dt.time.min, tz))
    if filters.end is not None:
        after = filters.end + dt.timedelta(days=1)
        qs = qs.filter(applied_at__lt=dt.datetime.combine(after, dt.time.min, tz))
    if filters.region is not None:
        size = PREFIX.get(filters.region.level, len(filters.region.code))
        qs = qs.filter(region__code__startswith=filters.region.code[:size])
    if filters.organisations is not None:
        qs = qs.filter(organisation_id__in=list(filters.organisations))
    return qs


_DURATION = ExpressionWrapper(F("ended_at") - F("accepted_at"), output_field=DurationField())
_AGREED = Q(agreement_effective_on__isnull=False)
_FIGURES = {
    "applied": Count("pk"),
    "accepted": Count("pk", filter=Q(accepted_at__isnull=False)),
    "agreed": Count("pk", filter=_AGREED),
    "failed": Count("pk", filter=Q(status__in=FAILED) & ~_AGREED),
    "refused": Count("pk", filter=Q(status__in=REFUSED)),
    "open": Count("pk", filter=Q(status__in=OPEN)),
    "confirmed": Count("pk", filter=Q(confirmation__status=ConfirmationStatus.CONFIRMED)),
    "duration": Avg(
        _DURATION,
        filter=Q(accepted_at__isnull=False, ended_at__isnull=False)
        & (_AGREED | Q(status__in=FAILED)),
    ),
}


def _days(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        seconds = Decimal(value.total_seconds())
    else:  # some backends return microseconds
        seconds = Decimal(value) / Decimal(1_000_000)
    return (seconds / Decimal(86400)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _fill(row: Row, figures: dict[str, Any]) -> Row:
    for name in ("applied", "accepted", "agreed", "failed", "refused", "open", "confirmed"):
        setattr(row, name, figures.get(name) or 0)
    row.average_days = _days(figures.get("duration"))
    return row


def _bars(rows: list[Row]) -> None:
    top = max((r.applied for r in rows), default=0)
    for r in rows:
        if top:
            r.applied_bar = round(100 * r.applied / top)
            r.agreed_bar = round(100 * r.agreed / top)
            r.failed_bar = round(100 * r.failed / top)


def _table(filters: Filters, group: str, rows: dict[int, Row]) -> Table:
    qs = _disputes(filters)
    for figures in qs.values(group).annotate(**_FIGURES).order_by(group):
        key = figures[group]
        if key in rows:
            _fill(rows[key], figures)
    total = _fill(Row(key=None, name=""), qs.aggregate(**_FIGURES))
    ordered = sorted(rows.values(), key=lambda r: (-r.applied, r.name))
    _bars(ordered)
    return Table(rows=ordered, total=total, filters=filters)


def by_organisation(filters: Filters = Filters()) -> Table:
    """Every mediating organisation (in scope) with its figures, busiest first."""
    organisations = Organisation.objects.select_related("unit").exclude(
        kind__in=["arbitration", "court"]
    )
    if filters.organisations is not None:
        organisations = organisations.filter(pk__in=list(filters.organisations))
    rows = {o.pk: Row(key=o.pk, name=o.unit.name) for o in organisations}
    return _table(filters, "organisation_id", rows)


def by_mediator(filters: Filters = Filters()) -> Table:
    """Every mediator (of the organisations in scope) with the disputes assigned to them."""
    mediators = Mediator.objects.select_related("organisation__unit")
    if filters.organisations is not None:
        mediators = mediators.filter(organisation_id__in=list(filters.organisations))
    rows = {
        m.pk: Row(key=m.pk, name=m.name, organisation=m.organisation.unit.name) for m in mediators
    }
    return _table(filters, "mediator_id", rows)


def overview(filters: Filters = Filters()) -> Row:
    """The totals alone (for the workbench home): one query."""
    return _fill(Row(key=None, name=""), _disputes(filters).aggregate(**_FIGURES))


def scope_of(user: Any) -> list[int] | None:
    """The organisations whose figures ``user`` reads per mediator: every one (None) for those
    who see all units, else their own unit's organisation."""
    from ipshield.accounts.selectors import profile_of, sees_all_units

    if getattr(user, "is_superuser", False) or sees_all_units(user):
        return None
    profile = profile_of(user)
    unit_id = getattr(profile, "unit_id", None)
    return list(Organisation.objects.filter(unit_id=unit_id).values_list("pk", flat=True))


def home_figures(user: Any, *, start: dt.date | None = None) -> Row:
    """The totals the workbench home shows ``user``: their organisation's, or everyone's for
    those who see all units (two queries)."""
    return overview(Filters(start=start, organisations=scope_of(user)))
