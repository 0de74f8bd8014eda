"""The intake API: complaints, anonymous reports, tracking and "my cases", with error bodies that
name the field and submissions that are all or nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from ipshield.cases import crypto, intake, services, walkthrough
from ipshield.cases.models import Case, ReporterIdentity, Source
from ipshield.cases.workflow import Status
from ipshield.registry import services as registry_services
from ipshield.registry.models import IPRight, RightKind
from tests.registry.factories import IPRightFactory, RightsHolderFactory, valid_uscc

GENERIC = "编号或查询码不正确。"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    cache.clear()


def verified_right(world, *, user=None) -> IPRight:
    holder = RightsHolderFactory(user=user or world.holder_user, region=world.county)
    right = IPRightFactory(holder=holder, verifying_unit=world.market)
    return registry_services.right_verify(actor=world.officer, right=right)


def _post(client, path, body, **extra):
    return client.post(path, body, content_type="application/json", **extra)


def complaint(right: IPRight, **overrides) -> dict:
    body = {
        "right_id": right.pk,
        "title": "网店销售假冒“保德红枣”",
        "description": "淘宝店铺“晋北干果”销售的红枣使用了注册商标。",
        "region_code": "140931",
        "infringer_name": "晋北干果网店",
        "place": "https://example.cn/shop/123",
        "amount_involved": 5600.5,
        "public_health": True,
    }
    body.update(overrides)
    return body


def report(**overrides) -> dict:
    body = {
        "right_kind": "trademark",
        "title": "集市上卖假“保德油枣”",
        "description": "周日东关集市，仿冒包装。",
        "region_code": "140931",
        "anonymous": True,
    }
    body.update(overrides)
    return body


def test_holder_files_a_complaint(world, login):
    right = verified_right(world)
    response = _post(login(world.holder_user), "/api/v1/complaints", complaint(right))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"number", "access_code", "status", "unit", "track", "status_page"}
    assert body["status"] == "received" and body["unit"] == "保德县市场监督管理局"
    assert body["track"] in {"simple", "ordinary", "major"}
    assert body["status_page"] == f"/track/{body['number']}/"
    case = Case.objects.get(number=body["number"])
    assert case.source == Source.COMPLAINT and case.right == right
    assert str(case.amount_involved) == "5600.50" and case.submitted_by == world.holder_user
    assert intake.case_by_access_code(body["number"], body["access_code"]) == case


def test_complaints_need_an_account(world):
    right = verified_right(world)
    response = _post(Client(), "/api/v1/complaints", complaint(right))
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    assert Case.objects.count() == 0


def test_schema_errors_name_each_field(world, login):
    client = login(world.holder_user)
    response = _post(
        client,
        "/api/v1/complaints",
        {"right_id": "abc", "description": "x" * 5001, "region_code": "140931"},
    )
    assert response.status_code == 422
    body = response.json()
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields["title"] == "必填项未填写"
    assert fields["right_id"] == "应为整数"
    assert "最多 5000" in fields["description"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "status", "field", "words"),
    [
        ("unverified", 400, "right_id", "尚未核验通过"),
        ("someone_else", 403, "right_id", "只能就您本人已登记的权利投诉"),
        ("no_such_right", 400, "right_id", "请选择被侵权的权利"),
        ("wrong_uscc", 400, "infringer_uscc", "校验位错误"),
        ("blank_title", 400, "title", "请填写投诉事由"),
        ("unknown_region", 400, "region_code", "区划代码 999999 不存在"),
        ("text_amount", 400, "amount_involved", "涉案金额应为数字"),
        ("nan_amount", 400, "amount_involved", "涉案金额应为数字"),
    ],
)
def test_refused_complaints_name_the_field_and_save_nothing(
    world, login, change, status, field, words
):
    right = verified_right(world)
    body = complaint(right)
    if change == "unverified":
        body["right_id"] = IPRightFactory(holder=right.holder, verifying_unit=world.market).pk
    elif change == "someone_else":
        body["right_id"] = verified_right(world, user=world.public_user).pk
    elif change == "no_such_right":
        body["right_id"] = 999999
    elif change == "wrong_uscc":
        code = valid_uscc()
        body["infringer_uscc"] = code[:17] + ("1" if code[17] != "1" else "2")
    elif change == "blank_title":
        body["title"] = "  "
    elif change == "unknown_region":
        body["region_code"] = "999999"
    elif change == "text_amount":
        body["amount_involved"] = "五千"
    elif change == "nan_amount":
        body["amount_involved"] = "NaN"
    response = _post(login(world.holder_user), "/api/v1/complaints", body)
    assert response.status_code == status, response.content
    error = response.json()
    assert error["field"] == field and words in error["message"]
    assert Case.objects.count() == 0


def test_anonymous_report_without_a_session(world):
    client = Client(enforce_csrf_checks=True)  # no cookies at all, as a script would call it
    response = _post(client, "/api/v1/reports", report(reporter_name="不保存"))
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["number"])
    assert case.source == Source.REPORT and case.submitted_by is None
    assert not ReporterIdentity.objects.filter(case=case).exists()


def test_anonymous_report_from_a_signed_in_browser_is_not_tied_to_the_account(world, login):
    response = _post(login(world.public_user), "/api/v1/reports", report())
    assert response.status_code == 201
    case = Case.objects.get(number=response.json()["number"])
    assert case.submitted_by is None and all(e.actor_id is None for e in case.events.all())


def test_signed_in_report_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.public_user)
    response = _post(client, "/api/v1/reports", report(anonymous=False))
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_bad_bearer_token_on_reports_is_refused(world):
    response = _post(
        Client(), "/api/v1/reports", report(), HTTP_AUTHORIZATION="Bearer ips_not-a-token"
    )
    assert response.status_code == 401
    assert Case.objects.count() == 0


def test_real_name_report_encrypts_identity(world):
    body = report(
        anonymous=False,
        reporter_name="李建国",
        reporter_phone="+86 139-0350-6789",
        reporter_email="ljg@example.cn",
    )
    response = _post(Client(), "/api/v1/reports", body)
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["number"])
    ciphertext = bytes(ReporterIdentity.objects.get(case=case).ciphertext)
    for plain in ("李建国", "139-0350-6789", "13903506789", "ljg@example.cn"):
        assert plain.encode() not in ciphertext
    assert crypto.decrypt(ciphertext)["phone"] == "+86 139-0350-6789"


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        (
            {"anonymous": False, "reporter_name": "李建国", "reporter_phone": "call me"},
            400,
            "reporter_phone",
        ),
        ({"anonymous": False, "reporter_phone": "13903506789"}, 400, "reporter_name"),
        ({"right_kind": "spaceship"}, 422, "right_kind"),
        ({"anonymous": None}, 422, "anonymous"),
        ({"reporter_phone": "1" * 33}, 422, "reporter_phone"),
    ],
)
def test_refused_reports(world, overrides, status, field):
    response = _post(Client(), "/api/v1/reports", report(**overrides))
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert Case.objects.count() == 0 and ReporterIdentity.objects.count() == 0


def test_track_shows_public_progress_only(world):
    right = verified_right(world)
    submitted = intake.complaint_submit(
        actor=world.holder_user,
        right=right,
        title="网店销售仿冒商品",
        description="SECRET-DESCRIPTION",
        region=world.county,
    )
    case = submitted.case
    services.case_accept(actor=world.officer, case=case)
    walkthrough.open_case(case, officer=world.officer, leader=world.leader)
    services.case_suspend(actor=world.leader, case=case, reason="INTERNAL-REASON")

    response = _post(
        Client(), "/api/v1/track", {"number": case.number, "access_code": submitted.access_code}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.SUSPENDED and body["suspended"] is True
    assert body["received_at"].endswith("+08:00")
    states = {s["status"]: s["state"] for s in body["steps"]}
    assert states["received"] == "done" and states["investigating"] == "current"
    assert states["closed"] == "todo"
    assert [e["status_label"] for e in body["timeline"] if e["verb"] == "transition"] == [
        "已受理",
        "调查中",
        "中止",
    ]
    text = response.content.decode()
    assert "SECRET-DESCRIPTION" not in text and "INTERNAL-REASON" not in text
    assert "holder" not in text and "officer" not in text


def test_track_rejection_reason_is_public(world):
    right = verified_right(world)
    submitted = intake.complaint_submit(
        actor=world.holder_user, right=right, title="甲", description="甲", region=world.county
    )
    services.case_reject(actor=world.officer, case=submitted.case, reason="超出投诉时效")
    body = _post(
        Client(),
        "/api/v1/track",
        {"number": submitted.case.number, "access_code": submitted.access_code},
    ).json()
    assert body["status_label"] == "不予受理"
    assert [s["status"] for s in body["steps"]] == ["received", "rejected"]
    assert body["timeline"][-1]["detail"] == "超出投诉时效"


def test_track_wrong_number_or_code_one_answer_then_throttled(world):
    right = verified_right(world)
    submitted = intake.complaint_submit(
        actor=world.holder_user, right=right, title="甲", description="甲", region=world.county
    )
    client = Client()
    wrong_code = _post(
        client, "/api/v1/track", {"number": submitted.case.number, "access_code": "0"}
    )
    wrong_number = _post(
        client,
        "/api/v1/track",
        {"number": "TS20990101000000", "access_code": submitted.access_code},
    )
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert (
        wrong_code.json()
        == wrong_number.json()
        == {
            "code": "track_not_found",
            "message": GENERIC,
            "field": None,
        }
    )
    for _ in range(19):
        _post(client, "/api/v1/track", {"number": submitted.case.number, "access_code": "0"})
    response = _post(
        client,
        "/api/v1/track",
        {"number": submitted.case.number, "access_code": submitted.access_code},
    )
    assert response.status_code == 429 and response.json()["code"] == "throttled"


def test_my_cases_lists_only_my_own(world, login):
    right = verified_right(world)
    mine = intake.complaint_submit(
        actor=world.holder_user, right=right, title="我的", description="甲", region=world.county
    ).case
    intake.report_submit(
        actor=world.public_user,
        right_kind=RightKind.COPYRIGHT,
        title="别人的",
        description="乙",
        region=world.county,
        anonymous=False,
        reporter_name="某人",
        reporter_phone="13800000000",
    )
    response = login(world.holder_user).get("/api/v1/my/cases")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(c["number"], c["status_label"]) for c in items] == [(mine.number, "已接收")]
    assert Client().get("/api/v1/my/cases").status_code == 401
