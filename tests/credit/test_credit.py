"""Credit records from published penalties, their periods, the public query and the
joint-punishment check (service, API with tokens and rate limits, pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from ipshield.accounts import services as account_services
from ipshield.audit.models import AuditEvent, Verb
from ipshield.cases import services as case_services
from ipshield.common.errors import InvalidInput
from ipshield.credit import services
from ipshield.credit.models import (
    CreditCheck,
    CreditRecord,
    JointMeasure,
    MeasureTrigger,
    RecordStatus,
)
from ipshield.publication import services as publication_services
from ipshield.registry import services as registry_services
from tests.publication.factories import decided, person
from tests.registry.factories import valid_uscc


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def company(world, name: str = "保德县红枣商贸有限公司"):
    return registry_services.entity_create(
        actor=world.officer, name=name, uscc=valid_uscc(), legal_representative="王五"
    )


def _published(world, infringer, **kw):
    case = decided(world, infringer=infringer, **kw)
    return case_services.case_publish(
        actor=world.officer, case=case, decision_number="保市监罚〔2026〕1号"
    )


def test_publishing_a_penalty_creates_its_public_credit_record(world):
    firm = company(world)
    case = _published(world, firm)
    record = CreditRecord.objects.get(case=case)
    publication = case.publications.get()
    assert (record.entity, record.subject_uscc, record.status) == (
        firm,
        firm.uscc,
        RecordStatus.PUBLIC,
    )
    assert record.public_until == publication.period_ends_on
    # The number the decision was given (a number typed at publication does not replace it).
    assert record.document_number == case.decision_number and record.unit == world.market
    assert case.decision_number == f"县市场局处罚〔{case.decided_at.year}〕1号"
    assert AuditEvent.objects.filter(verb=Verb.CREDIT_RECORD_CREATED, target_id=str(record.pk))


def test_a_persons_record_carries_the_masked_name(world):
    case = _published(world, person(world, "张三丰"), amount="1000")
    record = CreditRecord.objects.get(case=case)
    assert record.subject_is_person and "张三丰" not in record.subject_name


def test_withdrawing_the_publication_removes_the_record(world):
    case = _published(world, company(world))
    publication_services.publication_withdraw(
        actor=world.officer,
        publication=case.publications.get(),
        reason="复议撤销",
        revoked_on=dt.date.today(),
    )
    record = CreditRecord.objects.get(case=case)
    assert record.status == RecordStatus.REMOVED
    assert AuditEvent.objects.filter(verb=Verb.CREDIT_RECORD_REMOVED).count() == 1


def test_records_are_hidden_the_day_after_their_period_and_recorded(world):
    record = CreditRecord.objects.get(case=_published(world, company(world)))
    last_day = record.public_until
    assert services.records_hide_expired(today=last_day) == 0
    assert services.records_hide_expired(today=last_day + dt.timedelta(days=1)) == 1
    record.refresh_from_db()
    assert record.status == RecordStatus.HIDDEN and record.hidden_at
    event = AuditEvent.objects.get(verb=Verb.CREDIT_RECORD_HIDDEN)
    assert event.data["public_until"] == last_day.isoformat()
    assert services.records_hide_expired(today=last_day + dt.timedelta(days=2)) == 0


def test_the_check_finds_records_and_measures_and_is_logged(world):
    firm = company(world)
    _published(world, firm)
    result = services.credit_check(
        actor=world.officer_culture, uscc=firm.uscc, purpose="文化产业补贴审核"
    )
    assert result.entity == firm and len(result.records) == 1
    assert result.restricted and not result.repeat_infringer
    assert {m.trigger for m in result.measures} == {MeasureTrigger.PUBLIC_RECORD}
    log = CreditCheck.objects.get(pk=result.check_id)
    assert (log.actor, log.unit, log.purpose, log.records_found) == (
        world.officer_culture,
        world.culture,
        "文化产业补贴审核",
        1,
    )
    clean = services.credit_check(
        actor=world.officer, name="保德县无记录商贸有限公司", purpose="采购"
    )
    assert not clean.restricted and clean.records == []


def test_two_penalties_make_a_repeat_infringer_with_more_measures(world):
    firm = company(world)
    _published(world, firm)
    _published(world, firm)
    result = services.credit_check(actor=world.officer, uscc=firm.uscc, purpose="政府采购资格")
    assert result.repeat_infringer
    assert MeasureTrigger.REPEAT in {m.trigger for m in result.measures}


def test_the_repeat_window_counts_back_whole_years_even_from_a_leap_day(world):
    firm = company(world)
    first, second = (_published(world, firm) for _ in range(2))
    records = CreditRecord.objects.filter(entity=firm)
    leap_day = dt.date(2028, 2, 29)
    records.filter(case=second).update(decided_on=dt.date(2027, 6, 1))
    records.filter(case=first).update(decided_on=dt.date(2023, 2, 28))  # first day of window
    assert services.is_repeat_infringer(records, today=leap_day)
    records.filter(case=first).update(decided_on=dt.date(2023, 2, 27))
    assert not services.is_repeat_infringer(records, today=leap_day)
    records.filter(case=second).update(intentional=True)  # intentional after a prior one
    assert services.is_repeat_infringer(records, today=leap_day)
    records.filter(case=second).update(status=RecordStatus.REMOVED)
    assert not services.is_repeat_infringer(records, today=leap_day)


def test_a_measure_saved_applies_at_once_and_other_changes_within_a_minute(world, monkeypatch):
    firm = company(world)
    _published(world, firm)

    def measure_ids():
        result = services.credit_check(actor=world.officer, uscc=firm.uscc, purpose="补贴")
        return {m.pk for m in result.measures}

    before = measure_ids()
    measure = JointMeasure.objects.get(pk=min(before))
    JointMeasure.objects.filter(pk=measure.pk).update(active=False)  # not through the service
    assert measure_ids() == before  # the process keeps the catalogue it read …
    monkeypatch.setattr(services, "MEASURES_TTL", -1.0)
    assert measure_ids() == before - {measure.pk}  # … until it is a minute old
    monkeypatch.undo()
    measure.refresh_from_db()
    measure.active = True
    services.measure_save(actor=world.admin, measure=measure)
    assert measure_ids() == before  # a change through the service applies at once
    event = AuditEvent.objects.get(verb=Verb.JOINT_MEASURE_SAVED)
    assert event.target_id == str(measure.pk)
    measure.title = " "
    with pytest.raises(InvalidInput) as error:
        services.measure_save(actor=world.admin, measure=measure)
    assert error.value.field == "title"


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"uscc": "91140931MA0L4X2K3A", "purpose": "x"}, "uscc", "校验位"),
        ({"uscc": "123", "purpose": "x"}, "uscc", "18 位"),
        ({"purpose": "x"}, "uscc", "统一社会信用代码或名称"),
        ({"name": "某公司", "purpose": " "}, "purpose", "查询事由"),
    ],
)
def test_check_input_errors_name_the_field(world, kw, field, words):
    with pytest.raises(InvalidInput) as caught:
        services.credit_check(actor=world.officer, **kw)
    assert caught.value.field == field and words in str(caught.value.message)
    assert not CreditCheck.objects.exists()


def _token_client(world, unit):
    _token, secret = account_services.token_issue(actor=world.admin, unit=unit, name="补贴审核系统")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_other_departments_check_through_the_api_with_a_token(world):
    firm = company(world)
    _published(world, firm)
    client = _token_client(world, world.agriculture)
    body = client.get("/api/v1/credit/check", {"uscc": firm.uscc, "purpose": "农机购置补贴"}).json()
    assert body["restricted"] and body["entity_name"] == firm.name
    assert body["records"][0]["subject_uscc"] == firm.uscc and body["measures"]
    log = CreditCheck.objects.get(pk=body["check_id"])
    assert log.unit == world.agriculture and log.channel == "api-token"
    bad = client.get("/api/v1/credit/check", {"uscc": firm.uscc[:-1] + "0", "purpose": "x"})
    if firm.uscc.endswith("0"):
        bad = client.get("/api/v1/credit/check", {"uscc": firm.uscc[:-1] + "1", "purpose": "x"})
    assert bad.status_code == 400 and bad.json()["field"] == "uscc"
    assert "校验位" in bad.json()["message"]
    no_purpose = client.get("/api/v1/credit/check", {"uscc": firm.uscc})
    assert no_purpose.status_code == 422 and no_purpose.json()["field"] == "purpose"


def test_the_check_is_rate_limited_per_caller(world, settings):
    client = _token_client(world, world.agriculture)
    statuses = [
        client.get("/api/v1/credit/check", {"name": "某公司", "purpose": "批量"}).status_code
        for _ in range(61)
    ]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    assert (
        client.get("/api/v1/credit/check", {"name": "x", "purpose": "y"}).json()["code"]
        == "throttled"
    )
    other = _token_client(world, world.culture)
    assert other.get("/api/v1/credit/check", {"name": "某公司", "purpose": "z"}).status_code == 200


def test_the_public_and_other_roles_cannot_use_the_check(world, login):
    assert (
        login(world.public_user)
        .get("/api/v1/credit/check", {"name": "a", "purpose": "b"})
        .status_code
        == 403
    )
    assert Client().get("/api/v1/credit/check", {"name": "a", "purpose": "b"}).status_code == 401


def test_the_public_query_shows_public_records_only(world):
    shown = company(world, "保德县甲商贸有限公司")
    hidden = company(world, "保德县乙商贸有限公司")
    _published(world, shown)
    old = CreditRecord.objects.get(case=_published(world, hidden))
    CreditRecord.objects.filter(pk=old.pk).update(status=RecordStatus.HIDDEN)
    client = Client()
    body = client.get("/api/v1/credit/public", {"q": "保德县"}).json()
    assert [r["subject_name"] for r in body["items"]] == [shown.name]
    by_code = client.get("/api/v1/credit/public", {"q": shown.uscc}).json()
    assert by_code["count"] == 1
    page = client.get("/credit/", {"q": "甲商贸"}).content.decode()
    assert shown.name in page and hidden.name not in page


def test_the_staff_check_page_shows_the_verdict(world, login):
    firm = company(world)
    _published(world, firm)
    client = login(world.officer_culture)
    page = client.post(
        "/credit/check/", {"uscc": firm.uscc, "purpose": "评优评先"}
    ).content.decode()
    assert "有适用的联合惩戒措施" in page and 'data-testid="measure"' in page
    missing = client.post("/credit/check/", {"uscc": firm.uscc, "purpose": ""}).content.decode()
    assert 'data-field="purpose"' in missing


def test_a_repeat_infringer_is_flagged_in_triage_and_raises_the_track(world):
    from ipshield.cases import intake
    from ipshield.cases.models import CaseEvent, Track
    from ipshield.credit import records

    firm = company(world, "保德县屡犯商贸有限公司")
    for number, day in (("1", "2024-03-01"), ("2", "2025-09-01")):
        records.record_enter(
            actor=world.officer,
            source="penalty",
            subject_name=firm.name,
            subject_uscc=firm.uscc,
            issuing_authority="忻州市市场监督管理局",
            document_number=f"忻市监罚〔2025〕{number}号",
            decided_on=day,
            amount="3000",
            penalty_kinds="fine",
        )

    def report(uscc):
        return intake.report_submit(
            actor=None,
            right_kind="trademark",
            title="销售假冒注册商标的红枣",
            description="集市摊位销售假冒红枣。",
            region=world.county,
            anonymous=True,
            infringer_uscc=uscc,
            amount_involved="1000",
        ).case

    case = report(firm.uscc)
    assert case.track == Track.MAJOR
    triaged = CaseEvent.objects.filter(case=case, verb="triaged").get()
    assert any("重复侵权主体" in r for r in triaged.after["reasons"])
    first_time = report(company(world, "保德县初犯商贸有限公司").uscc)
    assert first_time.track == Track.SIMPLE
