"""The supervision journey in a real browser (issue 15).

1. The leading group's office (the county market bureau's officer) pastes the county plan,
   fixes two unit names in the preview (the typo 县文化和放游局 and the group 各有关部门), imports
   and publishes it.
2. The culture bureau's officer reports progress on an ongoing measure with an attachment.
3. The dated measures of 2020–2025 are overdue: the daily run issues supervision notices, and
   the culture bureau's leader finds the notice among the notifications and opens it.
4. A leading-group member opens the dashboard, then the year's evaluation, and drills down
   from a score to the case behind it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipshield import demo
from ipshield.accounts.models import LeadingGroup, LeadingGroupMember, Region, Unit
from ipshield.cases import deadlines
from ipshield.cases.models import Source
from ipshield.evaluation import services as evaluation_services
from ipshield.evidence import ledger
from ipshield.supervision import services
from ipshield.supervision.demo import COUNTY_PLAN
from ipshield.supervision.models import Plan, ProgressReport, SupervisionNotice
from tests.accounts.factories import make_person
from tests.browser.test_journeys import label, one_pixel_png, sign_in
from tests.evaluation import factories as evaluation_factories

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _data(settings, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "uploads"
    yield
    ledger.close_all()


def _county_units(world) -> None:
    """The county's other units and its townships, as the demo has them (the world has a few
    units already)."""
    for code, town in demo.TOWNS.items():
        Region.objects.get_or_create(
            code=code, defaults={"name": town, "level": "township", "parent": world.county}
        )
    for spec in demo.UNITS:
        township = spec.region in demo.TOWNS
        if spec.region != demo.BAODE and not township:
            continue
        if Unit.objects.filter(name=spec.name).exists():
            continue
        Unit.objects.create(
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            region_id=spec.region if township else world.county.pk,
        )


def test_import_report_supervise_and_read_the_dashboard(new_page, live_world, shot):
    world = live_world
    _county_units(world)
    group = LeadingGroup.objects.create(
        name="保德县知识产权发展和保护领导组", region=world.county, office_unit=world.market
    )
    LeadingGroupMember.objects.create(
        group=group,
        person=world.member.profile,
        position="member",
        title="主任科员",
        unit=world.market,
    )
    culture_leader = make_person("unit_leader", unit=world.culture, username="leader_culture")
    # a complaint the market bureau accepted in time, and the year's indicator sheet
    year = timezone.localdate().year
    case = evaluation_factories.case(world, source=Source.COMPLAINT)
    evaluation_factories.limit(
        case, deadlines.ACCEPT_COMPLAINT, due=dt.date(year, 3, 10), met=dt.date(year, 3, 9)
    )
    evaluation_services.sheet_create_default(actor=world.officer, year=year, leading_group=group)

    # 1. The office imports and publishes the county plan.
    office = new_page()
    sign_in(office, "officer")
    office.goto("/workbench/supervision/import/")
    office.get_by_label(label("粘贴方案全文")).fill(COUNTY_PLAN.read_text(encoding="utf-8"))
    office.get_by_role("button", name="识别").click()
    counts = office.get_by_test_id("preview-counts")
    expect(counts).to_contain_text("23")
    names = office.get_by_test_id("unit-names")
    typo = names.locator('tr[data-printed="县文化和放游局"]')
    expect(typo).to_have_attribute("data-status", "uncertain")
    typo.locator("select").select_option(str(world.culture.pk))
    departments = names.locator('tr[data-printed="各有关部门"]')
    departments.locator("select").select_option("none")
    shot(office, "preview")
    office.get_by_test_id("confirm-import").click()
    expect(office).to_have_url(re.compile(r"/workbench/supervision/plans/\d+/$"))
    plan = Plan.objects.get(source_text__contains="县文化和放游局")
    office.get_by_role("button", name="发布方案").click()
    expect(office.get_by_text("实施中").first).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == "published" and plan.measures.count() == 23

    # 2. The culture bureau reports on measure (十二), ongoing, with an attachment.
    culture = new_page()
    sign_in(culture, "officer2")
    culture.goto(f"/workbench/supervision/plans/{plan.pk}/unit/")
    twelve = plan.measures.get(number="（十二）")
    section = culture.locator(f'section[data-assignment]:has(a[href$="/measures/{twelve.pk}/"])')
    section.locator("summary").click()
    section.get_by_label(label("进展情况")).fill("开展版权宣传周活动，清理侵权作品12件。")
    section.get_by_label(label("佐证材料")).set_input_files(
        files=[{"name": "宣传周.png", "mimeType": "image/png", "buffer": one_pixel_png()}]
    )
    section.get_by_role("button", name="报送").click()
    expect(culture.locator("[data-report]").first).to_be_visible()
    report = ProgressReport.objects.get(assignment__measure=twelve, assignment__unit=world.culture)
    assert report.attachments.count() == 1
    shot(culture, "reported")

    # 3. The daily run: the 2020–2025 deadlines have passed; a notice reaches the leader.
    services.reminders_send(today=timezone.localdate())
    notice = SupervisionNotice.objects.filter(assignment__unit=world.culture).first()
    assert notice is not None and culture_leader.pk in notice.recipients
    leader = new_page()
    sign_in(leader, "leader_culture")
    leader.goto("/notifications/")
    leader.get_by_text(notice.number).first.click()
    expect(leader.get_by_text(notice.number).first).to_be_visible()
    expect(leader.get_by_text("保德县文化和旅游局").first).to_be_visible()

    # 4. A leading-group member reads the dashboard.
    member = new_page()
    sign_in(member, "member")
    member.goto(f"/workbench/supervision/plans/{plan.pk}/")
    expect(member.get_by_text("已逾期").first).to_be_visible()
    expect(member.get_by_text("保德县文化和旅游局").first).to_be_visible()
    expect(member.get_by_test_id("standings")).to_contain_text("保德县市场监督管理局")
    shot(member, "dashboard")
    member.get_by_test_id("evaluation-link").click()
    first = member.get_by_test_id("ranking-departments").locator("tbody tr").first
    expect(first).to_contain_text("保德县市场监督管理局")
    first.locator("td[data-indicator]").first.get_by_role("link").click()
    expect(member.get_by_test_id("drill-rows")).to_contain_text(case.number)
    member.get_by_role("link", name=case.number, exact=False).click()
    expect(member).to_have_url(re.compile(rf"/workbench/cases/{case.pk}/$"))
    shot(member, "case")
