"""The evidence journey in a real browser: a rights holder preserves a photo and keeps its
receipt; later anyone, signed out, proves with the photo and the receipt when it was preserved,
sees a changed copy refused with the reason, and finds the photo by its SHA-256 alone.

1. The rights holder of 保德县黄河食品有限公司 signs in, opens 我的存证 from the menu, uploads a
   PNG photo, sees its SHA-256, SM3 and ledger position, and downloads the receipt (JSON) and
   the certificate (PDF).
2. In a fresh browser context (nobody signed in) a visitor opens 存证核验 from the menu and
   uploads the photo with the receipt: preserved, when, and every check passes (file hash,
   inclusion proof, signed tree head signature, the platform's ledger).
3. The same receipt with a copy of the photo changed in one byte: not verified, because the
   file's SHA-256 differs from the receipt's; the receipt's own proof and signature still hold.
4. Only the SHA-256 pasted, no receipt: found in the platform's records, with the time.
"""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from playwright.sync_api import expect

from ipshield.evidence import ledger
from ipshield.evidence.receipts import file_hashes
from ipshield.registry.models import HolderKind, RightsHolder
from tests.accounts.factories import make_person
from tests.browser.test_journeys import label, one_pixel_png, sign_in
from tests.evidence.factories import preserve

pytestmark = pytest.mark.browser

HOLDER_NAME = "保德县黄河食品有限公司"
PHOTO_NAME = "黄河古渡商标实拍.png"
TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path):
    """A ledger, signing key and stored files of this test's own (the live server's thread reads
    the same settings): the flush after a browser test empties the database, not the ledger."""
    data = tmp_path / "data"
    data.mkdir()
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "uploads"
    yield data
    ledger.close_all()


def nav(page, name: str) -> None:
    page.locator("header nav").get_by_role("link", name=name, exact=True).click()


