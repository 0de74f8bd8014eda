"""Alert and mark-search reasons are stored as codes and shown in the reader's language."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext

from ipshield.monitoring import detection, reasons
from ipshield.monitoring.models import Alert
from tests.monitoring.factories import (
    AlertFactory,
    ListingFactory,
    ListingImportFactory,
    WatchMarkFactory,
)

CJK = re.compile(r"[\u3400-\u9fff]")


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _detected(world) -> Alert:
    mark = WatchMarkFactory(
        name="adidas",
        unit=world.market,
        added_by=world.officer,
        nice_classes=[25],
        price_min=Decimal("300"),
    )
    source = ListingImportFactory(unit=world.market)
    listing = ListingFactory(source=source, title="adidos 高仿 运动鞋", price=Decimal("50"))
    detection.detect_listings([listing])
    return Alert.objects.get(listing=listing, mark=mark)


def test_alert_reasons_are_stored_as_codes_and_rendered_in_english(world, login):
    alert = _detected(world)
    codes = [r["code"] for r in alert.reasons]
    assert codes[0] == "alert.similar" and "alert.slang" in codes and "alert.price" in codes
    assert "marks.latin_similar" in codes
    assert alert.reason_texts[0] == "“adidos”与受保护商标“adidas”近似（0.93）"
    with translation.override("en"):
        english = alert.reason_texts
    assert english[0] == '"adidos" is confusingly similar to the protected mark "adidas" (0.93)'
    assert "Title contains counterfeit slang: 高仿" in english
    assert "o≈a look-alike letters" in english

    client = _english(login(world.officer))
    for path in (f"/monitoring/alerts/{alert.pk}/", "/monitoring/"):
        page = client.get(path).content.decode()
        assert "look-alike letters" in page and "形近字母" not in page, path
    api = client.get(f"/api/v1/alerts/{alert.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "o≈a look-alike letters" in api["reasons"]


def test_reasons_stored_as_chinese_text_are_read_back_into_codes(world, login):
    listing = ListingFactory(source=ListingImportFactory(unit=world.market), title="康帅傅 方便面")
    mark = WatchMarkFactory(name="康师傅", unit=world.market, added_by=world.officer)
    old = [
        "“康帅傅”与受保护商标“康师傅”近似（0.97）",
        "帅≈师 字形近似，读音 shuai/shi",
        "标题含假冒用语：高仿、原单",
        "价格 ¥9.90 远低于参考价 ¥30–¥60（仅为 33%）",
        "共有字组 “康师”、“师傅”",
        "a note nobody coded",
    ]
    alert = AlertFactory(listing=listing, mark=mark, reasons=old)
    assert alert.reason_texts == old
    with translation.override("en"):
        assert alert.reason_texts == [
            '"康帅傅" is confusingly similar to the protected mark "康师傅" (0.97)',
            "帅≈师 look alike, read shuai/shi",
            "Title contains counterfeit slang: 高仿, 原单",
            "Price ¥9.90 is far below the reference price ¥30–¥60 (only 33%)",
            "shared character pairs “康师”, “师傅”",
            "a note nobody coded",
        ]


def test_every_reason_code_has_an_english_message():
    with translation.override("en"):
        untranslated = [
            code for code, message in reasons.MESSAGES.items() if CJK.search(gettext(message))
        ]
    assert untranslated == []


def test_mark_search_reasons_in_english(world, login):
    WatchMarkFactory(name="康师傅", unit=world.market, added_by=world.officer, nice_classes=[30])
    client = _english(login(world.officer))
    page = client.get("/monitoring/search/", {"q": "康帅傅"}).content.decode()
    assert "帅≈师 look alike, read shuai/shi" in page and "字形近似" not in page
    hits = client.get("/api/v1/marks/search", {"q": "康帅傅"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert hits[0]["reasons"][0] == "帅≈师 look alike, read shuai/shi"
    assert hits[0]["reason_codes"][0] == {
        "code": "marks.glyph",
        "params": {"a": "帅", "b": "师", "sound_a": "shuai", "sound_b": "shi"},
    }


def test_admin_shows_alert_reasons_in_the_readers_language(world, login):
    alert = _detected(world)
    client = _english(login(world.admin))
    page = client.get(f"/admin/monitoring/alert/{alert.pk}/change/").content.decode()
    assert "o≈a look-alike letters" in page and "&quot;code&quot;" not in page
