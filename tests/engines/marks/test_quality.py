"""Quality on the development set, with the originals hidden among 50,000 synthetic marks.

The figures asserted here are computed on every run. The issue's targets (recall@10 ≥ 0.95
and precision ≥ 0.9) are asserted where the engine meets them; where it does not yet, the
floor is the measured figure less a small margin, and the reason is given (see also the
benchmark, ``benchmarks/marks.py``, which reports the same figures at a million marks).
"""

from __future__ import annotations

import random

import pytest

from ipshield.engines.marks import (
    DEFAULT_THRESHOLD,
    MarkIndex,
    ScanPool,
    compare,
    normalize_mark,
    synthetic,
)

from .conftest import negatives, pair_classes, pairs


def _rank(index: MarkIndex, row: dict[str, str], classes: list[int] | None = None) -> int | None:
    hits = index.search(row["knockoff"], k=10, classes=classes)
    keys = [normalize_mark(h.name) for h in hits]
    want = normalize_mark(row["original"])
    return keys.index(want) + 1 if want in keys else None


def _precision(index: MarkIndex, with_classes: bool) -> tuple[float, int, int, int]:
    """Right alerts / all alerts: an alert is a top hit at or above the threshold."""
    originals = {normalize_mark(row["original"]) for row in pairs()}
    right = wrong = 0
    for row in pairs():
        hits = index.search(
            row["knockoff"], k=1, classes=pair_classes(row) if with_classes else None
        )
        if hits and hits[0].score >= DEFAULT_THRESHOLD:
            if normalize_mark(hits[0].name) == normalize_mark(row["original"]):
                right += 1
            else:
                wrong += 1
    alarms = 0
    for row in negatives():
        hits = index.search(row["name"], k=10)
        alarms += any(
            h.score >= DEFAULT_THRESHOLD and normalize_mark(h.name) in originals for h in hits
        )
    return right / (right + wrong + alarms), right, wrong, alarms


def test_negatives_file_is_well_formed():
    rows = negatives()
    assert len(rows) >= 200
    names = [normalize_mark(row["name"]) for row in rows]
    assert len(set(names)) == len(names)
    dev = {normalize_mark(r["knockoff"]) for r in pairs()} | {
        normalize_mark(r["original"]) for r in pairs()
    }
    assert not dev & set(names)
    assert {row["kind"] for row in rows} == {
        "tricky",
        "unrelated",
        "tricky-latin",
        "unrelated-latin",
    }
    for row in rows:
        if row["kind"].startswith("tricky"):
            assert row["resembles"] in {r["original"] for r in pairs()}, row


def test_every_negative_scores_below_the_threshold_against_every_original():
    originals = sorted({normalize_mark(row["original"]) for row in pairs()})
    too_close = []
    for row in negatives():
        key = normalize_mark(row["name"])
        score, original = max((compare(key, o)[0], o) for o in originals)
        if score >= DEFAULT_THRESHOLD:
            too_close.append((row["name"], original, round(score, 3)))
    assert too_close == []


def test_registry_hides_the_originals_and_no_knockoff(registry):
    assert len(registry.names) == 50_000
    keys = [normalize_mark(name) for name in registry.names]
    assert len(set(keys)) == len(keys)
    knockoffs = {normalize_mark(row["knockoff"]) for row in pairs()}
    originals = {normalize_mark(row["original"]) for row in pairs()}
    # A distractor identical to a knock-off would be found instead of the original.
    assert not knockoffs & (set(keys) - originals)
    assert originals <= set(keys)
    for row in pairs():
        position = registry.original_positions[row["original"]]
        assert set(registry.classes[position]) == set(pair_classes(row))


