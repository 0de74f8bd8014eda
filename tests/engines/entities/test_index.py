"""Linking records to entities with the index (engines.entities.index)."""

from __future__ import annotations

import pytest

from ipshield.engines.entities import (
    BRANCH_OF,
    Decision,
    EntityIndex,
    Overrides,
    Record,
    record_key,
)

ENTITIES = [
    (1, Record("保德县黄河食品有限公司", uscc="91140931MA0K9Y3X1T", legal_representative="张建国",
               address="山西省忻州市保德县东关镇新华街12号")),
    (2, Record("河曲县黄河食品有限公司", legal_representative="王海军",
               address="山西省忻州市河曲县文笔镇人民路8号")),
    (3, Record("保德县黄河建材有限公司", legal_representative="张建国")),
    (4, Record("保德县黄河食品有限公司东关分公司", uscc="91140931MA0K9Y3Y1U",
               address="山西省忻州市保德县东关镇迎宾路3号")),
    (5, Record("保德县东关镇张三商行", legal_representative="张三",
               address="山西省忻州市保德县东关镇新华街20号")),
    (6, Record("哈尔滨市道里区冰城食品有限公司（原名哈尔滨市道里区冰城食品厂）")),
    ("h-7", Record("保德县鸿达商贸有限公司", legal_representative="李秀英")),
]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    return EntityIndex.build(ENTITIES)


def ids(candidates: list) -> list:
    return [c.id for c in candidates]


def test_build_checks_ids() -> None:
    with pytest.raises(ValueError, match="重复"):
        EntityIndex.build([(1, Record("a")), (1, Record("b"))])
    with pytest.raises(ValueError, match="字符串或整数"):
        EntityIndex.build([(True, Record("a"))])
    with pytest.raises(ValueError, match="字符串或整数"):
        EntityIndex.build([(1.5, Record("a"))])  # type: ignore[list-item]


def test_empty_index_and_empty_record() -> None:
    empty = EntityIndex.build([])
    assert len(empty) == 0
    assert empty.resolve(Record("保德县黄河食品有限公司")) == []
    full = EntityIndex.build(ENTITIES)
    assert full.resolve(Record("")) == []


def test_stats(index: EntityIndex) -> None:
    assert len(index) == len(ENTITIES)
    assert index.stats["entities"] == len(ENTITIES)
    assert index.stats["keys"] > 0 and index.stats["postings"] >= index.stats["keys"]
    assert index.parsed("h-7").name.trade == "鸿达"
    with pytest.raises(KeyError):
        index.parsed("nobody")


def test_variants_find_their_entity(index: EntityIndex) -> None:
    for name in (
        "保德縣黃河食品有限責任公司",
        "黄河食品（保德）有限公司",
        "山西省忻州市保德县黄河食品有限公司",
        "保德县 黄河食品 有限公司",
    ):
        best = index.resolve(Record(name), k=1)[0]
        assert (best.id, best.decision) == (1, Decision.SAME), name
    by_former = index.resolve(Record("哈尔滨市道里区冰城食品厂"), k=1)[0]
    assert (by_former.id, by_former.decision) == (6, Decision.SAME)
    assert by_former.reasons[0] == "曾用名相同（哈尔滨市道里区冰城食品厂）"
    typo = index.resolve(Record("保德县宏达商贸有限公司"), k=1)[0]
    assert (typo.id, typo.decision) == ("h-7", Decision.LIKELY)


def test_code_finds_the_entity_whatever_the_name(index: EntityIndex) -> None:
    best = index.resolve(Record("完全不同的名称", uscc="91140931MA0K9Y3X1T"), k=1)[0]
    assert (best.id, best.decision, best.score) == (1, Decision.SAME, 1.0)


def test_other_counties_and_industries_are_different(index: EntityIndex) -> None:
    candidates = index.resolve(Record("保德县黄河食品有限公司"), k=5)
    decisions = {c.id: c.decision for c in candidates}
    assert decisions[1] == Decision.SAME
    assert decisions[2] == Decision.DIFFERENT
    assert decisions[3] == Decision.DIFFERENT
    assert candidates[0].id == 1


def test_ambiguous_records_go_to_review(index: EntityIndex) -> None:
    candidates = index.resolve(Record("黄河食品有限公司"), k=2)
    assert set(ids(candidates)) == {1, 2}
    assert all(c.decision == Decision.UNSURE for c in candidates)
    assert any("另有同样相符的主体" in r for r in candidates[0].reasons)
    # The address tells them apart.
    best = index.resolve(Record("黄河食品有限公司", address="保德县东关镇新华街12号"), k=1)[0]
    assert (best.id, best.decision) == (1, Decision.SAME)


