"""User journeys in a real browser: sign-in, language switch, sign-up, registering and verifying
a right, bad input kept on the page, and unit scoping."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from ipshield.engines import uscc
from ipshield.registry import services as registry_services
from ipshield.registry.models import HolderKind, RightKind
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.browser

# A made-up enterprise registered in 保德县 (region 140931); the check digit is computed.
USCC_BODY = "91140931MA0K7LQ3X"
USCC = USCC_BODY + uscc.check_digit(USCC_BODY)


def one_pixel_png() -> bytes:
    """A valid 1×1 white PNG, built here so the upload is a real image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte + one white pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def label(text: str) -> re.Pattern[str]:
    """Match a field label exactly, allowing the required-field asterisk after it."""
    return re.compile(rf"^{re.escape(text)}\s*\*?$")


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label(label("用户名")).fill(username)
    page.get_by_label(label("密码")).fill(password)
    page.get_by_role("button", name="登录").click()


def field_box(scope, label_text: str):
    """The ``.field`` wrapper (inside ``scope``, a page or a locator) holding a labelled input,
    its help text and its errors."""
    page = getattr(scope, "page", scope)
    return scope.locator("div.field").filter(has=page.get_by_label(label(label_text)))


def test_case_officer_signs_in_and_switches_language(page, live_world, shot):
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    shot(page, "1-login")

    sign_in(page, "officer")
    expect(page).to_have_url(re.compile(r"/workbench/$"))
    counts = page.get_by_test_id("counts")
    expect(counts).to_be_visible()
    expect(counts).to_contain_text("待核验权利")
    expect(page.get_by_role("heading", level=1)).to_contain_text("保德县市场监督管理局")
    shot(page, "2-workbench")

    page.get_by_test_id("language").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/workbench/$"))
    shot(page, "3-english")
    nav = page.locator("header nav")
    # Needs the English catalogue (src/ipshield/locale/en/LC_MESSAGES/django.po, compiled).
    expect(nav.get_by_role("link", name="Workbench", exact=True)).to_be_visible()
    expect(page.get_by_test_id("counts")).to_be_visible()

    page.get_by_test_id("language").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(nav.get_by_role("link", name="工作台", exact=True)).to_be_visible()
    expect(page.get_by_test_id("counts")).to_contain_text("待核验权利")
    shot(page, "4-chinese-again")


def test_rights_holder_registers_a_trademark_and_an_officer_verifies_it(
    page, new_page, live_world, shot
):
    # Sign up.
    page.goto("/signup/")
    page.get_by_label(label("用户名")).fill("baode_food")
    page.get_by_label(label("姓名/联系人")).fill("王建国")
    page.get_by_label(label("手机号")).fill("13812345678")
    page.get_by_label(label("电子邮箱")).fill("wang@example.cn")
    page.get_by_label(label("密码")).fill(PASSWORD)
    page.get_by_label(label("确认密码")).fill(PASSWORD)
    shot(page, "1-signup")
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page).to_have_url(re.compile(r"/my/rights/$"))
    expect(page.get_by_role("status")).to_contain_text("注册成功")

    # Holder information.
    holder = page.get_by_role("region", name="权利人信息")
    holder.get_by_label(label("权利人名称")).fill("保德县黄河食品有限公司")
    holder.get_by_label(label("权利人类型")).select_option(label="企业")
    holder.get_by_label(label("统一社会信用代码")).fill(USCC)
    region_select = holder.get_by_label(label("所在地区"))
    baode = region_select.locator("option", has_text="保德县")
    expect(baode).to_have_count(1)
    region_select.select_option(baode.get_attribute("value"))
    shot(page, "2-holder")
    holder.get_by_role("button", name="保存权利人信息").click()
    expect(page.get_by_role("status")).to_contain_text("权利人信息已保存")
    # The form comes back filled with what was saved.
    holder = page.get_by_role("region", name="权利人信息")
    expect(holder.get_by_label(label("统一社会信用代码"))).to_have_value(USCC)

    # A trademark with a certificate.
    right = page.get_by_role("region", name="登记新权利")
    right.get_by_label(label("权利类型")).select_option(label="商标")
    right.get_by_label(label("注册/登记号")).fill("61234567")
    right.get_by_label(label("名称")).fill("黄河古渡")
    right.get_by_label(label("尼斯分类")).fill("30, 32")
    right.get_by_label(label("权利证书")).set_input_files(
        {"name": "certificate.png", "mimeType": "image/png", "buffer": one_pixel_png()}
    )
    shot(page, "3-right")
    right.get_by_role("button", name="提交核验").click()
    expect(page.get_by_role("status")).to_contain_text("等待保德县市场监督管理局核验")
    row = page.locator("tbody tr").filter(has_text="61234567")
    expect(row).to_contain_text("黄河古渡")
    expect(row).to_contain_text("30、32")
    expect(row).to_contain_text("保德县市场监督管理局")
    expect(row.locator(".badge")).to_have_text("待核验")
    shot(page, "4-pending")

    # The case officer of 保德县市场监督管理局 verifies it, in a separate browser context.
    officer = new_page()
    sign_in(officer, "officer")
    expect(officer).to_have_url(re.compile(r"/workbench/$"))
    officer.goto("/workbench/rights/?status=pending")
    officer_row = officer.locator("tbody tr").filter(has_text="61234567")
    expect(officer_row).to_contain_text("保德县黄河食品有限公司")
    expect(officer_row.locator(".badge")).to_have_text("待核验")
    shot(officer, "5-officer-pending")
    assert officer.evaluate("typeof window.htmx") == "object", (
        "htmx did not load on /workbench/rights/: is /static/ipshield/htmx.min.js served?"
    )
    officer_row.get_by_role("button", name="核验通过").click()
    # htmx swaps the row in place: the page still lists "pending", now with this row verified.
    expect(officer_row.locator(".badge")).to_have_text("已核验")
    expect(officer_row.get_by_role("button", name="核验通过")).to_have_count(0)
    expect(officer).to_have_url(re.compile(r"/workbench/rights/\?status=pending$"))
    shot(officer, "6-officer-verified")

    page.reload()
    row = page.locator("tbody tr").filter(has_text="61234567")
    expect(row.locator(".badge")).to_have_text("已核验")
    shot(page, "7-holder-verified")


