"""Reads of the monitoring app, scoped: staff see their unit's alerts, listings and imports
(all units for auditors, leading-group members and administrators); rights holders see the
alerts on their own protected marks; the mark search is open to every staff member."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from ipshield.accounts.selectors import profile_of, scope_to_unit, sees_all_units
from ipshield.monitoring import register
from ipshield.monitoring.models import (
    Alert,
    AlertStatus,
    ListingFeed,
    ListingImport,
    MarkKind,
    ProtectedMark,
)
from ipshield.registry.models import RightsHolder

RISK_LEVELS = {"high": (70, 101), "medium": (50, 70), "low": (0, 50)}


def is_staff(actor: Any) -> bool:
    profile = profile_of(actor)
    return bool(sees_all_units(actor) or (profile and profile.is_staff_member))


def holder_of(actor: Any) -> RightsHolder | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return RightsHolder.objects.filter(user=actor).first()


def alert_list(
    *,
    actor: Any,
    status: str = "",
    level: str = "",
    mark_id: int | None = None,
    platform: str = "",
    q: str = "",
) -> QuerySet[Alert]:
    """Alerts the actor may see, highest risk first, filtered."""
    alerts = Alert.objects.select_related("listing", "mark", "unit", "case")
    if is_staff(actor):
        alerts = scope_to_unit(alerts, actor=actor, unit_field="unit")
    else:
        holder = holder_of(actor)
        if holder is None:
            return Alert.objects.none()
        alerts = alerts.filter(mark__holder=holder)
    if status in AlertStatus.values:
        alerts = alerts.filter(status=status)
    if level in RISK_LEVELS:
        low, high = RISK_LEVELS[level]
        alerts = alerts.filter(risk__gte=low, risk__lt=high)
    if mark_id:
        alerts = alerts.filter(mark_id=mark_id)
    if platform:
        alerts = alerts.filter(listing__platform=platform)
    if q:
        alerts = alerts.filter(
            Q(listing__title__icontains=q) | Q(listing__shop__icontains=q) | Q(matched__icontains=q)
        )
    return alerts.order_by("-risk", "-id")


def alert_detail(*, actor: Any, alert_id: int) -> Alert | None:
    return alert_list(actor=actor).filter(pk=alert_id).first()


def alert_counts(*, actor: Any) -> dict[str, int]:
    # order_by(): alert_list sorts by risk and id, and a sort key joins the GROUP BY, which
    # would count every alert on its own (the last one, "1", won).
    rows = alert_list(actor=actor).order_by().values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in AlertStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def alert_platforms(*, actor: Any) -> list[str]:
    return sorted(
        set(alert_list(actor=actor).values_list("listing__platform", flat=True).distinct()[:50])
    )


def holder_marks(*, actor: Any) -> QuerySet[ProtectedMark]:
    holder = holder_of(actor)
    if holder is None:
        return ProtectedMark.objects.none()
    return (
        ProtectedMark.objects.filter(holder=holder)
        .select_related("right")
        .annotate(open_alerts=Count("alerts", filter=Q(alerts__status=AlertStatus.OPEN)))
        .order_by("-active", "name")
    )


def watch_list(*, actor: Any) -> QuerySet[ProtectedMark]:
    """The unit's watch list plus every rights holder's protected marks (all are monitored)."""
    if not is_staff(actor):
        return ProtectedMark.objects.none()
    marks = ProtectedMark.objects.select_related("holder", "unit", "right").annotate(
        open_alerts=Count("alerts", filter=Q(alerts__status=AlertStatus.OPEN))
    )
    profile = profile_of(actor)
    if not sees_all_units(actor) and profile is not None:
        marks = marks.filter(Q(kind=MarkKind.HOLDER) | Q(unit_id=profile.unit_id))
    return marks.order_by("-active", "kind", "name")


def import_list(*, actor: Any) -> QuerySet[ListingImport]:
    if not is_staff(actor):
        return ListingImport.objects.none()
    imports = ListingImport.objects.select_related("feed", "actor")
    return scope_to_unit(imports, actor=actor, unit_field="unit")


def mark_search(
    *, query: str, k: int = 20, classes: list[int] | None = None
) -> list[register.SearchHit]:
    """Confusing-mark search over the trade-mark register and the marks on the platform."""
    return register.search(query, k=k, classes=classes)


def mark_register_problem() -> str | None:
    """Why the trade-mark register was left out of the search, if it was."""
    return register.register_problem()


def feed_list(*, actor: Any) -> QuerySet[ListingFeed]:
    if not is_staff(actor):
        return ListingFeed.objects.none()
    return scope_to_unit(ListingFeed.objects.all(), actor=actor, unit_field="unit")