def test_recall(registry_index):
    rows = pairs()
    ranks = [_rank(registry_index, row) for row in rows]
    at1 = sum(r == 1 for r in ranks) / len(rows)
    at10 = sum(r is not None for r in ranks) / len(rows)
    in_scope = [r for r, row in zip(ranks, rows, strict=True) if row["in_scope"] == "yes"]
    at10_in_scope = sum(r is not None for r in in_scope) / len(in_scope)
    # Measured at 50,000 marks: recall@1 0.86, recall@10 0.957 (0.97 of the pairs in scope);
    # missed: 露奥/露露 (a tie among the marks keeping 露), letters re-drawn (Buta/Puma,
    # Ababis/adidas) and two pairs out of scope (LOBBNAR, LEPIN).
    assert at1 >= 0.84
    assert at10 >= 0.95
    assert at10_in_scope >= 0.95


def test_recall_with_the_originals_classes(registry_index):
    rows = pairs()
    ranks = [_rank(registry_index, row, pair_classes(row)) for row in rows]
    # Measured 0.974 at 50,000 marks (recall@1 0.957).
    assert sum(r is not None for r in ranks) / len(rows) >= 0.95
    assert sum(r == 1 for r in ranks) / len(rows) >= 0.93


def test_index_finds_every_pair_the_scorer_calls_a_confusion(registry_index):
    # Candidate generation must not lose what compare() itself flags.
    flagged = [
        row
        for row in pairs()
        if compare(normalize_mark(row["knockoff"]), normalize_mark(row["original"]))[0]
        >= DEFAULT_THRESHOLD
    ]
    assert len(flagged) >= 60
    found = [row for row in flagged if _rank(registry_index, row, pair_classes(row)) is not None]
    assert len(found) / len(flagged) >= 0.95, sorted(
        {row["knockoff"] for row in flagged} - {row["knockoff"] for row in found}
    )


def test_precision_at_the_default_threshold(registry_index):
    with_classes, *_ = _precision(registry_index, with_classes=True)
    assert with_classes >= 0.9
    without, right, wrong, alarms = _precision(registry_index, with_classes=False)
    assert alarms == 0
    # Measured 0.98 with classes, 0.90 without (the issue's target, met at 50,000 marks; at a
    # million marks the denser registry holds distractors closer to some knock-offs than
    # their originals are, e.g. Fumo for Fuma/Puma: see the benchmark).
    assert without >= 0.9, (right, wrong, alarms)


def test_search_agrees_with_brute_force_on_a_smaller_registry(registry):
    names = registry.names[:3000] + [row["original"] for row in pairs()]
    names = list(dict.fromkeys(names))
    index = MarkIndex.build(names)
    keys = [normalize_mark(name) for name in names]
    rng = random.Random(3)
    queries = [row["knockoff"] for row in rng.sample(pairs(), 20)]
    checked = 0
    for query in queries:
        key = normalize_mark(query)
        best = max(compare(key, other)[0] for other in keys)
        if best < 0.67:
            # Weak likenesses, below one unrelated character in three (one character in two
            # shared, 乐吉/乐事; both replaced by characters sharing a part, 乐吉/小丰), are
            # not looked for.
            continue
        checked += 1
        hits = index.search(query, k=1)
        assert hits and hits[0].score == pytest.approx(best), query
    assert checked >= 10, checked


def test_save_load_round_trip_gives_identical_results(registry_index, tmp_path):
    path = tmp_path / "registry.idx"
    registry_index.save(path)
    loaded = MarkIndex.load(path)
    assert len(loaded) == len(registry_index)
    for row in pairs()[:40]:
        assert loaded.search(row["knockoff"]) == registry_index.search(row["knockoff"])
        classes = pair_classes(row)
        assert loaded.search(row["knockoff"], classes=classes) == registry_index.search(
            row["knockoff"], classes=classes
        )
    title = "2024新款康帅傅红烧牛肉面 整箱批发"
    assert loaded.scan(title) == registry_index.scan(title) != []


@pytest.fixture(scope="module")
def protected(registry) -> MarkIndex:
    originals = list(dict.fromkeys(row["original"] for row in pairs()))
    others = [n for n in registry.names[:2000] if n not in set(originals)]
    return MarkIndex.build(originals + others)


