"""Every change of state of the monitoring app except listing imports (``imports.py``):
protected marks and the watch list, the counterfeit slang list, and the handling of alerts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.cases.intake import lead_notice_create
from ipshield.cases.models import Source
from ipshield.common.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from ipshield.engines.marks import normalize_mark
from ipshield.monitoring import errors, events
from ipshield.monitoring.models import (
    Alert,
    AlertStatus,
    CounterfeitTerm,
    MarkKind,
    ProtectedMark,
)
from ipshield.registry.models import IPRight, RightKind, RightsHolder, RightStatus
from ipshield.registry.validation import clean_nice_classes

MAX_BULK = 500


def _staff_profile(actor: Any) -> Any:
    require_writer(actor)
    profile = profile_of(actor)
    if profile is None or not profile.is_staff_member:
        raise PermissionDenied(_("只有单位工作人员可以进行此操作。"), code=errors.STAFF_ONLY)
    return profile


def _price(value: Any, *, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("¥", "").strip())
    except InvalidOperation as exc:
        raise InvalidInput(
            _("%(label)s应为数字（元）。") % {"label": label}, field=field, code=errors.PRICE_RANGE
        ) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise InvalidInput(
            _("%(label)s应为不小于 0 的金额（元）。") % {"label": label},
            field=field,
            code=errors.PRICE_RANGE,
        )
    return amount.quantize(Decimal("0.01"))


def _prices(price_min: Any, price_max: Any) -> tuple[Decimal | None, Decimal | None]:
    low = _price(price_min, field="price_min", label=_("参考价下限"))
    high = _price(price_max, field="price_max", label=_("参考价上限"))
    if low is not None and high is not None and high < low:
        raise InvalidInput(
            _("参考价上限不能低于下限。"), field="price_max", code=errors.PRICE_RANGE
        )
    return low, high


def _name(value: str) -> tuple[str, str]:
    name = (value or "").strip()
    if not name:
        raise InvalidInput(_("请填写商标名称。"), field="name")
    if len(name) > 100:
        raise InvalidInput(_("商标名称不能超过 100 个字。"), field="name")
    key = normalize_mark(name)
    if not key:
        raise InvalidInput(_("商标名称须含有文字或字母（不能只有符号）。"), field="name")
    return name, key


@transaction.atomic
def protected_mark_register(
    *,
    actor: Any,
    right: IPRight,
    name: str = "",
    categories: str = "",
    price_min: Any = None,
    price_max: Any = None,
    note: str = "",
) -> ProtectedMark:
    """A rights holder asks for one of their verified trade marks to be monitored.

    The mark's name defaults to the right's title and its Nice classes are the right's."""
    require_writer(actor)
    holder = RightsHolder.objects.filter(user=actor).first() if actor.is_authenticated else None
    if holder is None or right.holder_id != holder.pk:
        raise PermissionDenied(
            _("只能为自己名下的商标申请监测。"), field="right", code=errors.NOT_YOUR_RIGHT
        )
    if right.kind != RightKind.TRADEMARK:
        raise InvalidInput(_("只有商标可以登记监测。"), field="right", code=errors.NOT_A_TRADEMARK)
    if right.status != RightStatus.VERIFIED:
        raise InvalidInput(
            _("该商标尚未通过核验，核验通过后才能登记监测。"),
            field="right",
            code=errors.RIGHT_NOT_VERIFIED,
        )
    mark_name, key = _name(name or right.title)
    low, high = _prices(price_min, price_max)
    if ProtectedMark.objects.filter(right=right, name_normalized=key, active=True).exists():
        raise Conflict(
            _("“%(name)s”已在监测中。") % {"name": mark_name}, field="name", code=errors.MARK_EXISTS
        )
    mark = ProtectedMark.objects.create(
        kind=MarkKind.HOLDER,
        name=mark_name,
        name_normalized=key,
        right=right,
        holder=holder,
        nice_classes=list(right.nice_classes or []),
        categories=categories.strip()[:200],
        price_min=low,
        price_max=high,
        note=note.strip()[:200],
        added_by=actor,
    )
    events.protected_mark_added(actor=actor, mark=mark)
    return mark