def test_branches(index: EntityIndex) -> None:
    candidates = index.resolve(Record("保德县黄河食品有限公司东关分公司"), k=3)
    assert candidates[0].id == 4 and candidates[0].decision == Decision.SAME
    parent = next(c for c in candidates if c.id == 1)
    assert (parent.relation, parent.decision) == (BRANCH_OF, Decision.UNSURE)
    # A branch not in the index: its company is proposed, as a relation for an officer.
    new = index.resolve(Record("保德县黄河食品有限公司义门分公司"), k=3)
    company = next(c for c in new if c.id == 1)
    assert (company.relation, company.decision) == (BRANCH_OF, Decision.UNSURE)
    assert all(c.decision not in (Decision.SAME, Decision.LIKELY) for c in new)


def test_people(index: EntityIndex) -> None:
    best = index.resolve(Record("张三", address="保德县东关镇新华街20号"), k=1)[0]
    assert (best.id, best.decision) == (5, Decision.LIKELY)
    rep = index.resolve(
        Record("", legal_representative="张建国", address="山西省保德县东关镇新华街12号"), k=1
    )[0]
    assert (rep.id, rep.decision) == (1, Decision.LIKELY)
    # Only a name that two companies share as representative: nothing certain.
    both = index.resolve(Record("", legal_representative="张建国"), k=3)
    assert {1, 3} <= set(ids(both))
    assert all(c.decision == Decision.UNSURE for c in both if c.id in (1, 3))


def test_overrides(index: EntityIndex) -> None:
    record = Record("黄河食品有限公司")
    key = record_key(record)
    assert key == record_key(Record("黃河食品有限責任公司"))
    assert key != record_key(Record("黄河食品有限公司", legal_representative="张建国"))
    confirmed = index.resolve(record, k=2, overrides=Overrides(confirmed={key: 2}))
    assert (confirmed[0].id, confirmed[0].decision, confirmed[0].score) == (2, Decision.SAME, 1.0)
    assert confirmed[0].reasons[0] == "执法人员已确认为同一主体"
    assert confirmed[1].decision == Decision.UNSURE
    split = index.resolve(record, k=5, overrides=Overrides(split={key: [1]}))
    first = next(c for c in split if c.id == 1)
    assert first.decision == Decision.DIFFERENT
    assert first.reasons[0] == "执法人员已确认不是同一主体"
    assert split[-1].id == 1
    # A confirmed entity the blocking would not propose is still returned.
    far = index.resolve(record, k=3, overrides=Overrides(confirmed={key: 6}))
    assert far[0].id == 6 and far[0].decision == Decision.SAME
    # Unknown ids are ignored; other records are untouched.
    assert index.resolve(record, overrides=Overrides(confirmed={key: "x"}))[0].decision == (
        Decision.UNSURE
    )
    other = index.resolve(Record("保德县黄河食品有限公司"), k=1, overrides=Overrides({key: 2}))
    assert other[0].id == 1


def test_k(index: EntityIndex) -> None:
    assert len(index.resolve(Record("保德县黄河食品有限公司"), k=1)) == 1
    assert len(index.resolve(Record("保德县黄河食品有限公司"), k=3)) == 3


def test_k_must_be_positive(index: EntityIndex) -> None:
    with pytest.raises(ValueError, match="k"):
        index.resolve(Record("保德县黄河食品有限公司"), k=0)


def test_entities_added_or_changed_since_the_build_come_from_extra():
    from ipshield.engines.entities import prepare

    index = EntityIndex.build(
        [(1, Record("保德县黄河食品有限公司")), (2, Record("保德县黄河建材有限公司"))]
    )
    query = Record("保德县黄河食品有限责任公司")
    assert index.resolve(query)[0].id == 1
    # Entity 1 was renamed after the build and entity 3 added: the index's stale row for 1 is
    # ignored, the new versions are compared in full.
    extra = [
        (1, prepare(Record("保德县长城饮料有限公司"), index.regions)),
        (3, prepare(Record("保德县黄河食品有限公司"), index.regions)),
    ]
    found = index.resolve(query, extra=extra)
    assert [c.id for c in found[:1]] == [3]
    assert found[0].decision.value == "same"
    assert [c.id for c in found].count(1) == 1
    assert next(c for c in found if c.id == 1).decision.value == "different"
    # A deleted entity is excluded.
    assert all(c.id != 1 for c in index.resolve(query, exclude={1}))
