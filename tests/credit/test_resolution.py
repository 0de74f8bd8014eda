"""Entity resolution of credit records: linking by code, by name variants, the review queue and
the officers' decisions that are remembered."""

from __future__ import annotations

import pytest

from ipshield.accounts import services as account_services
from ipshield.audit.models import AuditEvent, Verb
from ipshield.common.errors import DomainError, PermissionDenied
from ipshield.credit import records, resolution, services
from ipshield.credit.models import CreditRecord, MatchDecision, MatchState
from ipshield.engines.text import normalize_name
from ipshield.registry.models import Entity
from tests.registry.factories import valid_uscc


def _entity(name: str, **fields) -> Entity:
    return Entity.objects.create(name=name, name_normalized=normalize_name(name), **fields)


@pytest.fixture
def firms(db):
    return {
        "baode": _entity(
            "保德县黄河红枣食品有限公司",
            uscc=valid_uscc(),
            legal_representative="张建国",
            address="山西省忻州市保德县东关镇滨河路12号",
        ),
        "hequ": _entity("河曲县黄河红枣食品有限公司", uscc=valid_uscc()),
        "other": _entity("保德县长城建材有限公司", uscc=valid_uscc()),
    }


def _enter(world, name: str, number: str, **fields) -> CreditRecord:
    return records.record_enter(
        actor=world.officer,
        source="judgment",
        subject_name=name,
        document_number=number,
        decided_on="2026-03-02",
        **fields,
    )


def test_a_variant_name_is_linked_without_asking(world, firms):
    record = _enter(world, "黃河紅棗食品（保德）有限責任公司", "(2026)晋09民初1号")
    assert record.entity == firms["baode"]
    assert record.match_state == MatchState.SAME and record.match_score >= 0.92
    assert not record.candidates.exists()
    assert not resolution.review_queue(actor=world.officer).filter(pk=record.pk).exists()


def test_the_code_links_first_even_under_another_name(world, firms):
    record = _enter(world, "某某公司", "(2026)晋09民初2号", subject_uscc=firms["other"].uscc)
    assert (record.entity, record.match_state) == (firms["other"], MatchState.CODE)


def test_the_legal_representative_settles_a_name_without_county(world, firms):
    record = _enter(world, "黄河红枣食品有限公司", "(2026)晋09民初3号", subject_legal_rep="张建国")
    assert (record.entity, record.match_state) == (firms["baode"], MatchState.SAME)
    assert record.subject_legal_representative == "张建国"


def test_an_uncertain_record_waits_for_an_officer_and_the_decision_is_remembered(world, firms):
    first = _enter(world, "黄河红枣食品有限公司", "(2026)晋09民初4号")
    # Two registered firms fit equally well (no county in the name): nobody is linked.
    assert first.entity is None and first.match_state == MatchState.UNSURE
    candidates = list(first.candidates.all())
    assert {c.entity for c in candidates} == {firms["baode"], firms["hequ"]}
    assert any("需人工确认" in reason for c in candidates for reason in c.reason_texts)
    waiting = _enter(world, "黄河红枣食品有限公司", "(2026)晋09民初5号")
    assert set(resolution.review_queue(actor=world.officer)) == {first, waiting}

    followed = resolution.match_confirm(actor=world.officer, record=first, entity=firms["hequ"])

    first.refresh_from_db()
    waiting.refresh_from_db()
    assert followed == 1
    for record in (first, waiting):
        assert (record.entity, record.match_state) == (firms["hequ"], MatchState.CONFIRMED)
        assert not record.candidates.exists()
    decision = MatchDecision.objects.get()
    assert (decision.entity, decision.same, decision.decided_by) == (
        firms["hequ"],
        True,
        world.officer,
    )
    event = AuditEvent.objects.get(verb=Verb.ENTITY_MATCH_DECIDED)
    assert event.data["entity_id"] == firms["hequ"].pk and event.data["followed"] == 1
    # A later record with the same name (in Traditional characters) is linked at once.
    later = _enter(world, "黃河紅棗食品有限公司", "(2026)晋09民初6号")
    assert (later.entity, later.match_state) == (firms["hequ"], MatchState.CONFIRMED)
    assert not resolution.review_queue(actor=world.officer).exists()


def test_splitting_unlinks_and_is_remembered(world, firms):
    record = _enter(world, "黄河红枣食品有限公司", "(2026)晋09民初7号")
    resolution.match_split(actor=world.officer, record=record, entity=firms["baode"])
    record.refresh_from_db()
    assert record.match_state == MatchState.UNSURE
    assert [c.entity for c in record.candidates.all()] == [firms["hequ"]]
    resolution.match_split(actor=world.officer, record=record, entity=firms["hequ"])
    record.refresh_from_db()
    assert record.entity is None and record.match_state == MatchState.SPLIT
    assert not record.candidates.exists()
    again = _enter(world, "黄河红枣食品有限公司", "(2026)晋09民初8号")
    assert again.entity is None and again.match_state == MatchState.NEW
    assert MatchDecision.objects.filter(same=False).count() == 2