def test_bad_input_is_explained_and_what_was_typed_is_kept(page, new_page, live_world, shot):
    page.goto("/signup/")
    page.get_by_label(label("用户名")).fill("mismatch_user")
    page.get_by_label(label("姓名/联系人")).fill("李四")
    page.get_by_label(label("密码")).fill(PASSWORD)
    page.get_by_label(label("确认密码")).fill(PASSWORD + "x")
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page).to_have_url(re.compile(r"/signup/$"))
    expect(field_box(page, "确认密码").get_by_role("alert")).to_contain_text("两次输入的密码不一致")
    expect(field_box(page, "密码").get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label(label("用户名"))).to_have_value("mismatch_user")
    shot(page, "1-signup-mismatch")

    holder_page = new_page()
    sign_in(holder_page, "holder")
    expect(holder_page).to_have_url(re.compile(r"/my/rights/$"))
    wrong = "A" if USCC[-1] != "A" else "B"
    holder = holder_page.get_by_role("region", name="权利人信息")
    holder.get_by_label(label("权利人名称")).fill("保德县错码商贸有限公司")
    holder.get_by_label(label("权利人类型")).select_option(label="企业")
    holder.get_by_label(label("统一社会信用代码")).fill(USCC_BODY + wrong)
    region_select = holder.get_by_label(label("所在地区"))
    region_select.select_option(
        region_select.locator("option", has_text="保德县").get_attribute("value")
    )
    holder.get_by_role("button", name="保存权利人信息").click()

    holder = holder_page.get_by_role("region", name="权利人信息")
    error = field_box(holder, "统一社会信用代码").get_by_role("alert")
    expect(error).to_contain_text("统一社会信用代码")
    expect(error).to_contain_text(f"应为“{USCC[-1]}”")
    expect(holder.get_by_label(label("权利人名称"))).to_have_value("保德县错码商贸有限公司")
    expect(holder.get_by_label(label("统一社会信用代码"))).to_have_value(USCC_BODY + wrong)
    expect(holder_page.get_by_role("status")).to_have_count(0)  # nothing was saved
    shot(holder_page, "2-holder-bad-uscc")


def test_an_officer_of_another_county_does_not_see_baode_rights(new_page, live_world, shot):
    holder = registry_services.rights_holder_for_user(
        user=live_world.holder_user,
        name="保德县黄河食品有限公司",
        kind=HolderKind.ENTERPRISE,
        region=live_world.county,
        uscc=USCC,
    )
    registry_services.right_register(
        actor=live_world.holder_user,
        holder=holder,
        kind=RightKind.TRADEMARK,
        registration_number="61234567",
        title="黄河古渡",
        nice_classes="30, 32",
    )

    # Control: the 保德 officer does see it, so its absence below means scoping, not a bad page.
    baode = new_page()
    sign_in(baode, "officer")
    baode.goto("/workbench/rights/")
    expect(baode.locator("tbody tr").filter(has_text="61234567")).to_have_count(1)

    harbin = new_page()
    sign_in(harbin, "officer_hrb")
    expect(harbin).to_have_url(re.compile(r"/workbench/$"))
    harbin.goto("/workbench/rights/")
    expect(harbin.get_by_role("heading", level=1)).to_have_text("知识产权")
    expect(harbin.locator("tbody")).not_to_contain_text("61234567")
    expect(harbin.locator("tbody")).not_to_contain_text("黄河古渡")
    expect(harbin.locator("tbody")).to_contain_text("没有符合条件的权利")
    shot(harbin, "1-harbin-rights")
