"""Listing imports: CSV and JSON Lines files, HTTP feeds from a real local server, the feed poll
and its periodic task, deduplication, seller linking, per-row errors and progress."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ipshield.audit.models import AuditEvent, Verb
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.engines import uscc
from ipshield.engines.marks import ScanPool
from ipshield.monitoring import errors, imports
from ipshield.monitoring.imports import (
    listing_feed_add,
    listing_feed_fetch,
    listing_feeds_poll_due,
    listing_import_run,
    listing_import_start,
)
from ipshield.monitoring.models import (
    Alert,
    ImportStatus,
    Listing,
    ListingFeed,
    ListingImport,
)
from ipshield.registry.models import Entity
from ipshield.registry.services import entity_create
from tests.monitoring.factories import WatchMarkFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATA = Path(__file__).parent / "data"
HEADER_EN = "platform,shop,title,price,url,seller,seller_uscc,listed_at,category,nice_class"
USCC = "91140931MA0K123455"  # check digit 5
USCC_WRONG = "91140931MA0K12345A"


def valid_uscc(first17: str) -> str:
    return first17 + uscc.check_digit(first17)


def upload(name: str, content: str | bytes, encoding: str = "utf-8") -> SimpleUploadedFile:
    data = content.encode(encoding) if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def csv_rows(*rows: str, header: str = HEADER_EN) -> str:
    return "\n".join([header, *rows]) + "\n"


def item_row(n: int, **kw: str) -> str:
    values = {
        "platform": "淘宝",
        "shop": f"店铺{n}",
        "title": f"商品{n}",
        "price": "10",
        "url": f"https://item.taobao.com/item.htm?id={n}",
        "seller": "",
        "seller_uscc": "",
        "listed_at": "",
        "category": "",
        "nice_class": "",
    }
    values.update(kw)
    return ",".join(values.values())


@pytest.fixture
def officer(world):
    return world.officer


# -- Files ------------------------------------------------------------------------------------


def test_csv_with_english_headers_is_imported_in_the_request(world, officer):
    text = csv_rows(
        "淘宝,保德红枣旗舰店,保德红枣 特级 500g,39.90,https://item.taobao.com/item.htm?id=1,"
        ",,2026-11-20T10:30:00,食品,29;31",
        "京东,黄河食品,黄河鲤鱼,,https://item.jd.com/2.html,,,2026-11-21T08:00:00+00:00,,",
    )
    row = listing_import_start(actor=officer, upload=upload("listings.csv", text))
    assert (row.status, row.format, row.total, row.processed) == ("done", "csv", 2, 2)
    assert (row.created_count, row.duplicate_count, row.error_count) == (2, 0, 0)
    assert row.percent == 100 and row.started_at and row.finished_at
    assert row.unit == world.market and row.actor == officer and row.file_name == "listings.csv"
    first = Listing.objects.get(url="https://item.taobao.com/item.htm?id=1")
    assert first.source == row and first.unit == world.market
    assert (first.platform, first.shop, first.title) == (
        "淘宝",
        "保德红枣旗舰店",
        "保德红枣 特级 500g",
    )
    assert first.price == Decimal("39.90") and first.nice_classes == [29, 31]
    assert first.listed_at == dt.datetime(2026, 11, 20, 10, 30, tzinfo=SHANGHAI)
    second = Listing.objects.get(platform="京东")
    assert second.price is None and second.listed_at == dt.datetime(2026, 11, 21, 8, tzinfo=dt.UTC)
    event = AuditEvent.objects.get(verb=Verb.LISTINGS_IMPORTED)
    assert event.actor == officer and event.target_id == str(row.pk)
    assert event.data["created"] == 2 and event.data["status"] == "done"
    with row.file.open("rb") as handle:
        assert handle.read() == text.encode()


def test_csv_with_chinese_headers_utf8_bom_and_yuan_prices(officer):
    data = codecs.BOM_UTF8 + (DATA / "listings-sample.csv").read_bytes()
    row = listing_import_start(actor=officer, upload=upload("商品.csv", data))
    assert row.status == "done" and row.created_count == 3 and row.errors == []
    fish = Listing.objects.get(platform="京东")
    assert fish.price == Decimal("1299.00") and fish.seller_name == ""
    assert fish.listed_at == dt.datetime(2026, 11, 21, 9, 30, tzinfo=SHANGHAI)
    shoes = Listing.objects.get(platform="拼多多")
    assert shoes.listed_at == dt.datetime(2026, 11, 22, tzinfo=SHANGHAI)
    assert shoes.nice_classes == [25] and shoes.category == "鞋"


def test_gb18030_csv_with_other_chinese_headers_and_tabs(officer):
    text = (
        "电商平台\t店铺名称\t标题\t售价\t商品链接\t卖家\t上架时间\n"
        "淘宝\t晋德小店\t晋德枣园 红枣夹核桃\t￥29.5\thttps://item.taobao.com/item.htm?id=7\t"
        "张三\t2026年11月1日 8:05\n"
    )
    row = listing_import_start(actor=officer, upload=upload("gbk.txt", text, "gb18030"))
    assert row.status == "done" and row.format == "csv" and row.created_count == 1
    listing = Listing.objects.get()
    assert listing.title == "晋德枣园 红枣夹核桃" and listing.shop == "晋德小店"
    assert listing.price == Decimal("29.50") and listing.seller_name == "张三"
    assert listing.listed_at == dt.datetime(2026, 11, 1, 8, 5, tzinfo=SHANGHAI)


def test_excel_unicode_text_utf16_with_tabs(officer):
    text = "平台\t商品标题\t链接\n淘宝\t晋德枣园\thttps://item.taobao.com/item.htm?id=8\n"
    row = listing_import_start(actor=officer, upload=upload("unicode.txt", text, "utf-16"))
    assert row.status == "done" and row.created_count == 1
    assert Listing.objects.get().title == "晋德枣园"


def test_jsonl_with_english_and_chinese_keys(officer):
    lines = [
        {"platform": "淘宝", "title": "红枣", "url": "https://a.example.com/1", "price": 12.5},
        {
            "平台": "抖音",
            "商品标题": "核桃",
            "链接": "https://b.example.com/2",
            "价格": "¥8",
            "上架时间": 1763856000,  # 2025-11-23 00:00 UTC, Unix seconds
            "尼斯分类": [29, "31"],
            "unknown": {"ignored": True},
        },
        {"platform": "快手", "title": "小米", "url": "https://c.example.com/3", "nice_class": 30},
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n\n"
    row = listing_import_start(actor=officer, upload=upload("feed.jsonl", text))
    assert row.status == "done" and row.format == "jsonl"
    assert (row.total, row.created_count, row.error_count) == (3, 3, 0)
    walnut = Listing.objects.get(platform="抖音")
    assert walnut.price == Decimal("8.00") and walnut.nice_classes == [29, 31]
    assert walnut.listed_at == dt.datetime(2025, 11, 23, tzinfo=dt.UTC)
    assert Listing.objects.get(platform="快手").nice_classes == [30]
    assert Listing.objects.get(platform="淘宝").price == Decimal("12.50")


def test_a_json_file_may_hold_an_array_like_a_feed(officer):
    items = [{"platform": "淘宝", "title": "红枣", "url": "https://a.example.com/1"}]
    row = listing_import_start(
        actor=officer, upload=upload("export.json", json.dumps({"items": items}, indent=2))
    )
    assert row.status == "done" and row.created_count == 1


# -- Per-row errors ---------------------------------------------------------------------------


def test_bad_rows_are_recorded_with_their_field_and_good_rows_are_kept(officer):
    text = csv_rows(
        item_row(1),
        item_row(2, price="abc"),
        item_row(3, url="ftp://files.example.com/x"),
        item_row(4, title=""),
        item_row(5, seller_uscc=USCC_WRONG),
        item_row(6, nice_class="25;46"),
        item_row(7, listed_at="2099-01-01"),
        item_row(8, price="-1", listed_at="去年"),
        item_row(9, platform=""),
        "",  # a blank line is no row
        item_row(10, price='"1,29"'),
        item_row(11, seller_uscc=USCC, price='"1,299.50"'),
    )
    row = listing_import_start(actor=officer, upload=upload("mixed.csv", text))
    assert row.status == "done"
    assert (row.total, row.processed, row.created_count, row.error_count) == (11, 11, 2, 9)
    assert sorted(Listing.objects.values_list("title", flat=True)) == ["商品1", "商品11"]
    assert Listing.objects.get(title="商品11").price == Decimal("1299.50")
    found = {(e["row"], e["field"]) for e in row.errors}
    assert found == {
        (3, "price"),
        (4, "url"),
        (5, "title"),
        (6, "seller_uscc"),
        (7, "nice_class"),
        (8, "listed_at"),
        (9, "price"),
        (9, "listed_at"),
        (10, "platform"),
        (12, "price"),
    }
    messages = {(e["row"], e["field"]): e["message"] for e in row.errors}
    assert "价格" in messages[(3, "price")] and "abc" in messages[(3, "price")]
    assert "链接" in messages[(4, "url")] and "http" in messages[(4, "url")]
    assert "商品标题" in messages[(5, "title")]
    # The wrong check digit is named, with the one the first 17 characters give.
    assert "校验位" in messages[(6, "seller_uscc")] and "“5”" in messages[(6, "seller_uscc")]
    assert "尼斯分类" in messages[(7, "nice_class")] and "46" in messages[(7, "nice_class")]
    assert "上架时间" in messages[(8, "listed_at")]
    assert "负数" in messages[(9, "price")]
    assert "平台" in messages[(10, "platform")]


def test_stored_errors_are_capped_but_all_are_counted(officer, monkeypatch):
    monkeypatch.setattr(imports, "MAX_STORED_ERRORS", 5)
    text = csv_rows(*(item_row(n, price="x") for n in range(8)), item_row(99))
    row = listing_import_start(actor=officer, upload=upload("bad.csv", text))
    assert row.status == "done" and row.error_count == 8 and len(row.errors) == 5
    assert row.created_count == 1


# -- Files that cannot be read ----------------------------------------------------------------


def test_missing_required_columns_fail_the_import_and_save_nothing(officer):
    text = "平台,店铺,价格\n淘宝,小店,12\n"
    row = listing_import_start(actor=officer, upload=upload("cols.csv", text))
    assert row.status == ImportStatus.FAILED and row.finished_at is not None
    assert "缺少必填列" in row.failure
    assert "商品标题（title）" in row.failure and "链接（url）" in row.failure
    assert "平台" not in row.failure.split("：")[1].split("。")[0]
    assert Listing.objects.count() == 0 and row.file
    assert AuditEvent.objects.get(verb=Verb.LISTINGS_IMPORTED).data["status"] == "failed"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.jsonl", "this is not json\n{}\n", "JSON Lines"),
        ("a.json", "[1, 2", "不是有效的 JSON"),
        ("a.json", json.dumps({"data": []}, indent=2), "items"),
        ("a.csv", HEADER_EN + "\n", "只有表头"),
        ("a.csv", "标题,标题,链接,平台\nx,y,https://a.example.com/,淘宝\n", "只保留一列"),
    ],
)
def test_text_that_is_not_a_listing_file_fails_clearly(officer, name, content, expected):
    row = listing_import_start(actor=officer, upload=upload(name, content))
    assert row.status == ImportStatus.FAILED and expected in row.failure
    assert Listing.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "code", "expected"),
    [
        ("a.csv", b"", errors.IMPORT_EMPTY, "空"),
        ("a.csv", b"  \n\n", errors.IMPORT_EMPTY, "空"),
        ("a.xlsx", b"PK\x03\x04rest", errors.IMPORT_FORMAT, "CSV"),
        ("a.csv", b"PK\x03\x04rest-of-a-workbook", errors.IMPORT_FORMAT, "Excel"),
        ("a.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", errors.IMPORT_FORMAT, "不是文本文件"),
        ("a.txt", b"title\x00url\x00", errors.IMPORT_FORMAT, "不是文本文件"),
    ],
)
def test_uploads_that_are_not_text_files_are_refused_naming_the_file_field(
    officer, name, content, code, expected
):
    with pytest.raises(InvalidInput) as caught:
        listing_import_start(actor=officer, upload=upload(name, content))
    assert caught.value.field == "file" and caught.value.code == code
    assert expected in str(caught.value.message)
    assert ListingImport.objects.count() == 0


def test_too_large_upload_is_refused(officer, settings):
    settings.IPSHIELD_IMPORT_MAX_MB = 0.001
    with pytest.raises(InvalidInput) as caught:
        listing_import_start(actor=officer, upload=upload("big.csv", csv_rows(item_row(1)) * 40))
    assert caught.value.field == "file" and "上限" in str(caught.value.message)


# -- Duplicates and sellers -------------------------------------------------------------------


def test_reimporting_creates_no_duplicates_and_urls_are_normalised(officer):
    text = csv_rows(
        item_row(1),
        item_row(2, platform="Taobao"),
        item_row(3, url="HTTPS://Item.Taobao.COM:443/item.htm?id=1#reviews"),  # same as row 1
        item_row(4, platform=" TAOBAO", url="https://item.taobao.com/item.htm?id=2"),  # row 2
        item_row(5, platform="京东", url="https://item.taobao.com/item.htm?id=1"),  # other platform
    )
    first = listing_import_start(actor=officer, upload=upload("a.csv", text))
    assert (first.created_count, first.duplicate_count) == (3, 2)
    again = listing_import_start(actor=officer, upload=upload("a.csv", text))
    assert (again.status, again.created_count, again.duplicate_count) == ("done", 0, 5)
    assert Listing.objects.count() == 3
    assert imports.fingerprint("淘宝", "https://item.taobao.com/item.htm?id=1") == (
        Listing.objects.get(platform="淘宝", url__endswith="id=1").fingerprint
    )


def test_seller_is_linked_by_uscc_and_else_by_a_unique_name(world, officer):
    by_code = entity_create(actor=officer, name="保德县红枣有限公司", uscc=USCC)
    by_name = entity_create(actor=officer, name="晉德食品有限公司")  # Traditional characters
    for _n in range(2):
        Entity.objects.create(name="同名商贸", name_normalized="同名商贸")
    text = csv_rows(
        item_row(1, seller="名字不同也可以", seller_uscc=USCC.lower()),
        item_row(2, seller="晋德食品有限公司"),
        item_row(3, seller="同名商贸"),
        item_row(4, seller="没有登记的公司"),
        item_row(5, seller="晋德食品有限公司", seller_uscc=valid_uscc("91140931MA0K99999")),
    )
    row = listing_import_start(actor=officer, upload=upload("sellers.csv", text))
    assert row.created_count == 5
    sellers = dict(Listing.objects.values_list("title", "seller_id"))
    assert sellers == {
        "商品1": by_code.pk,
        "商品2": by_name.pk,
        "商品3": None,
        "商品4": None,
        "商品5": by_name.pk,  # a code nobody has: the name decides
    }
    assert Listing.objects.get(title="商品1").seller_uscc == USCC


def test_alerts_raised_by_detection_are_counted(world, officer):
    WatchMarkFactory(name="康师傅", unit=world.market, added_by=officer)
    text = csv_rows(item_row(1, title="康帅傅 红烧牛肉面 整箱 24 袋"), item_row(2, title="小米"))
    row = listing_import_start(actor=officer, upload=upload("knockoffs.csv", text))
    assert row.alert_count >= 1
    assert row.alert_count == sum(listing.alerts.count() for listing in row.listings.all())


def test_a_large_import_scans_on_worker_processes_with_the_same_alerts(
    world, officer, settings, monkeypatch
):
    WatchMarkFactory(name="康师傅", unit=world.market, added_by=officer)
    WatchMarkFactory(name="adidas", unit=world.market, added_by=officer)
    titles = ["康帅傅 红烧牛肉面 整箱", "adidos 运动鞋 高仿", "小米 充电宝", "康师傅 矿泉水"]
    rows = [item_row(n, title=titles[n % 4]) for n in range(40)]
    rows.insert(13, item_row(99, price="abc"))  # a bad row in the middle
    settings.IPSHIELD_IMPORT_INLINE_ROWS = 0  # queued, as large files are
    monkeypatch.setattr(imports, "BATCH_SIZE", 8)  # six batches

    def run(name: str) -> ListingImport:
        started = listing_import_start(actor=officer, upload=upload(name, csv_rows(*rows)))
        return listing_import_run(listing_import=started)

    def outcome(row: ListingImport) -> tuple[int, ...]:
        return (row.processed, row.created_count, row.error_count, row.alert_count)

    settings.IPSHIELD_SCAN_PROCESSES = 1
    alone = run("a.csv")
    expected = sorted(Alert.objects.values_list("listing__title", "mark__name", "risk"))
    assert outcome(alone) == (41, 40, 1, len(expected)) and len(expected) >= 10
    Alert.objects.all().delete()
    Listing.objects.all().delete()
    settings.IPSHIELD_SCAN_PROCESSES = 2
    settings.IPSHIELD_SCAN_PARALLEL_FROM = 10
    submitted: list[int] = []
    pools: list[ScanPool] = []
    real_submit = ScanPool.submit

    def counting(pool, texts, *args, **kwargs):
        assert pool.processes == 2
        submitted.append(len(texts))
        pools.append(pool)
        return real_submit(pool, texts, *args, **kwargs)

    monkeypatch.setattr(ScanPool, "submit", counting)
    pooled = run("b.csv")
    assert submitted == [8, 7, 8, 8, 8, 1]  # each batch's valid rows
    assert not pools[0].broken  # answered by the workers, not by the fallback
    assert outcome(pooled) == outcome(alone) and pooled.status == ImportStatus.DONE
    assert sorted(Alert.objects.values_list("listing__title", "mark__name", "risk")) == expected
    assert pooled.errors[0]["row"] == 15 and pooled.errors[0]["field"] == "price"


# -- Batches, progress, queueing --------------------------------------------------------------


def test_progress_is_saved_after_every_batch(officer, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 3)
    seen: list[tuple[int, int]] = []
    real_detect = imports._detect

    def spy(created, scanned=None):
        stored = ListingImport.objects.get()
        seen.append((stored.processed, stored.total))
        return real_detect(created, scanned)

    monkeypatch.setattr(imports, "_detect", spy)
    text = csv_rows(*(item_row(n) for n in range(10)))
    row = listing_import_start(actor=officer, upload=upload("batches.csv", text))
    assert seen == [(0, 10), (3, 10), (6, 10), (9, 10)]
    assert (row.processed, row.total, row.created_count, row.percent) == (10, 10, 10, 100)


def test_an_interrupted_import_keeps_its_finished_batches_and_runs_again(officer, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 4)
    monkeypatch.setattr(imports, "inline_rows", lambda: 0)  # queue it
    text = csv_rows(*(item_row(n) for n in range(10)), item_row(3))
    row = listing_import_start(actor=officer, upload=upload("crash.csv", text))
    assert row.status == ImportStatus.QUEUED and row.total == 11 and row.percent == 0
    calls = []

    def crash_on_second_batch(created, scanned=None):
        calls.append(len(created))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return 0

    monkeypatch.setattr(imports, "_detect", crash_on_second_batch)
    row = listing_import_run(listing_import=row)
    assert row.status == ImportStatus.FAILED and "重新运行" in row.failure
    assert row.created_count == 4 and Listing.objects.count() == 4

    monkeypatch.setattr(imports, "_detect", lambda created, scanned=None: 0)
    row = listing_import_run(listing_import=row)
    assert row.status == ImportStatus.DONE and row.failure == ""
    assert (row.processed, row.created_count, row.duplicate_count) == (11, 10, 1)
    assert Listing.objects.count() == 10
    # Done is done: running it again changes nothing.
    assert listing_import_run(listing_import=row).finished_at == row.finished_at


def test_a_running_import_is_left_to_its_run_unless_it_went_stale(officer, monkeypatch):
    monkeypatch.setattr(imports, "inline_rows", lambda: 0)
    row = listing_import_start(actor=officer, upload=upload("a.csv", csv_rows(item_row(1))))
    ListingImport.objects.filter(pk=row.pk).update(status=ImportStatus.RUNNING)
    assert listing_import_run(listing_import=row).status == ImportStatus.RUNNING
    stale = timezone.now() - imports.STALE_AFTER - dt.timedelta(minutes=1)
    ListingImport.objects.filter(pk=row.pk).update(updated_at=stale)
    assert listing_import_run(listing_import=row).status == ImportStatus.DONE


def test_large_files_are_queued_for_the_worker(
    officer, settings, django_capture_on_commit_callbacks
):
    settings.IPSHIELD_IMPORT_INLINE_ROWS = 2
    text = csv_rows(*(item_row(n) for n in range(3)))
    with django_capture_on_commit_callbacks(execute=True):
        row = listing_import_start(actor=officer, upload=upload("big.csv", text))
    assert row.status == ImportStatus.QUEUED and row.total == 3 and Listing.objects.count() == 0
    queued = DBTaskResult.objects.get(task_path="ipshield.monitoring.tasks.run_listing_import")
    assert json.loads(json.dumps(queued.args_kwargs))["args"] == [row.pk]

    from ipshield.monitoring.tasks import run_listing_import

    summary = run_listing_import.call(row.pk)
    assert summary["status"] == "done" and summary["created"] == 3
    assert run_listing_import.call(10**9) is None


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_import(world, settings):
    from django.core.management import call_command

    settings.IPSHIELD_IMPORT_INLINE_ROWS = 0
    row = listing_import_start(
        actor=world.officer, upload=upload("q.csv", csv_rows(item_row(1), item_row(2)))
    )
    assert row.status == ImportStatus.QUEUED
    call_command("worker", "--batch")
    row.refresh_from_db()
    assert row.status == ImportStatus.DONE and row.created_count == 2
    # The worker's start also queued the feed poll, which ran and queued its next run.
    poll = "ipshield.monitoring.tasks.poll_listing_feeds"
    assert DBTaskResult.objects.filter(task_path=poll, status="SUCCESSFUL").count() == 1
    assert DBTaskResult.objects.filter(task_path=poll, status="READY").count() == 1


# -- Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["holder_user", "public_user", "auditor", "member"])
def test_only_writing_staff_import_or_add_feeds(world, who):
    actor = getattr(world, who)
    with pytest.raises(PermissionDenied):
        listing_import_start(actor=actor, upload=upload("a.csv", csv_rows(item_row(1))))
    with pytest.raises(PermissionDenied):
        listing_feed_add(actor=actor, name="源", url="https://feed.example.com/")
    assert ListingImport.objects.count() == ListingFeed.objects.count() == 0


def test_anonymous_is_refused(db):
    with pytest.raises(PermissionDenied) as caught:
        listing_import_start(actor=None, upload=upload("a.csv", csv_rows(item_row(1))))
    assert caught.value.code == errors.STAFF_ONLY


# -- Feeds ------------------------------------------------------------------------------------

FEED_ITEMS = [
    {"title": "保德红枣 特级", "url": "https://item.taobao.com/item.htm?id=501", "price": "39"},
    {"platform": "京东", "title": "黄河鲤鱼", "url": "https://item.jd.com/502.html"},
    {"platform": "京东", "title": "", "url": "https://item.jd.com/503.html"},
]


class FeedServer:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.hits: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


def _handler(feed_server: FeedServer) -> type[BaseHTTPRequestHandler]:
    bodies = {
        "/array": json.dumps(FEED_ITEMS, ensure_ascii=False).encode(),
        "/items": json.dumps({"items": FEED_ITEMS[:2], "next": None}).encode(),
        "/listings": json.dumps({"listings": FEED_ITEMS[1:2]}, ensure_ascii=False).encode(),
        "/bad-json": b"<html>maintenance</html>",
        "/no-items": b'{"total": 0}',
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            feed_server.hits.append(self.path)
            status, body = (200, bodies[self.path]) if self.path in bodies else (500, b"oops")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def feeds(settings) -> Iterator[FeedServer]:
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = "127.0.0.0/8"
    settings.IPSHIELD_FEED_TIMEOUT = 5
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    feed_server = FeedServer(server)
    server.RequestHandlerClass = _handler(feed_server)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    yield feed_server
    server.shutdown()
    server.server_close()


def _feed(world, url: str, **kw) -> ListingFeed:
    kw.setdefault("name", "测试信息源")
    return ListingFeed.objects.create(unit=world.market, url=url, added_by=world.officer, **kw)


def test_a_feed_is_added_fetched_and_imported(
    world, officer, feeds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        feed = listing_feed_add(
            actor=officer, name=" 淘宝 监测 ", url=feeds.url("/array"), platform="淘宝"
        )
    assert (feed.unit, feed.name, feed.interval_minutes) == (world.market, "淘宝 监测", 60)
    assert AuditEvent.objects.filter(verb=Verb.LISTING_FEED_ADDED, actor=officer).exists()
    queued = DBTaskResult.objects.get(task_path="ipshield.monitoring.tasks.fetch_listing_feed")
    assert queued.args_kwargs["args"] == [feed.pk]

    row = listing_feed_fetch(feed=feed)
    assert (row.status, row.format, row.feed, row.actor) == ("done", "feed", feed, None)
    assert (row.total, row.created_count, row.error_count) == (3, 2, 1)
    assert row.errors == [{"row": 3, "field": "title", "message": "商品标题不能为空。"}]
    assert Listing.objects.get(title="保德红枣 特级").platform == "淘宝"  # the feed's default
    feed.refresh_from_db()
    assert feed.last_run_at is not None and feed.last_error == ""
    with row.file.open("rb") as handle:
        assert json.loads(handle.read()) == FEED_ITEMS

    again = listing_feed_fetch(feed=feed)
    assert (again.created_count, again.duplicate_count) == (0, 2)


@pytest.mark.parametrize(("path", "created"), [("/items", 2), ("/listings", 1)])
def test_a_feed_may_wrap_its_array_in_an_object(world, feeds, path, created):
    row = listing_feed_fetch(feed=_feed(world, feeds.url(path), platform="淘宝"))
    assert row.status == "done" and row.created_count == created


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/error", "HTTP 500"),
        ("/bad-json", "不是有效的 JSON"),
        ("/no-items", "items"),
    ],
)
def test_a_feed_failure_is_recorded_on_the_import_and_the_feed(world, feeds, path, expected):
    feed = _feed(world, feeds.url(path))
    row = listing_feed_fetch(feed=feed)
    assert row.status == ImportStatus.FAILED and expected in row.failure
    assert row.feed == feed and row.finished_at is not None
    feed.refresh_from_db()
    assert feed.last_run_at is not None and feed.last_error == row.failure
    assert Listing.objects.count() == 0
    assert AuditEvent.objects.get(verb=Verb.LISTINGS_IMPORTED).data["status"] == "failed"


def test_a_feed_on_a_private_address_is_refused(world, feeds, settings):
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = ""
    feed = _feed(world, feeds.url("/array"))
    row = listing_feed_fetch(feed=feed)
    assert row.status == ImportStatus.FAILED and "内网" in row.failure
    assert feeds.hits == []  # never connected
    feed.refresh_from_db()
    assert "内网" in feed.last_error


def test_feed_add_names_the_field_that_is_wrong(world, officer):
    cases = [
        ({"url": "ftp://feed.example.com/"}, "url"),
        ({"url": ""}, "url"),
        ({"url": "https://user:pw@feed.example.com/"}, "url"),
        ({"name": "  "}, "name"),
        ({"interval_minutes": 2}, "interval_minutes"),
        ({"interval_minutes": "often"}, "interval_minutes"),
        ({"platform": "平" * 65}, "platform"),
    ]
    for change, field in cases:
        values = {"name": "源", "url": "https://feed.example.com/a", **change}
        with pytest.raises(InvalidInput) as caught:
            listing_feed_add(actor=officer, **values)
        assert caught.value.field == field, change
    listing_feed_add(actor=officer, name="源", url="https://feed.example.com/a")
    with pytest.raises(Conflict) as caught:
        listing_feed_add(actor=officer, name="另一个", url="https://feed.example.com/a")
    assert caught.value.field == "url" and caught.value.code == errors.FEED_URL


def test_poll_fetches_only_the_feeds_that_are_due(world, feeds):
    now = timezone.now()
    never = _feed(world, feeds.url("/array"), name="从未抓取", platform="淘宝")
    overdue = _feed(world, feeds.url("/items"), name="过期", platform="淘宝")
    recent = _feed(world, feeds.url("/listings"), name="刚抓过")
    off = _feed(world, feeds.url("/array"), name="停用", active=False)
    ListingFeed.objects.filter(pk=overdue.pk).update(last_run_at=now - dt.timedelta(minutes=61))
    ListingFeed.objects.filter(pk=recent.pk).update(last_run_at=now - dt.timedelta(minutes=30))
    rows = listing_feeds_poll_due(now=now)
    assert sorted(row.feed_id for row in rows) == sorted([never.pk, overdue.pk])
    assert all(row.status == "done" for row in rows)
    recent.refresh_from_db()
    off.refresh_from_db()
    assert off.last_run_at is None
    assert recent.last_run_at < now
    assert listing_feeds_poll_due() == []  # all fetched just now


def test_the_poll_task_queues_its_next_run(world, feeds):
    from ipshield.common.schedule import PERIODIC_TASKS, ensure_periodic, ensure_scheduled
    from ipshield.monitoring.tasks import poll_listing_feeds

    path = "ipshield.monitoring.tasks.poll_listing_feeds"
    assert PERIODIC_TASKS[path] == dt.timedelta(minutes=5)
    _feed(world, feeds.url("/listings"), platform="京东")
    before = timezone.now()
    assert poll_listing_feeds.call() == 1
    waiting = DBTaskResult.objects.get(task_path=path, status="READY")
    assert before + dt.timedelta(minutes=5) <= waiting.run_after
    assert waiting.run_after <= timezone.now() + dt.timedelta(minutes=5)
    assert poll_listing_feeds.call() == 0  # nothing due, and still only one run waiting
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 1
    assert ensure_periodic() == [] and path not in ensure_scheduled()


def test_the_worker_start_queues_the_poll_at_once(db):
    from ipshield.common.schedule import DAILY_TASKS, PERIODIC_TASKS, ensure_scheduled

    path = "ipshield.monitoring.tasks.poll_listing_feeds"
    assert path in PERIODIC_TASKS
    assert sorted(ensure_scheduled()) == sorted([*DAILY_TASKS, *PERIODIC_TASKS])
    waiting = DBTaskResult.objects.get(task_path=path, status="READY")
    assert waiting.run_after.year == 9999 or waiting.run_after <= timezone.now()  # "no later than"


# -- Values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("¥1,299.00", "1299.00"),
        ("￥１２９９", "1299.00"),
        ("1299元", "1299.00"),
        ("RMB 12.345", "12.35"),
        ("0", "0.00"),
        (19.9, "19.90"),
    ],
)
def test_prices_in_yuan(text, amount):
    assert imports._price(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["12,5", "免费", "1e400", "nan", "99-199", True])
def test_prices_that_are_refused(text):
    with pytest.raises(imports._Bad):
        imports._price(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-23", dt.datetime(2026, 11, 23, tzinfo=SHANGHAI)),
        ("2026/1/5 7:08:09", dt.datetime(2026, 1, 5, 7, 8, 9, tzinfo=SHANGHAI)),
        ("２０２６年１１月２３日", dt.datetime(2026, 11, 23, tzinfo=SHANGHAI)),
        ("2026-11-23T02:00:00Z", dt.datetime(2026, 11, 23, 2, tzinfo=dt.UTC)),
        (1763856000000, dt.datetime(2025, 11, 23, tzinfo=dt.UTC)),  # milliseconds
    ],
)
def test_listing_times(value, expected):
    assert imports._listed_at(value, timezone.now()) == expected


@pytest.mark.parametrize("value", ["0001-01-01", "1900-01-01", "2026-13-01", "昨天", False, [1]])
def test_listing_times_that_are_refused(value):
    with pytest.raises(imports._Bad):
        imports._listed_at(value, timezone.now())


def test_url_normalisation():
    norm = imports.normalise_listing_url
    assert norm("HTTPS://Shop.Example.COM:443/a?b=1#c") == "https://shop.example.com/a?b=1"
    assert norm("http://shop.example.com") == "http://shop.example.com/"
    assert norm("http://shop.example.com:8080/A") == "http://shop.example.com:8080/A"


# -- `ipshield serve` starts the worker -------------------------------------------------------


def test_serve_runs_the_worker_as_a_child_and_stops_it(monkeypatch):
    import subprocess
    import sys

    import waitress
    from django.core.management import call_command

    from ipshield.common.management.commands import serve as serve_command

    started: list[list[str]] = []
    children: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(args, **kwargs):
        started.append(list(args))
        child = real_popen([sys.executable, "-c", "import time; time.sleep(30)"], **kwargs)
        children.append(child)
        return child

    alive_while_serving: list[bool] = []
    monkeypatch.setattr(serve_command.subprocess, "Popen", popen)
    monkeypatch.setattr(serve_command, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(
        waitress, "serve", lambda *a, **k: alive_while_serving.append(children[0].poll() is None)
    )
    # One serving process runs in this process, so the stand-in server above sees the worker.
    call_command("serve", "--port", "0", "--processes", "1")
    assert started == [[sys.executable, "-m", "ipshield.cli", "worker"]]
    assert alive_while_serving == [True]
    assert children[0].poll() is not None  # stopped when serve returned

    monkeypatch.setattr(waitress, "serve", lambda *a, **k: None)
    call_command("serve", "--no-worker", "--processes", "1")
    assert len(started) == 1
