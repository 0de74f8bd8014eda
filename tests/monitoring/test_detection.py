"""Knock-off detection: risk from likeness, slang, price and prior penalties; alerts on listings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipshield.cases import services as case_services
from ipshield.engines.marks import Hit
from ipshield.monitoring import detection
from ipshield.monitoring.models import Alert, ProtectedMark
from tests.monitoring.factories import ListingFactory, ListingImportFactory, WatchMarkFactory
from tests.publication.factories import company, decided

TERMS = [("高仿", 25), ("1:1", 25), ("原单", 20)]


def _mark(**kw) -> ProtectedMark:
    kw.setdefault("price_min", Decimal("100"))
    kw.setdefault("price_max", Decimal("200"))
    return ProtectedMark(pk=1, name="adidas", **kw)


def _hit(score: float, matched: str = "adidos") -> Hit:
    return Hit("adidas", 1, score, ("o≈a 形近字母",), matched=matched)


def test_a_knock_off_name_alone_is_an_alert_scaled_by_likeness():
    strong = detection.assess(
        title="adidos 运动鞋",
        price=None,
        hit=_hit(0.9),
        mark=_mark(),
        terms=TERMS,
        prior_penalties=0,
    )
    weak = detection.assess(
        title="adidos 运动鞋",
        price=None,
        hit=_hit(0.7),
        mark=_mark(),
        terms=TERMS,
        prior_penalties=0,
    )
    assert strong.risk == round(0.9 * detection.KNOCKOFF_POINTS) > weak.risk
    assert "o≈a 形近字母" in strong.reasons and "adidos" in strong.reasons[0]


def test_slang_low_price_and_priors_add_up_with_their_reasons():
    assessment = detection.assess(
        title="ADIDOS 高仿 1:1 原单 跑鞋",
        price=Decimal("25"),
        hit=_hit(0.9),
        mark=_mark(),
        terms=TERMS,
        prior_penalties=2,
    )
    assert assessment.risk == 100  # 63 + 30 (slang, capped) + 25 (under 30 %) + 20 (priors)
    text = " ".join(assessment.reasons)
    assert "高仿、1:1、原单" in text
    assert "¥25 远低于参考价 ¥100–¥200（仅为 25%）" in text
    assert "此前受过 2 次行政处罚" in text


@pytest.mark.parametrize(
    ("price", "points"), [("99", 0), ("60", 0), ("49.99", 20), ("29", 25), (None, 0)]
)
def test_price_points_follow_the_reference_range(price, points):
    value = None if price is None else Decimal(price)
    got = detection._price(value, _mark())[0]
    assert got == points


def test_the_genuine_name_alone_is_not_an_alert_but_with_slang_it_is():
    genuine = Hit("adidas", 1, 1.0, ("规范化后相同",), matched="adidas")
    quiet = detection.assess(
        title="adidas 官方旗舰店 跑鞋",
        price=Decimal("150"),
        hit=genuine,
        mark=_mark(),
        terms=TERMS,
        prior_penalties=0,
    )
    assert quiet is None
    loud = detection.assess(
        title="adidas 高仿 跑鞋",
        price=Decimal("150"),
        hit=genuine,
        mark=_mark(),
        terms=TERMS,
        prior_penalties=0,
    )
    assert loud.risk == detection.GENUINE_POINTS + 25


@pytest.mark.parametrize(
    ("category", "classes"),
    [("方便面/速食", [29, 30]), ("运动鞋", [25]), ("碳酸饮料", [29, 32, 30]), ("家具", [])],
)
def test_categories_suggest_nice_classes(category, classes):
    assert detection.classes_for(category) == classes


# -- End to end on the database ----------------------------------------------------------------


@pytest.fixture
def watched(world):
    return [
        WatchMarkFactory(
            name=name,
            unit=world.market,
            added_by=world.officer,
            nice_classes=classes,
            price_min=price,
        )
        for name, classes, price in [
            ("康师傅", [30], Decimal("30")),
            ("雪碧", [32], None),
            ("adidas", [25], Decimal("300")),
        ]
    ]


def _listings(world, *titles, **kw):
    source = ListingImportFactory(unit=world.market)
    return [ListingFactory(source=source, title=title, **kw) for title in titles]


def test_detection_raises_alerts_on_knock_offs_only(world, watched):
    listings = _listings(
        world,
        "康帅傅 红烧牛肉面 整箱24袋 批发",
        "雷碧 柠檬味汽水 500ml*12",
        "adidos 三叶草 高仿 复刻 运动鞋",
        "五常大米 10斤 新米",
        "保德红枣 特级 礼盒",
    )
    created = detection.detect_listings(listings)
    alerts = {a.listing.title: a for a in Alert.objects.select_related("listing", "mark")}
    assert created == 3 == len(alerts)
    assert alerts["康帅傅 红烧牛肉面 整箱24袋 批发"].mark.name == "康师傅"
    assert alerts["雷碧 柠檬味汽水 500ml*12"].mark.name == "雪碧"
    shoes = alerts["adidos 三叶草 高仿 复刻 运动鞋"]
    assert shoes.matched.lower() == "adidos" and any("高仿" in r for r in shoes.reason_texts)
    assert shoes.risk > alerts["雷碧 柠檬味汽水 500ml*12"].risk
    # running again creates nothing new
    assert detection.detect_listings(listings) == 0


def test_classes_of_the_listing_limit_the_marks(world, watched):
    listing = _listings(world, "雷碧 运动鞋 男款", nice_classes=[25])
    assert detection.detect_listings(listing) == 0


def test_a_seller_with_a_published_penalty_raises_the_risk(world, watched):
    seller = company(world, "保德县某某商行有限公司")
    case = decided(world, infringer=seller)
    case_services.case_publish(actor=world.officer, case=case)
    clean, repeat = _listings(world, "康帅傅 方便面 五连包", "康帅傅 方便面 五连包 整箱")
    repeat.seller = seller
    repeat.seller_name = seller.name
    repeat.save()
    detection.detect_listings([clean, repeat])
    risks = {a.listing_id: a for a in Alert.objects.all()}
    assert risks[repeat.pk].risk == risks[clean.pk].risk + detection.PRIOR_FIRST
    assert any("此前受过 1 次行政处罚" in r for r in risks[repeat.pk].reason_texts)


def test_the_index_follows_the_watch_list(world, watched):
    assert len(detection.mark_index()) == 3
    WatchMarkFactory(name="奥利奥", unit=world.market, added_by=world.officer)
    assert len(detection.mark_index()) == 4
    ProtectedMark.objects.filter(name="雪碧").update(active=False)
    assert [h.name for h in detection.mark_index().search("雪碧", k=1)] != ["雪碧"]
