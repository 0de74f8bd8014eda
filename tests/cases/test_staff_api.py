"""The staff case API: the same scoping, ordering and actions as the workbench."""

from __future__ import annotations

import datetime as dt

from ipshield.accounts import services as account_services
from ipshield.cases.models import Case, CaseDeadline
from tests.cases.factories import receive


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def test_list_is_scoped_and_sorted_by_deadline(world, login):
    late = receive(world)
    soon = receive(world)
    none = receive(world)
    elsewhere = receive(world, unit=world.other_market)
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2026, 12, 20))
    Case.objects.filter(pk=soon.pk).update(deadline=dt.date(2026, 12, 1))
    client = login(world.officer)
    body = client.get("/api/v1/cases").json()
    assert [c["id"] for c in body["items"]] == [soon.pk, late.pk, none.pk]
    assert elsewhere.pk not in {c["id"] for c in body["items"]}
    assert client.get(f"/api/v1/cases/{elsewhere.pk}").status_code == 404


def test_actions_through_the_api_with_a_token(world):
    from django.test import Client

    case = receive(world)
    _token, secret = account_services.token_issue(
        actor=world.admin, unit=world.market, name="执法办案系统"
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    detail = client.get(f"/api/v1/cases/{case.pk}").json()
    assert set(detail["allowed_actions"]) == {"accept", "reject", "request_information"}
    accepted = _post(client, f"/api/v1/cases/{case.pk}/actions/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    transitions = [e for e in accepted.json()["record"] if e["verb"] == "transition"]
    assert transitions[-1]["after"]["status"] == "accepted"
    wrong = _post(client, f"/api/v1/cases/{case.pk}/actions/publish")
    assert wrong.status_code == 409 and wrong.json()["code"] == "illegal_transition"
    no_reason = _post(client, f"/api/v1/cases/{case.pk}/actions/suspend")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    suspend = _post(client, f"/api/v1/cases/{case.pk}/actions/suspend", {"reason": "外出取证"})
    assert suspend.status_code == 403  # a token acting as a case officer is not a unit leader


def test_reject_without_reason_names_the_field(world, login):
    case = receive(world)
    response = _post(login(world.officer), f"/api/v1/cases/{case.pk}/actions/reject")
    assert response.status_code == 400 and response.json()["field"] == "reason"
    case.refresh_from_db()
    assert case.status == "received"


def test_reveal_is_not_offered_to_other_systems(world, login):
    case = receive(world)
    response = _post(login(world.officer), f"/api/v1/cases/{case.pk}/actions/reveal_identity")
    assert response.status_code == 404


def test_overdue_filter(world, login):
    case = receive(world)
    services_case = receive(world)
    CaseDeadline.objects.create(
        case=case,
        key="x",
        label="期限",
        legal_source="-",
        starts_on=dt.date(2026, 1, 1),
        due_on=dt.date(2026, 1, 10),
    )
    Case.objects.filter(pk=case.pk).update(deadline=dt.date(2026, 1, 10))
    body = login(world.officer).get("/api/v1/cases", {"due": "overdue"}).json()
    assert [c["id"] for c in body["items"]] == [case.pk]
    assert services_case.pk not in [c["id"] for c in body["items"]]


def test_auditor_reads_but_gets_no_actions(world, login):
    case = receive(world)
    client = login(world.auditor)
    assert client.get(f"/api/v1/cases/{case.pk}").json()["allowed_actions"] == []
    assert _post(client, f"/api/v1/cases/{case.pk}/actions/accept").status_code == 403
