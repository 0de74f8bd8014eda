"""The dispute journey in a real browser (issue 16).

Success: complaints about trade marks cluster in the county, so the rights holder's new complaint
is offered mediation first and the holder accepts → the people's mediation committee accepts,
records the respondent's consent (the shop has no account) and assigns the recommended mediator
→ a session is scheduled and its record kept → the agreement is drafted, the holder signs with a
one-time code, the shop signs on paper, the mediator signs → the holder applies for judicial
confirmation → the court accepts and confirms → the holder's page shows every step with its
ledger proof.

Failure: another complaint taken to mediation ends without agreement; the holder is shown where
to go next (litigation, arbitration, and the complaint's administrative handling).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ipshield.accounts.models import Notification, Profile
from ipshield.disputes import clusters
from ipshield.disputes.models import Dispute
from ipshield.evidence import ledger
from tests.browser.test_case_journeys import choose
from tests.browser.test_journeys import label, sign_in
from tests.cases.factories import receive
from tests.disputes.conftest import make_bodies
from tests.portal.test_intake import verified_right

pytestmark = pytest.mark.browser

TERMS = (
    "一、被申请人于本协议生效之日起十日内赔偿申请人经济损失人民币二万元。\n"
    "二、被申请人停止销售侵权红枣礼盒。"
)


@pytest.fixture(autouse=True)
def _data(settings, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = data / "uploads"
    yield
    ledger.close_all()


def _act(page, code: str):
    """The form of one action on the dispute page."""
    return page.get_by_test_id(f"action-{code}")


def _code(user) -> str:
    """The one-time code as it reached the person (their notice, before delivery scrubs it)."""
    return (
        Notification.objects.filter(user=user, kind="dispute.sign_code").latest("pk").params["code"]
    )


def _complain(page, right, title: str, *, accept: bool) -> None:
    page.goto("/complaints/new/")
    page.get_by_label(label("投诉事由")).fill(title)
    page.get_by_label(label("情况描述")).fill(
        "在县城东街门店购得红枣礼盒，包装使用了与注册商标相同的标志。"
    )
    page.get_by_label(label("涉嫌侵权人名称")).fill("保德县东街干果店")
    # The offer is fetched (htmx) when the region and then the right are chosen; each change
    # replaces it, so answer only once the last fetch has landed.
    choose(page.get_by_label(label("侵权发生地")), "保德县")
    page.wait_for_load_state("networkidle")
    choose(page.get_by_label(label("被侵权的权利")), right.title)
    expect(page.get_by_test_id("mediation-offer")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("mediation-offer-reason")).to_contain_text("保德县")
    if accept:
        page.get_by_test_id("mediation-accept").check()
        expect(page.get_by_test_id("mediation-accept")).to_be_checked()
    page.get_by_role("button", name="提交投诉").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("投诉已提交")


def test_a_complaint_mediated_signed_and_confirmed_and_one_that_fails(new_page, live_world, shot):
    world = live_world
    bodies = make_bodies(world)
    right = verified_right(world, user=world.holder_user)
    clusters.cluster_rule_save(
        actor=world.admin,
        region=world.county,
        organisation=bodies.committee,
        right_kind=right.kind,
        threshold=2,
        window_days=30,
    )
    for _ in range(2):
        receive(world, right=right, region=world.county)
    Profile.objects.filter(user=world.mediator).update(phone="13700000003")

    # 1. The holder complains and takes the offer of mediation first.
    holder = new_page()
    sign_in(holder, "holder")
    _complain(holder, right, "东街干果店销售假冒红枣礼盒", accept=True)
    expect(holder.get_by_test_id("receipt-mediation")).to_be_visible()
    shot(holder, "1-offer-taken")
    dispute = Dispute.objects.get(title="东街干果店销售假冒红枣礼盒")
    assert dispute.mediation_first is not None

    # 2. The committee accepts, records the shop's consent and assigns the recommended mediator.
    org = new_page()
    sign_in(org, "mediator")
    org.goto("/workbench/disputes/?inbox=accept")
    org.get_by_test_id("disputes").get_by_role("link", name=dispute.title).click()
    expect(org.get_by_test_id("dispute-status")).to_have_attribute("data-status", "applied")
    _act(org, "accept").get_by_role("button").click()
    expect(org.get_by_test_id("dispute-status")).to_have_attribute("data-status", "accepted")
    _act(org, "consent").get_by_role("button").click()
    expect(org.get_by_test_id("dispute-status")).to_have_attribute("data-status", "consented")
    recommended = org.get_by_test_id("recommended-mediator").first
    expect(recommended).to_contain_text("冀文秀")
    shot(org, "2-recommended")
    _act(org, "assign").get_by_role("button").click()
    expect(org.get_by_test_id("dispute-mediator")).to_have_text("冀文秀")

    # 3. A session by video, then its record.
    start = timezone.localtime() + dt.timedelta(days=1)
    schedule = _act(org, "schedule")
    schedule.get_by_label(label("开始时间")).fill(start.strftime("%Y-%m-%dT%H:%M"))
    schedule.get_by_label(label("结束时间")).fill(
        (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    schedule.get_by_label(label("视频调解")).check()
    schedule.get_by_role("button").click()
    expect(org.get_by_test_id("session")).to_have_count(1)
    record = _act(org, "record_session")
    record.get_by_label(label("参加人员")).fill("申请人、被申请人、调解员冀文秀")
    record.get_by_label(label("调解笔录")).fill(
        "双方陈述意见，被申请人承认销售侵权礼盒，同意赔偿。"
    )
    record.get_by_role("button").click()
    expect(org.get_by_test_id("session")).to_contain_text("SHA-256")

    # 4. The agreement: drafted, the holder signs with a code, the shop on paper, the mediator.
    draft = _act(org, "draft_agreement")
    draft.get_by_label(label("协议内容")).fill(TERMS)
    draft.get_by_label(label("履行期限")).fill(
        (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    )
    draft.get_by_role("button").click()
    expect(org.locator("#dispute-agreement")).to_contain_text("二万元")

    holder.goto(f"/disputes/{dispute.pk}/")
    holder.get_by_role("button", name="获取签署验证码").click()
    holder.get_by_label(label("验证码（6 位数字，10 分钟内有效）")).fill(_code(world.holder_user))
    holder.get_by_role("button", name="签署当前版本").click()
    expect(holder.get_by_test_id("signature")).to_have_count(1)

    org.goto(f"/disputes/{dispute.pk}/")
    paper = _act(org, "sign_on_paper")
    paper.get_by_label(label("签署情况")).fill("被申请人在纸质协议书上签名并按指印。")
    paper.get_by_role("button").click()
    org.get_by_role("button", name="获取签署验证码").click()
    org.get_by_label(label("验证码（6 位数字，10 分钟内有效）")).fill(_code(world.mediator))
    org.get_by_role("button", name="签署当前版本").click()
    expect(org.get_by_test_id("dispute-status")).to_have_attribute("data-status", "agreed")
    shot(org, "3-agreed")

    # 5. The holder applies for judicial confirmation; the court accepts and confirms.
    holder.goto(f"/disputes/{dispute.pk}/")
    apply = _act(holder, "apply_confirmation")
    choose(apply.get_by_label(label("人民法院")), "保德县人民法院")
    apply.get_by_role("button").click()
    expect(holder.get_by_test_id("dispute-status")).to_have_attribute("data-status", "confirming")

    court = new_page()
    sign_in(court, "judge")
    court.goto(f"/disputes/{dispute.pk}/")
    _act(court, "accept_confirmation").get_by_role("button").click()
    confirm = _act(court, "confirm")
    confirm.get_by_label(label("裁定书案号")).fill("（2026）晋0931民特7号")
    confirm.get_by_label(label("裁定内容")).fill("确认调解协议有效。")
    confirm.get_by_role("button").click()
    expect(court.get_by_test_id("dispute-status")).to_have_attribute("data-status", "confirmed")

    # 6. Every step, with its ledger proof, on the holder's page.
    holder.goto(f"/disputes/{dispute.pk}/")
    expect(holder.get_by_test_id("dispute-status")).to_have_attribute("data-status", "confirmed")
    expect(holder.get_by_test_id("record-check")).to_have_attribute("data-ok", "1")
    events = dispute.events.count()
    assert events >= 12
    assert dispute.events.filter(leaf_index__isnull=True).count() == 0
    expect(holder.get_by_test_id("signature")).to_have_count(3)
    shot(holder, "4-confirmed")

    # Failure: the second complaint's mediation ends without agreement; guidance follows.
    _complain(holder, right, "东街干果店再次销售假冒礼盒", accept=True)
    failed = Dispute.objects.get(title="东街干果店再次销售假冒礼盒")
    org.goto(f"/disputes/{failed.pk}/")
    _act(org, "accept").get_by_role("button").click()
    _act(org, "consent").get_by_role("button").click()
    _act(org, "assign").get_by_role("button").click()
    fail = _act(org, "fail")
    fail.get_by_label(label("理由")).fill("被申请人不接受赔偿数额，调解不成。")
    fail.get_by_role("button").click()
    expect(org.get_by_test_id("dispute-status")).to_have_attribute("data-status", "failed")
    holder.goto(f"/disputes/{failed.pk}/")
    guidance = holder.get_by_test_id("dispute-guidance")
    expect(guidance).to_contain_text("诉讼")
    expect(holder.get_by_test_id("guidance-complaint")).to_be_visible()
    shot(holder, "5-guidance")
