"""Case journeys in a real browser, across the people who handle a case.

1. A rights holder complains about a natural person selling counterfeits, and the case goes
   through the whole penalty procedure: the officer accepts it and asks for case-opening
   approval, the leader approves, the officer records an inquiry and submits the investigation
   report, the reviewer
   does the case review and the legal review, the leader approves the proposal, the prior notice
   is served, the party asks for a hearing (a date under seven working days is refused), the
   hearing is held and reviewed, the leader decides (numbered), the decision is served, the fine
   is paid late with the surcharge shown, the decision is published and the leader closes the
   case. At each step the next person is notified and finds the case in their inbox. The public
   reads the decision masked on the portal and the rights holder follows every step.
2. A real-name report about counterfeit goods reaches the prosecution threshold: the red banner
   appears, closing is refused, the unit leader refers the case to the police and the police
   officer confirms receipt in the cooperation inbox.

Each person uses their own browser context (their own cookies), signs in through the login page
and moves through the pages by their labels, buttons and navigation links.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipshield.accounts.models import Unit, UnitKind
from ipshield.cases import walkthrough
from ipshield.cases.models import Case
from ipshield.engines import workdays
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


def from_inbox(page, kind: str, number: str) -> None:
    """The workbench, 待办 in its menu, then the case's number in the group of work of
    ``kind``."""
    page.goto("/workbench/")
    page.get_by_test_id("nav-inbox").click()
    group = page.locator(f'[data-testid="inbox-group"][data-kind="{kind}"]')
    group.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("case-number")).to_have_text(number)


def notified(page, text: str) -> None:
    """The person's notifications include one containing ``text``; then back to where they were."""
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text(text)
    page.go_back()


def step_form(page, name: str, action: str):
    """Unfold the form of the step ``name`` (labelled ``action``) in the 办理 panel."""
    details = case_panel(page).locator(f'details[data-action="{name}"]')
    details.locator("summary", has_text=action).click()
    return details


def submit(page, form, action: str, expected_status: str) -> None:
    form.get_by_role("button", name=action, exact=True).click()
    expect(case_panel(page).get_by_role("status")).to_have_text(f"已办理：{action}")
    expect(page.get_by_test_id("case-status")).to_have_text(expected_status)


def step(page, name: str, action: str, fields, expected_status: str) -> None:
    """Fill the step's form by its labels (a select takes the option's text) and submit it."""
    form = step_form(page, name, action)
    for text, value in fields:
        field = form.get_by_label(label(text))
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    submit(page, form, action, expected_status)


def days_pass(number: str, days: int) -> None:
    """Move the case's procedure dates ``days`` back, as if that much time had gone by."""
    from django.db.models import F

    from ipshield.cases.models import Hearing, PriorNotice, Service

    back = dt.timedelta(days=days)
    case = Case.objects.get(number=number)
    Service.objects.filter(case=case).update(
        sent_on=F("sent_on") - back, served_on=F("served_on") - back
    )
    PriorNotice.objects.filter(case=case).update(
        statement_ends_on=F("statement_ends_on") - back,
        hearing_requested_on=F("hearing_requested_on") - back,
    )
    Hearing.objects.filter(case=case).update(
        notified_on=F("notified_on") - back, held_on=F("held_on") - back
    )


