"""The monitoring API: mark search, protected marks, alerts and their handling, scoped by unit."""

from __future__ import annotations

from django.test import Client

from ipshield.accounts import services as account_services
from ipshield.cases.models import Source
from ipshield.monitoring.models import AlertStatus
from ipshield.registry.models import RightsHolder, RightStatus
from tests.monitoring.factories import (
    AlertFactory,
    ListingFactory,
    ListingImportFactory,
    WatchMarkFactory,
)
from tests.registry.factories import IPRightFactory


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def _alert(world, *, unit=None, mark=None, risk=75):
    unit = unit or world.market
    mark = mark or WatchMarkFactory(name="康师傅", unit=unit, added_by=world.officer)
    listing = ListingFactory(source=ListingImportFactory(unit=unit), title="康帅傅 方便面")
    return AlertFactory(listing=listing, mark=mark, risk=risk)


def test_mark_search_ranks_confusing_marks_with_reasons(world, login):
    for name in ["康师傅", "雪碧", "奥利奥", "五粮液"]:
        WatchMarkFactory(name=name, unit=world.market, added_by=world.officer, nice_classes=[30])
    client = login(world.officer)
    hits = client.get("/api/v1/marks/search", {"q": "康帅傅"}).json()
    assert hits[0]["name"] == "康师傅" and 0 < hits[0]["score"] < 1
    assert any("帅≈师" in reason for reason in hits[0]["reasons"])
    bad = client.get("/api/v1/marks/search", {"q": "康帅傅", "classes": "0,99"})
    assert bad.status_code == 400 and bad.json()["field"] == "classes"
    assert login(world.public_user).get("/api/v1/marks/search", {"q": "x"}).status_code == 403


def test_alerts_are_scoped_to_the_unit_and_sorted_by_risk(world, login):
    low = _alert(world, risk=40)
    high = _alert(world, risk=90)
    elsewhere = _alert(world, unit=world.other_market)
    body = login(world.officer).get("/api/v1/alerts").json()
    assert [a["id"] for a in body["items"]] == [high.pk, low.pk]
    assert body["items"][0]["level"] == "high" and body["items"][0]["listing"]["title"]
    assert login(world.officer).get(f"/api/v1/alerts/{elsewhere.pk}").status_code == 404
    assert login(world.auditor).get("/api/v1/alerts").json()["count"] == 3
    filtered = login(world.officer).get("/api/v1/alerts", {"level": "low"}).json()
    assert [a["id"] for a in filtered["items"]] == [low.pk]


def test_a_rights_holder_sees_alerts_on_their_own_marks_only(world, login):
    holder = RightsHolder.objects.create(
        name="晋德食品", kind="enterprise", region=world.county, user=world.holder_user
    )
    right = IPRightFactory(holder=holder, title="晋德枣园", status=RightStatus.VERIFIED)
    client = login(world.holder_user)
    created = _post(client, "/api/v1/protected-marks", {"right_id": right.pk, "price_min": "39"})
    assert created.status_code == 201, created.content
    mark_id = created.json()["id"]
    from ipshield.monitoring.models import ProtectedMark

    mine = _alert(world, mark=ProtectedMark.objects.get(pk=mark_id))
    _alert(world)
    body = client.get("/api/v1/alerts").json()
    assert [a["id"] for a in body["items"]] == [mine.pk]
    # a holder only reads
    refused = _post(client, f"/api/v1/alerts/{mine.pk}/dismiss", {"reason": "x"})
    assert refused.status_code == 403


def test_dismiss_and_bulk_dismiss_name_bad_fields(world, login):
    one, two = _alert(world), _alert(world)
    client = login(world.officer)
    empty = _post(client, f"/api/v1/alerts/{one.pk}/dismiss", {"reason": ""})
    assert empty.status_code == 422 and "reason" in str(empty.json())
    done = _post(client, f"/api/v1/alerts/{one.pk}/dismiss", {"reason": "正品"})
    assert done.status_code == 200 and done.json()["status"] == AlertStatus.DISMISSED
    again = _post(
        client, "/api/v1/alerts/bulk-dismiss", {"alert_ids": [one.pk, two.pk], "reason": "x"}
    )
    assert again.status_code == 409 and again.json()["code"] == "alert_not_open"
    two.refresh_from_db()
    assert two.status == AlertStatus.OPEN
    bulk = _post(client, "/api/v1/alerts/bulk-dismiss", {"alert_ids": [two.pk], "reason": "正品"})
    assert bulk.json() == {"dismissed": 1}


def test_a_unit_token_turns_an_alert_into_a_lead(world):
    alert = _alert(world)
    _token, secret = account_services.token_issue(
        actor=world.admin, unit=world.market, name="网络监测系统"
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    answer = _post(client, f"/api/v1/alerts/{alert.pk}/lead", {"capture": False})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == AlertStatus.LEAD and body["case_number"]
    case = client.get("/api/v1/cases", {"q": body["case_number"]}).json()["items"][0]
    assert case["source"] == Source.MONITORING


def test_watch_list_through_the_api(world, login):
    client = login(world.officer)
    ok = _post(client, "/api/v1/watch-list", {"name": "雪碧", "nice_classes": [32]})
    assert ok.status_code == 201 and ok.json()["unit"] == world.market.name
    bad = _post(client, "/api/v1/watch-list", {"name": "®"})
    assert bad.status_code == 400 and bad.json()["field"] == "name"
    listed = client.get("/api/v1/protected-marks").json()
    assert [m["name"] for m in listed["items"]] == ["雪碧"]
    stop = _post(client, f"/api/v1/protected-marks/{ok.json()['id']}/stop")
    assert stop.status_code == 200 and stop.json()["active"] is False