@transaction.atomic
def watch_mark_add(
    *,
    actor: Any,
    name: str,
    nice_classes: list[int] | str = "",
    categories: str = "",
    price_min: Any = None,
    price_max: Any = None,
    note: str = "",
) -> ProtectedMark:
    """An officer puts a mark on the unit's watch list (no class: watched in every class)."""
    profile = _staff_profile(actor)
    mark_name, key = _name(name)
    classes = clean_nice_classes(nice_classes or [])
    low, high = _prices(price_min, price_max)
    if ProtectedMark.objects.filter(
        kind=MarkKind.WATCH, unit_id=profile.unit_id, name_normalized=key, active=True
    ).exists():
        raise Conflict(
            _("“%(name)s”已在本单位监测名单中。") % {"name": mark_name},
            field="name",
            code=errors.MARK_EXISTS,
        )
    mark = ProtectedMark.objects.create(
        kind=MarkKind.WATCH,
        name=mark_name,
        name_normalized=key,
        unit_id=profile.unit_id,
        nice_classes=classes,
        categories=categories.strip()[:200],
        price_min=low,
        price_max=high,
        note=note.strip()[:200],
        added_by=actor,
    )
    events.protected_mark_added(actor=actor, mark=mark)
    return mark


@transaction.atomic
def protected_mark_stop(*, actor: Any, mark: ProtectedMark) -> ProtectedMark:
    """Stop monitoring a mark (its holder, or staff of the unit whose watch list has it)."""
    require_writer(actor)
    mark = ProtectedMark.objects.select_for_update().get(pk=mark.pk)
    profile = profile_of(actor)
    own_holder = mark.holder is not None and mark.holder.user_id == actor.pk
    own_unit = (
        mark.kind == MarkKind.WATCH
        and profile is not None
        and profile.is_staff_member
        and profile.unit_id == mark.unit_id
    )
    if not (own_holder or own_unit):
        raise PermissionDenied(_("您无权停止监测该商标。"))
    if mark.active:
        mark.active = False
        mark.save(update_fields=["active", "updated_at"])
        events.protected_mark_stopped(actor=actor, mark=mark)
    return mark


# -- Counterfeit slang --------------------------------------------------------------------------


@transaction.atomic
def counterfeit_term_save(
    *, actor: Any, term: str, weight: int = 20, active: bool = True, note: str = ""
) -> CounterfeitTerm:
    """Add a slang term or change its weight (unit leaders and administrators)."""
    profile = _staff_profile(actor)
    if not (actor.is_superuser or profile.has_role("unit_leader", "sysadmin")):
        raise PermissionDenied(_("只有单位负责人或系统管理员可以修改假冒用语。"))
    text = (term or "").strip()
    if not text or len(text) > 32:
        raise InvalidInput(_("用语应为 1–32 个字。"), field="term")
    if not isinstance(weight, int) or not 1 <= weight <= 50:
        raise InvalidInput(_("风险加分应为 1–50 的整数。"), field="weight")
    row, created = CounterfeitTerm.objects.update_or_create(
        term=text, defaults={"weight": weight, "active": active, "note": note.strip()[:100]}
    )
    events.counterfeit_term_changed(actor=actor, term=row, created=created)
    return row


# -- Alerts ---------------------------------------------------------------------------------------


