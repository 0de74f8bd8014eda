"""Case journeys in a real browser, across the people who handle a case.

1. A rights holder complains about a natural person selling counterfeits; the case officer
   accepts it, investigates and proposes a penalty above the legal-review amount; the legal
   reviewer approves it; the officer publishes it; the public reads it masked on the portal and
   the rights holder follows every step on the status page.
2. A real-name report about counterfeit goods reaches the prosecution threshold: the red banner
   appears, closing is refused, the unit leader refers the case to the police and the police
   officer confirms receipt in the cooperation inbox.

Each person uses their own browser context (their own cookies), signs in through the login page
and moves through the pages by their labels, buttons and navigation links.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ipshield.accounts.models import Unit, UnitKind
from ipshield.registry import services as registry_services
from ipshield.registry.models import HolderKind, RightKind
from tests.accounts.factories import make_person
from tests.browser.test_journeys import USCC, label, one_pixel_png, sign_in

# Time limits, triage rules and prosecution thresholds come from data migrations, which the flush
# after an earlier browser test removes: ``seeded_defaults`` puts them back.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_defaults")]

PERSON = "张三"
INFRINGER = f"{PERSON}（个体经营者）"
PHONE = "13935012345"
PHONE_MASKED = "139****2345"
TITLE = "东街商铺销售假冒“黄河古渡”商标的红枣"


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def choose(select, text: str) -> None:
    """Pick the option of ``select`` whose text contains ``text`` (as a person reads the list)."""
    option = select.locator("option", has_text=text)
    expect(option).to_have_count(1)
    select.select_option(option.get_attribute("value"))


def nav(page, name: str) -> None:
    page.locator("header nav").get_by_role("link", name=name, exact=True).click()


def open_case(page, number: str) -> None:
    """From anywhere on the workbench: 案件 in the menu, then the case's number in the list."""
    nav(page, "案件")
    expect(page.get_by_role("heading", level=1)).to_contain_text("案件")
    page.get_by_test_id("case-list").get_by_role("link", name=number).click()
    expect(page.get_by_test_id("case-number")).to_have_text(number)


def case_panel(page):
    return page.get_by_role("region", name="办理", exact=True)


def act(page, action: str, expected_status: str) -> None:
    """Press the action's button in the 办理 panel (htmx swaps the panel in place)."""
    panel = case_panel(page)
    panel.get_by_role("button", name=action, exact=True).click()
    expect(panel.get_by_role("status")).to_have_text(f"已办理：{action}")
    expect(page.get_by_test_id("case-status")).to_have_text(expected_status)


def open_action_form(page, action: str):
    """Unfold the action's form in the 办理 panel; returns the panel."""
    panel = case_panel(page)
    panel.locator("summary", has_text=action).click()
    return panel


