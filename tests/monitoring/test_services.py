"""Protected marks, the watch list, slang terms and alert handling (services)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipshield.audit.models import AuditEvent, Verb
from ipshield.cases.models import CaseEvent, Source
from ipshield.common.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from ipshield.evidence.models import EvidenceItem
from ipshield.monitoring import errors, services
from ipshield.monitoring.models import AlertStatus, CounterfeitTerm, MarkKind, ProtectedMark
from ipshield.registry.models import RightKind, RightsHolder, RightStatus
from tests.monitoring.factories import (
    AlertFactory,
    ListingFactory,
    ListingImportFactory,
    WatchMarkFactory,
)
from tests.registry.factories import IPRightFactory


@pytest.fixture
def holder(world):
    return RightsHolder.objects.create(
        name="晋德食品有限公司", kind="enterprise", region=world.county, user=world.holder_user
    )


def _right(holder, **kw):
    kw.setdefault("status", RightStatus.VERIFIED)
    return IPRightFactory(holder=holder, title="晋德枣园", nice_classes=[29, 30], **kw)


def test_a_holder_registers_a_verified_trade_mark_with_its_classes(world, holder):
    right = _right(holder)
    mark = services.protected_mark_register(
        actor=world.holder_user, right=right, price_min="39", price_max="89.5"
    )
    assert (mark.kind, mark.name, mark.nice_classes) == (MarkKind.HOLDER, "晋德枣园", [29, 30])
    assert (mark.price_min, mark.price_max) == (Decimal("39.00"), Decimal("89.50"))
    event = AuditEvent.objects.get(verb=Verb.PROTECTED_MARK_ADDED)
    assert event.target_id == str(mark.pk) and event.data["price_min"] == "39.00"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"status": RightStatus.PENDING}, "right", errors.RIGHT_NOT_VERIFIED),
        ({"kind": RightKind.PATENT_UTILITY}, "right", errors.NOT_A_TRADEMARK),
    ],
)
def test_only_verified_trade_marks_can_be_monitored(world, holder, change, field, code):
    right = _right(holder, **change)
    with pytest.raises(InvalidInput) as caught:
        services.protected_mark_register(actor=world.holder_user, right=right)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert not ProtectedMark.objects.exists()


def test_a_holder_cannot_monitor_someone_elses_mark(world, holder):
    other = RightsHolder.objects.create(name="别人", kind="enterprise", region=world.county)
    with pytest.raises(PermissionDenied):
        services.protected_mark_register(actor=world.holder_user, right=_right(other))


@pytest.mark.parametrize(
    ("low", "high", "field", "words"),
    [
        ("50", "10", "price_max", "上限不能低于下限"),
        ("-1", "", "price_min", "不小于 0"),
        ("abc", "", "price_min", "应为数字"),
    ],
)
def test_bad_prices_name_their_field(world, holder, low, high, field, words):
    with pytest.raises(InvalidInput) as caught:
        services.protected_mark_register(
            actor=world.holder_user, right=_right(holder), price_min=low, price_max=high
        )
    assert caught.value.field == field and words in str(caught.value.message)
    assert not ProtectedMark.objects.exists()


def test_officers_keep_a_watch_list_without_duplicates(world):
    mark = services.watch_mark_add(actor=world.officer, name="康师傅®", nice_classes="30, 29")
    assert (mark.unit, mark.nice_classes, mark.name_normalized) == (
        world.market,
        [29, 30],
        "康师傅",
    )
    with pytest.raises(Conflict):
        services.watch_mark_add(actor=world.leader, name="康師傅")
    # another unit keeps its own list
    services.watch_mark_add(actor=world.officer_other, name="康师傅")


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"name": "®"}, "name"),
        ({"name": " "}, "name"),
        ({"name": "雪碧", "nice_classes": "99"}, "nice_classes"),
    ],
)
def test_watch_list_input_errors_name_the_field(world, kw, field):
    with pytest.raises(InvalidInput) as caught:
        services.watch_mark_add(actor=world.officer, **kw)
    assert caught.value.field == field


@pytest.mark.parametrize("who", ["public_user", "holder_user", "auditor"])
def test_only_staff_who_write_keep_a_watch_list(world, who):
    with pytest.raises(PermissionDenied):
        services.watch_mark_add(actor=getattr(world, who), name="雪碧")


def test_stopping_a_mark_is_for_its_holder_or_its_unit(world, holder):
    watched = services.watch_mark_add(actor=world.officer, name="雪碧")
    with pytest.raises(PermissionDenied):
        services.protected_mark_stop(actor=world.officer_other, mark=watched)
    assert services.protected_mark_stop(actor=world.leader, mark=watched).active is False
    own = services.protected_mark_register(actor=world.holder_user, right=_right(holder))
    with pytest.raises(PermissionDenied):
        services.protected_mark_stop(actor=world.officer, mark=own)
    assert services.protected_mark_stop(actor=world.holder_user, mark=own).active is False
    assert AuditEvent.objects.filter(verb=Verb.PROTECTED_MARK_STOPPED).count() == 2


def test_slang_terms_are_edited_by_leaders(world):
    assert CounterfeitTerm.objects.filter(term="高仿").exists()  # seeded by the migration
    with pytest.raises(PermissionDenied):
        services.counterfeit_term_save(actor=world.officer, term="仿版")
    with pytest.raises(InvalidInput) as caught:
        services.counterfeit_term_save(actor=world.leader, term="仿版", weight=0)
    assert caught.value.field == "weight"
    term = services.counterfeit_term_save(actor=world.leader, term="仿版", weight=30)
    assert term.weight == 30 and AuditEvent.objects.filter(verb=Verb.COUNTERFEIT_TERM_CHANGED)


# -- Alerts ------------------------------------------------------------------------------------


def _alert(world, *, unit=None, url=None):
    unit = unit or world.market
    mark = WatchMarkFactory(name="康师傅", unit=unit, added_by=world.officer)
    source = ListingImportFactory(unit=unit)
    listing_kw = {"source": source, "title": "康帅傅 红烧牛肉面 整箱", "price": Decimal("19.90")}
    if url:
        listing_kw["url"] = url
    listing = ListingFactory(**listing_kw, seller_name="保德县某商行")
    return AlertFactory(listing=listing, mark=mark)


def test_dismissing_needs_a_reason_and_happens_once(world):
    alert = _alert(world)
    with pytest.raises(InvalidInput) as caught:
        services.alert_dismiss(actor=world.officer, alert=alert, reason="  ")
    assert caught.value.field == "reason"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    done = services.alert_dismiss(actor=world.officer, alert=alert, reason="正品授权店铺")
    assert (done.status, done.handled_by, done.dismissal_reason) == (
        AlertStatus.DISMISSED,
        world.officer,
        "正品授权店铺",
    )
    with pytest.raises(Conflict):
        services.alert_dismiss(actor=world.officer, alert=alert, reason="再次")
    assert AuditEvent.objects.filter(verb=Verb.ALERT_DISMISSED).count() == 1


def test_another_units_alert_is_not_found(world):
    alert = _alert(world)
    with pytest.raises(DomainError) as caught:
        services.alert_dismiss(actor=world.officer_other, alert=alert, reason="x")
    assert caught.value.status == 404


def test_bulk_dismissal_is_all_or_nothing(world):
    mine = [_alert(world), _alert(world)]
    theirs = _alert(world, unit=world.other_market)
    with pytest.raises(DomainError):
        services.alerts_dismiss(
            actor=world.officer, alert_ids=[a.pk for a in [*mine, theirs]], reason="批量"
        )
    assert all(a.status == AlertStatus.OPEN for a in type(theirs).objects.all())
    assert (
        services.alerts_dismiss(actor=world.officer, alert_ids=[a.pk for a in mine], reason="正品")
        == 2
    )
    with pytest.raises(InvalidInput) as caught:
        services.alerts_dismiss(actor=world.officer, alert_ids=[], reason="正品")
    assert caught.value.field == "alerts"


def test_an_alert_becomes_a_lead_with_the_page_captured(world, shop):
    alert = _alert(world, url=shop.url("/item/42"))
    alert = services.alert_to_lead(actor=world.officer, alert=alert)
    assert alert.status == AlertStatus.LEAD
    case = alert.case
    assert (case.source, case.unit) == (Source.MONITORING, world.market)
    assert "康帅傅 红烧牛肉面" in case.description and "风险分：75" in case.description
    item = EvidenceItem.objects.get(pk=alert.evidence_id)
    assert item.case_id == case.pk and item.content_type == "application/zip"
    notes = CaseEvent.objects.filter(case=case).values_list("note", flat=True)
    assert any(shop.url("/item/42") in (note or "") for note in notes)
    assert AuditEvent.objects.filter(verb=Verb.ALERT_TO_LEAD, target_id=str(alert.pk)).exists()
    with pytest.raises(Conflict):
        services.alert_to_lead(actor=world.officer, alert=alert)


def test_a_failed_capture_keeps_the_lead_and_can_be_retried(world, shop, settings):
    alert = _alert(world, url=shop.url("/item/7"))
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = ""  # loopback refused: the capture fails
    alert = services.alert_to_lead(actor=world.officer, alert=alert)
    assert alert.status == AlertStatus.LEAD and alert.case_id and alert.evidence_id is None
    assert alert.capture_error
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = "127.0.0.0/8"
    alert = services.alert_capture(actor=world.officer, alert=alert)
    assert alert.evidence_id and alert.capture_error == ""
