"""Monitoring pages: the alert queue, an alert, search, the watch list and the holder's page."""

from __future__ import annotations

import re

from ipshield.monitoring.models import Alert, AlertStatus, ProtectedMark
from ipshield.registry.models import RightsHolder, RightStatus
from tests.monitoring.factories import (
    AlertFactory,
    ListingFactory,
    ListingImportFactory,
    WatchMarkFactory,
)
from tests.registry.factories import IPRightFactory


def _alert(world, *, unit=None, title="康帅傅 方便面", risk=75, mark=None):
    unit = unit or world.market
    mark = mark or WatchMarkFactory(name="康师傅", unit=unit, added_by=world.officer)
    listing = ListingFactory(source=ListingImportFactory(unit=unit), title=title)
    return AlertFactory(listing=listing, mark=mark, risk=risk)


def test_the_queue_shows_open_alerts_of_the_unit_with_filters(world, login):
    high = _alert(world, title="雷碧 汽水", risk=88)
    _alert(world, title="治治 瓜子", risk=45)
    _alert(world, unit=world.other_market, title="别的单位 商品")
    client = login(world.officer)
    page = client.get("/monitoring/").content.decode()
    assert "雷碧 汽水" in page and "治治 瓜子" in page and "别的单位" not in page
    assert page.index("雷碧 汽水") < page.index("治治 瓜子")
    only_high = client.get("/monitoring/", {"level": "high"}).content.decode()
    assert "雷碧 汽水" in only_high and "治治 瓜子" not in only_high
    assert client.get(f"/monitoring/alerts/{high.pk}/").status_code == 200
    assert login(world.public_user).get("/monitoring/").status_code == 403


