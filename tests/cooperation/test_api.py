"""The cooperation API (mounted at /coop-api/ by tests/cooperation/urls.py): thin routes over the
services, with coded error bodies that name the field, and unit-scoped reads."""

from __future__ import annotations

import hashlib
import json

import pytest

from ipshield.cases.models import Case
from ipshield.cooperation.models import ReferralDecision
from tests.cooperation.factories import (
    attach,
    due,
    handled_case,
    police_officer,
    police_unit,
    third_officer,
)

pytestmark = pytest.mark.urls("tests.cooperation.urls")
API = "/coop-api"


def _post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def test_assistance_request_round_trip(world, login):
    case = handled_case(world)
    sender, receiver = login(world.officer), login(world.officer_culture)
    outsider = login(third_officer(world))

    response = _post(
        sender,
        "/assistance-requests",
        {
            "case_id": case.pk,
            "to_unit_id": world.culture.pk,
            "asked": "请协助调取涉案网店的备案信息",
            "due_on": due().isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    assert response.json()["status"] == "sent"

    listed = receiver.get(f"{API}/assistance-requests", {"direction": "received"}).json()
    assert [r["id"] for r in listed["items"]] == [request_id]
    assert outsider.get(f"{API}/assistance-requests").json()["items"] == []
    assert outsider.get(f"{API}/assistance-requests/{request_id}").status_code == 404

    refused = _post(sender, f"/assistance-requests/{request_id}/acknowledge")
    assert refused.status_code == 403
    assert refused.json()["code"] == "cooperation_not_receiver"
    assert refused.json()["field"] == "to_unit"

    early = _post(receiver, f"/assistance-requests/{request_id}/reply", {"reply": "已调取"})
    assert early.status_code == 409 and early.json()["code"] == "cooperation_not_acknowledged"

    assert _post(receiver, f"/assistance-requests/{request_id}/acknowledge").status_code == 200
    twice = _post(receiver, f"/assistance-requests/{request_id}/acknowledge")
    assert twice.status_code == 409 and twice.json()["code"] == "cooperation_already_acknowledged"

    replied = _post(receiver, f"/assistance-requests/{request_id}/reply", {"reply": "已调取"})
    assert replied.status_code == 200 and replied.json()["status"] == "replied"

    detail = sender.get(f"{API}/assistance-requests/{request_id}").json()
    assert [e["verb"] for e in detail["history"]] == [
        "request.sent",
        "request.acknowledged",
        "request.replied",
    ]
    assert detail["history"][1]["unit_name"] == world.culture.name


def test_decline_without_reason_names_the_field(world, login):
    case = handled_case(world)
    sender, receiver = login(world.officer), login(world.officer_culture)
    request_id = _post(
        sender,
        "/assistance-requests",
        {
            "case_id": case.pk,
            "to_unit_id": world.culture.pk,
            "asked": "x",
            "due_on": due().isoformat(),
        },
    ).json()["id"]
    response = _post(receiver, f"/assistance-requests/{request_id}/decline", {"reason": ""})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "cooperation_reason_required" and body["field"] == "reason"
    assert "拒绝理由" in body["message"]


def test_sending_about_an_unseen_case_is_not_found(world, login):
    case = handled_case(world)
    response = _post(
        login(world.officer_other),
        "/assistance-requests",
        {
            "case_id": case.pk,
            "to_unit_id": world.culture.pk,
            "asked": "x",
            "due_on": due().isoformat(),
        },
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_transfer_round_trip(world, login):
    case = handled_case(world)
    sender, receiver = login(world.officer), login(world.officer_culture)
    missing = _post(sender, "/transfers", {"case_id": case.pk, "to_unit_id": world.culture.pk})
    assert missing.status_code == 400 and missing.json()["field"] == "reason"
    created = _post(
        sender,
        "/transfers",
        {"case_id": case.pk, "to_unit_id": world.culture.pk, "reason": "属文化市场执法管辖"},
    )
    assert created.status_code == 201, created.content
    transfer_id = created.json()["id"]
    assert receiver.get(f"{API}/transfers", {"direction": "received"}).json()["count"] == 1
    accepted = _post(receiver, f"/transfers/{transfer_id}/accept", {"note": "接收"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert Case.objects.get(pk=case.pk).unit == world.culture
    history = sender.get(f"{API}/transfers/{transfer_id}").json()["history"]
    assert [e["verb"] for e in history] == ["transfer.proposed", "transfer.accepted"]
    again = _post(receiver, f"/transfers/{transfer_id}/refuse", {"reason": "x"})
    assert again.status_code == 409 and again.json()["code"] == "cooperation_already_answered"


def test_joint_operation_routes(world, login):
    client = login(world.officer)
    created = _post(
        client,
        "/joint-operations",
        {
            "name": "红枣市场联合检查",
            "unit_ids": [world.culture.pk],
            "starts_on": "2026-05-01",
            "ends_on": "2026-05-31",
            "area": "东关镇",
        },
    )
    assert created.status_code == 201, created.content
    operation = created.json()
    assert operation["unit_ids"] == sorted([world.market.pk, world.culture.pk])
    case = handled_case(world)
    linked = _post(client, f"/joint-operations/{operation['id']}/cases", {"case_id": case.pk})
    assert linked.json()["case_ids"] == [case.pk]
    assert _post(client, f"/joint-operations/{operation['id']}/start").json()["status"] == "active"
    finish = _post(client, f"/joint-operations/{operation['id']}/finish", {"result_summary": ""})
    assert finish.status_code == 400 and finish.json()["field"] == "result_summary"
    seen = login(world.officer_culture).get(f"{API}/joint-operations").json()
    assert [o["id"] for o in seen["items"]] == [operation["id"]]


def test_referral_routes_and_package_download(world, login):
    unit = police_unit(world)
    police = login(police_officer(unit))
    case = handled_case(world)
    photo = attach(case, world.officer, b"photo", "照片.jpg")
    officer, leader = login(world.officer), login(world.leader)

    facts = officer.put(
        f"{API}/referrals/{case.pk}/facts",
        {"illegal_business_volume": "50000", "marks_count": 1},
        content_type="application/json",
    )
    assert facts.status_code == 200, facts.content
    assert facts.json()["illegal_business_volume"] == "50000.00"
    status = officer.get(f"{API}/referrals/{case.pk}").json()
    assert len(status["reasons"]) == 1 and status["blocks_close"]

    not_leader = _post(officer, f"/referrals/{case.pk}/decision", {"refer": True, "reason": "x"})
    assert not_leader.status_code == 403 and not_leader.json()["code"] == "role_not_allowed"
    decided = _post(leader, f"/referrals/{case.pk}/decision", {"refer": True, "reason": "达到标准"})
    assert decided.status_code == 201, decided.content
    decision = ReferralDecision.objects.get(pk=decided.json()["id"])

    download = police.get(f"{API}/referrals/{case.pk}/package")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    body = download.content
    assert hashlib.sha256(body).hexdigest() == download["X-Content-SHA256"]
    assert download["X-Content-SHA256"] == decision.package_sha256
    package = json.loads(body)
    assert package["attachments"] == [
        {
            "name": "照片.jpg",
            "kind": "jpg",
            "size": 5,
            "sha256": photo.sha256,
            "uploaded_at": package["attachments"][0]["uploaded_at"],
        }
    ]
    assert all(len(e["hash"]) == 64 for e in package["record"])

    transfer_id = decided.json()["transfer_id"]
    ack = _post(
        police, f"/transfers/{transfer_id}/accept", {"receipt_reference": "保公受〔2026〕1号"}
    )
    assert ack.status_code == 200 and ack.json()["kind"] == "criminal"
    assert officer.get(f"{API}/referrals/{case.pk}").json()["blocks_close"] is None
    # A unit with no part in the case sees nothing.
    assert login(third_officer(world)).get(f"{API}/referrals/{case.pk}/package").status_code == 404