def test_scan_finds_planted_knockoffs(protected):
    flagged = [
        row
        for row in pairs()
        if compare(normalize_mark(row["knockoff"]), normalize_mark(row["original"]))[0]
        >= DEFAULT_THRESHOLD
    ]
    titles = synthetic.listing_titles(
        len(flagged) * 2, seed=11, brands=[r["knockoff"] for r in flagged]
    )
    found = 0
    for i, title in enumerate(titles):
        row = flagged[i % len(flagged)]
        hits = protected.scan(title)
        found += any(normalize_mark(h.name) == normalize_mark(row["original"]) for h in hits)
    # Measured 0.84: scanning is stricter than search (a two-character mark must be written
    # with look-alikes, not homophones: 猴菇, 绿剑 are not alerted in running text; reordered
    # Latin words are not compared).
    assert found / len(titles) >= 0.8


def test_scan_finds_nothing_in_clean_titles(protected, registry):
    # Titles without a brand, and titles naming a house brand that is not protected.
    house = synthetic.mark_names(500, seed=13, avoid=registry.names)
    titles = synthetic.listing_titles(1000, seed=12) + synthetic.listing_titles(
        1000, seed=14, brands=house
    )
    alerted = [(t, protected.scan(t)) for t in titles]
    alerted = [(t, h) for t, h in alerted if h]
    # Measured: about 1 % of the titles, from a few protected marks that happen to look like a
    # common word of the titles or a house brand (a chance the monitoring risk score weighs).
    assert len(alerted) <= len(titles) * 0.02, alerted[:5]
    assert len({h[0].id for _t, h in alerted}) <= 10


def test_scan_matched_text_comes_from_the_title(protected):
    title = "限时秒杀 正品 雷碧 330ml*24 整箱"
    hits = protected.scan(title)
    assert hits[0].name == "雪碧"
    assert hits[0].matched == "雷碧" and hits[0].matched in title


def test_bad_input_is_refused_clearly(registry_index, tmp_path):
    with pytest.raises(ValueError, match="尼斯分类无效"):
        registry_index.search("雷碧", classes=[46])
    with pytest.raises(ValueError, match="尼斯分类无效"):
        registry_index.scan("雷碧汽水", classes=[0])
    with pytest.raises(ValueError, match="尼斯分类无效"):
        MarkIndex.build(["雪碧"], classes=[[32, 99]])
    with pytest.raises(ValueError, match="数目应相同"):
        MarkIndex.build(["雪碧", "康师傅"], ids=[1])
    with pytest.raises(ValueError, match="数目应相同"):
        MarkIndex.build(["雪碧", "康师傅"], classes=[[32]])
    other = tmp_path / "notes.txt"
    other.write_text("商标清单\n雪碧\n", encoding="utf-8")
    with pytest.raises(ValueError, match="不是商标索引文件"):
        MarkIndex.load(other)


def test_a_scan_pool_answers_as_the_index_does_in_text_order(protected):
    titles = synthetic.listing_titles(300, seed=15, brands=[r["knockoff"] for r in pairs()])
    classes = [[30, 32] if i % 3 == 0 else None for i in range(len(titles))]
    expected = [
        protected.scan(title, classes=wanted) for title, wanted in zip(titles, classes, strict=True)
    ]
    assert sum(1 for hits in expected if hits) >= 100
    with ScanPool(protected, processes=2) as pool:
        assert pool.scan(titles, classes=classes) == expected
        assert not pool.broken
        with pytest.raises(ValueError, match="one entry per text"):
            pool.scan(titles, classes=classes[:-1])
    with ScanPool(protected, processes=1) as alone:  # no workers: scanned in this process
        assert alone.scan(titles[:50], classes=classes[:50]) == expected[:50]


def test_a_scan_pool_whose_worker_dies_scans_in_the_calling_process(protected):
    titles = synthetic.listing_titles(40, seed=16, brands=[r["knockoff"] for r in pairs()])
    expected = [protected.scan(title) for title in titles]
    with ScanPool(protected, processes=2) as pool:
        assert pool.scan(titles[:4]) == expected[:4]  # the workers are running
        for process in list(pool._executor._processes.values()):  # type: ignore[union-attr]
            process.kill()
            process.join()
        assert pool.scan(titles) == expected
        assert pool.broken
