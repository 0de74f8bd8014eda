"""Cooperation on the staff workbench: the inbox, assistance requests, transfers, joint operations
and criminal referral (两法衔接) through the pages, across units, with refusals shown next to
their field and nothing saved."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pytest
from django.utils import timezone

from ipshield.accounts.models import Unit, UnitKind
from ipshield.cases import services as case_services
from ipshield.cases import walkthrough
from ipshield.cases.models import CaseEvent, DecisionKind
from ipshield.cases.workflow import Status
from ipshield.cooperation import selectors
from ipshield.cooperation.models import (
    AssistanceRequest,
    CaseCriminalFacts,
    CooperationEvent,
    JointOperation,
    ReferralDecision,
    Transfer,
)
from ipshield.cooperation.workflow import (
    AssistanceStatus,
    OperationStatus,
    TransferKind,
    TransferStatus,
)
from tests.accounts.factories import make_person
from tests.cooperation.factories import attach, external_unit, handled_case, third_officer

INBOX = "/workbench/cooperation/"


def _case_url(case, tail=""):
    return f"/workbench/cases/{case.pk}/{tail}"


def _coop(case, action):
    return _case_url(case, f"cooperation/{action}/")


def _day(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _field_error(page: str, field: str) -> str:
    """The error shown next to ``field`` (the first one), or ""."""
    match = re.search(rf'<p class="error" role="alert" data-field="{field}">([^<]*)</p>', page)
    return match.group(1) if match else ""


def _only_one_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def police(world):
    """The county police bureau and one of its officers."""
    unit = Unit.objects.create(name="保德县公安局", kind=UnitKind.POLICE, region=world.county)
    return unit, make_person("case_officer", unit=unit, username="police")


def _decided(world):
    """A case the county market bureau has decided (not a penalty), ready to be closed."""
    case = handled_case(world)
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    case = case_services.case_propose_decision(
        actor=world.officer, case=case, kind=DecisionKind.NO_VIOLATION, summary="经查不构成侵权"
    )
    return walkthrough.approve(case, reviewer=world.reviewer, leader=world.leader)


# --- assistance requests


def test_assistance_round_trip_between_two_units(world, login):
    case = handled_case(world)
    market = login(world.officer)
    culture = login(world.officer_culture)
    page = _only_one_page(market, _case_url(case))
    assert 'id="case-cooperation"' in page and 'data-coop-form="request"' in page
    assert f'<option value="{world.culture.pk}">{world.culture.name}</option>' in page
    assert f'<option value="{world.market.pk}">' not in page  # not to itself

    response = market.post(
        _coop(case, "request"),
        {"to_unit": world.culture.pk, "asked": "请核查涉案书店的进货来源", "due_on": _day(10)},
    )
    assert response.status_code == 302 and response.url.endswith("#coop-requests")
    request = AssistanceRequest.objects.get()
    assert (request.to_unit, request.status) == (world.culture, AssistanceStatus.SENT)
    detail = f"{INBOX}requests/{request.pk}/"

    # The receiver finds it waiting, with the case readable but not its to handle.
    todo = _only_one_page(culture, INBOX)
    assert case.number in todo and "请核查涉案书店的进货来源" in todo and detail in todo
    assert case.number not in _only_one_page(culture, INBOX + "?tab=sent")
    case_page = _only_one_page(culture, _case_url(case))
    assert 'data-testid="shared-only"' in case_page
    assert "data-action=" not in case_page and "data-coop-form=" not in case_page

    page = _only_one_page(culture, detail)
    assert 'data-coop-action="acknowledge"' in page and 'data-coop-action="decline"' in page
    assert 'data-coop-action="reply"' not in page  # not before acknowledging
    assert "receipt_reference" not in page  # an internal unit answers for itself
    assert culture.post(detail + "acknowledge/").status_code == 302
    page = _only_one_page(culture, detail)
    assert 'data-coop-action="reply"' in page and 'data-coop-action="acknowledge"' not in page
    response = culture.post(detail + "reply/", {"reply": "已核查：进货单据系伪造，附现场笔录。"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AssistanceStatus.REPLIED
    assert request.answered_by == world.officer_culture
    assert case.number not in _only_one_page(culture, INBOX)  # nothing waits any more

    # The sender sees the reply in the history and in what it sent; it has nothing to do.
    page = _only_one_page(market, detail)
    history = page[page.index('data-testid="coop-history"') :]
    verbs = re.findall(r'data-verb="([a-z_.]+)"', history)
    assert verbs == ["request.sent", "request.acknowledged", "request.replied"]
    assert "已核查：进货单据系伪造，附现场笔录。" in history
    assert "data-coop-action=" not in page and 'data-testid="no-actions"' in page
    sent = _only_one_page(market, INBOX + "?tab=sent")
    row = re.search(
        rf'<tr class="coop-request" data-item="request-{case.number}">(.*?)</tr>', sent, re.S
    )
    assert row and "已回复" in row.group(1)
    # The case page lists the request with its status.
    assert re.search(
        rf'data-request="{request.pk}">.*?已回复', _only_one_page(market, _case_url(case)), re.S
    )


def test_assistance_bad_input_names_the_field_and_saves_nothing(world, login):
    case = handled_case(world)
    market = login(world.officer)
    events = CaseEvent.objects.filter(case=case).count()

    response = market.post(
        _coop(case, "request"),
        {"to_unit": world.culture.pk, "asked": "请协助调取监控录像", "due_on": _day(-1)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert _field_error(page, "due_on") == "办理期限不能早于今天。"
    assert "请协助调取监控录像</textarea>" in page  # what was typed is kept
    assert f'<option value="{world.culture.pk}" selected>' in page
    assert re.search(r'data-coop-form="request" open>', page)

    response = market.post(
        _coop(case, "request"), {"to_unit": world.culture.pk, "asked": "  ", "due_on": _day(3)}
    )
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "asked") == "请填写协办事项。"
    response = market.post(_coop(case, "request"), {"asked": "调取录像", "due_on": _day(3)})
    assert _field_error(response.content.decode(), "to_unit") == "请选择协办单位。"
    response = market.post(
        _coop(case, "request"), {"to_unit": world.culture.pk, "asked": "调取录像", "due_on": ""}
    )
    assert _field_error(response.content.decode(), "due_on") == "请填写办理期限。"

    assert AssistanceRequest.objects.count() == 0
    assert CaseEvent.objects.filter(case=case).count() == events

    # Declining needs a reason; the request stays as it was.
    market.post(
        _coop(case, "request"),
        {"to_unit": world.culture.pk, "asked": "调取录像", "due_on": _day(3)},
    )
    request = AssistanceRequest.objects.get()
    culture = login(world.officer_culture)
    response = culture.post(f"{INBOX}requests/{request.pk}/decline/", {"reason": ""})
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "reason") == "请填写拒绝理由。"
    # Replying before acknowledging is refused at the top of the form, with the reply kept.
    response = culture.post(f"{INBOX}requests/{request.pk}/reply/", {"reply": "录像已调取"})
    page = response.content.decode()
    assert response.status_code == 409 and "请先签收，再答复。" in page
    assert "录像已调取</textarea>" in page
    request.refresh_from_db()
    assert request.status == AssistanceStatus.SENT and request.reply == ""
    # The sender may not answer for an internal unit.
    response = market.post(f"{INBOX}requests/{request.pk}/acknowledge/")
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == AssistanceStatus.SENT


def test_the_sender_records_an_external_units_answer(world, login):
    outside = external_unit(world)
    case = handled_case(world)
    market = login(world.officer)
    market.post(
        _coop(case, "request"),
        {"to_unit": outside.pk, "asked": "请协查涉案企业在大同的仓库", "due_on": _day(5)},
    )
    request = AssistanceRequest.objects.get()
    todo = _only_one_page(market, INBOX)
    assert "代外部单位登记" in todo and f"requests/{request.pk}/" in todo
    detail = f"{INBOX}requests/{request.pk}/"
    assert 'name="receipt_reference"' in _only_one_page(market, detail)
    response = market.post(detail + "acknowledge/", {"receipt_reference": ""})
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "receipt_reference").startswith("对方为外部单位")
    assert (
        market.post(
            detail + "acknowledge/", {"receipt_reference": "同市监函〔2026〕8号"}
        ).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.status == AssistanceStatus.ACKNOWLEDGED
    assert request.receipt_reference == "同市监函〔2026〕8号"
    assert "同市监函〔2026〕8号" in _only_one_page(market, detail)


# --- transfers


def test_transfer_accept_moves_the_case_and_the_old_unit_only_reads(world, login):
    case = handled_case(world)
    market = login(world.officer)
    culture = login(world.officer_culture)
    page = _only_one_page(market, _case_url(case))
    assert 'data-coop-form="transfer"' in page
    # Suspected crimes go to the police through the referral decision, not a transfer.
    assert "公安" not in re.search(r'id="id_coop_transfer_to_unit".*?</select>', page, re.S).group(
        0
    )

    response = market.post(_coop(case, "transfer"), {"to_unit": world.culture.pk, "reason": ""})
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "reason") == "请填写移送理由。"
    assert Transfer.objects.count() == 0

    reason = "涉案为盗版图书，属文化市场综合执法管辖"
    response = market.post(_coop(case, "transfer"), {"to_unit": world.culture.pk, "reason": reason})
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    page = _only_one_page(market, _case_url(case))
    assert 'data-coop-form="transfer"' not in page  # one open transfer per case
    assert "待对方答复" in page

    detail = f"{INBOX}transfers/{transfer.pk}/"
    assert detail in _only_one_page(culture, INBOX)
    page = _only_one_page(culture, detail)
    assert 'data-coop-action="accept"' in page and 'data-coop-action="refuse"' in page
    assert 'data-coop-action="withdraw"' in _only_one_page(market, detail)
    # Refusing needs a reason.
    response = culture.post(detail + "refuse/", {"reason": "  "})
    assert _field_error(response.content.decode(), "reason") == "请填写拒收理由。"
    assert culture.post(detail + "accept/", {"note": "同意接收"}).status_code == 302
    case.refresh_from_db()
    transfer.refresh_from_db()
    assert case.unit == world.culture and transfer.status == TransferStatus.ACCEPTED

    # The old unit still reads the case, with no action and no cooperation form.
    page = _only_one_page(market, _case_url(case))
    assert 'data-testid="shared-only"' in page and world.culture.name in page
    assert "data-action=" not in page and "data-coop-form=" not in page
    assert 'data-testid="coop-read-only"' in page
    refused = market.post(_case_url(case, "act/start_investigation/"))
    assert refused.status_code == 403
    refused = market.post(
        _coop(case, "request"),
        {"to_unit": world.agriculture.pk, "asked": "协查", "due_on": _day(3)},
    )
    assert refused.status_code == 403 and "只有承办该案件的单位" in refused.content.decode()
    assert AssistanceRequest.objects.count() == 0
    # The new unit handles it.
    page = _only_one_page(culture, _case_url(case))
    assert 'data-action="request_opening"' in page and 'data-coop-form="request"' in page
    history = _only_one_page(market, detail)
    assert re.findall(r'data-verb="([a-z_.]+)"', history) == [
        "transfer.proposed",
        "transfer.accepted",
    ]


# --- criminal referral


def test_criminal_referral_through_the_pages(world, login, police):
    police_unit, police_user = police
    case = _decided(world)
    photo = attach(case, world.officer, b"\x89PNG seized goods", "扣押物品.png")
    ledger = attach(case, world.officer, b"%PDF-1.7 ledger", "销售台账.pdf")
    officer = login(world.officer)

    # Facts at the threshold: the page says so, with the reason and its legal source.
    response = officer.post(
        _coop(case, "facts"),
        {
            "illegal_business_volume": "50000",
            "illegal_gains": "",
            "marks_count": "1",
            "mark_use": "goods",
            "note": "按实际销售价格计算",
        },
    )
    assert response.status_code == 302 and response.url.endswith("#coop-referral")
    page = _only_one_page(officer, _case_url(case))
    assert 'data-testid="referral-banner"' in page
    assert "已达到刑事追诉标准，须作出移送决定后方可结案" in page
    evaluation = page[page.index('data-testid="threshold-evaluation"') :]
    assert "非法经营数额 50,000.00 元，不少于 50,000.00 元" in evaluation
    assert "依据：" in evaluation and "法释〔2025〕5号" in evaluation
    assert 'data-coop-form="decide"' not in page  # only the unit head decides

    # Closing through the case action URL is refused with the message; nothing changes.
    events = CaseEvent.objects.filter(case=case).count()
    leader = login(world.leader)
    response = leader.post(_case_url(case, "act/close/"))
    body = response.content.decode()
    assert response.status_code == 409
    assert "已达到刑事追诉标准" in body and "须先由单位负责人作出是否移送公安机关的决定" in body
    assert 'data-testid="panel-error"' in body
    case.refresh_from_db()
    assert case.status == Status.DECIDED
    assert CaseEvent.objects.filter(case=case).count() == events

    # The unit head refers the case; the police unit of the region is preselected.
    page = _only_one_page(leader, _case_url(case))
    assert re.search(r'data-coop-form="decide" open>', page)
    assert f'<option value="{police_unit.pk}" selected>{police_unit.name}</option>' in page
    response = leader.post(_coop(case, "decide"), {"refer": "yes", "reason": ""})
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "reason") == "请填写决定理由。"
    response = leader.post(_coop(case, "decide"), {"reason": "达到标准"})
    assert _field_error(response.content.decode(), "refer") == "请选择是否移送公安机关。"
    assert ReferralDecision.objects.count() == 0
    response = leader.post(
        _coop(case, "decide"),
        {
            "refer": "yes",
            "reason": "非法经营数额 5 万元，涉嫌假冒注册商标罪",
            "police_unit": police_unit.pk,
        },
    )
    assert response.status_code == 302
    decision = ReferralDecision.objects.get()
    transfer = decision.transfer
    assert transfer.kind == TransferKind.CRIMINAL and transfer.to_unit == police_unit
    page = _only_one_page(leader, _case_url(case))
    assert 'data-testid="referral-banner"' not in page
    assert 'data-testid="referral-awaiting"' in page and "须待其确认接收后方可结案" in page
    assert 'data-coop-form="decide"' not in page  # referred: no second decision
    assert f'href="/workbench/cases/{case.pk}/referral-package.json"' in page
    assert decision.package_sha256 in page
    refused = leader.post(_case_url(case, "act/close/"))
    assert refused.status_code == 409 and "确认接收" in refused.content.decode()

    # The police officer finds it waiting and confirms receipt.
    cop = login(police_user)
    todo = _only_one_page(cop, INBOX)
    row = re.search(
        rf'<tr class="coop-referral" data-item="referral-{case.number}">(.*?)</tr>', todo, re.S
    )
    assert row and "涉嫌犯罪移送" in row.group(1) and "待接收" in row.group(1)
    detail = f"{INBOX}transfers/{transfer.pk}/"
    page = _only_one_page(cop, detail)
    assert "确认接收" in page and 'data-coop-action="accept"' in page
    assert 'data-coop-action="withdraw"' not in _only_one_page(officer, detail)
    assert 'data-testid="package-link"' in page
    response = cop.post(detail + "accept/", {"note": "已受理审查"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.answered_by == police_user
    assert case.unit == world.market  # the administrative side keeps its case
    assert case.number not in _only_one_page(cop, INBOX)
    verbs = re.findall(r'data-verb="([a-z_.]+)"', _only_one_page(officer, detail))
    assert verbs == ["transfer.proposed", "referral.decided", "transfer.accepted"]

    # The package lists every attachment with its hash, exactly as frozen.
    for client in (officer, cop):
        response = client.get(_case_url(case, "referral-package.json"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response["Content-Disposition"] == (
            f'attachment; filename="referral-{case.number}.json"'
        )
        assert response["X-Content-SHA256"] == decision.package_sha256
        assert hashlib.sha256(response.content).hexdigest() == decision.package_sha256
        package = json.loads(response.content)
        assert {(a["name"], a["sha256"], a["size"]) for a in package["attachments"]} == {
            (photo.original_name, hashlib.sha256(b"\x89PNG seized goods").hexdigest(), photo.size),
            (ledger.original_name, ledger.sha256, ledger.size),
        }
        assert package["case"]["number"] == case.number
        assert package["decision"]["police_unit"] == police_unit.name

    # With the police's receipt the administrative case may close.
    assert leader.post(_case_url(case, "act/close/")).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_facts_and_decision_refusals_keep_the_input(world, login, police):
    case = handled_case(world)
    officer = login(world.officer)
    response = officer.post(
        _coop(case, "facts"),
        {
            "illegal_business_volume": "五万",
            "illegal_gains": "1000",
            "marks_count": "1",
            "mark_use": "goods",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert _field_error(page, "illegal_business_volume") == "非法经营数额应为数字（元）。"
    assert 'value="五万"' in page and re.search(r'data-coop-form="facts" open>', page)
    response = officer.post(
        _coop(case, "facts"),
        {"illegal_business_volume": "100", "marks_count": "0", "mark_use": "goods"},
    )
    assert _field_error(response.content.decode(), "marks_count") == "假冒注册商标种数至少为 1。"
    assert CaseCriminalFacts.objects.count() == 0
    assert not CooperationEvent.objects.filter(case=case).exists()

    # Below the threshold: no banner, the evaluation says so.
    officer.post(
        _coop(case, "facts"),
        {"illegal_business_volume": "49999.99", "marks_count": "1", "mark_use": "goods"},
    )
    page = _only_one_page(officer, _case_url(case))
    assert 'data-testid="referral-banner"' not in page and "未达到" in page
    assert 'value="49999.99"' in page  # the form is filled with the recorded facts

    # A decision not to refer needs no police unit, and lifts nothing it did not block.
    leader = login(world.leader)
    response = leader.post(_coop(case, "decide"), {"refer": "no", "reason": "未达到追诉标准"})
    assert response.status_code == 302
    decision = ReferralDecision.objects.get()
    assert decision.refer is False and decision.transfer is None
    page = _only_one_page(leader, _case_url(case))
    assert "决定不移送" in page and "referral-package.json" not in page
    assert leader.get(_case_url(case, "referral-package.json")).status_code == 404


# --- joint operations


def test_joint_operation_pages(world, login):
    market = login(world.officer)
    culture = login(world.officer_culture)
    page = _only_one_page(market, INBOX + "?tab=operations")
    assert 'data-coop-form="operation"' in page
    url = INBOX + "operations/new/"
    data = {
        "name": "“亮剑”文旅市场联合执法",
        "starts_on": _day(1),
        "ends_on": _day(30),
        "area": "保德县城区",
        "description": "集中检查书店、印刷厂",
    }
    response = market.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert _field_error(page, "units") == "请至少选择一个其他参与单位。"
    assert "集中检查书店、印刷厂</textarea>" in page
    response = market.post(url, {**data, "units": [world.culture.pk], "ends_on": _day(0)})
    assert _field_error(response.content.decode(), "ends_on") == "结束日期不能早于开始日期。"
    assert JointOperation.objects.count() == 0

    response = market.post(url, {**data, "units": [world.culture.pk]})
    assert response.status_code == 302
    op = JointOperation.objects.get()
    detail = f"{INBOX}operations/{op.pk}/"
    assert response.url == detail
    assert op.lead_unit == world.market
    assert set(op.units.all()) == {world.market, world.culture}

    # Both units see it; the lead runs it, every participant links its own cases.
    assert detail in _only_one_page(culture, INBOX + "?tab=operations")
    market_case = handled_case(world)
    culture_case = handled_case(world, unit=world.culture, officer=world.officer_culture)
    page = _only_one_page(market, _case_url(market_case))
    assert 'data-coop-form="link_operation"' in page
    response = market.post(_coop(market_case, "link_operation"), {"operation": op.pk})
    assert response.status_code == 302
    page = _only_one_page(culture, detail)
    assert 'data-coop-action="start"' not in page and 'data-coop-action="finish"' not in page
    assert f'<option value="{culture_case.pk}">' in page
    assert f'<option value="{market_case.pk}">' not in page  # another unit's case
    assert culture.post(detail + "link_case/", {"case": market_case.pk}).status_code == 400
    assert culture.post(detail + "link_case/", {"case": culture_case.pk}).status_code == 302
    assert set(op.cases.all()) == {market_case, culture_case}
    page = _only_one_page(culture, detail)
    # Linked cases are readable by every participant (the market case through a share).
    assert f'href="/workbench/cases/{market_case.pk}/"' in page
    assert _only_one_page(culture, _case_url(market_case))

    assert culture.post(detail + "start/").status_code == 403  # only the lead unit
    assert market.post(detail + "start/").status_code == 302
    response = market.post(detail + "finish/", {"result_summary": ""})
    assert _field_error(response.content.decode(), "result_summary") == "请填写行动结果。"
    op.refresh_from_db()
    assert op.status == OperationStatus.ACTIVE
    response = market.post(detail + "finish/", {"result_summary": "检查经营户 42 家，立案 3 起"})
    assert response.status_code == 302
    op.refresh_from_db()
    assert op.status == OperationStatus.FINISHED
    page = _only_one_page(market, detail)
    assert "检查经营户 42 家，立案 3 起" in page and "行动已结束" in page
    assert re.findall(r'data-verb="([a-z_.]+)"', page) == [
        "operation.created",
        "operation.case_linked",
        "operation.case_linked",
        "operation.started",
        "operation.finished",
    ]


# --- scoping


def test_a_third_unit_gets_404_everywhere(world, login, police):
    _police_unit, _cop = police
    case = _decided(world)
    market = login(world.officer)
    market.post(
        _coop(case, "request"),
        {"to_unit": world.culture.pk, "asked": "协查", "due_on": _day(3)},
    )
    market.post(
        _coop(case, "facts"),
        {"illegal_business_volume": "80000", "marks_count": "1", "mark_use": "goods"},
    )
    login(world.leader).post(_coop(case, "decide"), {"refer": "yes", "reason": "达到标准"})
    market.post(
        INBOX + "operations/new/",
        {
            "name": "专项行动",
            "units": [world.culture.pk],
            "starts_on": _day(0),
            "ends_on": _day(9),
            "area": "全县",
        },
    )
    request = AssistanceRequest.objects.get()
    transfer = Transfer.objects.get()
    op = JointOperation.objects.get()

    other = login(third_officer(world))
    for url in (
        f"{INBOX}requests/{request.pk}/",
        f"{INBOX}transfers/{transfer.pk}/",
        f"{INBOX}operations/{op.pk}/",
        _case_url(case),
        _case_url(case, "referral-package.json"),
    ):
        assert other.get(url).status_code == 404, url
    for url, data in (
        (f"{INBOX}requests/{request.pk}/acknowledge/", {}),
        (f"{INBOX}transfers/{transfer.pk}/accept/", {}),
        (f"{INBOX}operations/{op.pk}/start/", {}),
        (_coop(case, "facts"), {"illegal_business_volume": "1"}),
    ):
        assert other.post(url, data).status_code == 404, url
    inbox = _only_one_page(other, INBOX)
    assert case.number not in inbox
    assert case.number not in _only_one_page(other, INBOX + "?tab=sent")
    assert "专项行动" not in _only_one_page(other, INBOX + "?tab=operations")
    request.refresh_from_db()
    transfer.refresh_from_db()
    assert request.status == AssistanceStatus.SENT and transfer.status == TransferStatus.PROPOSED
    assert selectors.history(op).count() == 1


def test_read_only_roles_see_the_panel_without_forms(world, login):
    case = handled_case(world)
    page = _only_one_page(login(world.auditor), _case_url(case))
    assert 'id="case-cooperation"' in page and "data-coop-form=" not in page
    page = _only_one_page(login(world.auditor), INBOX + "?tab=operations")
    assert 'data-coop-form="operation"' not in page
    assert login(world.holder_user).get(INBOX).status_code == 403
