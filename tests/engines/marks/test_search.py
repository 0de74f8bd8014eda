"""Confusing-mark search: the issue's examples, class filtering, save/load, properties."""

from __future__ import annotations

import csv
import doctest
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ipshield.engines import marks
from ipshield.engines.marks import (
    Hit,
    MarkIndex,
    compare,
    glyphs,
    index,
    normalize,
    phonetics,
    scoring,
    similar_glyphs,
)

from .conftest import DISTRACTORS, ORIGINALS

PAIRS = Path(__file__).parents[2] / "data" / "marks" / "pairs.csv"

ISSUE_EXAMPLES = [
    ("康帅傅", "康师傅", "帅≈师 字形近似"),
    ("雷碧", "雪碧", "雷≈雪 字形近似"),
    ("粤利粤", "奥利奥", "粤≈奥 字形近似"),
    ("大白免", "大白兔", "免≈兔 字形近似"),
    ("六个犊桃", "六个核桃", "犊≈核 字形近似"),
    ("治治", "洽洽", "治≈洽 字形近似"),
    ("adidos", "adidas", "拼写相差 1 处"),
    ("rnicrosoft", "microsoft", "rn≈m 形近字母"),
    ("G00GLE", "google", "0≈o 形近字符"),
    ("app1e", "apple", "1≈l 形近字符"),
    ("NOKlA", "nokia", "l≈i 形近字符"),
    ("康師傅牌", "康师傅", "规范化后相同"),
    ("康师付", "康师傅", "读音相同"),
    ("娃哈哈哈", "娃哈哈", "增删一个字"),
    ("碧雪", "雪碧", "字序调换"),
]


@pytest.mark.parametrize(("query", "original", "reason"), ISSUE_EXAMPLES)
def test_original_ranks_first_among_distractors(big_index, query, original, reason):
    hits = big_index.search(query, k=5)
    assert hits[0].name == original, [(h.name, round(h.score, 3)) for h in hits]
    assert 0 < hits[0].score <= 1
    assert any(reason in text for text in hits[0].reasons), hits[0].reasons
    if len(hits) > 1:
        assert hits[1].score < hits[0].score


def test_reason_names_glyph_and_sound():
    _, reasons = compare("康帅傅", "康师傅")
    assert reasons[0] == "帅≈师 字形近似，读音 shuai/shi"


def test_near_sounds():
    assert phonetics.fuzzy("zhang1") == phonetics.fuzzy("zan4")
    assert phonetics.fuzzy("neng") == phonetics.fuzzy("leng")
    assert phonetics.fuzzy("hu") == phonetics.fuzzy("fu")
    assert phonetics.fuzzy("xing") == phonetics.fuzzy("xin")
    assert phonetics.fuzzy("shi") != phonetics.fuzzy("xi")
    score, reasons = compare("刘奶", "牛奶")  # liu/niu: n/l
    assert score > 0.5
    assert any("n/l" in text for text in reasons)


def test_similar_glyphs_is_symmetric_and_excludes_itself():
    for group in glyphs.GLYPH_GROUPS:
        for ch in group:
            assert ch not in similar_glyphs(ch)
            for other in similar_glyphs(ch):
                assert ch in similar_glyphs(other)
    for a, b in [
        ("帅", "师"),
        ("雷", "雪"),
        ("粤", "奥"),
        ("免", "兔"),
        ("犊", "核"),
        ("治", "洽"),
    ]:
        assert b in similar_glyphs(a)
    assert similar_glyphs("x") == set()


def test_class_filter(big_index):
    assert big_index.search("雷碧", k=3, classes={32})[0].name == "雪碧"
    hits = big_index.search("雷碧", k=10, classes={5})
    assert hits
    assert "雪碧" not in [h.name for h in hits]
    position = {name: i for i, name in enumerate(DISTRACTORS)}
    assert all(position[h.name] % 45 + 1 == 5 for h in hits)


def test_class_filter_leaves_out_marks_without_classes():
    idx = MarkIndex.build(["雪碧", "雪碧"], ids=["with", "without"], classes=[{32}, set()])
    assert [h.id for h in idx.search("雪碧", classes=[32])] == ["with"]
    assert [h.id for h in idx.search("雪碧")] == ["with", "without"]