def test_complaint_from_filing_to_masked_publication(new_page, live_world, tmp_path, shot):
    holder = registry_services.rights_holder_for_user(
        user=live_world.holder_user,
        name="保德县黄河食品有限公司",
        kind=HolderKind.ENTERPRISE,
        region=live_world.county,
        uscc=USCC,
    )
    right = registry_services.right_register(
        actor=live_world.holder_user,
        holder=holder,
        kind=RightKind.TRADEMARK,
        registration_number="61234567",
        title="黄河古渡",
        nice_classes="30, 32",
    )
    registry_services.right_verify(actor=live_world.officer, right=right)
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(one_pixel_png())

    # The rights holder files the complaint.
    holder_page = new_page()
    sign_in(holder_page, "holder")
    expect(holder_page).to_have_url(re.compile(r"/my/rights/$"))
    nav(holder_page, "投诉")
    expect(holder_page.get_by_role("heading", level=1)).to_have_text("侵权投诉")
    choose(holder_page.get_by_label(label("被侵权的权利")), "黄河古渡")
    holder_page.get_by_label(label("投诉事由")).fill(TITLE)
    holder_page.get_by_label(label("情况描述")).fill(
        f"2026 年 3 月在县城东街商铺购得红枣，包装使用了“黄河古渡”商标。店主{PERSON}，"
        f"电话 {PHONE}，称货从外地进来，已售出约 2000 箱。"
    )
    holder_page.get_by_label(label("涉嫌侵权人名称")).fill(INFRINGER)
    holder_page.get_by_label(label("涉嫌侵权人地址")).fill("保德县东关镇东街 8 号")
    choose(holder_page.get_by_label(label("侵权发生地")), "保德县")
    holder_page.get_by_label(label("发生地点")).fill("东街 8 号门店")
    holder_page.get_by_label(label("涉案金额（元）")).fill("180,000")
    holder_page.get_by_label(label("证据材料")).set_input_files(photo)
    shot(holder_page, "1-complaint")
    holder_page.get_by_role("button", name="提交投诉").click()

    expect(holder_page.get_by_role("heading", level=1)).to_have_text("投诉已提交")
    number = holder_page.get_by_test_id("number").inner_text().strip()
    code = holder_page.get_by_test_id("access-code").inner_text().strip()
    assert re.fullmatch(r"TS\d{14}", number), number
    assert re.fullmatch(r"\w{8}", code), code
    receipt = holder_page.locator("section.receipt")
    expect(receipt).to_contain_text("保德县市场监督管理局")
    expect(receipt).to_contain_text("1 个文件")
    shot(holder_page, "2-receipt")

    # The case officer finds it, accepts it, investigates and proposes a penalty.
    officer = new_page()
    sign_in(officer, "officer")
    expect(officer).to_have_url(re.compile(r"/workbench/$"))
    open_case(officer, number)
    expect(officer.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(officer.get_by_test_id("case-status")).to_have_text("已接收")
    facts = officer.get_by_role("region", name="案件信息")
    expect(facts).to_contain_text(INFRINGER)
    expect(facts).to_contain_text(PHONE)  # staff read the description as filed
    expect(officer.get_by_test_id("file-link")).to_have_text("现场照片.png")
    shot(officer, "3-officer-received")
    act(officer, "受理", "已受理")
    act(officer, "立案调查", "调查中")

    panel = open_action_form(officer, "提出处理决定")
    panel.get_by_label(label("处理决定")).select_option(label="行政处罚")
    panel.get_by_label(label("决定摘要")).fill(
        f"当事人{PERSON}（联系电话 {PHONE}）销售侵犯“黄河古渡”注册商标专用权的红枣，"
        "违反《商标法》第五十七条第三项，责令停止销售，没收侵权商品，罚款 60,000 元。"
    )
    panel.get_by_label(label("罚没金额（元）")).fill("60000")
    shot(officer, "4-propose")
    panel.get_by_role("button", name="提出处理决定", exact=True).click()
    expect(officer.get_by_test_id("case-status")).to_have_text("法制审核")
    # Waiting for legal review, the officer takes no step of the workflow; only time that does
    # not count against the running decision limit (a hearing, testing…) can still be recorded.
    offered = case_panel(officer).locator("[data-action]")
    expect(offered).to_have_count(1)
    expect(offered).to_have_attribute("data-action", "exclude_time")

    # The legal reviewer approves it.
    reviewer = new_page()
    sign_in(reviewer, "reviewer")
    open_case(reviewer, number)
    expect(reviewer.get_by_test_id("case-status")).to_have_text("法制审核")
    expect(reviewer.get_by_role("region", name="案件信息")).to_contain_text(
        re.compile(r"行政处罚 · 罚没 60,?000")
    )
    panel = open_action_form(reviewer, "法制审核通过")
    panel.get_by_label(label("审核意见（可不填）")).fill("事实清楚，证据确凿，适用法律正确。")
    panel.get_by_role("button", name="法制审核通过", exact=True).click()
    expect(reviewer.get_by_test_id("case-status")).to_have_text("已决定")
    shot(reviewer, "5-reviewer-approved")

    # The officer publishes the decision.
    officer.reload()
    expect(officer.get_by_test_id("case-status")).to_have_text("已决定")
    panel = open_action_form(officer, "公示")
    panel.get_by_label(label("决定书文号")).fill("保市监处罚〔2026〕12号")
    panel.get_by_role("button", name="公示", exact=True).click()
    expect(officer.get_by_test_id("case-status")).to_have_text("已公示")
    shot(officer, "6-officer-published")

    # The rights holder follows every step, signed in: 我的投诉 → the number.
    nav(holder_page, "我的投诉")
    row = holder_page.locator("tbody tr").filter(has_text=number)
    expect(row.locator(".badge")).to_have_text("已公示")
    row.get_by_role("link", name=number).click()
    expect(holder_page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(holder_page.get_by_test_id("status")).to_have_text("已公示")
    steps = holder_page.get_by_role("list", name="办理步骤").get_by_role("listitem")
    for index, step in enumerate(["已接收", "已受理", "调查中", "已决定"]):
        expect(steps.nth(index)).to_contain_text(step)
        expect(steps.nth(index)).to_contain_text("（已完成）")
    expect(steps.nth(4)).to_contain_text("已公示")
    expect(steps.nth(4)).to_have_attribute("aria-current", "step")
    expect(steps.nth(5)).to_contain_text("已结案")
    timeline = holder_page.get_by_test_id("timeline")
    for status in ["已受理", "调查中", "法制审核", "已决定", "已公示"]:
        expect(timeline).to_contain_text(f"状态：{status}")
    expect(timeline).to_contain_text("现场照片.png")
    expect(timeline).not_to_contain_text("事实清楚")  # the reviewer's opinion stays internal
    shot(holder_page, "7-holder-status")

    # Anyone with the number and the code can follow it on another device.
    visitor = new_page()
    visitor.goto("/")
    nav(visitor, "进度查询")
    visitor.get_by_label(label("编号")).fill(number)
    visitor.get_by_label(label("查询码")).fill(code)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.get_by_test_id("status")).to_have_text("已公示")
    expect(visitor.locator("main")).not_to_contain_text(PHONE)

    # The public reads the decision on the portal, with the person's name and phone masked.
    nav(visitor, "处罚公示")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("行政处罚公示")
    published = visitor.locator("tbody tr").filter(has_text="黄河古渡")
    expect(published).to_have_count(1)
    expect(published).to_contain_text("保德县市场监督管理局")
    expect(published).to_contain_text(re.compile(r"60,?000\.00"))
    shot(visitor, "8-public-list")
    published.get_by_role("link").first.click()
    main = visitor.locator("main")
    expect(main).to_contain_text("行政处罚信息摘要")
    expect(main).to_contain_text("保市监处罚〔2026〕12号")
    expect(main).to_contain_text(PHONE_MASKED)
    expect(main).not_to_contain_text(PHONE)
    shot(visitor, "9-public-detail")
    party = visitor.locator("dt", has_text="当事人").locator("xpath=following-sibling::dd[1]")
    assert PERSON not in main.inner_text()
    expect(party).to_contain_text("张*")
    expect(main).not_to_contain_text(PERSON)


def test_report_reaching_the_criminal_threshold_is_referred_to_the_police(
    new_page, live_world, tmp_path, shot
):
    police_unit = Unit.objects.create(
        name="保德县公安局", short_name="县公安局", kind=UnitKind.POLICE, region=live_world.county
    )
    make_person("case_officer", unit=police_unit, username="police")

    # A real-name report, not signed in.
    reporter = new_page()
    reporter.goto("/")
    nav(reporter, "举报")
    expect(reporter.get_by_role("heading", level=1)).to_have_text("举报侵权假冒")
    reporter.get_by_label(label("涉及的权利类型")).select_option(label="商标")
    reporter.get_by_label(label("举报事由")).fill("城南仓库批量销售假冒“黄河古渡”红枣")
    reporter.get_by_label(label("情况描述")).fill(
        "城南物流园 3 号仓库存放大量印有“黄河古渡”商标的红枣礼盒，每天向周边超市批发，"
        "包装粗糙，与正品明显不同。"
    )
    reporter.get_by_label(label("涉嫌侵权人名称")).fill("保德县城南干果批发部")
    choose(reporter.get_by_label(label("侵权发生地")), "保德县")
    reporter.get_by_label(label("发生地点")).fill("城南物流园 3 号仓库")
    reporter.get_by_label(label("涉案金额（元）")).fill("80000")
    photo = tmp_path / "仓库照片.png"
    photo.write_bytes(one_pixel_png())
    reporter.get_by_label(label("证据材料")).set_input_files(photo)
    expect(reporter.get_by_label("匿名举报")).not_to_be_checked()
    reporter.get_by_label(label("举报人姓名")).fill("李明")
    reporter.get_by_label(label("联系电话")).fill("13812345678")
    shot(reporter, "1-report")
    reporter.get_by_role("button", name="提交举报").click()
    expect(reporter.get_by_role("heading", level=1)).to_have_text("举报已提交")
    number = reporter.get_by_test_id("number").inner_text().strip()
    assert re.fullmatch(r"JB\d{14}", number), number
    expect(reporter.locator("section.receipt")).to_contain_text("保德县市场监督管理局")

    # The officer accepts it, investigates and records the criminal facts.
    officer = new_page()
    sign_in(officer, "officer")
    open_case(officer, number)
    expect(officer.get_by_role("region", name="案件信息")).to_contain_text("实名举报（身份已加密）")
    expect(officer.get_by_test_id("referral-banner")).to_have_count(0)
    act(officer, "受理", "已受理")
    act(officer, "立案调查", "调查中")
    coop = officer.get_by_role("region", name="协作与移送")
    expect(coop).to_contain_text("尚未记录涉刑事实")
    coop.locator("summary", has_text="记录涉刑事实").click()
    coop.get_by_label(label("非法经营数额（元）")).fill("80000")
    expect(coop.get_by_label(label("假冒注册商标种数"))).to_have_value("1")
    coop.get_by_label(label("使用于")).select_option(label="商品")
    coop.get_by_label(label("计算说明")).fill("查获红枣礼盒 1,000 盒，按实际销售价 80 元/盒计算")
    coop.get_by_role("button", name="保存并评估").click()

    banner = officer.get_by_test_id("referral-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(re.compile("已达到刑事追诉标准，须作出移送决定后方可结案"))
    background = banner.evaluate("e => getComputedStyle(e).backgroundColor")
    red, green, blue = (int(n) for n in re.findall(r"\d+", background)[:3])
    assert red > green and red > blue, f"the banner is not red: rgb({red}, {green}, {blue})"
    evaluation = officer.get_by_test_id("threshold-evaluation")
    expect(evaluation).to_contain_text("非法经营数额 80,000.00 元，不少于 50,000.00 元")
    expect(evaluation).to_contain_text("法释〔2025〕5号")
    shot(officer, "2-officer-banner")

    # Decided administratively (the goods go to the police) — but closing is refused.
    panel = open_action_form(officer, "提出处理决定")
    panel.get_by_label(label("处理决定")).select_option(label="移送")
    panel.get_by_label(label("决定摘要")).fill("涉嫌假冒注册商标罪，报请移送公安机关。")
    panel.get_by_role("button", name="提出处理决定", exact=True).click()
    expect(officer.get_by_test_id("case-status")).to_have_text("已决定")
    case_panel(officer).get_by_role("button", name="结案", exact=True).click()
    refusal = officer.get_by_test_id("panel-error")
    expect(refusal).to_contain_text("已达到刑事追诉标准")
    expect(refusal).to_contain_text("须先由单位负责人作出是否移送公安机关的决定")
    expect(officer.get_by_test_id("case-status")).to_have_text("已决定")
    shot(officer, "3-close-refused")
    # Only the unit leader decides on a referral.
    expect(officer.get_by_role("button", name="作出决定")).to_have_count(0)

    # The unit leader refers the case to the police.
    leader = new_page()
    sign_in(leader, "leader")
    open_case(leader, number)
    expect(leader.get_by_test_id("referral-banner")).to_be_visible()
    coop = leader.get_by_role("region", name="协作与移送")
    # The decision form is open because the case is flagged; the county police is preselected.
    police_select = coop.get_by_label(label("接收的公安机关"))
    expect(police_select.locator("option:checked")).to_have_text("保德县公安局")
    coop.get_by_role("radio", name="移送公安机关").check()
    coop.get_by_label(label("决定理由")).fill(
        "非法经营数额 8 万元，达到假冒注册商标罪追诉标准，依法移送公安机关。"
    )
    shot(leader, "4-leader-decides")
    coop.get_by_role("button", name="作出决定").click()
    expect(leader.get_by_test_id("referral-banner")).to_have_count(0)
    expect(leader.get_by_test_id("referral-awaiting")).to_have_text(
        re.compile("已决定移送保德县公安局，须待其确认接收后方可结案")
    )
    decisions = leader.get_by_test_id("referral-decisions")
    expect(decisions).to_contain_text("决定移送公安机关")
    expect(decisions).to_contain_text("待接收")

    # The police officer finds it in the cooperation inbox and confirms receipt.
    police = new_page()
    sign_in(police, "police")
    expect(police).to_have_url(re.compile(r"/workbench/$"))
    nav(police, "协作")
    todo = police.locator("nav.tabs").get_by_role("link", name=re.compile("待我处理"))
    expect(todo).to_have_attribute("aria-current", "page")
    item = police.get_by_test_id("coop-list").locator("tbody tr").filter(has_text=number)
    expect(item).to_contain_text("涉嫌犯罪移送")
    expect(item).to_contain_text("待接收")
    expect(item).to_contain_text("县市场局")
    shot(police, "5-police-inbox")
    item.get_by_role("link", name=number).click()
    expect(police.get_by_role("heading", level=1)).to_contain_text("涉嫌犯罪案件移送")
    confirm = police.get_by_role("region", name="确认接收")
    confirm.get_by_label(label("接收意见（可不填）")).fill("已接收，进入立案审查。")
    confirm.get_by_role("button", name="确认接收").click()
    expect(police.get_by_role("status")).to_contain_text("已办理：确认接收")
    expect(police.get_by_test_id("transfer-facts")).to_contain_text("已接收，进入立案审查。")
    shot(police, "6-police-received")
    nav(police, "协作")
    expect(police.get_by_test_id("coop-list")).not_to_contain_text(number)

    # The case page now says the police have received it, and the case may be closed.
    leader.reload()
    expect(leader.get_by_test_id("referral-awaiting")).to_have_count(0)
    expect(leader.get_by_test_id("referral-banner")).to_have_count(0)
    decisions = leader.get_by_test_id("referral-decisions")
    expect(decisions).to_contain_text("保德县公安局")
    expect(decisions.locator(".badge")).to_have_text("已接收")
    shot(leader, "7-case-received-by-police")
    officer.reload()
    act(officer, "结案", "已结案")
