"""Errors anyone can trigger answer 4xx with the JSON error body, never a 500 or an HTML page:
bounded numbers, refused and removed characters, null amounts, non-object bodies, one error
body and an OpenAPI document that states the rules; and the case record hides reporters."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from ipshield.accounts import services as account_services
from ipshield.cases.models import Case
from ipshield.cooperation import services as cooperation_services
from ipshield.cooperation.models import CaseCriminalFacts
from tests.cases.factories import receive
from tests.cases.test_api import complaint, report, verified_right

HUGE = "9223372036854775807"
HUGER = "99999999999999999999"

# Every paginated list of the API, with the query the issue names for it.
LISTS = [
    "/api/v1/publications",
    "/api/v1/typical-cases",
    "/api/v1/evidence",
    "/api/v1/alerts",
    "/api/v1/rights",
    "/api/v1/protected-marks",
    "/api/v1/credit/matches",
    "/api/v1/assistance-requests",
    "/api/v1/transfers",
    "/api/v1/joint-operations",
    "/api/v1/cases",
    "/api/v1/entities",
    "/api/v1/units",
    "/api/v1/people",
    "/api/v1/my/cases",
    "/api/v1/listing-imports",
    "/api/v1/credit/dishonesty-list",
    "/api/v1/supervision/plans",
    "/api/v1/supervision/reports",
    "/api/v1/supervision/notices",
    "/api/v1/disputes",
]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    cache.clear()


@pytest.fixture
def token(world):
    _token, secret = account_services.token_issue(
        actor=world.admin, unit=world.market, name="执法办案系统"
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)


def _json_error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"code", "message", "field"} <= set(body), body
    if field is not None:
        assert body["field"] == field, body
    return body


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


# -- Numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,field",
    [
        ("/api/v1/publications?year=-4408", "year"),
        ("/api/v1/publications?year=999999", "year"),
        ("/api/v1/file-reviews/by-unit?year=-4203", "year"),
        (f"/api/v1/publications?unit_id={HUGER}", "unit_id"),
        (f"/api/v1/alerts?mark_id={HUGER}", "mark_id"),
        (f"/api/v1/assistance-requests?case_id={HUGER}", "case_id"),
        (f"/api/v1/transfers?case_id={HUGER}", "case_id"),
        (f"/api/v1/cases/{HUGER}", "case_id"),
        (f"/api/v1/disputes/{HUGER}", "dispute_id"),
        (f"/api/v1/publications?page_size={HUGE}", "page_size"),
        ("/api/v1/marks/search?q=a&k=99999999999999999999", "k"),
    ],
)
def test_out_of_range_numbers_are_refused_by_name(world, token, path, field):
    body = _json_error(token.get(path), 422, field)
    assert body["code"] == "invalid_input"


@pytest.mark.parametrize(
    "path,field",
    [
        ("/api/v1/publications?q=" + "红" * 201, "q"),
        ("/api/v1/entities?search=" + "a" * 201, "search"),
        ("/api/v1/alerts?platform=" + "a" * 201, "platform"),
        ("/api/v1/credit/public?q=a", "q"),
    ],
)
def test_search_text_is_bounded_in_the_schema(world, token, path, field):
    _json_error(token.get(path), 422, field)
    schema = Client().get("/api/v1/openapi.json").json()
    route = path.split("?")[0].removeprefix("/api/v1")
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"][f"/api/v1{route}"]["get"]["parameters"]
    }
    assert parameters[field]["maxLength"] == 200


@pytest.mark.parametrize("path", LISTS)
def test_every_list_bounds_its_page(world, token, path):
    _json_error(token.get(f"{path}?page={HUGE}"), 422, "page")
    assert token.get(f"{path}?page=2").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "year=999999",
        "year=-4408",
        f"unit={HUGER}",
        f"unit={HUGE}",
        f"page={HUGE}",
        "unit=abc&year=x",
    ],
)
def test_the_publication_page_ignores_numbers_out_of_range(db, query):
    response = Client(raise_request_exception=False).get(f"/publications/?{query}")
    assert response.status_code == 200


def test_staff_pages_ignore_numbers_out_of_range(world, login):
    officer = login(world.officer)
    officer.raise_request_exception = False
    assert officer.get(f"/monitoring/?mark={HUGER}&q=a%00b").status_code == 200


# -- Text -------------------------------------------------------------------------------------


def test_nul_in_the_public_credit_search(db):
    client = Client(raise_request_exception=False)
    body = _json_error(client.get("/api/v1/credit/public?q=ab%00cd"), 422, "q")
    assert "控制字符" in body["message"]
    page = client.get("/credit/?q=ab%00cd")
    assert page.status_code == 200
    assert client.get("/credit/?q=%E4%BF%9D%00%E5%BE%B7%E5%8E%BF").status_code == 200


def test_full_text_phrases_carry_no_control_characters_and_escape_quotes():
    from ipshield.common.fulltext import fts_phrase

    assert fts_phrase('晋北"干果" OR x*') == '"晋北""干果"" OR x*"'
    assert fts_phrase("ab\x00cd\x1f") == '"abcd"'
    assert fts_phrase("\u202e保德\u200b") == '"保德"'


def test_search_with_quotes_and_operators_finds_nothing_instead_of_failing(db):
    client = Client(raise_request_exception=False)
    for q in ['""', 'a" OR "b', "NEAR(a b)", "a*", "保德\"红枣'"]:
        response = client.get("/api/v1/credit/public", {"q": q})
        assert response.status_code == 200, (q, response.content[:200])
        assert client.get("/credit/", {"q": q}).status_code == 200


@pytest.mark.parametrize(
    "title,problem",
    [("保德\x00红枣", "控制字符"), ("保德\x07红枣", "控制字符"), ("\u202e枣红德保", "方向")],
)
def test_refused_characters_in_a_body_name_the_field_and_store_nothing(world, title, problem):
    response = _post(Client(), "/api/v1/reports", report(title=title))
    body = _json_error(response, 422, "title")
    assert problem in body["message"]
    assert not Case.objects.exists()


def test_zero_width_only_title_is_blank_like_an_empty_one(world):
    blank = _json_error(_post(Client(), "/api/v1/reports", report(title="")), 400, "title")
    invisible = _post(Client(), "/api/v1/reports", report(title="\u200b\u200d\ufeff"))
    assert _json_error(invisible, 400, "title")["code"] == blank["code"]
    stored = _post(Client(), "/api/v1/reports", report(title="保德\u200b红枣"))
    assert stored.status_code == 201, stored.content
    assert Case.objects.get().title == "保德红枣"


def test_refused_characters_deep_in_a_body_name_their_path(world, login):
    response = _post(
        login(world.officer),
        "/api/v1/verify",
        {"sha256": "0" * 64, "receipt": {"leaf": {"name": "a\x00b"}}},
    )
    _json_error(response, 422, "receipt.leaf.name")


def test_an_exchange_file_follows_the_text_rule(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ipshield.credit.models import CreditRecord
    from tests.credit.test_exchange import _elsewhere
    from tests.registry.factories import valid_uscc

    payload = _elsewhere(valid_uscc())
    payload["records"][0]["subject_name"] = "河曲县\u202e某商贸有限公司"
    upload = SimpleUploadedFile("x.json", json.dumps(payload).encode(), "application/json")
    response = login(world.officer).post("/api/v1/credit/exchange", {"file": upload})
    body = _json_error(response, 400, "file")
    assert "records.0.subject_name" in body["message"]
    assert not CreditRecord.objects.exists()


def test_pages_drop_refused_and_invisible_characters_from_forms(world, client):
    response = client.post(
        "/reports/new/",
        {
            "right_kind": "trademark",
            "title": "\u200b\u200b",
            "description": "周日东关集市，仿冒包装。",
            "region": world.county.pk,
            "anonymous": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the title refused as blank
    assert "title" in response.context["form"].errors
    assert not Case.objects.exists()
    response = client.post(
        "/reports/new/",
        {
            "right_kind": "trademark",
            "title": "保德\u202e红枣\x00\x07",
            "description": "周日东关\u200b集市。",
            "region": world.county.pk,
            "anonymous": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get()
    assert (case.title, case.description) == ("保德红枣", "周日东关集市。")


# -- Bodies -----------------------------------------------------------------------------------


def test_a_null_amount_is_no_amount(world, login):
    response = _post(Client(), "/api/v1/reports", report(amount_involved=None))
    assert response.status_code == 201, response.content
    right = verified_right(world)
    holder = login(world.holder_user)
    response = _post(holder, "/api/v1/complaints", complaint(right, amount_involved=None))
    assert response.status_code == 201, response.content
    assert list(Case.objects.values_list("amount_involved", flat=True)) == [None, None]


@pytest.mark.parametrize("raw", ["123", '"P"', "false", "[]", "null", "[{}]"])
def test_a_body_must_be_a_json_object(world, token, raw):
    case = receive(world)
    cooperation_services.criminal_facts_set(
        actor=world.officer,
        case=case,
        illegal_business_volume=80000,
        illegal_gains=None,
        marks_count=2,
        mark_use="goods",
        prior_punishment=False,
        note="仓库清点",
    )
    facts = token.put(f"/api/v1/referrals/{case.pk}/facts", raw, content_type="application/json")
    assert _json_error(facts, 400, "body")["code"] == "bad_request"
    kept = CaseCriminalFacts.objects.get(case=case)
    assert (kept.illegal_business_volume, kept.marks_count, kept.note) == (80000, 2, "仓库清点")
    accept = token.post(
        f"/api/v1/cases/{case.pk}/actions/accept", raw, content_type="application/json"
    )
    _json_error(accept, 400, "body")
    case.refresh_from_db()
    assert case.status == "received"


def test_invalid_json_is_a_bad_request(world, token):
    case = receive(world)
    response = token.post(
        f"/api/v1/cases/{case.pk}/actions/accept", "{", content_type="application/json"
    )
    assert _json_error(response, 400)["code"] == "bad_request"


# -- One error body ---------------------------------------------------------------------------


def test_anonymous_writes_are_unauthenticated(world):
    # A real client: Django's test client would skip the CSRF check that answered 403 here.
    anonymous = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for path in ["/api/v1/entities", "/api/v1/complaints", "/api/v1/transfers", "/api/v1/rights"]:
        body = _json_error(_post(anonymous, path, {}), 401)
        assert body["code"] == "unauthenticated" and body["field"] is None


def test_a_method_a_route_does_not_take_answers_the_error_body(world, token):
    response = token.delete("/api/v1/cases")
    body = _json_error(response, 405)
    assert body["code"] == "method_not_allowed" and "GET" in response["Allow"]


def test_an_unexpected_exception_answers_the_error_body(world, token, monkeypatch):
    from ipshield.publication import selectors

    def broken(**kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setattr(selectors, "publication_public_list", broken)
    body = _json_error(Client(raise_request_exception=False).get("/api/v1/publications"), 500)
    assert body == {"code": "server_error", "message": "系统出错，请稍后重试。", "field": None}


def test_openapi_states_errors_and_rules(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"code", "message", "field"}
    operations = [op for methods in schema["paths"].values() for op in methods.values()]
    for operation in operations:
        assert {"400", "401", "403", "404", "409", "422"} <= set(map(str, operation["responses"]))
    report_in = schema["components"]["schemas"]["ReportIn"]["properties"]
    assert "pattern" in report_in["title"]
    right_in = schema["components"]["schemas"]["RightIn"]["properties"]
    assert right_in["nice_classes"]["items"]["maximum"] == 45


def _integers(node, path=""):
    """(path, schema) of every integer in a JSON schema fragment."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            yield path, node
        for key, value in node.items():
            yield from _integers(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _integers(value, f"{path}/{i}")


def test_every_integer_the_api_accepts_is_bounded(db):
    """The mechanism, checked for every route: no integer input without a maximum."""
    schema = Client().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    inputs = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                inputs.append((f"{method} {path} {parameter['name']}", parameter["schema"]))
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media["schema"].get("$ref", "")
                body = components[ref.rsplit("/", 1)[-1]] if ref else media["schema"]
                inputs.append((f"{method} {path} body", body))
    unbounded = [
        f"{where}{path}"
        for where, fragment in inputs
        for path, integer in _integers(fragment)
        if "maximum" not in integer
    ]
    assert unbounded == []


# -- Reporters stay hidden --------------------------------------------------------------------


def test_the_case_record_hides_a_signed_in_reporter(world, login, token):
    reporter = login(world.public_user)
    response = _post(
        reporter,
        "/api/v1/reports",
        report(anonymous=False, reporter_name="李四", reporter_phone="13800000000"),
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["number"])
    detail = token.get(f"/api/v1/cases/{case.pk}").json()
    actor_ids = {entry["actor_id"] for entry in detail["record"]}
    assert world.public_user.pk not in actor_ids
    accepted = _post(token, f"/api/v1/cases/{case.pk}/actions/accept", {})
    assert accepted.status_code == 200, accepted.content
    record = accepted.json()["record"]
    assert world.public_user.pk not in {entry["actor_id"] for entry in record}
    assert record[-1]["actor_id"] is not None  # staff steps keep their actor