def test_build_rejects_bad_input():
    with pytest.raises(ValueError, match="数目应相同"):
        MarkIndex.build(["a", "b"], ids=["x"])
    with pytest.raises(ValueError, match="尼斯分类无效"):
        MarkIndex.build(["a"], classes=[{46}])
    with pytest.raises(ValueError, match="字符串或整数"):
        MarkIndex.build(["a"], ids=[1.5])  # type: ignore[list-item]


def test_default_ids_are_positions():
    idx = MarkIndex.build(["雪碧", "康师傅"])
    assert idx.search("康师傅", k=1) == [Hit("康师傅", 1, 1.0, ("规范化后相同",))]
    assert len(idx) == 2


def test_empty_query_and_k():
    idx = MarkIndex.build(["雪碧"])
    assert idx.search("®") == []
    assert idx.search("雪碧", k=0) == []


def test_save_load_round_trip(big_index, tmp_path):
    path = tmp_path / "marks.json"
    big_index.save(path)
    loaded = MarkIndex.load(path)
    assert len(loaded) == len(big_index)
    for query, _, _ in ISSUE_EXAMPLES:
        assert loaded.search(query, k=5, classes={30}) == big_index.search(query, k=5, classes={30})


def test_load_rejects_other_files(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"names": []}', encoding="utf-8")
    with pytest.raises(ValueError, match="不是商标索引文件"):
        MarkIndex.load(path)


def test_search_does_not_rescore_every_mark(big_index, monkeypatch):
    calls = []
    real = index.compare

    def counting(a, b):
        calls.append(b)
        return real(a, b)

    monkeypatch.setattr(index, "compare", counting)
    big_index.search("康帅傅", k=10)
    assert 0 < len(calls) <= index._MIN_CANDIDATES < len(big_index) / 10


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("大白兔牌®", "大白兔"),
        ("ＡＤＩＤＡＳ Co., Ltd.", "adidas"),
        ("Coca-Cola™", "cocacola"),
        ("王牌", "王牌"),
        ("雪碧 商标", "雪碧"),
        ("康師傅控股有限公司", "康师傅控股"),
        ("Costco", "costco"),
        ("co", "co"),
        ("®", ""),
    ],
)
def test_normalize_mark(raw, key):
    assert normalize.normalize_mark(raw) == key


_NAME_CHARS = st.sampled_from(
    list("康师帅傅雪雷碧奥粤利大白兔免牌商标有限公司 ,.-®™ＡＢａ") + list("adiosnrm01lGO")
)
_NAMES = st.text(_NAME_CHARS, min_size=1, max_size=8)


@given(st.text(max_size=20))
def test_normalize_is_idempotent(text):
    once = normalize.normalize_mark(text)
    assert normalize.normalize_mark(once) == once


@given(_NAMES, _NAMES)
def test_score_in_unit_interval_and_one_only_for_same_key(a, b):
    ka, kb = normalize.normalize_mark(a), normalize.normalize_mark(b)
    score, reasons = compare(ka, kb)
    assert 0.0 <= score <= 1.0
    assert (score == 1.0) == (ka == kb)
    assert all(isinstance(text, str) and text for text in reasons)


@settings(max_examples=60, deadline=None)
@given(st.lists(_NAMES, min_size=1, max_size=30), st.data())
def test_mark_searched_for_itself_scores_one_and_ranks_first(names, data):
    query = data.draw(st.sampled_from(names))
    assume(normalize.normalize_mark(query))
    hits = MarkIndex.build(names).search(query, k=3)
    assert hits[0].name == query
    assert hits[0].score == 1.0
    assert all(0.0 <= h.score <= 1.0 for h in hits)


def _pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_pairs_file_is_well_formed():
    rows = _pairs()
    assert len(rows) >= 15
    for row in rows:
        assert row["knockoff"] and row["original"] and row["source"], row
        assert row["engine_covers"] in {"yes", "no"}, row


@pytest.mark.parametrize(
    "row", [r for r in _pairs() if r["engine_covers"] == "yes"], ids=lambda r: r["knockoff"]
)
def test_reported_pairs_rank_original_first(row):
    idx = MarkIndex.build([*DISTRACTORS, *ORIGINALS, row["original"]])
    hits = idx.search(row["knockoff"], k=3)
    assert normalize.normalize_mark(hits[0].name) == normalize.normalize_mark(row["original"])


@pytest.mark.parametrize("module", [marks, glyphs, index, normalize, phonetics, scoring])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.failed == 0
    assert result.attempted > 0 or module is marks
