"""The online-monitoring journey in a real browser.

1. A case officer puts 康师傅 (class 30, genuine price 3–60 yuan) on the unit's watch list.
2. They import a day of marketplace listings from a CSV file: one row is bad (its price) and is
   listed with the field named, the others are imported, and one knock-off raises an alert.
3. The alert queue shows 康帅傅 with its risk and reasons (帅≈师 look alike; counterfeit slang).
4. One click turns it into a lead and captures the listing's page (a real local web server) as
   evidence; the lead opens in the case workflow with source 监测预警.
5. The confusing-mark search finds 康师傅 for 康帅傅 with the reason.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from ipshield.evidence import ledger
from ipshield.monitoring import detection, register
from tests.browser.test_journeys import field_box, label, sign_in

pytestmark = pytest.mark.browser


class _Shop(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        body = (
            "<html><head><meta charset='utf-8'><title>康帅傅 红烧牛肉面</title></head><body>"
            "<h1>康帅傅 红烧牛肉面 整箱 24 袋 高仿</h1><p>¥19.90 包邮</p></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def shop(settings, tmp_path) -> Iterator[str]:
    data = tmp_path / "data"
    data.mkdir()
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "uploads"
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = "127.0.0.0/8"
    detection.forget_index()
    register.forget()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Shop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    ledger.close_all()
    detection.forget_index()
    register.forget()


def test_officer_finds_a_knock_off_listing_and_turns_it_into_a_lead(
    page, live_world, seeded_defaults, shop, shot, tmp_path
):
    sign_in(page, live_world.officer.username)
    page.locator("header nav").get_by_role("link", name="在线监测", exact=True).click()
    page.get_by_role("navigation", name="在线监测").get_by_role("link", name="监测名单").click()
    page.get_by_label(label("商标名称")).fill("康师傅")
    page.get_by_label(label("尼斯分类")).fill("30")
    page.get_by_label(label("参考价下限（元）")).fill("3")
    page.get_by_label(label("参考价上限（元）")).fill("60")
    page.get_by_role("button", name="加入", exact=True).click()
    expect(page.get_by_test_id("mark-row").filter(has_text="康师傅")).to_be_visible()

    csv_file = tmp_path / "listings.csv"
    csv_file.write_text(
        "平台,店铺,商品标题,价格,链接,商品类别\n"
        f"拼多多,乡村小铺,康帅傅 红烧牛肉面 整箱24袋 高仿,19.9,{shop}/item/1,方便面\n"
        f"淘宝,黄河零食铺,五常大米 10斤,59,{shop}/item/2,粮油\n"
        f"京东,诚信百货,康师傅 红烧牛肉面 五连包,14.5,{shop}/item/3,方便面\n"
        f"淘宝,好运来批发,保德红枣 特级,三十九元,{shop}/item/4,红枣\n",
        encoding="utf-8",
    )
    page.get_by_role("navigation", name="在线监测").get_by_role("link", name="商品信息导入").click()
    page.get_by_label(label("商品信息文件")).set_input_files(str(csv_file))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_test_id("import-status")).to_have_text("已完成")
    expect(page.get_by_test_id("created")).to_have_text("3")
    expect(page.get_by_test_id("alerts")).to_have_text("1")
    bad = page.get_by_test_id("row-error")
    expect(bad).to_have_count(1)
    expect(bad).to_contain_text("5")
    expect(bad).to_contain_text("price")
    shot(page, "1-import")

    page.get_by_role("link", name="新预警").click()
    row = page.get_by_test_id("alert-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("康帅傅")
    expect(row).to_contain_text("帅≈师 字形近似")
    shot(page, "2-queue")
    row.get_by_role("link", name="康帅傅 红烧牛肉面 整箱24袋 高仿").click()
    reasons = page.get_by_test_id("reasons")
    expect(reasons).to_contain_text("标题含假冒用语：高仿")
    page.get_by_test_id("to-lead").click()
    expect(page.locator(".messages")).to_contain_text("商品网页已取证")
    expect(page.get_by_test_id("evidence-link")).to_be_visible()
    shot(page, "3-lead")
    page.get_by_test_id("lead-link").click()
    expect(page.locator("body")).to_contain_text("监测预警")
    expect(page.locator("body")).to_contain_text("网页取证")

    page.goto("/monitoring/search/")
    page.get_by_label(label("商标名称")).fill("康帅傅")
    page.get_by_role("button", name="检索").click()
    first = page.get_by_test_id("hit").first
    expect(first).to_contain_text("康师傅")
    expect(first).to_contain_text("帅≈师")
    field = field_box(page, "尼斯分类")
    expect(field).to_be_visible()
    shot(page, "4-search")
