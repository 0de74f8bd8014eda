"""The yearly evaluation in a real browser (issue 15).

1. The leading group's office (the market bureau's officer) creates the year's indicator sheet
   from the navigation; a weight out of range is refused next to its field.
2. A leading-group member opens the evaluation, sees the market bureau ranked first, follows its
   complaint score to the records behind it and from there to the case.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from ipshield.accounts.models import LeadingGroup
from ipshield.cases import deadlines
from ipshield.cases.models import Source
from ipshield.evidence import ledger
from tests.browser.test_journeys import label, sign_in
from tests.evaluation import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _data(settings, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "uploads"
    yield
    ledger.close_all()


def test_office_creates_the_sheet_and_a_member_drills_down_to_a_case(new_page, live_world, shot):
    LeadingGroup.objects.create(
        name="保德县知识产权保护工作领导组", region=live_world.county, office_unit=live_world.market
    )
    year = dt.date.today().year
    case = f.case(live_world, source=Source.COMPLAINT)
    f.limit(case, deadlines.ACCEPT_COMPLAINT, due=dt.date(year, 3, 10), met=dt.date(year, 3, 9))

    office = new_page()
    sign_in(office, "officer")
    office.get_by_test_id("nav-evaluation").click()
    office.get_by_label(label("考核年度")).fill(str(year))
    office.get_by_role("button", name="建立").click()
    expect(office.get_by_test_id("sheet-status")).to_contain_text("编制中")
    office.get_by_role("link", name="编辑指标").click()
    office.get_by_label(label("指标名称")).fill("宣传工作")
    office.get_by_label(label("数据来源")).select_option("entered")
    office.get_by_label(label("分值")).fill("150")
    office.get_by_label(label("计分规则")).select_option("range")
    office.get_by_role("button", name="添加").click()
    expect(office.locator('[data-field="weight"]')).to_be_visible()
    shot(office, "weight-refused")

    member = new_page()
    sign_in(member, "member")
    member.get_by_test_id("nav-evaluation").click()
    member.get_by_role("link", name=str(year)).click()
    ranking = member.get_by_test_id("ranking-departments")
    first = ranking.locator("tbody tr").first
    expect(first).to_contain_text("保德县市场监督管理局")
    shot(member, "ranking")
    first.locator("td[data-indicator]").first.get_by_role("link").click()
    expect(member.get_by_test_id("drill-rows")).to_contain_text(case.number)
    shot(member, "drill-down")
    member.get_by_role("link", name=case.number, exact=False).click()
    expect(member).to_have_url(re.compile(rf"/workbench/cases/{case.pk}/$"))
