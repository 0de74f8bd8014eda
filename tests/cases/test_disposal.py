"""Confiscated goods and their disposal (罚没物品的处置, 《行政处罚法》第七十四条): a decision that
confiscates lists its goods; each item is disposed of once, after the decision is served, by two
officers, and only an auction has proceeds; goods infringing a trademark are destroyed, never
auctioned (《商标法》第六十条第二款); the case does not close while an item is undisposed. Every
refusal names its field and leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ipshield.cases import procedure, services, walkthrough
from ipshield.cases.models import Case, CaseEvent, ConfiscatedGoods
from ipshield.cases.workflow import Status
from ipshield.common import inbox
from ipshield.common.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from ipshield.registry.models import RightKind
from tests.cases.factories import receive
from tests.registry.factories import IPRightFactory

TODAY = timezone.localdate
GOODS = {"description": "假冒“保德红枣”礼盒 500g", "quantity": "200", "unit_of_measure": "盒"}


def _decided(world, *, kinds=("fine", "confiscation"), serve=True, right_kind=None):
    case = receive(world)
    if right_kind is not None:
        right = IPRightFactory(kind=right_kind, verifying_unit=world.market)
        Case.objects.filter(pk=case.pk).update(right=right)
    return walkthrough.decide(
        case,
        officer=world.officer,
        reviewer=world.reviewer,
        leader=world.leader,
        amount=5000,
        kinds=list(kinds),
        serve_decision=serve,
    )


def _list(world, case, **data):
    return procedure.run_step(procedure.RECORD_CONFISCATION, world.officer, case, {**GOODS, **data})


def _dispose(world, case, item, **data):
    body = {
        "goods": item.pk if item is not None else "",
        "method": "destroyed",
        "disposed_on": TODAY(),
        "officers": "张三、李四",
        "place": "保德县垃圾焚烧厂",
        **data,
    }
    return procedure.run_step(procedure.RECORD_DISPOSAL, world.officer, case, body)


def _nothing_changed(case):
    """A check that no goods changed and no record entry was written since it was made."""
    events = CaseEvent.objects.filter(case=case).count()
    rows = list(ConfiscatedGoods.objects.filter(case=case).values())

    def check():
        assert CaseEvent.objects.filter(case=case).count() == events
        assert list(ConfiscatedGoods.objects.filter(case=case).values()) == rows

    return check


def _offered(world, case):
    return procedure.offered_steps(Case.objects.get(pk=case.pk), {"case_officer"})


def test_goods_listed_disposed_and_then_the_case_closes(world):
    case = _decided(world)
    assert procedure.RECORD_CONFISCATION in _offered(world, case)
    assert procedure.RECORD_DISPOSAL not in _offered(world, case)  # nothing listed yet
    dates = _list(world, case)
    tools = _list(world, case, description="封口机", quantity="1.500", unit_of_measure="台")
    assert (dates.quantity, dates.unit_of_measure) == (Decimal("200"), "盒")
    assert str(tools) == "封口机 1.5台"
    entry = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert entry.after == {"step": "record_confiscation", "quantity": "1.5 台"}
    assert entry.note == "封口机"
    assert procedure.RECORD_DISPOSAL in _offered(world, case)
    # the goods wait in the officers' inbox until the last is disposed of
    assert "case.dispose" in {item.kind for item in inbox.items_for(world.officer)}
    assert "case.dispose" not in {item.kind for item in inbox.items_for(world.leader)}

    case = walkthrough.pay_in_full(case, officer=world.officer)
    services.case_publish(actor=world.officer, case=case)
    with pytest.raises(Conflict) as info:
        services.case_close(actor=world.leader, case=case)
    assert info.value.code == "goods_undisposed"
    assert "2 项罚没物品未处置" in str(info.value.message)

    _dispose(world, case, dates, officers="张三，李四 王五")
    dates.refresh_from_db()
    assert dates.method == "destroyed" and dates.disposed_on == TODAY()
    assert dates.officers == "张三、李四、王五" and dates.proceeds is None
    assert dates.disposed_by == world.officer
    entry = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert entry.after == {
        "step": "record_disposal",
        "date": TODAY().isoformat(),
        "disposal": "destroyed",
    }
    assert "销毁" in procedure.describe_step(entry.after)
    with pytest.raises(Conflict) as info:
        services.case_close(actor=world.leader, case=case)
    assert info.value.code == "goods_undisposed" and "1 项" in str(info.value.message)

    # A second item goes by the only one left when none is named.
    _dispose(world, case, None, method="handed_over", recipient="保德县应急管理局")
    tools.refresh_from_db()
    assert tools.method == "handed_over" and tools.recipient == "保德县应急管理局"
    assert procedure.RECORD_DISPOSAL not in _offered(world, case)
    assert "case.dispose" not in {item.kind for item in inbox.items_for(world.officer)}
    assert services.case_close(actor=world.leader, case=case).status == Status.CLOSED


def test_an_auction_records_its_proceeds_for_the_treasury(world):
    case = _decided(world, right_kind=RightKind.PATENT_DESIGN)
    goods = _list(world, case, description="电动车 XK-2", quantity="3", unit_of_measure="辆")
    check = _nothing_changed(case)
    with pytest.raises(InvalidInput) as info:
        _dispose(world, case, goods, method="auctioned", place="县公共资源交易中心")
    assert info.value.field == "proceeds"  # an auction has proceeds
    for bad in ("-1", "0", "abc", "1.001"):
        with pytest.raises(InvalidInput) as info:
            _dispose(world, case, goods, method="auctioned", proceeds=bad)
        assert info.value.field == "proceeds"
    check()
    _dispose(world, case, goods, method="auctioned", proceeds="4500.50", place="县公共资源交易中心")
    goods.refresh_from_db()
    assert goods.method == "auctioned" and goods.proceeds == Decimal("4500.50")
    entry = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert entry.after["amount"] == "4500.50"


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"method": "burned"}, "method", "invalid_input"),
        ({"method": ""}, "method", "invalid_input"),
        ({"officers": "张三"}, "officers", "too_few_officers"),
        ({"officers": ""}, "officers", "invalid_input"),
        ({"place": " "}, "place", "invalid_input"),
        ({"disposed_on": ""}, "disposed_on", "invalid_input"),
        ({"disposed_on": "2026-02-30"}, "disposed_on", "invalid_input"),
        ({"proceeds": "100"}, "proceeds", "proceeds_not_auction"),
        ({"method": "handed_over", "recipient": ""}, "recipient", "invalid_input"),
        ({"method": "other", "note": ""}, "note", "invalid_input"),
        ({"goods": 999999}, "goods", "invalid_input"),
    ],
)
def test_bad_disposals_are_refused_with_the_field(world, data, field, code):
    case = _decided(world)
    goods = _list(world, case)
    check = _nothing_changed(case)
    with pytest.raises(InvalidInput) as info:
        _dispose(world, case, goods, **data)
    assert (info.value.field, info.value.code) == (field, code)
    check()


def test_disposal_dates_are_past_and_after_service(world):
    case = _decided(world)
    goods = _list(world, case)
    check = _nothing_changed(case)
    with pytest.raises(InvalidInput) as info:
        _dispose(world, case, goods, disposed_on=TODAY() + dt.timedelta(days=1))
    assert info.value.field == "disposed_on"
    with pytest.raises(InvalidInput) as info:
        _dispose(world, case, goods, disposed_on=TODAY() - dt.timedelta(days=1))
    assert info.value.field == "disposed_on"  # before the decision was served today
    check()


def test_an_item_is_disposed_of_once(world):
    case = _decided(world)
    goods = _list(world, case)
    _dispose(world, case, goods)
    check = _nothing_changed(case)
    with pytest.raises(Conflict) as info:
        _dispose(world, case, goods, method="auctioned", proceeds="100")
    assert (info.value.code, info.value.field) == ("already_disposed", "goods")
    check()


def test_no_disposal_before_the_decision_is_served(world):
    case = _decided(world, serve=False)
    goods = _list(world, case)  # listing may come before service
    assert procedure.RECORD_DISPOSAL not in _offered(world, case)
    check = _nothing_changed(case)
    with pytest.raises(Conflict) as info:
        _dispose(world, case, goods)
    assert info.value.code == "not_served"
    check()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"description": "  "}, "description"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-3"}, "quantity"),
        ({"quantity": "两百"}, "quantity"),
        ({"quantity": "NaN"}, "quantity"),
        ({"quantity": "1.0005"}, "quantity"),
        ({"quantity": ""}, "quantity"),
        ({"unit_of_measure": ""}, "unit_of_measure"),
    ],
)
def test_bad_goods_are_refused_with_the_field(world, data, field):
    case = _decided(world)
    check = _nothing_changed(case)
    with pytest.raises(InvalidInput) as info:
        _list(world, case, **data)
    assert info.value.field == field
    check()


def test_goods_are_listed_only_for_a_decision_that_confiscates(world):
    case = _decided(world, kinds=("fine",))
    assert procedure.RECORD_CONFISCATION not in _offered(world, case)
    check = _nothing_changed(case)
    with pytest.raises(Conflict) as info:
        _list(world, case)
    assert info.value.code == "no_confiscation"
    check()
    # Before the decision, nothing is listed either.
    open_case = walkthrough.open_case(receive(world), officer=world.officer, leader=world.leader)
    with pytest.raises(Conflict) as info:
        _list(world, open_case)
    assert info.value.code == "illegal_transition"


def test_only_the_units_officers_list_and_dispose(world):
    case = _decided(world)
    with pytest.raises(DomainError) as info:  # another unit's officer
        procedure.run_step(procedure.RECORD_CONFISCATION, world.officer_other, case, GOODS)
    assert info.value.code in ("not_found", "not_case_owner")
    with pytest.raises(PermissionDenied) as info:
        procedure.run_step(procedure.RECORD_CONFISCATION, world.reviewer, case, GOODS)
    assert info.value.code == "role_not_allowed"
    assert not ConfiscatedGoods.objects.exists()


def test_goods_infringing_a_trademark_are_destroyed_not_auctioned(world):
    case = _decided(world, right_kind=RightKind.TRADEMARK)
    goods = _list(world, case)
    check = _nothing_changed(case)
    with pytest.raises(InvalidInput) as info:
        _dispose(world, case, goods, method="auctioned", proceeds="3000")
    assert (info.value.field, info.value.code) == ("method", "counterfeit_not_auctionable")
    assert "第六十条第二款" in str(info.value.message)
    check()
    _dispose(world, case, goods, method="destroyed")
    goods.refresh_from_db()
    assert goods.method == "destroyed"


def test_the_case_page_lists_the_goods_and_takes_the_disposal(world, login):
    case = _decided(world)
    goods = _list(world, case)
    officer = login(world.officer)
    page = officer.get(reverse("workbench:case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="confiscated-goods"' in page and "假冒“保德红枣”礼盒 500g" in page
    assert "未处置" in page
    assert reverse("workbench:case-act", args=[case.pk, "record_disposal"]) in page
    url = reverse("workbench:case-act", args=[case.pk, "record_disposal"])
    body = {
        "goods": goods.pk,
        "method": "destroyed",
        "disposed_on": TODAY().isoformat(),
        "officers": "张三",
        "place": "县焚烧厂",
    }
    response = officer.post(url, body)
    assert response.status_code == 400
    assert "执法人员不得少于两人" in response.content.decode()
    assert ConfiscatedGoods.objects.get(pk=goods.pk).disposed_on is None
    response = officer.post(url, {**body, "officers": "张三、李四"})
    assert response.status_code == 302
    page = officer.get(reverse("workbench:case-detail", args=[case.pk])).content.decode()
    assert "县焚烧厂" in page and "张三、李四" in page


def test_the_api_lists_and_disposes_through_the_step_endpoint(world, login):
    case = _decided(world, right_kind=RightKind.TRADEMARK)
    officer = login(world.officer)

    def post(action, body):
        return officer.post(
            f"/api/v1/cases/{case.pk}/actions/{action}", body, content_type="application/json"
        )

    response = post("record_confiscation", {**GOODS, "quantity": -1})
    assert response.status_code == 400 and response.json()["field"] == "quantity"
    response = post("record_confiscation", {**GOODS, "quantity": 200})
    assert response.status_code == 200, response.content
    assert "record_disposal" in response.json()["allowed_actions"]
    goods = ConfiscatedGoods.objects.get(case=case)
    disposal = {
        "goods": goods.pk,
        "method": "auctioned",
        "proceeds": 3000,
        "disposed_on": TODAY().isoformat(),
        "officers": "张三、李四",
        "place": "县公共资源交易中心",
    }
    response = post("record_disposal", disposal)
    assert response.status_code == 400
    assert response.json()["code"] == "counterfeit_not_auctionable"
    assert response.json()["field"] == "method"
    response = post("record_disposal", {**disposal, "method": "destroyed", "proceeds": None})
    assert response.status_code == 200, response.content
    assert "record_disposal" not in response.json()["allowed_actions"]
    assert ConfiscatedGoods.objects.get(pk=goods.pk).method == "destroyed"


def test_the_refusals_read_in_english(world):
    from django.utils import translation

    case = _decided(world, right_kind=RightKind.TRADEMARK)
    goods = _list(world, case)
    with translation.override("en"):
        code, message = procedure.closing_refusal(Case.objects.get(pk=case.pk))
        assert code == "goods_undisposed"
        assert message.startswith("1 item of confiscated goods is not yet disposed of")
        with pytest.raises(InvalidInput) as info:
            _dispose(world, case, goods, method="auctioned", proceeds="10")
        assert "Trademark Law, art. 60(2)" in str(info.value.message)
        assert procedure.describe_step({"step": "record_disposal", "disposal": "destroyed"}) == (
            "Record disposal of confiscated goods; Disposal: Destroyed"
        )
