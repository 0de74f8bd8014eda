"""Publication (公示) of penalty decisions: masked data, statutory periods, withdrawal, expiry
and the public search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ipshield.audit.models import AuditEvent
from ipshield.cases.models import DecisionKind
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.publication import selectors, services
from ipshield.publication.events import Verb
from ipshield.publication.models import PenaltyKind, Publication, PublicationStatus
from tests.publication.factories import company, decided, person, publish


def _verbs(target) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk)
        ).values_list("verb", flat=True)
    )


# -- Masking --------------------------------------------------------------------------------------


def test_published_with_masked_personal_data(world):
    case = decided(world, infringer=person(world, "张三"), amount="3000")
    publication = publish(world, case)
    assert publication.infringer_name == "张*"
    assert publication.infringer_is_person and publication.infringer_uscc == ""
    assert "张三" not in publication.summary and "13812345678" not in publication.summary
    assert "当事人张*（身份证号110***********002X，手机138****5678）" in publication.summary
    assert publication.unit == world.market
    assert publication.decided_on == timezone.localdate(case.decided_at)
    assert _verbs(publication) == [Verb.PUBLICATION_CREATED]

    client = Client()
    for url in ("/publications/", f"/publications/{publication.pk}/"):
        page = client.get(url).content.decode()
        assert "张*" in page, url
        for secret in ("张三", "13812345678", "11010519491231002X", "1234567"):
            assert secret not in page, (url, secret)
    api = client.get(f"/api/v1/publications/{publication.pk}").json()
    assert api["infringer_name"] == "张*" and "张三" not in str(api)


def test_individual_business_keeps_its_shop_name_but_not_the_operator(world):
    from ipshield.registry import services as registry_services
    from ipshield.registry.models import EntityKind

    shop = registry_services.entity_create(
        actor=world.officer,
        name="保德县欧阳娜娜红枣店",
        kind=EntityKind.INDIVIDUAL_BUSINESS,
        legal_representative="欧阳娜娜",
    )
    case = decided(world, infringer=shop, summary="经营者欧阳娜娜销售侵权红枣。")
    publication = services.publication_create_for(case=case, actor=world.officer)
    assert publication.infringer_name == "保德县欧阳**红枣店"
    assert publication.summary == "经营者欧阳**销售侵权红枣。"
    assert publication.infringer_is_person  # counts as a natural person for the fine threshold


def test_extra_person_names_are_masked_and_company_names_are_kept(world):
    case = decided(world, infringer=company(world), summary="证人李四证实，该公司销售侵权商品。")
    publication = services.publication_create_for(
        case=case,
        actor=world.officer,
        person_names=["李四"],
        decision_number="保市监处罚〔2026〕12号",
    )
    assert publication.infringer_name == "保德县红枣商贸有限公司"
    assert publication.infringer_uscc == ""  # the factory's company has no code
    assert publication.summary == "证人李*证实，该公司销售侵权商品。"
    assert publication.decision_number == "保市监处罚〔2026〕12号"


def test_only_penalties_with_a_party_are_published(world):
    no_violation = decided(world, kind=DecisionKind.NO_VIOLATION, summary="证据不足")
    with pytest.raises(Conflict) as info:
        services.publication_create_for(case=no_violation, actor=world.officer)
    assert info.value.code == "not_a_penalty"
    nameless = decided(world, infringer_name="")
    with pytest.raises(InvalidInput) as info:
        services.publication_create_for(case=nameless, actor=world.officer)
    assert info.value.field == "infringer_name" and info.value.code == "no_party"
    assert not Publication.objects.exists()
    # The publishing officer may name the party the case did not record.
    publication = services.publication_create_for(
        case=nameless, actor=world.officer, infringer_name="李四"
    )
    assert publication.infringer_name == "李*" and publication.infringer_is_person


def test_a_decision_is_published_once_and_only_by_its_unit(world):
    case = decided(world)
    with pytest.raises(NotFound):
        services.publication_create_for(case=case, actor=world.officer_other)
    services.publication_create_for(case=case, actor=world.officer)
    with pytest.raises(Conflict) as info:
        services.publication_create_for(case=case, actor=world.officer)
    assert info.value.code == "already_published"


# -- Periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("party", "amount", "kinds", "months"),
    [
        ("person", "4999.99", None, 3),  # below 5,000 for a natural person
        ("person", "5000", None, 36),  # 不含本数
        ("company", "49999", None, 3),  # below 50,000 for an organisation
        ("company", "60000", None, 36),
        ("company", "1000", [PenaltyKind.FINE, PenaltyKind.CONFISCATION], 36),
        ("company", "0", [PenaltyKind.CRITICISM], 3),
        ("company", "2000", [PenaltyKind.WARNING, PenaltyKind.FINE], 3),
        ("company", "0", None, 36),  # kinds unknown, no fine: presumably confiscation
    ],
)
def test_publication_period(world, party, amount, kinds, months):
    infringer = person(world) if party == "person" else company(world)
    case = decided(world, infringer=infringer, amount=amount)
    publication = services.publication_create_for(
        case=case, actor=world.officer, penalty_kinds=kinds
    )
    assert publication.period_months == months
    published_on = timezone.localdate(publication.published_at)
    assert publication.period_ends_on == services.add_months(published_on, months)
    assert "第十三条" in publication.period_basis


def test_small_fine_threshold_is_configurable(world, settings):
    settings.IPSHIELD_SMALL_FINE_ORGANISATION_BELOW = 10000
    case = decided(world, infringer=company(world), amount="40000")
    assert services.publication_create_for(case=case, actor=world.officer).period_months == 36


def test_warning_only_is_not_published(world):
    case = decided(world, amount="0")
    with pytest.raises(Conflict) as info:
        services.publication_create_for(
            case=case, actor=world.officer, penalty_kinds=[PenaltyKind.WARNING]
        )
    assert info.value.code == "warning_only_not_published"
    assert info.value.field == "penalty_kinds"
    with pytest.raises(InvalidInput) as info:
        services.publication_create_for(case=case, actor=world.officer, penalty_kinds=["jail"])
    assert info.value.field == "penalty_kinds"


def test_months_end_on_the_corresponding_day_or_the_month_end():
    assert services.add_months(dt.date(2026, 11, 23), 3) == dt.date(2027, 2, 23)
    assert services.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert services.add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)
    assert services.add_months(dt.date(2026, 2, 28), 36) == dt.date(2029, 2, 28)


# -- Withdrawal -----------------------------------------------------------------------------------


def test_withdrawal_deadline_skips_the_national_day_holiday(db):
    # Revoked on Wednesday 2026-09-30: 1-7 October are off, Saturday 10 October is a make-up
    # working day, so the three working days are 8, 9 and 10 October.
    assert services.withdrawal_deadline(dt.date(2026, 9, 30)) == dt.date(2026, 10, 10)
    assert services.withdrawal_deadline(dt.date(2026, 11, 20)) == dt.date(2026, 11, 25)


def test_withdraw_records_who_when_and_whether_late(world):
    case = decided(world)
    publication = services.publication_create_for(case=case, actor=world.officer)
    Publication.objects.filter(pk=publication.pk).update(decided_on=dt.date(2026, 9, 28))
    with pytest.raises(InvalidInput) as info:
        services.publication_withdraw(
            actor=world.officer, publication=publication, reason="", revoked_on=dt.date(2026, 9, 30)
        )
    assert info.value.field == "reason"
    with pytest.raises(InvalidInput) as info:
        services.publication_withdraw(
            actor=world.officer, publication=publication, reason="复议撤销", revoked_on=None
        )
    assert info.value.field == "revoked_on"
    with pytest.raises(InvalidInput) as info:
        services.publication_withdraw(
            actor=world.officer,
            publication=publication,
            reason="复议撤销",
            revoked_on=dt.date(2026, 9, 1),  # before the decision
        )
    assert info.value.field == "revoked_on"
    with pytest.raises(PermissionDenied):
        services.publication_withdraw(
            actor=world.reviewer,
            publication=publication,
            reason="复议撤销",
            revoked_on=dt.date(2026, 9, 30),
        )

    publication = services.publication_withdraw(
        actor=world.leader,
        publication=publication,
        reason="经行政复议，原处罚决定被撤销。",
        revoked_on=dt.date(2026, 9, 30),
    )
    assert publication.status == PublicationStatus.WITHDRAWN
    assert publication.withdrawn_by == world.leader and publication.withdrawn_at is not None
    assert publication.withdrawal_due_on == dt.date(2026, 10, 10)
    assert publication.withdrawn_late == (timezone.localdate() > dt.date(2026, 10, 10))
    assert _verbs(publication)[0] == Verb.PUBLICATION_WITHDRAWN
    assert selectors.publication_public_get(publication_id=publication.pk) is None
    assert Client().get(f"/publications/{publication.pk}/").status_code == 404
    with pytest.raises(Conflict) as info:
        services.publication_withdraw(
            actor=world.leader,
            publication=publication,
            reason="再次",
            revoked_on=dt.date(2026, 9, 30),
        )
    assert info.value.code == "publication_not_current"


def test_withdraw_through_the_staff_page(world, login):
    case = decided(world)
    publication = services.publication_create_for(case=case, actor=world.officer)
    client = login(world.officer)
    url = f"/publications/staff/{publication.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "三个工作日" in page.content.decode()
    response = client.post(url, {"revoked_on": "", "reason": ""})
    assert response.status_code == 200
    assert 'data-field="revoked_on"' in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(url, {"revoked_on": today, "reason": "原决定被法院判决撤销"})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN
    assert publication.withdrawal_due_on == services.withdrawal_deadline(timezone.localdate())
    assert not publication.withdrawn_late
    # Another county's officer does not even see it.
    assert login(world.officer_other).get(url).status_code == 404


# -- Expiry ---------------------------------------------------------------------------------------


def test_expiry_stops_publication_after_the_last_day(world):
    case = decided(world)
    publication = services.publication_create_for(case=case, actor=world.officer)
    last_day = publication.period_ends_on
    assert services.publications_expire_due(today=last_day) == 0  # the last day still counts
    assert services.publications_expire_due(today=last_day + dt.timedelta(days=1)) == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.EXPIRED and publication.expired_at
    assert _verbs(publication)[0] == Verb.PUBLICATION_EXPIRED
    assert services.publications_expire_due(today=last_day + dt.timedelta(days=2)) == 0


def test_an_expired_period_is_hidden_even_before_the_task_runs(world):
    case = decided(world)
    publication = services.publication_create_for(case=case, actor=world.officer)
    assert selectors.publication_public_list().count() == 1
    Publication.objects.filter(pk=publication.pk).update(
        period_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert selectors.publication_public_list().count() == 0


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_expiry_task(world):
    from django.core.management import call_command

    from ipshield.publication.tasks import expire_publications

    case = decided(world)
    publication = services.publication_create_for(case=case, actor=world.officer)
    Publication.objects.filter(pk=publication.pk).update(period_ends_on=dt.date(2020, 1, 1))
    result = expire_publications.enqueue()
    call_command("worker", "--batch")
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.EXPIRED


# -- Search ---------------------------------------------------------------------------------------


def test_search_by_traditional_characters_unit_and_year(world):
    red_dates = decided(world, infringer=company(world, "保德县红枣商贸有限公司"))
    services.publication_create_for(case=red_dates, actor=world.officer)
    other = decided(world, infringer=company(world, "保德县黄河食品有限公司"))
    services.publication_create_for(case=other, actor=world.officer)
    individual = decided(world, infringer=person(world, "张三"))
    services.publication_create_for(case=individual, actor=world.officer)

    def names(**query):
        return [p.infringer_name for p in selectors.publication_public_list(**query)]

    assert names(q="保德縣紅棗") == ["保德县红枣商贸有限公司"]
    assert names(q="ＨＯＮＧ") == []  # nothing matches; no error
    assert names(q="张三") == []  # a masked person cannot be found by full name
    assert names(q="张") == ["张*"]
    assert len(names(unit_id=world.market.pk)) == 3
    assert names(unit_id=world.culture.pk) == []
    this_year = timezone.localdate().year
    assert len(names(year=this_year)) == 3 and names(year=this_year - 1) == []

    page = Client().get("/publications/", {"q": "保德縣紅棗"}).content.decode()
    assert "保德县红枣商贸有限公司" in page and "黄河食品" not in page
    api = Client().get("/api/v1/publications", {"q": "保德縣紅棗"}).json()
    assert [item["infringer_name"] for item in api["items"]] == ["保德县红枣商贸有限公司"]


def test_public_pages_need_no_account_and_staff_pages_do(world, login):
    assert Client().get("/publications/").status_code == 200
    assert Client().get("/publications/typical-cases/").status_code == 200
    assert Client().get("/publications/staff/").status_code == 302  # to sign-in
    assert login(world.public_user).get("/publications/staff/").status_code == 403
    assert login(world.officer).get("/publications/staff/").status_code == 200


def test_api_withdraw_and_openapi(world, login):
    case = decided(world)
    publication = services.publication_create_for(case=case, actor=world.officer)
    client = login(world.officer)
    url = f"/api/v1/publications/{publication.pk}/withdraw"
    response = client.post(url, {"reason": "撤销"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "revoked_on"
    today = timezone.localdate().isoformat()
    response = client.post(
        url, {"reason": "原决定被撤销", "revoked_on": today}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "withdrawn" and body["withdrawal_due_on"]
    response = login(world.officer_other).post(
        url, {"reason": "x", "revoked_on": today}, content_type="application/json"
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/publications" in schema["paths"]
