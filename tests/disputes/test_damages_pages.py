"""The damages calculator on its public page and the API: a known answer in Chinese and English,
every step with its source, and bad input refused with a coded error naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

URL = "/disputes/damages/"
API = "/api/v1/damages"
KNOWN = {
    "kind": "patent",
    "acted_on": "2022-01-01",
    "basis": "loss",
    "amount": "200000",
    "malicious": "on",
    "serious": "on",
    "expenses": "30000",
}


@pytest.mark.django_db
def test_known_answer_on_the_page_in_chinese(client):
    page = client.get(URL, KNOWN, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert "230000.00 元 — 1030000.00 元" in text
    assert "《专利法》（2020年修正）第七十一条" in text
    assert "故意侵权且情节严重：按基数的 1—5 倍确定" in text
    assert 'data-code="damages.expenses"' in text


@pytest.mark.django_db
def test_known_answer_on_the_page_in_english(client):
    client.cookies["django_language"] = "en"
    text = client.get(URL, KNOWN).content.decode()
    assert "Patent Law (2020 amendment) Article 71" in text
    assert "Intentional and serious infringement: 1 to 5 times the basis" in text
    assert "法" not in text.split('data-testid="damages-result"')[1]


@pytest.mark.django_db
def test_the_empty_page_renders(client):
    assert client.get(URL).status_code == 200
    client.cookies["django_language"] = "en"
    assert "Damages calculator" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_known_answer_through_the_api(client):
    body = {**KNOWN, "malicious": True, "serious": True, "amount": 200000}
    reply = client.post(API, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert reply.status_code == 200, reply.content
    data = reply.json()
    assert (data["low"], data["high"], data["law"]) == ("230000.00", "1030000.00", "patent_2020")
    assert data["multiple"] == [1, 5]
    assert (data["law_name"], data["article"]) == ("Patent Law (2020 amendment)", "Article 71")
    assert [s["code"] for s in data["steps"]] == [
        "damages.law",
        "damages.loss",
        "damages.punitive",
        "damages.expenses",
    ]
    assert data["steps"][0]["params"]["acted_on"] == "2022-01-01"
    assert data["steps"][3]["text"].startswith("Plus the reasonable expenses")
    chinese = client.post(API, body, content_type="application/json").json()
    assert chinese["steps"][1]["text"] == "按权利人的实际损失确定基数 200000.00 元"


@pytest.mark.django_db
def test_statutory_damages_are_never_multiplied(client):
    body = {"kind": "copyright", "acted_on": "2021-06-01", "basis": "statutory"}
    body |= {"malicious": True, "serious": True}
    data = client.post(API, body, content_type="application/json").json()
    assert (data["low"], data["high"]) == ("500.00", "5000000.00")
    assert data["multiple"] is None


def _tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


BAD = [
    ({"acted_on": "tomorrow"}, "acted_on", "damages.date"),
    ({"acted_on": None}, "acted_on", "damages.future"),  # replaced by tomorrow below
    ({"acted_on": ""}, "acted_on", "damages.date_required"),
    ({"acted_on": "2022-02-30"}, "acted_on", "damages.date"),
    ({"acted_on": "2001-01-01"}, "acted_on", "damages.before_coverage"),
    ({"amount": "-5"}, "amount", "damages.amount"),
    ({"amount": "NaN"}, "amount", "damages.amount"),
    ({"amount": "1e400"}, "amount", "damages.amount"),
    ({"amount": "<script>alert(1)</script>"}, "amount", "damages.amount"),
    ({"amount": ""}, "amount", "damages.amount"),
    ({"expenses": "'; DROP TABLE x; --"}, "expenses", "damages.amount"),
    ({"kind": "domain_name"}, "kind", "damages.kind"),
    ({"kind": "<img src=x onerror=alert(1)>"}, "kind", "damages.kind"),
    ({"basis": "vibes"}, "basis", "damages.basis"),
    ({"acted_until": "2021-12-31"}, "acted_until", "damages.date"),
    (
        {"kind": "trade_secret", "basis": "licence", "licence_fee": "1", "licence_multiple": "2"},
        "basis",
        "damages.basis_not_in_law",
    ),
    (
        {"basis": "licence", "licence_fee": "1000", "licence_multiple": "0"},
        "licence_multiple",
        "damages.licence_multiple",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field", "code"), BAD)
def test_bad_input_through_the_api_names_the_field(client, change, field, code):
    body = {**KNOWN, "malicious": True, "serious": True, **change}
    if code == "damages.future":
        body["acted_on"] = _tomorrow()
    reply = client.post(API, body, content_type="application/json")
    assert reply.status_code == 400, reply.content
    error = reply.json()
    assert (error["code"], error["field"]) == (code, field)
    assert "<script>" not in error["message"] and "<img" not in error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field", "code"), BAD)
def test_bad_input_on_the_page_is_shown_next_to_the_field(client, change, field, code):
    query = {**KNOWN, **{k: v for k, v in change.items() if v is not None}}
    if code == "damages.future":
        query["acted_on"] = _tomorrow()
    page = client.get(URL, query)
    assert page.status_code == 200
    text = page.content.decode()
    assert f'data-field="{field}"' in text
    assert 'data-testid="damages-result"' not in text
    assert "<script>alert(1)</script>" not in text


@pytest.mark.django_db
def test_the_api_refuses_wrong_types_with_a_field(client):
    reply = client.post(API, {**KNOWN, "acted_on": 20220101}, content_type="application/json")
    assert reply.status_code in (400, 422)
    assert "acted_on" in reply.content.decode()
