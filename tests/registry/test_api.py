"""The registry API: consistent error bodies that name the field, in the user's language."""

from __future__ import annotations

from ipshield.engines import uscc
from ipshield.registry.models import Entity, IPRight, RightsHolder
from tests.registry.factories import valid_uscc

HUAWEI = "914403001922038216"


def _post(client, path, body, **extra):
    return client.post(path, body, content_type="application/json", **extra)


def test_create_entity_and_read_it_back(world, login):
    client = login(world.officer)
    response = _post(
        client,
        "/api/v1/entities",
        {"name": "保德縣 紅棗 有限公司", "uscc": HUAWEI, "region_code": "140931"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name_normalized"] == "保德县红枣有限公司" and body["region_code"] == "140931"
    detail = client.get(f"/api/v1/entities/{body['id']}").json()
    assert detail["uscc"] == HUAWEI
    found = client.get("/api/v1/entities", {"search": "保德县红枣"}).json()
    assert [e["id"] for e in found["items"]] == [body["id"]]
    by_code = client.get("/api/v1/entities", {"search": HUAWEI.lower()}).json()
    assert [e["id"] for e in by_code["items"]] == [body["id"]]


def test_wrong_check_digit_error_body(world, login):
    client = login(world.officer)
    wrong = HUAWEI[:17] + "0"
    response = _post(client, "/api/v1/entities", {"name": "某公司", "uscc": wrong})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "uscc_check_digit"
    assert body["field"] == "uscc"
    assert body["details"]["expected_check_digit"] == uscc.check_digit(HUAWEI[:17])
    assert "校验位" in body["message"]
    assert Entity.objects.count() == 0


def test_schema_errors_name_each_field_in_chinese(world, login):
    client = login(world.officer)
    response = _post(client, "/api/v1/entities", {"uscc": valid_uscc(), "kind": "spaceship"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields["name"] == "必填项未填写"
    assert "应为以下之一" in fields["kind"]
    assert "name" in body["message"]


def test_schema_errors_in_english_when_asked(world, login):
    client = login(world.officer)
    response = _post(client, "/api/v1/entities", {}, HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert body["errors"][0]["field"] == "name"
    assert body["errors"][0]["message"] == "This field is required"


def test_malformed_json_is_a_clear_error(world, login):
    client = login(world.officer)
    response = client.post("/api/v1/entities", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["code"] in {"invalid_input", "bad_request"}


def test_unknown_region_code(world, login):
    client = login(world.officer)
    response = _post(client, "/api/v1/entities", {"name": "某公司", "region_code": "999999"})
    assert response.status_code == 400
    assert response.json()["field"] == "region_code"


def test_session_writes_need_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    # Signed in (the login form itself would refuse a post without its CSRF token, leaving an
    # anonymous client, which the API answers 401).
    client.force_login(world.officer)
    response = _post(client, "/api/v1/entities", {"name": "无令牌"})
    assert response.status_code == 403
    assert Entity.objects.count() == 0


def test_rights_holder_registers_a_right_through_the_api(world, login):
    RightsHolder.objects.create(
        name="保德红枣合作社", kind="enterprise", region=world.county, user=world.holder_user
    )
    client = login(world.holder_user)
    response = _post(
        client,
        "/api/v1/rights",
        {
            "kind": "trademark",
            "registration_number": "40000001",
            "title": "保德红",
            "nice_classes": [29, 30],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["verifying_unit_id"] == world.market.pk
    bad = _post(
        client,
        "/api/v1/rights",
        {
            "kind": "trademark",
            "registration_number": "40000002",
            "title": "x",
            "nice_classes": [99],
        },
    )
    # Nice classes are 1–45 in the schema itself (a schema-driven client knows the rule).
    assert bad.status_code == 422 and bad.json()["field"] == "nice_classes.0"
    assert IPRight.objects.count() == 1
    officer = login(world.officer)
    verified = officer.post(f"/api/v1/rights/{body['id']}/verify")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    again = officer.post(f"/api/v1/rights/{body['id']}/verify")
    assert again.status_code == 409 and again.json()["code"] == "right_not_pending"


def test_openapi_schema_lists_the_routes(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/entities", "/api/v1/rights", "/api/v1/me", "/api/v1/units"):
        assert path in schema["paths"]
    assert (
        "BearerAuth" in str(schema["components"]["securitySchemes"])
        or schema["components"]["securitySchemes"]
    )
