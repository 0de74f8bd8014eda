"""The audit-log page, its CSV export and ``GET /api/v1/audit-events``: auditors and
administrators only, filtered, each event linked to its object, and every read recorded."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from ipshield.accounts import services as account_services
from ipshield.audit import events
from ipshield.audit.models import AuditEvent, Verb
from tests.cases.factories import receive
from tests.registry.factories import EntityFactory


@pytest.fixture
def trail(world, monkeypatch):
    """Events of two units on two days: one naming a case, one an entity, one a token."""
    case = receive(world)
    day_one = timezone.make_aware(dt.datetime(2026, 11, 2, 23, 30))  # Beijing time
    day_two = timezone.make_aware(dt.datetime(2026, 11, 3, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: day_one)
    shared = events.record_shared(
        actor=world.officer, target=case, unit=world.culture, reason='=HYPERLINK("x")'
    )
    monkeypatch.setattr(timezone, "now", lambda: day_two)
    entity = EntityFactory(name="哈尔滨某商贸有限公司")
    created = events.entity_created(actor=world.officer_other, entity=entity)
    monkeypatch.undo()
    token, _secret = account_services.token_issue(
        actor=world.admin, unit=world.market, name="执法办案系统"
    )
    return {"case": case, "shared": shared, "created": created, "token": token}


def _reads(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=Verb.AUDIT_LOG_READ, actor=user).order_by("id"))


@pytest.mark.parametrize("who", ["officer", "leader", "member", "reviewer", "holder_user"])
def test_only_auditors_and_administrators_read_the_audit_log(world, login, trail, who):
    client = login(getattr(world, who))
    assert client.get("/workbench/audit/").status_code == 403
    assert client.get("/workbench/audit/export.csv").status_code == 403
    response = client.get("/api/v1/audit-events")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not _reads(getattr(world, who))
    assert "/workbench/audit/" not in client.get("/workbench/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(trail):
    response = Client().get("/workbench/audit/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Client().get("/api/v1/audit-events").status_code == 401


@pytest.mark.parametrize("who", ["auditor", "admin"])
def test_the_page_lists_every_units_events_with_links_and_records_the_read(
    world, login, trail, who
):
    client = login(getattr(world, who))
    assert 'href="/workbench/audit/"' in client.get("/workbench/").content.decode()  # the nav
    page = client.get("/workbench/audit/").content.decode()
    assert "共享记录" in page and "登记市场主体" in page and "签发接口令牌" in page
    assert f'href="/workbench/cases/{trail["case"].pk}/"' in page  # the event links its object
    assert "哈尔滨市道里区市场监督管理局" in page  # every unit's events, not the reader's own
    (read,) = _reads(getattr(world, who))
    assert read.data == {"filters": {}, "channel": "web", "page": 1}


def test_filters_by_unit_person_verb_object_and_period(world, login, trail):
    client = login(world.auditor)

    def verbs(**query) -> list[str]:
        response = client.get("/workbench/audit/", query)
        assert response.status_code == 200
        rows = response.context["rows"]
        return sorted(row["event"].verb for row in rows if row["event"].verb != "audit_log.read")

    assert verbs(unit=world.other_market.pk) == ["entity.created"]
    assert verbs(person="officer") == ["record.shared"]  # the user name, exactly
    assert verbs(person="officer_hrb") == ["entity.created"]
    assert verbs(person="r_hrb") == ["entity.created"]  # part of the name 测试officer_hrb
    assert verbs(verb="token.issued") == ["token.issued"]
    assert verbs(target_type="cases.case", target_id=str(trail["case"].pk)) == ["record.shared"]
    assert verbs(since="2026-11-02", until="2026-11-02") == ["record.shared"]  # Beijing days
    assert verbs(since="2026-11-03", until="2026-11-03") == ["entity.created"]
    last = _reads(world.auditor)[-1]
    assert last.data["filters"] == {"since": "2026-11-03", "until": "2026-11-03"}


def test_bad_filters_are_named_not_a_server_error(world, login, trail):
    client = login(world.auditor)
    response = client.get("/workbench/audit/", {"since": "2026-11-05", "until": "2026-11-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["until"] == ["截止日期不能早于起始日期。"]
    response = client.get("/workbench/audit/", {"verb": "case.deleted", "since": "yesterday"})
    assert set(response.context["form"].errors) == {"verb", "since"}
    assert not _reads(world.auditor)  # nothing was read
    assert client.get("/workbench/audit/export.csv", {"since": "x"}).status_code == 400


def test_export_is_a_csv_excel_opens_with_the_filters_applied(world, login, trail):
    client = login(world.admin)
    response = client.get("/workbench/audit/export.csv", {"unit": world.market.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows the Chinese
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "事件", "事件代码"]
    by_verb = {row[2]: row for row in rows[1:]}
    # The market bureau's events only, this export's own read among them (it happened).
    assert set(by_verb) == {"record.shared", "token.issued", "audit_log.read"}
    shared = by_verb["record.shared"]
    assert shared[0] == "2026-11-02T23:30:00+08:00" and shared[5] == "保德县市场监督管理局"
    assert shared[8] == f"http://testserver/workbench/cases/{trail['case'].pk}/"
    assert '"reason": "=HYPERLINK' in shared[9]  # inside JSON: not a formula
    (read,) = _reads(world.admin)
    assert read.data == {"filters": {"unit_id": world.market.pk}, "channel": "export"}


def test_a_formula_in_a_cell_stays_text(world, login):
    from tests.accounts.factories import make_person

    mischief = make_person("case_officer", unit=world.market, display_name="=SUM(A1:A9)")
    events.entity_created(actor=mischief, entity=EntityFactory(name="+86 某公司"))
    client = login(world.auditor)
    body = b"".join(client.get("/workbench/audit/export.csv").streaming_content)
    (row,) = [
        r for r in csv.reader(io.StringIO(body.decode("utf-8-sig"))) if r[2] == "entity.created"
    ]
    assert row[3] == "'=SUM(A1:A9)"  # Excel shows it, does not compute it


def test_api_lists_filters_and_records_the_read(world, login, trail):
    client = login(world.auditor)
    body = client.get("/api/v1/audit-events", {"verb": "record.shared"}).json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["verb"] == "record.shared" and item["verb_label"] == "共享记录"
    assert item["actor_username"] == "officer" and item["unit_name"] == "保德县市场监督管理局"
    assert item["target_type"] == "cases.case"
    assert item["target_url"] == f"/workbench/cases/{trail['case'].pk}/"
    assert item["data"]["unit_id"] == world.culture.pk
    assert _reads(world.auditor)[-1].data == {
        "filters": {"verb": "record.shared"},
        "channel": "api",
        "page": 1,
    }
    body = client.get("/api/v1/audit-events", {"since": "2026-11-03", "until": "2026-11-03"})
    assert [i["verb"] for i in body.json()["items"]] == ["entity.created"]


def test_api_refuses_bad_filters_by_field(world, login, trail):
    client = login(world.auditor)
    response = client.get("/api/v1/audit-events", {"verb": "case.deleted"})
    assert response.status_code == 422
    response = client.get("/api/v1/audit-events", {"since": "2026-11-05", "until": "2026-11-01"})
    assert response.status_code == 400 and response.json()["field"] == "until"


def test_a_token_with_the_auditor_role_reads_through_the_api(world, trail):
    _token, secret = account_services.token_issue(
        actor=world.admin, unit=world.market, name="纪检监察平台", roles=["auditor"]
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get("/api/v1/audit-events", {"verb": "token.issued"})
    assert response.status_code == 200 and response.json()["count"] == 2


def test_verb_labels_are_translated(world, login, trail):
    client = login(world.auditor)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/workbench/audit/").content.decode()
    assert "Audit log" in page and "Share record" in page and "Read the audit log" in page
