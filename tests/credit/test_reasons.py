"""Entity-resolution reasons are stored as codes and shown in the reader's language."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext

from ipshield.credit import reasons, records
from ipshield.credit.models import EntityCandidate
from ipshield.engines.text import normalize_name
from ipshield.registry.models import Entity
from tests.registry.factories import valid_uscc

CJK = re.compile(r"[\u3400-\u9fff]")


def _entity(name: str, **fields) -> Entity:
    return Entity.objects.create(name=name, name_normalized=normalize_name(name), **fields)


def test_candidate_reasons_are_codes_rendered_in_the_readers_language(world, login):
    _entity("保德县黄河红枣食品有限公司", uscc=valid_uscc())
    _entity("河曲县黄河红枣食品有限公司", uscc=valid_uscc())
    record = records.record_enter(
        actor=world.officer,
        source="judgment",
        subject_name="黄河红枣食品有限公司",
        document_number="(2026)晋09民初1号",
        decided_on="2026-03-02",
    )
    candidate = record.candidates.order_by("rank").first()
    codes = [r["code"] for r in candidate.reasons]
    assert codes[0] == "entities.core_same" and "entities.rivals" in codes
    assert candidate.reason_texts[0] == "名称核心相同（黄河红枣食品）"
    with translation.override("en"):
        english = candidate.reason_texts
    assert english[0] == "same core name (黄河红枣食品)"
    assert any(text.startswith("other entities match as well (") for text in english)

    client = login(world.officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/credit/matches/").content.decode()
    assert "same core name (黄河红枣食品)" in page and "名称核心相同" not in page
    api = client.get("/api/v1/credit/matches", HTTP_ACCEPT_LANGUAGE="en").json()
    rows = api["items"] if isinstance(api, dict) else api
    assert "same core name (黄河红枣食品)" in rows[0]["candidates"][0]["reasons"]


def test_candidate_reasons_stored_as_text_are_read_back(world):
    _entity("保德县黄河红枣食品有限公司", uscc=valid_uscc())
    record = records.record_enter(
        actor=world.officer,
        source="judgment",
        subject_name="黄河红枣食品有限公司",
        document_number="(2026)晋09民初2号",
        decided_on="2026-03-02",
    )
    candidate = EntityCandidate.objects.filter(record=record).first() or EntityCandidate(
        record=record, entity=Entity.objects.first(), rank=0, score=0.8, decision="unsure"
    )
    candidate.reasons = [
        "名称核心近似（昌盛酒业/永盛酒业；盛≈胜 读音相同）",
        "另有同样相符的主体（保德县昌盛酒业有限公司、昌盛酒业有限责任公司），需人工确认",
        "执法人员已确认为同一主体",
    ]
    with translation.override("en"):
        assert candidate.reason_texts == [
            "similar core names (昌盛酒业/永盛酒业; 盛≈胜 sound the same)",
            "other entities match as well (保德县昌盛酒业有限公司, 昌盛酒业有限责任公司); "
            "an officer must confirm",
            "an officer confirmed it is the same entity",
        ]


def test_every_entity_reason_code_has_an_english_message():
    with translation.override("en"):
        untranslated = [c for c, m in reasons.MESSAGES.items() if CJK.search(gettext(m))]
    assert untranslated == []