def test_a_branch_is_proposed_with_its_company_not_linked(world, firms):
    record = _enter(world, "保德县黄河红枣食品有限公司东关分公司", "(2026)晋09民初9号")
    assert record.entity is None and record.match_state == MatchState.UNSURE
    top = record.candidates.first()
    assert top.entity == firms["baode"] and any("分公司" in r for r in top.reason_texts)


def test_an_entity_registered_after_the_index_was_built_is_found(world, firms):
    _enter(world, "保德县长城建材有限公司", "(2026)晋09民初10号")  # builds the index
    late = _entity("保德县晋龙陶瓷有限公司")
    record = _enter(world, "保德縣晉龍陶瓷有限責任公司", "(2026)晋09民初11号")
    assert (record.entity, record.match_state) == (late, MatchState.SAME)
    # A renamed entity is compared under its new name, not the indexed one.
    firms["other"].name = "保德县长城水泥有限公司"
    firms["other"].save()
    renamed = _enter(world, "保德县长城建材有限公司", "(2026)晋09民初12号")
    assert renamed.entity is None


def test_an_unknown_party_is_new(world, firms):
    record = _enter(world, "五寨县云中商贸有限公司", "(2026)晋09民初13号")
    assert record.entity is None and record.match_state == MatchState.NEW


def test_only_the_records_unit_may_decide(world, firms):
    record = _enter(world, "黄河红枣食品有限公司", "(2026)晋09民初14号")
    assert not resolution.review_queue(actor=world.officer_other).exists()
    with pytest.raises(PermissionDenied):
        resolution.match_confirm(actor=world.officer_other, record=record, entity=firms["baode"])
    with pytest.raises(PermissionDenied):
        resolution.match_split(actor=world.public_user, record=record, entity=firms["baode"])
    record.refresh_from_db()
    assert record.entity is None and not MatchDecision.objects.exists()
    assert resolution.review_queue(actor=world.leader).filter(pk=record.pk).exists()


def test_variant_names_make_a_repeat_infringer(world, firms):
    for number, name in [
        ("(2025)1号", "黄河红枣食品（保德）有限公司"),
        ("(2026)2号", "保德县黄河红枣食品有限责任公司"),
    ]:
        records.record_enter(
            actor=world.officer,
            source="penalty",
            subject_name=name,
            document_number=number,
            decided_on="2026-01-05" if number.startswith("(2026)") else "2025-06-01",
            amount="50000",
            penalty_kinds="fine",
        )
    assert services.repeat_infringer(entity=firms["baode"])
    assert not services.repeat_infringer(entity=firms["hequ"])


def test_import_links_rows_and_names_the_bad_field(world, firms):
    csv = (
        "信息来源,当事人,法定代表人,住所,作出日期,文书编号\n"
        "法院判决,黄河红枣食品有限公司,张建国,保德县东关镇滨河路12号,2026-02-01,A1\n"
        f"法院判决,黄河红枣食品有限公司,{'张' * 70},,2026-02-01,A2\n"
    ).encode()
    report = records.records_import(actor=world.officer, data=csv, name="r.csv")
    assert report.created == 1
    assert report.errors == [
        {"row": 3, "field": "subject_legal_rep", "message": "法定代表人不能超过 64 个字。"}
    ]
    record = CreditRecord.objects.get(document_number="A1")
    assert (record.entity, record.match_state) == (firms["baode"], MatchState.SAME)


def test_pending_records_are_resolved_in_bulk(world, firms):
    record = _enter(world, "五寨县云中商贸有限公司", "(2026)晋09民初15号")
    CreditRecord.objects.filter(pk=record.pk).update(match_state=MatchState.UNRESOLVED)
    _entity("五寨县云中商贸有限公司")
    seen = []
    counts = resolution.resolve_pending(progress=lambda done, total: seen.append((done, total)))
    assert counts == {MatchState.SAME: 1} and seen == [(1, 1)]


