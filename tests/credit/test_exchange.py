"""The credit exchange format: export, import from another platform without duplicates, and
another county's list taken into account by the check."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.credit import exchange, services
from ipshield.credit.models import CreditRecord, ExternalListEntry, MeasureTrigger
from ipshield.registry import services as registry_services
from tests.credit.test_listing import _listed, infringer  # noqa: F401 — the fixture
from tests.registry.factories import valid_uscc


def _upload(payload) -> SimpleUploadedFile:
    return SimpleUploadedFile("x.json", json.dumps(payload, ensure_ascii=False).encode())


def test_export_carries_records_and_list_changes(world, infringer, login):  # noqa: F811
    _listed(world, infringer)
    body = login(world.officer).get("/api/v1/credit/exchange").json()
    assert body["format"] == exchange.FORMAT
    assert [r["subject_uscc"] for r in body["records"]] == [infringer.uscc]
    assert body["list_entries"][0]["entity_uscc"] == infringer.uscc
    assert body["list_entries"][0]["status"] == "listed"
    assert login(world.public_user).get("/api/v1/credit/exchange").status_code == 403


def _elsewhere(uscc: str, *, removed_on=None) -> dict:
    return {
        "format": exchange.FORMAT,
        "origin": "ipshield.hequ.example.gov.cn",
        "records": [
            {
                "key": "17",
                "source": "penalty",
                "subject_name": "河曲县某商贸有限公司",
                "subject_uscc": uscc,
                "issuing_authority": "河曲县市场监督管理局",
                "document_number": "河市监罚〔2026〕5号",
                "decided_on": "2026-05-01",
                "amount": "80000.00",
                "public_until": "2029-05-01",
                "status": "public",
            }
        ],
        "list_entries": [
            {
                "key": "3",
                "entity_name": "河曲县某商贸有限公司",
                "entity_uscc": uscc,
                "unit": "河曲县市场监督管理局",
                "ground": "故意侵犯知识产权",
                "decision_number": "河失信〔2026〕1号",
                "listed_on": "2026-06-01",
                "list_until": "2029-06-01",
                "status": "removed" if removed_on else "listed",
                "removed_on": removed_on,
            }
        ],
    }


def test_another_countys_list_is_imported_once_and_counts_in_the_check(world, login):
    code = valid_uscc("140930")
    client = login(world.officer)
    first = client.post("/api/v1/credit/exchange", {"file": _upload(_elsewhere(code))}).json()
    assert first == {"created": 2, "updated": 0, "unchanged": 0}
    again = client.post("/api/v1/credit/exchange", {"file": _upload(_elsewhere(code))}).json()
    assert again == {"created": 0, "updated": 0, "unchanged": 2}
    assert CreditRecord.objects.count() == 1 and ExternalListEntry.objects.count() == 1
    result = services.credit_check(actor=world.officer, uscc=code, purpose="采购")
    assert result.listed_elsewhere is not None and len(result.records) == 1
    assert MeasureTrigger.LISTED in {m.trigger for m in result.measures}
    removed = client.post(
        "/api/v1/credit/exchange", {"file": _upload(_elsewhere(code, removed_on="2026-11-01"))}
    ).json()
    assert removed == {"created": 0, "updated": 1, "unchanged": 1}
    assert (
        services.credit_check(actor=world.officer, uscc=code, purpose="采购").listed_elsewhere
        is None
    )


def test_a_registered_entity_listed_elsewhere_is_found_by_code_and_by_name(world, login):
    code = valid_uscc("140930")
    registry_services.entity_create(
        actor=world.officer, name="河曲县某商贸有限公司", uscc=code, legal_representative="赵六"
    )
    other = registry_services.entity_create(
        actor=world.officer, name="河曲县另一商贸有限公司", uscc=valid_uscc("140930")
    )
    client = login(world.officer)
    client.post("/api/v1/credit/exchange", {"file": _upload(_elsewhere(code))})
    by_code = services.credit_check(actor=world.officer, uscc=code, purpose="采购")
    by_name = services.credit_check(
        actor=world.officer, name="河曲县某商贸有限公司", purpose="采购"
    )
    for result in (by_code, by_name):
        assert result.entity is not None and result.entity.uscc == code
        assert result.listed_elsewhere is not None and result.listed is None
    clean = services.credit_check(actor=world.officer, uscc=other.uscc, purpose="采购")
    assert clean.entity == other and clean.listed_elsewhere is None and not clean.restricted
    client.post(
        "/api/v1/credit/exchange", {"file": _upload(_elsewhere(code, removed_on="2026-11-01"))}
    )
    assert (
        services.credit_check(actor=world.officer, uscc=code, purpose="采购").listed_elsewhere
        is None
    )


def test_bad_exchange_files_change_nothing(world, login):
    client = login(world.officer)
    wrong = client.post("/api/v1/credit/exchange", {"file": _upload({"format": "other"})})
    assert wrong.status_code == 400 and wrong.json()["field"] == "file"
    broken = _elsewhere(valid_uscc("140930"))
    broken["list_entries"][0]["listed_on"] = "not a date"
    answer = client.post("/api/v1/credit/exchange", {"file": _upload(broken)})
    assert answer.status_code == 400 and "list_entries[1]" in answer.json()["message"]
    assert not CreditRecord.objects.exists() and not ExternalListEntry.objects.exists()
    own = _elsewhere(valid_uscc("140930"))
    own["origin"] = exchange.origin()
    assert client.post("/api/v1/credit/exchange", {"file": _upload(own)}).status_code == 400
