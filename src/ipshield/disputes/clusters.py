"""Mediation first where complaints cluster (县方案措施六, issue 16).

A :class:`~ipshield.disputes.models.ClusterRule` says: when at least ``threshold`` complaints
about one kind of right (blank: any kind) were received in ``region`` within the last
``window_days`` days, a new complaint there is offered mediation first, by the rule's
organisation. The complainant sees the offer and its reason and may decline; the officer sees
both on the case page (``disputes.complaints``).

Counting, decided here:

- *complaints*: cases from the complaint source (``cases.Source.COMPLAINT``), except those not
  accepted (``rejected``: an inadmissible complaint says nothing about a cluster); the kind of
  right is the complained-about right's (``Case.right.kind``);
- *in the region*: the rule's region and every region below it (a county's rule counts its
  townships; a city's rule its counties); a complaint is covered by the rules of its region and
  of the regions above it, the most specific rule (lowest region, then a named kind before
  "any kind") that is reached wins;
- *within the window*: received on one of the last ``window_days`` calendar days, today
  included (Asia/Shanghai), so ``window_days=30`` reaches back to the day 29 days ago;
- the complaint being offered is not counted (``exclude_case``): the offer is the same on the
  form before submitting and in the transaction that records it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.models import Region
from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.audit.events import cluster_rule_saved
from ipshield.common.errors import InvalidInput, PermissionDenied
from ipshield.disputes import errors
from ipshield.disputes import reasons as catalogue
from ipshield.disputes.models import ClusterRule, Organisation, OrganisationKind
from ipshield.registry.models import RightKind

__all__ = [
    "Offer",
    "cluster_rule_save",
    "complaints_in_window",
    "mediation_offer_for",
    "regions_above",
    "regions_below",
]

MAX_THRESHOLD = 100_000
MAX_WINDOW_DAYS = 366


@dataclass(frozen=True)
class Offer:
    """Mediation offered first: by ``rule``'s organisation, because ``count`` complaints came
    in; ``reason`` is ``{code, params}`` (stored on the offer, rendered at display time)."""

    rule: ClusterRule
    count: int
    reason: dict[str, Any]

    @property
    def organisation(self) -> Organisation:
        return self.rule.organisation

    def rendered(self) -> str:
        return catalogue.render(self.reason)


def regions_above(region: Region | str) -> list[str]:
    """The region's code and the codes above it, nearest first."""
    code: str | None = region.pk if isinstance(region, Region) else str(region)
    codes: list[str] = []
    while code and code not in codes and len(codes) < 8:
        codes.append(code)
        code = Region.objects.filter(pk=code).values_list("parent_id", flat=True).first()
    return codes