def test_the_review_page_confirms_a_candidate(world, firms, client):
    record = _enter(world, "黄河红枣食品有限公司", "(2026)晋09民初16号")
    client.force_login(world.officer)
    page = client.get("/credit/matches/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "黄河红枣食品有限公司" in text and "需人工确认" in text
    response = client.post(
        f"/credit/matches/{record.pk}/confirm/", {"entity": firms["baode"].pk}, follow=True
    )
    assert response.status_code == 200
    record.refresh_from_db()
    assert (record.entity, record.match_state) == (firms["baode"], MatchState.CONFIRMED)
    # An entity that is not among the candidates cannot be chosen through the page.
    other = _enter(world, "黄河红枣食品有限公司东关分公司", "(2026)晋09民初17号")
    response = client.post(f"/credit/matches/{other.pk}/confirm/", {"entity": firms["other"].pk})
    other.refresh_from_db()
    assert response.status_code == 404 and other.entity is None


def _secret(world, unit) -> str:
    return account_services.token_issue(actor=world.admin, unit=unit, name="主体识别")[1]


def test_the_review_api(world, firms, client):
    record = _enter(world, "黄河红枣食品有限公司", "(2026)晋09民初18号")
    token = _secret(world, world.market)
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/credit/matches", headers=headers).json()
    assert [item["id"] for item in listed["items"]] == [record.pk]
    assert {c["entity_id"] for c in listed["items"][0]["candidates"]} == {
        firms["baode"].pk,
        firms["hequ"].pk,
    }
    bad = client.post(
        f"/api/v1/credit/matches/{record.pk}/split",
        {"entity_id": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422
    done = client.post(
        f"/api/v1/credit/matches/{record.pk}/split",
        {"entity_id": firms["baode"].pk},
        content_type="application/json",
        headers=headers,
    )
    assert done.status_code == 200 and done.json()["match_state"] == "unsure"
    other_token = _secret(world, world.other_market)
    denied = client.post(
        f"/api/v1/credit/matches/{record.pk}/confirm",
        {"entity_id": firms["hequ"].pk},
        content_type="application/json",
        headers={"Authorization": f"Bearer {other_token}"},
    )
    assert denied.status_code in (403, 404)
    record.refresh_from_db()
    assert record.entity is None


def test_a_link_by_code_is_not_reopened_but_an_automatic_one_can_be_corrected(world, firms):
    by_code = _enter(world, "长城建材", "(2026)晋09民初19号", subject_uscc=firms["other"].uscc)
    with pytest.raises(DomainError) as caught:
        resolution.match_split(actor=world.officer, record=by_code, entity=firms["other"])
    assert "统一社会信用代码" in str(caught.value.message)
    automatic = _enter(world, "保德县黄河红枣食品有限责任公司", "(2026)晋09民初20号")
    assert automatic.entity == firms["baode"]
    resolution.match_split(actor=world.officer, record=automatic, entity=firms["baode"])
    automatic.refresh_from_db()
    assert automatic.entity != firms["baode"]


def test_the_command_and_the_daily_task_link_records_of_entities_registered_later(world, firms):
    import io

    from django.core.management import call_command

    from ipshield.credit.tasks import resolve_new_records

    first = _enter(world, "五寨县云中商贸有限公司", "(2026)晋09民初21号")
    second = _enter(world, "神池县宏达商贸有限公司", "(2026)晋09民初22号")
    assert first.match_state == second.match_state == MatchState.NEW
    late = _entity("五寨县云中商贸有限公司")
    assert resolve_new_records.call() == 1
    first.refresh_from_db()
    assert (first.entity, first.match_state) == (late, MatchState.SAME)
    later = _entity("神池县宏达商贸有限责任公司")
    out = io.StringIO()
    call_command("credit_resolve", stdout=out)
    second.refresh_from_db()
    assert second.entity == later
    assert "1/1" in out.getvalue() and "自动关联 1" in out.getvalue()


def test_a_check_by_a_variant_name_finds_the_entitys_records(world, firms):
    _enter(
        world, "保德县黄河红枣食品有限公司", "(2026)晋09民初23号", subject_uscc=firms["baode"].uscc
    )
    result = services.credit_check(
        actor=world.officer_culture, name="黃河紅棗食品（保德）有限責任公司", purpose="评优评先"
    )
    assert result.entity == firms["baode"] and len(result.records) == 1
    nobody = services.credit_check(actor=world.officer_culture, name="某某公司", purpose="评优")
    assert nobody.entity is None and nobody.records == []


def test_a_large_registry_is_indexed_in_the_background_and_records_wait_meanwhile(
    transactional_db, world, firms, monkeypatch
):
    # Transactional: the background thread has its own connection and must see the entities.
    monkeypatch.setattr(resolution, "SYNC_REBUILD_LIMIT", 1)
    record = _enter(world, "黃河紅棗食品（保德）有限責任公司", "(2026)晋09民初30号")
    by_code = _enter(world, "某公司", "(2026)晋09民初31号", subject_uscc=firms["other"].uscc)
    # No index in this process yet and more entities than the limit: the index is built in a
    # background thread; the record waits unlinked, a code still links at once.
    assert record.entity is None and record.match_state == MatchState.UNRESOLVED
    assert (by_code.entity, by_code.match_state) == (firms["other"], MatchState.CODE)
    if resolution._thread is not None:
        resolution._thread.join()  # the index is built: wait for that, however long it takes
    from ipshield.credit.tasks import resolve_new_records

    assert resolve_new_records.call() == 1
    record.refresh_from_db()
    assert (record.entity, record.match_state) == (firms["baode"], MatchState.SAME)


def test_records_with_no_entity_are_tried_again_only_after_entities_change(world, firms):
    from ipshield.credit.tasks import resolve_new_records

    record = _enter(world, "五寨县云中商贸有限公司", "(2026)晋09民初32号")
    assert record.match_state == MatchState.NEW
    before = CreditRecord.objects.get(pk=record.pk).updated_at
    assert resolve_new_records.call() == 0
    assert CreditRecord.objects.get(pk=record.pk).updated_at == before  # not even looked at
    _entity("五寨县云中商贸有限公司")
    assert resolve_new_records.call() == 1