def test_complaint_through_the_whole_penalty_procedure(new_page, live_world, tmp_path, shot):
    live_world.market.document_prefix = "保市监处罚"
    live_world.market.save()
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

    # The case officer finds it in the inbox, accepts it and asks for case-opening approval.
    officer = new_page()
    sign_in(officer, "officer")
    expect(officer).to_have_url(re.compile(r"/workbench/$"))
    from_inbox(officer, "case.accept", number)
    expect(officer.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(officer.get_by_test_id("case-status")).to_have_text("已接收")
    facts = officer.get_by_role("region", name="案件信息")
    expect(facts).to_contain_text(INFRINGER)
    expect(facts).to_contain_text(PHONE)  # staff read the description as filed
    expect(officer.get_by_test_id("file-link")).to_have_text("现场照片.png")
    shot(officer, "3-officer-received")
    act(officer, "受理", "已受理")
    step(
        officer,
        "request_opening",
        "提请立案审批",
        [("立案意见", "拟立案"), ("理由（案件来源、初步核查情况）", "权利人投诉，附现场照片。")],
        "立案审批",
    )

    # The unit leader is told, finds it in the inbox and approves the opening.
    leader = new_page()
    sign_in(leader, "leader")
    notified(leader, "提请立案审批")
    from_inbox(leader, "case.opening", number)
    step(leader, "start_investigation", "批准立案", [("审核意见（可不填）", "同意立案")], "调查中")

    # The officer investigates and submits the investigation report with the proposed penalty.
    notified(officer, "已批准立案")
    open_case(officer, number)
    today = timezone.localdate()
    step(
        officer,
        "record_inquiry",
        "记录询问笔录",
        [
            ("日期", today.isoformat()),
            ("地点", "东街 8 号门店"),
            ("执法人员（两人以上，用顿号分隔）", "王明、李强"),
            ("被询问人/当事人", PERSON),
            ("笔录内容", "问：红枣从哪里进的货？答：从外地批发市场，没有票据。"),
        ],
        "调查中",
    )
    expect(officer.get_by_test_id("investigation-records")).to_contain_text("询问笔录")
    form = step_form(officer, "propose_decision", "提交调查终结报告")
    form.get_by_label(label("处理决定")).select_option(label="行政处罚")
    form.get_by_label(label("决定摘要")).fill(
        f"当事人{PERSON}（联系电话 {PHONE}）销售侵犯“黄河古渡”注册商标专用权的红枣，"
        "责令停止销售，没收侵权商品，罚款 60,000 元。"
    )
    form.get_by_label(label("罚没金额（元）")).fill("60000")
    form.get_by_role("checkbox", name="罚款").check()
    form.get_by_label(label("违法事实（行政处罚必填）")).fill(
        "当事人于 2026 年 3 月起在其门店销售印有“黄河古渡”商标的红枣约 2000 箱。"
    )
    form.get_by_label(label("法律依据（行政处罚必填）")).fill(
        "《商标法》第五十七条第（三）项、第六十条第二款"
    )
    shot(officer, "4-report")
    submit(officer, form, "提交调查终结报告", "案件审核")

    # The legal reviewer does the case review, then the legal review (above 50,000 yuan).
    reviewer = new_page()
    sign_in(reviewer, "reviewer")
    notified(reviewer, "调查终结，待案件审核")
    from_inbox(reviewer, "case.case_review", number)
    expect(reviewer.get_by_role("region", name="案件信息")).to_contain_text(
        re.compile(r"行政处罚 · 罚没 60,?000")
    )
    step(reviewer, "approve_case_review", "案件审核通过", [], "法制审核")
    from_inbox(reviewer, "case.review", number)
    step(
        reviewer,
        "approve_review",
        "法制审核通过",
        [("审核意见（可不填）", "事实清楚，证据确凿，适用法律正确。")],
        "负责人审批",
    )
    shot(reviewer, "5-reviewed")

    # The leader approves the proposed penalty; the officer serves the prior notice.
    notified(leader, "待负责人审批")
    from_inbox(leader, "case.approve", number)
    step(leader, "approve_decision", "负责人批准拟处理意见", [], "告知与陈述申辩")
    notified(officer, "请送达行政处罚告知书")
    from_inbox(officer, "case.serve_notice", number)
    served = [
        ("送达方式", "直接送达"),
        ("发出日期", today.isoformat()),
        ("送达日期（受送达人签收日期；公告送达自动计算）", today.isoformat()),
        ("受送达人", PERSON),
    ]
    step(officer, "serve_notice", "送达告知书", served, "告知与陈述申辩")
    notice = officer.get_by_test_id("prior-notice")
    expect(notice).to_contain_text("已告知有权要求听证")  # 60,000 yuan for a natural person
    expect(officer.get_by_test_id("statement-ends")).to_have_text(
        workdays.add_working_days(today, 5).isoformat()
    )

    # The party asks for a hearing; a hearing date under seven working days is refused.
    step(
        officer, "request_hearing", "当事人申请听证", [("申请听证日期", today.isoformat())], "听证"
    )
    from_inbox(officer, "case.hearing", number)  # the hearing is to be organised
    form = step_form(officer, "schedule_hearing", "送达听证通知")
    form.get_by_label(label("听证通知送达日期")).fill(today.isoformat())
    form.get_by_label(label("听证日期")).fill((today + dt.timedelta(days=2)).isoformat())
    form.get_by_label(label("听证地点")).fill("县市场局听证室")
    form.get_by_label(label("听证主持人")).fill("王法制")
    form.get_by_role("button", name="送达听证通知", exact=True).click()
    held = workdays.add_working_days(today, 7)
    expect(form.locator('[data-field="held_on"]')).to_contain_text(
        f"听证日期最早为 {held.isoformat()}"
    )
    form.get_by_label(label("听证日期")).fill(held.isoformat())
    submit(officer, form, "送达听证通知", "听证")

    # Three weeks later the hearing has been held; the officer records it.
    days_pass(number, 21)
    officer.reload()
    step(
        officer,
        "record_hearing",
        "记录听证",
        [
            ("听证笔录", "当事人到场，对违法事实无异议，请求从轻。"),
            ("听证报告（主持人意见）", "建议维持。"),
        ],
        "法制审核",
    )
    from_inbox(reviewer, "case.review", number)
    step(reviewer, "approve_review", "法制审核通过", [], "告知与陈述申辩")

    # The leader decides; the decision takes the unit's next number.
    notified(leader, "待作出处罚决定")
    from_inbox(leader, "case.decide", number)
    step(leader, "decide", "作出处罚决定", [], "已决定")
    decision_number = f"保市监处罚〔{today.year}〕1号"
    expect(leader.get_by_test_id("decision-number")).to_have_text(decision_number)
    shot(leader, "6-decided")

    # The officer serves the decision; the fine is paid four days late, with the surcharge.
    notified(officer, "请送达决定书")
    from_inbox(officer, "case.serve_decision", number)
    step(officer, "serve_decision", "送达决定书", served, "已决定")
    Case.objects.filter(number=number).update(fine_due_on=today - dt.timedelta(days=4))
    officer.get_by_test_id("nav-inbox").click()
    overdue = officer.locator('[data-testid="inbox-group"][data-kind="case.fine_overdue"]')
    overdue.get_by_role("link", name=number).click()
    expect(officer.get_by_test_id("surcharge")).to_contain_text(re.compile(r"7,?200\.00"))
    expect(officer.get_by_test_id("outstanding")).to_contain_text(re.compile(r"67,?200\.00"))
    shot(officer, "7-surcharge")
    step(
        officer,
        "record_payment",
        "记录缴款",
        [("缴款日期", today.isoformat()), ("缴款金额（元）", "67200")],
        "已决定",
    )
    expect(officer.get_by_test_id("outstanding")).to_contain_text("0")
    step(officer, "publish", "公示", [], "已公示")
    shot(officer, "8-published")

    # The leader closes the case (结案审批).
    from_inbox(leader, "case.close", number)
    act(leader, "结案", "已结案")

    # The rights holder follows every step, signed in: 我的投诉 → the number.
    nav(holder_page, "我的投诉")
    row = holder_page.locator("tbody tr").filter(has_text=number)
    expect(row.locator(".badge")).to_have_text("已结案")
    row.get_by_role("link", name=number).click()
    expect(holder_page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(holder_page.get_by_test_id("status")).to_have_text("已结案")
    steps = holder_page.get_by_role("list", name="办理步骤").get_by_role("listitem")
    for index, name in enumerate(["已接收", "已受理", "调查中", "已决定", "已公示", "已结案"]):
        expect(steps.nth(index)).to_contain_text(name)
        expect(steps.nth(index)).to_contain_text("（已完成）")
    timeline = holder_page.get_by_test_id("timeline")
    for status in ["已受理", "调查中", "已决定", "已公示", "已结案"]:
        expect(timeline).to_contain_text(f"状态：{status}")
    expect(timeline).not_to_contain_text("法制审核")  # internal stages stay internal
    expect(timeline).to_contain_text("现场照片.png")
    expect(timeline).not_to_contain_text("事实清楚")  # the reviewer's opinion stays internal
    shot(holder_page, "9-holder-status")
    notified(holder_page, "已立案调查")
    notified(holder_page, "已办结")

    # Anyone with the number and the code can follow it on another device.
    visitor = new_page()
    visitor.goto("/")
    nav(visitor, "进度查询")
    visitor.get_by_label(label("编号")).fill(number)
    visitor.get_by_label(label("查询码")).fill(code)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.get_by_test_id("status")).to_have_text("已结案")
    expect(visitor.locator("main")).not_to_contain_text(PHONE)

    # The public reads the decision on the portal, with the person's name and phone masked.
    nav(visitor, "处罚公示")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("行政处罚公示")
    published = visitor.locator("tbody tr").filter(has_text="黄河古渡")
    expect(published).to_have_count(1)
    expect(published).to_contain_text("保德县市场监督管理局")
    expect(published).to_contain_text(re.compile(r"60,?000\.00"))
    shot(visitor, "10-public-list")
    published.get_by_role("link").first.click()
    main = visitor.locator("main")
    expect(main).to_contain_text("行政处罚信息摘要")
    expect(main).to_contain_text(decision_number)
    expect(main).to_contain_text(PHONE_MASKED)
    expect(main).not_to_contain_text(PHONE)
    shot(visitor, "11-public-detail")
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
    step(
        officer,
        "request_opening",
        "提请立案审批",
        [("立案意见", "拟立案"), ("理由（案件来源、初步核查情况）", "实名举报，线索具体。")],
        "立案审批",
    )
    leader = new_page()
    sign_in(leader, "leader")
    from_inbox(leader, "case.opening", number)
    step(leader, "start_investigation", "批准立案", [], "调查中")
    officer.reload()
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
    form = step_form(officer, "propose_decision", "提交调查终结报告")
    form.get_by_label(label("处理决定")).select_option(label="移送")
    form.get_by_label(label("决定摘要")).fill("涉嫌假冒注册商标罪，报请移送公安机关。")
    submit(officer, form, "提交调查终结报告", "案件审核")
    # (Case review and the leader's approval go through their pages in the first journey.)
    walkthrough.approve(
        Case.objects.get(number=number), reviewer=live_world.reviewer, leader=live_world.leader
    )
    officer.reload()
    expect(officer.get_by_test_id("case-status")).to_have_text("已决定")
    # Only the unit leader decides on a referral.
    expect(officer.get_by_role("button", name="作出决定")).to_have_count(0)
    open_case(leader, number)
    case_panel(leader).get_by_role("button", name="结案", exact=True).click()
    refusal = leader.get_by_test_id("panel-error")
    expect(refusal).to_contain_text("已达到刑事追诉标准")
    expect(refusal).to_contain_text("须先由单位负责人作出是否移送公安机关的决定")
    expect(leader.get_by_test_id("case-status")).to_have_text("已决定")
    shot(leader, "3-close-refused")

    # The unit leader refers the case to the police.
    leader.reload()
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
    act(leader, "结案", "已结案")