def regions_below(region: Region | str) -> list[str]:
    """The region's code and the codes of every region below it (one query per level)."""
    code = region.pk if isinstance(region, Region) else str(region)
    found, frontier = [code], [code]
    for _level in range(4):
        frontier = list(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        found += frontier
    return found


def _window_start(today: dt.date, days: int) -> dt.datetime:
    first = today - dt.timedelta(days=max(days, 1) - 1)
    return timezone.make_aware(dt.datetime.combine(first, dt.time.min))


def complaints_in_window(
    rule: ClusterRule, *, today: dt.date | None = None, exclude_case: Any = None
) -> int:
    """How many complaints ``rule`` counts today."""
    from ipshield.cases.models import Case, Source
    from ipshield.cases.workflow import Status

    today = today or timezone.localdate()
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    cases = Case.objects.filter(
        source=Source.COMPLAINT,
        region_id__in=regions_below(rule.region_id),
        received_at__gte=_window_start(today, rule.window_days),
        received_at__lt=end,
    ).exclude(status=Status.REJECTED)
    if rule.right_kind:
        cases = cases.filter(right__kind=rule.right_kind)
    if exclude_case is not None:
        cases = cases.exclude(pk=getattr(exclude_case, "pk", exclude_case))
    return cases.count()


def mediation_offer_for(
    region: Region | str | None,
    right_kind: str,
    *,
    today: dt.date | None = None,
    exclude_case: Any = None,
) -> Offer | None:
    """The mediation-first offer for a complaint about ``right_kind`` in ``region``, or None."""
    if region is None or right_kind not in RightKind.values:
        return None
    above = regions_above(region)
    if not above:
        return None
    depth = {code: i for i, code in enumerate(above)}
    rules = list(
        ClusterRule.objects.filter(active=True, region_id__in=above)
        .filter(Q(right_kind=right_kind) | Q(right_kind=""))
        .select_related("organisation__unit", "region")
    )
    rules.sort(key=lambda r: (depth[r.region_id], r.right_kind == "", r.pk))
    for rule in rules:
        if rule.threshold < 1 or not rule.organisation.mediates:
            continue
        count = complaints_in_window(rule, today=today, exclude_case=exclude_case)
        if count >= rule.threshold:
            return Offer(
                rule=rule,
                count=count,
                reason={
                    "code": "disputes.cluster",
                    "params": {
                        "count": count,
                        "days": rule.window_days,
                        "region": rule.region.name,
                        "kind": rule.right_kind,
                    },
                },
            )
    return None


# --- the rules --------------------------------------------------------------------------------


def _may_edit(actor: Any, region: Region) -> bool:
    if getattr(actor, "is_superuser", False):
        return True
    roles = set(actor.groups.values_list("name", flat=True)) if actor.is_authenticated else set()
    if Role.SYSADMIN in roles:
        return True
    profile = profile_of(actor)
    unit = getattr(profile, "unit", None) if profile is not None else None
    return (
        Role.UNIT_LEADER in roles and unit is not None and unit.region_id in regions_above(region)
    )


def _int(value: Any, *, field: str, label: Any, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise InvalidInput(
            _("%(label)s应为 %(low)s 到 %(high)s 之间的整数。")
            % {"label": label, "low": low, "high": high},
            field=field,
            code=errors.FIELD_INVALID,
        )
    return number


@transaction.atomic
def cluster_rule_save(
    *,
    actor: Any,
    region: Any,
    organisation: Any,
    threshold: Any,
    window_days: Any,
    right_kind: str = "",
    active: bool = True,
    rule: ClusterRule | None = None,
) -> ClusterRule:
    """Create ``rule`` (or change it): who may is a system administrator, or the leader of a
    unit in the rule's region or above it. Every field is checked, naming it when wrong."""
    require_writer(actor)
    if not isinstance(region, Region):
        region = Region.objects.filter(pk=str(region or "").strip()[:9]).first()
    if region is None:
        raise InvalidInput(_("请选择区划。"), field="region", code=errors.FIELD_REQUIRED)
    if not _may_edit(actor, region):
        raise PermissionDenied(
            _("只有系统管理员或本区划（及上级）单位负责人可以设置调解优先规则。"),
            code=errors.NOT_YOURS,
        )
    if not isinstance(organisation, Organisation):
        pk = str(organisation or "").strip()
        organisation = (
            Organisation.objects.filter(pk=int(pk)).first()
            if pk.isdigit() and len(pk) < 10
            else None
        )
    if organisation is None or organisation.kind in (
        OrganisationKind.ARBITRATION,
        OrganisationKind.COURT,
    ):
        raise InvalidInput(
            _("请选择调解组织（不能是仲裁委员会或法院）。"),
            field="organisation",
            code=errors.NOT_MEDIATING_BODY,
        )
    right_kind = str(right_kind or "").strip()
    if right_kind and right_kind not in RightKind.values:
        raise InvalidInput(_("请选择权利类型。"), field="right_kind", code=errors.FIELD_INVALID)
    threshold = _int(
        threshold,
        field="threshold",
        label=ClusterRule._meta.get_field("threshold").verbose_name,
        low=1,
        high=MAX_THRESHOLD,
    )
    window_days = _int(
        window_days,
        field="window_days",
        label=ClusterRule._meta.get_field("window_days").verbose_name,
        low=1,
        high=MAX_WINDOW_DAYS,
    )
    duplicate = ClusterRule.objects.filter(region=region, right_kind=right_kind, active=True)
    if rule is not None:
        duplicate = duplicate.exclude(pk=rule.pk)
    if active and duplicate.exists():
        raise InvalidInput(
            _("该区划和权利类型已有启用的规则，请修改原规则。"),
            field="right_kind",
            code=errors.FIELD_INVALID,
        )
    before = (
        {
            "region": rule.region_id,
            "right_kind": rule.right_kind,
            "threshold": rule.threshold,
            "window_days": rule.window_days,
            "organisation": rule.organisation_id,
            "active": rule.active,
        }
        if rule is not None
        else None
    )
    rule = rule or ClusterRule()
    rule.region, rule.right_kind, rule.organisation = region, right_kind, organisation
    rule.threshold, rule.window_days, rule.active = threshold, window_days, bool(active)
    rule.save()
    cluster_rule_saved(
        actor=actor,
        rule=rule,
        before=before,
        region=region.pk,
        right_kind=right_kind,
        threshold=threshold,
        window_days=window_days,
        organisation=organisation.pk,
        active=rule.active,
    )
    return rule
