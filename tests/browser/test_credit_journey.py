"""The credit journey in a real browser (issue 6).

1. An officer publishes a penalty decision against 保德县某某商贸有限公司 from the case page.
2. A visitor, signed out, finds the company in the public credit query.
3. A subsidy officer of another bureau checks the company before granting a subsidy: the check
   shows the restriction that applies and logs who asked and why.
4. The company is on the serious-dishonesty list; a year later its representative applies online
   for credit repair with proof of rectification, the legal reviewer approves, and the company is
   removed: the public query shows the repair, and a new check finds no restriction.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipshield.credit import listing
from ipshield.credit.models import CreditCheck, CreditRecord, ListGround, ListingRule
from ipshield.evidence import ledger
from ipshield.registry import services as registry_services
from tests.browser.test_case_journeys import case_panel, open_action_form
from tests.browser.test_journeys import label, one_pixel_png, sign_in
from tests.publication.factories import decided
from tests.registry.factories import valid_uscc

pytestmark = pytest.mark.browser

FIRM = "保德县某某商贸有限公司"


@pytest.fixture(autouse=True)
def _data(settings, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "uploads"
    yield
    ledger.close_all()


def test_penalty_public_query_subsidy_check_and_credit_repair(
    new_page, live_world, seeded_defaults, shot, tmp_path
):
    firm = registry_services.entity_create(
        actor=live_world.officer, name=FIRM, uscc=valid_uscc(), legal_representative="王五"
    )
    case = decided(live_world, infringer=firm, amount="150000")

    # 1. The officer publishes the decision.
    officer = new_page()
    sign_in(officer, "officer")
    officer.goto(f"/workbench/cases/{case.pk}/")
    panel = open_action_form(officer, "公示")
    panel.get_by_label(label("决定书文号")).fill("保市监处罚〔2026〕30号")
    panel.get_by_role("button", name="公示", exact=True).click()
    expect(officer.get_by_test_id("case-status")).to_have_text("已公示")
    expect(case_panel(officer)).to_be_visible()

    # 2. A visitor finds it in the public credit query.
    visitor = new_page()
    visitor.goto("/")
    visitor.locator("header nav").get_by_role("link", name="信用查询", exact=True).click()
    visitor.get_by_label(label("名称或统一社会信用代码")).fill("某某商贸")
    visitor.get_by_role("button", name="查询").click()
    record = visitor.get_by_test_id("credit-record")
    expect(record).to_have_count(1)
    expect(record).to_contain_text(FIRM)
    expect(record).to_contain_text("保德县市场监督管理局")
    shot(visitor, "1-public-query")

    # 3. A subsidy officer of the culture bureau checks the company.
    checker = new_page()
    sign_in(checker, "officer2")
    checker.locator("header nav").get_by_role("link", name="信用核查", exact=True).click()
    checker.get_by_label(label("统一社会信用代码")).fill(firm.uscc)
    checker.get_by_label(label("查询事由")).fill("2026 年度文化产业发展专项资金审核")
    checker.get_by_role("button", name="核查", exact=True).click()
    verdict = checker.get_by_test_id("verdict")
    expect(verdict).to_contain_text("有适用的联合惩戒措施")
    expect(checker.get_by_test_id("measure").filter(has_text="政府补贴")).to_have_count(1)
    shot(checker, "2-check")
    log = CreditCheck.objects.get()
    assert (log.actor, log.purpose) == (
        live_world.officer_culture,
        "2026 年度文化产业发展专项资金审核",
    )

    # 4. Listed a year and a day ago (the officer recorded the infringement as intentional).
    CreditRecord.objects.filter(case=case).update(intentional=True)
    rule = ListingRule.objects.get(ground=ListGround.INTENTIONAL_INFRINGEMENT)
    entry = listing.list_propose(actor=live_world.officer, entity=firm, rule=rule, facts="故意侵权")
    entry = listing.list_review(
        actor=live_world.reviewer, entry=entry, approve=True, opinion="同意"
    )
    entry = listing.list_decide(
        actor=live_world.leader, entry=entry, decision_number="保失信〔2025〕1号"
    )
    year_ago = timezone.localdate() - dt.timedelta(days=366)
    entry = listing.list_notify(
        actor=live_world.officer, entry=entry, on=year_ago, method="直接送达"
    )
    listing.list_publish(actor=live_world.officer, entry=entry, on=year_ago)

    representative = new_page()
    sign_in(representative, "public")
    representative.goto("/credit/")
    representative.get_by_role("link", name="在线申请信用修复").click()
    representative.get_by_label(label("统一社会信用代码")).fill(firm.uscc)
    representative.get_by_label(label("联系人及电话")).fill("王五 13800000000")
    representative.get_by_label(label("整改情况说明")).fill(
        "已停止销售、缴清罚款，建立商标合规审查制度。"
    )
    proof = tmp_path / "整改报告.png"
    proof.write_bytes(one_pixel_png())
    representative.get_by_label(label("整改证明材料")).set_input_files(str(proof))
    representative.get_by_role("button", name="提交申请").click()
    expect(representative.get_by_test_id("my-repair")).to_contain_text("已提交")
    shot(representative, "3-repair-applied")

    reviewer = new_page()
    sign_in(reviewer, "reviewer")
    reviewer.goto("/credit/repairs/")
    row = reviewer.get_by_test_id("repair-row").filter(has_text=FIRM)
    row.get_by_label("审核意见").fill("整改到位，准予修复")
    row.get_by_role("button", name="准予修复").click()
    expect(reviewer.get_by_test_id("repair-row").filter(has_text=FIRM)).to_contain_text("准予修复")

    visitor.reload()
    expect(visitor.get_by_test_id("repaired")).to_contain_text(FIRM)
    expect(visitor.get_by_test_id("credit-record")).to_have_count(0)
    shot(visitor, "4-repaired")
    checker.get_by_role("button", name="核查", exact=True).click()
    expect(checker.get_by_test_id("verdict")).to_contain_text("未发现适用的联合惩戒措施")


def test_an_officer_settles_an_uncertain_entity_match(new_page, live_world, shot):
    """A judgment names “黄河红枣食品有限公司” without the county; two registered firms fit. The
    officer opens the review queue, reads the reasons and confirms one; the next record with
    that name is linked without asking."""
    from ipshield.credit import records
    from ipshield.credit.models import MatchState
    from ipshield.engines.text import normalize_name
    from ipshield.registry.models import Entity

    firms = {
        county: Entity.objects.create(
            name=f"{county}黄河红枣食品有限公司",
            name_normalized=normalize_name(f"{county}黄河红枣食品有限公司"),
            uscc=valid_uscc(),
        )
        for county in ("保德县", "河曲县")
    }

    def enter(number):
        return records.record_enter(
            actor=live_world.officer,
            source="judgment",
            subject_name="黄河红枣食品有限公司",
            document_number=number,
            decided_on="2026-03-02",
        )

    record = enter("(2026)晋09民初40号")
    assert record.match_state == MatchState.UNSURE

    page = new_page()
    sign_in(page, "officer")
    page.goto("/credit/check/")
    page.get_by_role("link", name="主体识别确认").click()
    row = page.get_by_test_id("match-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("candidate")).to_have_count(2)
    expect(row).to_contain_text("需人工确认")
    shot(page, "queue")
    name = page.locator("strong").get_by_text("保德县黄河红枣食品有限公司", exact=True)
    candidate = row.get_by_test_id("candidate").filter(has=name)
    candidate.get_by_role("button", name="是同一主体").click()
    expect(page.get_by_text("已确认为同一主体：保德县黄河红枣食品有限公司。")).to_be_visible()
    expect(page.get_by_test_id("match-row")).to_have_count(0)
    record.refresh_from_db()
    assert (record.entity, record.match_state) == (firms["保德县"], MatchState.CONFIRMED)
    later = enter("(2026)晋09民初41号")
    assert (later.entity, later.match_state) == (firms["保德县"], MatchState.CONFIRMED)