def test_bulk_dismissal_from_the_queue(world, login):
    alerts = [_alert(world), _alert(world)]
    client = login(world.officer)
    response = client.post(
        "/monitoring/alerts/bulk/",
        {"alerts": [a.pk for a in alerts], "reason": "正品授权", "back": "status=open"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?status=open")
    assert set(Alert.objects.values_list("status", flat=True)) == {AlertStatus.DISMISSED}
    refused = client.post("/monitoring/alerts/bulk/", {"alerts": [], "reason": "x"}, follow=True)
    assert "请至少选择一条预警" in refused.content.decode()


def test_dismissing_without_a_reason_keeps_the_alert_and_says_so(world, login):
    alert = _alert(world)
    client = login(world.officer)
    page = client.post(f"/monitoring/alerts/{alert.pk}/dismiss/", {"reason": ""})
    assert page.status_code == 200 and 'data-field="reason"' in page.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    client.post(f"/monitoring/alerts/{alert.pk}/dismiss/", {"reason": "店铺为正品授权经销商"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED


def test_one_click_lead_with_capture_from_the_alert_page(world, login, shop):
    alert = _alert(world)
    alert.listing.url = shop.url("/item/9")
    alert.listing.save()
    client = login(world.officer)
    page = client.post(f"/monitoring/alerts/{alert.pk}/lead/", follow=True).content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.LEAD and alert.evidence_id
    assert alert.case.number in page and "商品网页已取证" in page


def test_search_page_lists_hits_and_names_bad_classes(world, login):
    WatchMarkFactory(name="雪碧", unit=world.market, added_by=world.officer, nice_classes=[32])
    client = login(world.officer)
    page = client.get("/monitoring/search/", {"q": "雷碧"}).content.decode()
    assert 'data-testid="hit"' in page and "雪碧" in page and "字形近似" in page
    bad = client.get("/monitoring/search/", {"q": "雷碧", "classes": "abc"}).content.decode()
    assert 'data-field="classes"' in bad


def test_watch_list_page_adds_and_reports_errors(world, login):
    client = login(world.officer)
    client.post("/monitoring/watch/", {"name": "奥利奥", "nice_classes": "30"})
    assert ProtectedMark.objects.filter(name="奥利奥", unit=world.market).exists()
    page = client.post("/monitoring/watch/", {"name": "奥利奥", "nice_classes": "77"})
    assert 'data-field="nice_classes"' in page.content.decode()
    assert ProtectedMark.objects.count() == 1


def test_a_holder_registers_a_mark_and_sees_its_alerts(world, login):
    holder = RightsHolder.objects.create(
        name="晋德食品", kind="enterprise", region=world.county, user=world.holder_user
    )
    right = IPRightFactory(holder=holder, title="晋德枣园", status=RightStatus.VERIFIED)
    client = login(world.holder_user)
    bad = client.post("/monitoring/mine/", {"right": right.pk, "price_min": "9", "price_max": "1"})
    assert 'data-field="price_max"' in bad.content.decode()
    client.post("/monitoring/mine/", {"right": right.pk, "price_min": "39", "price_max": "89"})
    mark = ProtectedMark.objects.get(right=right)
    alert = _alert(world, title="晋德枣圆 红枣 礼盒", mark=mark)
    page = client.get("/monitoring/mine/").content.decode()
    assert "晋德枣园" in page and "晋德枣圆 红枣 礼盒" in page
    detail = client.get(f"/monitoring/alerts/{alert.pk}/").content.decode()
    assert "转为线索并取证" not in detail  # holders read, officers act


def test_queue_counters_count_every_alert_not_one_page(world, login):
    """The counters above the queue once read "1" over 38 pending alerts: the queue's ordering
    leaked into the GROUP BY, so each alert was counted on its own."""
    mark = WatchMarkFactory(name="康师傅", unit=world.market, added_by=world.officer)
    for n in range(30):  # more than a page (25)
        _alert(world, title=f"康帅傅 商品 {n}", risk=50 + n, mark=mark)
    for n in range(2):
        dismissed = _alert(world, title=f"已排除 {n}", mark=mark)
        Alert.objects.filter(pk=dismissed.pk).update(status=AlertStatus.DISMISSED)
    _alert(world, unit=world.other_market, title="别的单位")  # not counted: another unit
    page = login(world.officer).get("/monitoring/").content.decode()

    def counter(status):
        match = re.search(rf'data-testid="count-{status}"><div class="n">(\d+)</div>', page)
        return int(match.group(1))

    assert counter(AlertStatus.OPEN) == 30
    assert counter(AlertStatus.DISMISSED) == 2
    assert counter(AlertStatus.LEAD) == 0
    assert page.count('data-testid="alert-row"') == 25


def _holder_alert(world, login, shop=None):
    holder = RightsHolder.objects.create(
        name="晋德食品", kind="enterprise", region=world.county, user=world.holder_user
    )
    right = IPRightFactory(holder=holder, title="晋德枣园", status=RightStatus.VERIFIED)
    client = login(world.holder_user)
    client.post("/monitoring/mine/", {"right": right.pk, "price_min": "39", "price_max": "89"})
    mark = ProtectedMark.objects.get(right=right)
    alert = _alert(world, title="晋德枣圆 红枣 礼盒", mark=mark)
    listing = alert.listing
    listing.seller_name = "忻州某某商贸有限公司"
    listing.shop = "枣香旗舰店"
    if shop is not None:
        listing.url = shop.url("/item/7")
    listing.save()
    return client, alert, right


def test_a_holder_turns_an_alert_into_a_prefilled_complaint(world, login):
    client, alert, right = _holder_alert(world, login)
    detail = client.get(f"/monitoring/alerts/{alert.pk}/").content.decode()
    assert 'data-testid="holder-actions"' in detail
    link = f'href="/complaints/new/?alert={alert.pk}"'
    assert link in detail
    form = client.get(f"/complaints/new/?alert={alert.pk}").content.decode()
    assert f'<option value="{right.pk}" selected>' in form
    assert 'value="忻州某某商贸有限公司"' in form
    assert "枣香旗舰店" in form and alert.listing.url in form
    assert "晋德枣圆 红枣 礼盒" in form  # the description names the listing
    # Somebody else's alert fills in nothing.
    other = login(world.public_user).get(f"/complaints/new/?alert={alert.pk}").content.decode()
    assert "忻州某某商贸有限公司" not in other
    assert client.get("/complaints/new/?alert=abc").status_code == 200


def test_a_holder_captures_the_listing_page_from_the_alert(world, login, shop):
    from ipshield.evidence.models import EvidenceItem

    client, alert, _right = _holder_alert(world, login, shop)
    detail = client.get(f"/monitoring/alerts/{alert.pk}/").content.decode()
    capture_form = r'<form method="post" action="(/evidence/capture/)">(.*?)</form>'
    form = re.search(capture_form, detail, re.S)
    assert form and 'data-testid="holder-capture"' in form.group(2)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    fields.pop("csrfmiddlewaretoken", None)
    assert fields == {"capture-url": alert.listing.url}
    response = client.post(form.group(1), fields)
    item = EvidenceItem.objects.get(owner=world.holder_user)
    assert response.status_code == 302 and response["Location"] == f"/evidence/{item.pk}/"
    assert item.content_type == "application/zip"