def fact(scope, term: str):
    """The value (``<dd>``) next to ``term`` (``<dt>``) in a facts list."""
    return scope.locator("dl.ev-facts dt", has_text=re.compile(rf"^{re.escape(term)}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def verify_on_page(page, *, file=None, sha256: str | None = None, receipt=None) -> None:
    form = page.get_by_test_id("verify-form")
    if file is not None:
        form.get_by_label(label("文件")).set_input_files(file)
    if sha256 is not None:
        form.get_by_label(label("或：文件的 SHA-256")).fill(sha256)
    if receipt is not None:
        form.get_by_label(label("存证回执（JSON，可选）")).set_input_files(receipt)
    form.get_by_role("button", name="核验", exact=True).click()


def test_holder_preserves_a_photo_and_anyone_verifies_it_with_the_receipt(
    page, new_page, live_world, shot, tmp_path
):
    RightsHolder.objects.create(
        name=HOLDER_NAME,
        kind=HolderKind.ENTERPRISE,
        region=live_world.county,
        user=live_world.holder_user,
    )
    # Others preserved files before and after, so the photo's inclusion proof is not empty and
    # the ledger has grown past the receipt's tree when the receipt is checked.
    someone_else = make_person("rights_holder", username="holder_hrb")
    preserve(someone_else, b"first", "合同.pdf", content_type="application/pdf")
    preserve(someone_else, b"second", "网页截图.png", content_type="image/png")
    photo_bytes = one_pixel_png()
    photo = tmp_path / PHOTO_NAME
    photo.write_bytes(photo_bytes)
    sha256, sm3, size = file_hashes([photo_bytes])

    # 1. The rights holder preserves the photo.
    sign_in(page, live_world.holder_user.username)
    expect(page).to_have_url(re.compile(r"/my/rights/$"))
    nav(page, "我的存证")
    expect(page).to_have_url(re.compile(r"/evidence/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("电子存证")
    expect(page.get_by_test_id("evidence-row")).to_have_count(0)
    upload = page.get_by_test_id("evidence-upload")
    upload.get_by_label(label("存证文件")).set_input_files(photo)
    shot(page, "1-upload")
    upload.get_by_role("button", name="存证", exact=True).click()

    expect(page).to_have_url(re.compile(r"/evidence/\d+/$"))
    status = page.get_by_role("status")
    expect(status).to_contain_text("已存证：账本第")
    expect(status).to_contain_text("请下载并妥善保存存证证书（PDF）和回执（JSON）")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PHOTO_NAME)
    facts = page.get_by_role("region", name="存证文件")
    expect(page.get_by_test_id("sha256")).to_have_text(sha256)
    expect(fact(facts, "SM3")).to_have_text(sm3)
    expect(fact(facts, "大小")).to_have_text(f"{size} 字节")
    expect(fact(facts, "文件类型")).to_have_text("image/png")
    expect(fact(facts, "提交人")).to_contain_text(f"（{HOLDER_NAME}）")
    preserved_at = fact(facts, "存证时间").inner_text().strip()
    assert TIME.fullmatch(preserved_at), preserved_at
    receipt_card = page.get_by_role("region", name="存证回执")
    position = fact(receipt_card, "账本位置")
    expect(position).to_have_text(re.compile(r"^第 \d+ 条$"))
    leaf_index = int(re.search(r"\d+", position.inner_text()).group())
    expect(status).to_contain_text(f"账本第 {leaf_index} 条")
    expect(fact(receipt_card, "根哈希")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    shot(page, "2-preserved")

    with page.expect_download() as download_info:
        page.get_by_test_id("receipt-json").click()
    receipt_download = download_info.value
    assert receipt_download.suggested_filename == f"ipshield-evidence-{leaf_index}-receipt.json"
    receipt_path = tmp_path / receipt_download.suggested_filename
    receipt_download.save_as(receipt_path)
    receipt = json.loads(receipt_path.read_text(encoding="utf-8"))
    assert receipt["leaf_index"] == leaf_index
    assert receipt["leaf"]["sha256"] == sha256 and receipt["leaf"]["sm3"] == sm3
    assert receipt["leaf"]["name"] == PHOTO_NAME
    assert receipt["leaf"]["rights_holder"] == HOLDER_NAME
    proof_length = len(receipt["inclusion_proof"])
    assert leaf_index == 2 and receipt["tree_size"] == 3 and proof_length > 0

    with page.expect_download() as download_info:
        page.get_by_test_id("receipt-pdf").click()
    pdf_download = download_info.value
    assert pdf_download.suggested_filename == f"ipshield-evidence-{leaf_index}-certificate.pdf"
    pdf_path = tmp_path / pdf_download.suggested_filename
    pdf_download.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    # The list shows the photo too.
    page.get_by_role("link", name="‹ 电子存证").click()
    row = page.get_by_test_id("evidence-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(PHOTO_NAME)
    expect(row).to_contain_text(sha256)
    expect(row.get_by_role("link", name=f"#{leaf_index}")).to_be_visible()
    shot(page, "3-list")

    preserve(someone_else, b"third", "聊天记录.txt")  # the ledger grows after the receipt

    # 2. Signed out: a visitor verifies the photo with its receipt.
    visitor = new_page()
    visitor.goto("/")
    expect(visitor.locator("header nav").get_by_role("link", name="我的存证")).to_have_count(0)
    nav(visitor, "存证核验")
    expect(visitor).to_have_url(re.compile(r"/verify/$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("存证核验")
    verify_on_page(visitor, file=photo, receipt=receipt_path)

    verdict = visitor.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-ok", "true")
    expect(verdict.get_by_role("heading")).to_have_text("✓ 已存证，核验通过")
    text = verdict.get_by_test_id("verdict-text")
    expect(text).to_contain_text(f"通过：该文件于 {preserved_at}（北京时间）存证于平台账本")
    expect(text).to_contain_text(f"第 {leaf_index} 条，包含证明与签名树头")
    expect(text).to_contain_text("校验一致")
    expect(verdict.get_by_test_id("preserved-at")).to_have_text(f"{preserved_at}（北京时间）")
    expect(fact(verdict, "文件名")).to_have_text(PHOTO_NAME)
    checks = verdict.get_by_test_id("checks")
    for code in ("file_hash", "position", "head", "signature", "inclusion", "ledger"):
        expect(checks.locator(f'li[data-check="{code}"]')).to_have_class("ok")
    expect(checks.locator("li.bad")).to_have_count(0)
    expect(checks.locator('li[data-check="signature"]')).to_contain_text("的签名有效")
    expect(checks.locator('li[data-check="inclusion"]')).to_contain_text(
        f"包含证明（{proof_length} 个哈希）从存证内容推导出了根哈希"
    )
    expect(checks.locator('li[data-check="ledger"]')).to_contain_text(
        "本平台账本（现有 4 条）在大小 3 时的根哈希与回执一致"
    )
    shot(visitor, "4-verified")

    # 3. A copy of the photo with one byte changed, with the same receipt.
    changed_bytes = bytearray(photo_bytes)
    changed_bytes[-20] ^= 0x01  # a byte of the image data chunk (IDAT)
    changed = tmp_path / "黄河古渡商标实拍-改.png"
    changed.write_bytes(bytes(changed_bytes))
    changed_sha256 = hashlib.sha256(changed_bytes).hexdigest()
    assert changed_sha256 != sha256
    verify_on_page(visitor, file=changed, receipt=receipt_path)

    verdict = visitor.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-ok", "false")
    expect(verdict.get_by_role("heading")).to_have_text("✗ 核验未通过")
    expect(verdict.get_by_test_id("verdict-text")).to_contain_text(
        f"未通过：文件的 SHA-256（{changed_sha256[:16]}…）与回执记录的（{sha256[:16]}…）不同"
        "：文件在存证后被改动过，或不是这份回执对应的文件。"
    )
    expect(verdict.get_by_test_id("preserved-at")).to_have_count(0)
    checks = verdict.get_by_test_id("checks")
    expect(checks.locator('li[data-check="file_hash"]')).to_have_class("bad")
    # Only the file is wrong: the receipt itself still proves what it says.
    expect(checks.locator("li.bad")).to_have_count(1)
    expect(checks.locator('li[data-check="signature"]')).to_have_class("ok")
    expect(checks.locator('li[data-check="inclusion"]')).to_have_class("ok")
    expect(verdict.get_by_test_id("platform-record")).to_have_count(0)
    shot(visitor, "5-changed-copy")

    # 4. Only the SHA-256, no receipt.
    nav(visitor, "存证核验")
    expect(visitor.get_by_test_id("verdict")).to_have_count(0)
    verify_on_page(visitor, sha256=sha256)

    verdict = visitor.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-ok", "true")
    expect(verdict.get_by_role("heading")).to_have_text("✓ 已存证，核验通过")
    expect(verdict.get_by_test_id("verdict-text")).to_contain_text(
        f"通过：该文件于 {preserved_at}（北京时间）存证于平台账本第 {leaf_index} 条"
    )
    expect(verdict.get_by_test_id("preserved-at")).to_have_text(f"{preserved_at}（北京时间）")
    expect(fact(verdict, "SHA-256")).to_have_text(sha256)
    expect(verdict).to_contain_text("以上按平台记录核验")
    expect(verdict.get_by_test_id("checks").locator("li.bad")).to_have_count(0)
    shot(visitor, "6-sha256-only")