def _open_alert(actor: Any, alert_id: int) -> Alert:
    profile = _staff_profile(actor)
    alert = (
        Alert.objects.select_for_update(of=("self",))
        .select_related("listing", "mark")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None or (alert.unit_id != profile.unit_id and not actor.is_superuser):
        raise DomainError(_("找不到该预警，或它不归本单位处理。"), code="not_found", status=404)
    if alert.status != AlertStatus.OPEN:
        raise Conflict(
            _("该预警已处理（%(status)s）。") % {"status": alert.get_status_display()},
            code=errors.ALERT_STATE,
        )
    return alert


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(_("请填写排除理由。"), field="reason")
    if len(text) > 500:
        raise InvalidInput(_("排除理由不能超过 500 个字。"), field="reason")
    return text


@transaction.atomic
def alert_dismiss(*, actor: Any, alert: Alert, reason: str) -> Alert:
    """Dismiss an alert as not an infringement, with the reason."""
    text = _reason(reason)
    alert = _open_alert(actor, alert.pk)
    alert.status = AlertStatus.DISMISSED
    alert.dismissal_reason = text
    alert.handled_by = actor
    alert.handled_at = timezone.now()
    alert.save(
        update_fields=["status", "dismissal_reason", "handled_by", "handled_at", "updated_at"]
    )
    events.alert_dismissed(actor=actor, alert=alert)
    return alert


@transaction.atomic
def alerts_dismiss(*, actor: Any, alert_ids: list[int], reason: str) -> int:
    """Dismiss several open alerts with one reason; all or none."""
    text = _reason(reason)
    ids = sorted(set(alert_ids))
    if not ids:
        raise InvalidInput(_("请至少选择一条预警。"), field="alerts")
    if len(ids) > MAX_BULK:
        raise InvalidInput(_("一次最多处理 %(n)s 条预警。") % {"n": MAX_BULK}, field="alerts")
    for alert_id in ids:
        alert = _open_alert(actor, alert_id)
        alert.status = AlertStatus.DISMISSED
        alert.dismissal_reason = text
        alert.handled_by = actor
        alert.handled_at = timezone.now()
        alert.save(
            update_fields=["status", "dismissal_reason", "handled_by", "handled_at", "updated_at"]
        )
        events.alert_dismissed(actor=actor, alert=alert)
    return len(ids)


def _lead_text(alert: Alert) -> tuple[str, str]:
    listing = alert.listing
    title = _("网络监测：%(platform)s 商品疑似仿冒“%(mark)s”") % {
        "platform": listing.platform,
        "mark": alert.mark.name,
    }
    lines = [
        _("商品标题：%(title)s") % {"title": listing.title},
        _("链接：%(url)s") % {"url": listing.url},
        _("平台/店铺：%(platform)s / %(shop)s")
        % {"platform": listing.platform, "shop": listing.shop},
    ]
    if listing.price is not None:
        lines.append(_("价格：¥%(price)s") % {"price": f"{listing.price:,}"})
    lines.append(_("风险分：%(risk)s") % {"risk": alert.risk})
    lines.extend(f"- {reason}" for reason in alert.reason_texts)
    return title[:200], "\n".join(lines)


def alert_to_lead(*, actor: Any, alert: Alert, capture: bool = True) -> Alert:
    """Turn an alert into a lead of the cases workflow (source 监测预警) for the actor's unit and,
    with ``capture``, preserve the listing's page as evidence on that case.

    The lead is created first in its own transaction; the capture (network work) follows, and
    if it fails the lead stays and the reason is kept on the alert (capture can be retried)."""
    with transaction.atomic():
        profile = _staff_profile(actor)
        alert = _open_alert(actor, alert.pk)
        title, description = _lead_text(alert)
        listing = alert.listing
        submitted = lead_notice_create(
            actor=actor,
            to_unit=profile.unit,
            title=title,
            description=description,
            source=Source.MONITORING,
            infringer_uscc=listing.seller_uscc,
            infringer_name=listing.seller_name or listing.shop,
            place=listing.url,
        )
        alert.status = AlertStatus.LEAD
        alert.case = submitted.case
        alert.handled_by = actor
        alert.handled_at = timezone.now()
        alert.save(update_fields=["status", "case", "handled_by", "handled_at", "updated_at"])
        events.alert_to_lead(actor=actor, alert=alert)
    if capture:
        alert = alert_capture(actor=actor, alert=alert)
    return alert


def alert_capture(*, actor: Any, alert: Alert) -> Alert:
    """Preserve the page of an alert's listing as evidence on its lead (retry after a failure)."""
    from ipshield.evidence.capture import evidence_capture

    if alert.case_id is None:
        raise Conflict(_("请先将预警转为线索。"), code=errors.ALERT_STATE)
    try:
        item = evidence_capture(actor=actor, url=alert.listing.url, case=alert.case)
    except DomainError as exc:
        Alert.objects.filter(pk=alert.pk).update(capture_error=str(exc.message)[:500])
        alert.capture_error = str(exc.message)[:500]
        return alert
    Alert.objects.filter(pk=alert.pk).update(evidence=item, capture_error="")
    alert.evidence = item
    alert.capture_error = ""
    return alert
