"""Credit records entered by units and imported from files."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.common.errors import DomainError, InvalidInput, PermissionDenied
from ipshield.credit import records
from ipshield.credit.models import CreditRecord, RecordSource
from tests.registry.factories import EntityFactory, valid_uscc


def test_a_unit_enters_a_judgment_linked_to_the_entity(world):
    firm = EntityFactory(uscc=valid_uscc())
    record = records.record_enter(
        actor=world.officer,
        source="judgment",
        subject_name=firm.name,
        subject_uscc=firm.uscc,
        issuing_authority="忻州市中级人民法院",
        document_number="(2026)晋09民初12号",
        decided_on="2026-03-02",
        amount="200000",
        intentional=True,
    )
    assert (record.entity, record.source, record.unit) == (
        firm,
        RecordSource.JUDGMENT,
        world.market,
    )
    assert record.public_until == dt.date(2029, 3, 2) and "三年" in record.period_basis
    with pytest.raises(DomainError) as caught:
        records.record_enter(
            actor=world.officer,
            source="法院判决",
            subject_name=firm.name,
            issuing_authority="忻州市中级人民法院",
            document_number="(2026) 晋09民初12号",
            decided_on="2026-03-02",
        )
    assert caught.value.status == 409


def test_a_small_fine_is_public_for_three_months_and_a_person_is_masked(world):
    record = records.record_enter(
        actor=world.officer,
        source="penalty",
        subject_name="李四",
        subject_is_person="是",
        decided_on="2026-05-10",
        amount="800",
        penalty_kinds="fine",
        summary="李四销售侵权商品",
    )
    assert record.public_until == dt.date(2026, 8, 10)
    assert "李四" not in record.subject_name and "李四" not in record.summary


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source": "rumour"}, "source"),
        ({"subject_name": ""}, "subject_name"),
        ({"subject_uscc": "91140931MA0L4X2K3A"}, "subject_uscc"),
        ({"decided_on": "2026-13-01"}, "decided_on"),
        ({"decided_on": "2099-01-01"}, "decided_on"),
        ({"amount": "-5"}, "amount"),
        ({"intentional": "maybe"}, "intentional"),
        ({"penalty_kinds": "flogging"}, "penalty_kinds"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_saved(world, change, field):
    data = {"source": "ruling", "subject_name": "某公司", "decided_on": "2026-01-05", **change}
    with pytest.raises(InvalidInput) as caught:
        records.record_enter(actor=world.officer, **data)
    assert caught.value.field == field
    assert not CreditRecord.objects.exists()


def test_only_unit_staff_enter_records(world):
    for who in (world.public_user, world.holder_user, world.auditor):
        with pytest.raises(PermissionDenied):
            records.record_enter(
                actor=who, source="ruling", subject_name="某公司", decided_on="2026-01-05"
            )


CSV = (
    "信息来源,当事人,统一社会信用代码,作出机关,文书编号,作出日期,金额,故意侵权\n"
    "法院判决,保德县甲食品有限公司,,保德县人民法院,(2026)晋0931民初1号,2026-02-01,50000,是\n"
    "rumour,保德县乙公司,,保德县人民法院,(2026)晋0931民初2号,2026-02-01,,否\n"
    "行政裁决,保德县丙商行,,忻州市市场监督管理局,忻市监裁〔2026〕3号,2026-02-03,,否\n"
    "行政裁决,保德县丁商行,,忻州市市场监督管理局,,2026-02-30,,否\n"
)


def test_a_csv_import_keeps_good_rows_reports_bad_ones_and_is_idempotent(world):
    report = records.records_import(actor=world.officer, data=CSV.encode(), name="records.csv")
    assert (report.created, report.duplicates) == (2, 0)
    assert [(e["row"], e["field"]) for e in report.errors] == [(3, "source"), (5, "decided_on")]
    again = records.records_import(actor=world.officer, data=CSV.encode("utf-8"), name="r.csv")
    assert (again.created, again.duplicates, again.error_count) == (0, 2, 2)
    assert CreditRecord.objects.count() == 2


def test_a_json_import_and_unreadable_files(world, login):
    body = json.dumps(
        {
            "records": [
                {"source": "spot_check", "subject_name": "某公司", "decided_on": "2026-04-01"}
            ]
        }
    )
    client = login(world.officer)
    answer = client.post(
        "/api/v1/credit/records/import",
        {"file": SimpleUploadedFile("r.json", body.encode(), content_type="application/json")},
    )
    assert answer.status_code == 200 and answer.json()["created"] == 1
    bad = client.post(
        "/api/v1/credit/records/import",
        {
            "file": SimpleUploadedFile(
                "r.csv", "名称,日期\n某,2026\n".encode(), content_type="text/csv"
            )
        },
    )
    assert (
        bad.status_code == 400
        and bad.json()["field"] == "file"
        and "信息来源" in bad.json()["message"]
    )
    one = client.post(
        "/api/v1/credit/records",
        {"source": "ruling", "subject_name": "某商行", "decided_on": "2026-13-01"},
        content_type="application/json",
    )
    assert one.status_code == 400 and one.json()["field"] == "decided_on"


def test_the_public_name_search_follows_inserts_renames_and_deletions(world):
    """Three characters or more go through the name index (SQLite FTS5 trigram table or
    PostgreSQL pg_trgm); it must stay in step with the records."""
    from ipshield.credit.selectors import public_search

    record = records.record_enter(
        actor=world.officer,
        source="judgment",
        subject_name="保德县晋德红枣食品有限公司",
        document_number="(2026)晋09民初70号",
        decided_on="2026-03-02",
    )

    def found(q):
        return list(public_search(q=q).values_list("pk", flat=True))

    assert found("晋德红枣") == [record.pk]
    assert found("晋德") == [record.pk]  # two characters: a scan
    assert found("晉德紅棗") == [record.pk]  # the query is normalised too
    assert found("黄河红枣") == []
    CreditRecord.objects.filter(pk=record.pk).update(
        subject_name="保德县黄河红枣食品有限公司",
        subject_name_normalized="保德县黄河红枣食品有限公司",
    )
    assert found("晋德红枣") == [] and found("黄河红枣") == [record.pk]
    CreditRecord.objects.filter(pk=record.pk).delete()
    assert found("黄河红枣") == []
