"""The disputes API: list (paginated, scoped), detail with the record and the caller's actions,
apply, and every step through ``POST /disputes/{id}/actions/{action}``; refusals are
``{code, message, field}``."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ipshield.disputes import errors, services
from ipshield.disputes.models import Conflict, Dispute
from ipshield.disputes.workflow import Status
from tests.accounts.factories import make_person
from tests.disputes.conftest import apply


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def _error(response, status, code=None, field=None) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert {"code", "message", "field"} <= set(body), body
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert body["field"] == field, body
    return body


APPLICATION = {
    "right_kind": "trademark",
    "title": "“晋保”商标侵权纠纷",
    "facts": "被申请人销售假冒商品。",
    "claims": [{"text": "停止侵权"}, {"text": "赔偿损失", "amount": "50000"}],
    "respondents": [{"name": "保德县某商贸有限公司", "phone": "13900000002"}],
}


def test_apply_then_each_step_through_the_action_route(bodies, world):
    applicant = _client(bodies.applicant)
    response = _post(
        applicant, "/api/v1/disputes", {**APPLICATION, "organisation_id": bodies.committee.pk}
    )
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    dispute_id = body["id"]
    assert body["status"] == "applied" and body["link"] == f"/disputes/{dispute_id}/"
    assert body["claims"][1] == {"text": "赔偿损失", "amount": "50000.00"}
    assert body["sides"] == ["applicant", "party"]
    assert "withdraw" in body["actions"]
    assert [e["verb"] for e in body["events"]] == ["apply"]
    org = _client(world.mediator)
    body = _post(org, f"/api/v1/disputes/{dispute_id}/actions/accept").json()
    assert body["status"] == "accepted"
    assert body["deadlines"][0]["key"] == "mediation" and body["deadlines"][0]["source"]
    respondent = _client(bodies.respondent)
    assert "consent" in respondent.get(f"/api/v1/disputes/{dispute_id}").json()["actions"]
    body = _post(respondent, f"/api/v1/disputes/{dispute_id}/actions/consent").json()
    assert body["status"] == "consented"
    body = _post(
        org, f"/api/v1/disputes/{dispute_id}/actions/assign", {"mediator": bodies.mediator.pk}
    ).json()
    assert body["status"] == "mediating" and body["mediator_id"] == bodies.mediator.pk
    body = _post(
        org,
        f"/api/v1/disputes/{dispute_id}/actions/refer_arbitration",
        {"commission": bodies.commission.pk, "clause": "合同第十条"},
    ).json()
    assert body["status"] == "arbitration"
    assert body["record_check"]["chain_ok"] is True
    assert len(body["events"]) == 5


def test_list_is_scoped_and_paginated(bodies, world):
    dispute = apply(bodies, world)
    assert _client(bodies.applicant).get("/api/v1/disputes").json()["count"] == 1
    assert _client(world.mediator).get("/api/v1/disputes?status=applied").json()["count"] == 1
    assert _client(world.mediator).get("/api/v1/disputes?inbox=accept").json()["count"] == 1
    assert _client(world.mediator).get("/api/v1/disputes?inbox=assign").json()["count"] == 0
    stranger = _client(make_person("public", username="stranger"))
    assert stranger.get("/api/v1/disputes").json()["count"] == 0
    _error(stranger.get(f"/api/v1/disputes/{dispute.pk}"), 404, "not_found")
    _error(_client(world.officer_other).get(f"/api/v1/disputes/{dispute.pk}"), 404)
    _error(_client(world.mediator).get("/api/v1/disputes?inbox=evil"), 422, field="inbox")


def test_actions_refuse_with_coded_errors_naming_the_field(bodies, world):
    dispute = apply(bodies, world)
    base = f"/api/v1/disputes/{dispute.pk}/actions"
    applicant, org = _client(bodies.applicant), _client(world.mediator)
    # a party acting for the organisation, or answering for the respondent
    _error(_post(applicant, f"{base}/accept"), 403, errors.NOT_YOURS)
    # another person's dispute is not there at all
    stranger = _client(make_person("public", username="stranger"))
    _error(_post(stranger, f"{base}/withdraw"), 404, "not_found")
    # an unknown action; one the pages take elsewhere (agree: by the signatures)
    _error(_post(org, f"{base}/explode"), 422, field="action")
    _error(_post(org, f"{base}/agree"), 404, errors.NOT_ALLOWED, "action")
    # the status does not allow it yet
    _error(_post(org, f"{base}/assign", {"mediator": bodies.mediator.pk}), 409, errors.NOT_ALLOWED)
    # the reason of a refusal is required
    _error(_post(org, f"{base}/decline", {"reason": ""}), 400, errors.FIELD_REQUIRED, "reason")
    _post(org, f"{base}/accept")
    _error(_post(applicant, f"{base}/consent"), 403, errors.NOT_YOURS, "party_id")
    _post(_client(bodies.respondent), f"{base}/consent")
    Conflict.objects.create(mediator=bodies.mediator2, name="保德县某商贸有限公司", reason="亲属")
    _error(
        _post(org, f"{base}/assign", {"mediator": bodies.mediator2.pk}),
        400,
        errors.MEDIATOR_CONFLICT,
        "mediator",
    )
    _error(_post(org, f"{base}/assign", {"mediator": 99999}), 400, errors.FIELD_INVALID, "mediator")
    _error(_post(org, f"{base}/assign", {"mediator": "x"}), 422, field="mediator")
    _error(_post(org, f"{base}/assign"), 400, errors.FIELD_INVALID, "mediator")
    services.dispute_assign(actor=world.mediator, dispute=dispute, mediator=bodies.mediator)
    _error(
        _post(org, f"{base}/extend", {"until": "2099-01-01"}),
        400,
        errors.FIELD_REQUIRED,
        "parties_agree",
    )
    _error(_post(org, f"{base}/extend", {"until": "not a day"}), 422, field="until")
    _error(
        _post(org, f"{base}/refer_arbitration", {"commission": bodies.committee.pk, "clause": "x"}),
        400,
        errors.FIELD_INVALID,
        "commission",
    )
    dispute.refresh_from_db()
    assert dispute.status == Status.MEDIATING


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"organisation_id": 99999}, 400, "organisation_id"),
        ({"title": ""}, 400, "title"),
        ({"claims": []}, 400, "claims"),
        ({"claims": [{"text": "赔偿", "amount": "abc"}]}, 400, "claims.0.amount"),
        ({"respondents": []}, 400, "respondents.0.name"),
        ({"right_kind": "x"}, 400, "right_kind"),
        ({"region_code": "000000"}, 400, "region_code"),
        ({"attachment_ids": [123456]}, 400, "attachment_ids"),
        ({"title": "x" * 201}, 422, "title"),
    ],
)
def test_apply_refuses_bad_input_by_field(bodies, world, change, status, field):
    body = {**APPLICATION, "organisation_id": bodies.committee.pk, **change}
    _error(_post(_client(bodies.applicant), "/api/v1/disputes", body), status, field=field)
    assert not Dispute.objects.exists()


def test_anonymous_callers_are_refused(bodies, world):
    dispute = apply(bodies, world)
    assert Client().get("/api/v1/disputes").status_code == 401
    assert _post(Client(), f"/api/v1/disputes/{dispute.pk}/actions/withdraw").status_code == 401
