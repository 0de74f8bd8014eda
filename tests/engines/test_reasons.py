"""Engines' reasons carry a stable code and parameters next to their Chinese text."""

from __future__ import annotations

import json
import pickle

from ipshield.engines.marks import MarkIndex, compare
from ipshield.engines.reasons import Reason


def test_a_reason_is_its_chinese_text_with_a_code_and_params():
    reason = Reason("marks.homophone", "徳≈德 同音 de", a="徳", b="德", sound="de")
    assert reason == "徳≈德 同音 de" and isinstance(reason, str)
    assert reason.code == "marks.homophone"
    assert reason.params == {"a": "徳", "b": "德", "sound": "de"}
    stored = json.loads(json.dumps(reason.as_data(), ensure_ascii=False))
    back = Reason.from_data(stored)
    assert (back, back.code, back.params) == (reason, reason.code, reason.params)
    copied = pickle.loads(pickle.dumps(reason))  # noqa: S301 -- hits cross to the scan pool's workers
    assert (copied, copied.code, copied.params) == (reason, reason.code, reason.params)


def test_mark_reasons_have_codes_and_language_free_params():
    _score, reasons = compare("康帅傅", "康师傅")
    assert reasons[0].code == "marks.glyph"
    assert reasons[0].params == {"a": "帅", "b": "师", "sound_a": "shuai", "sound_b": "shi"}
    assert compare("雪碧", "雪碧")[1][0].code == "marks.identical"
    _score, dropped = compare("海乙丝", "海私")
    assert "marks.added" in {r.code for r in dropped}
    _score, latin = compare("kdnra", "konka")
    assert latin[0].code == "marks.latin_similar" and latin[0].params == {"a": "d", "b": "o"}
    _score, grouped = compare("六个核挑饮料", "六个核桃")
    assert all(isinstance(r, Reason) and r.code.startswith("marks.") for r in grouped)


def test_hits_keep_the_codes_of_their_reasons():
    index = MarkIndex.build(["雕牌", "雪碧"], ids=["a", "b"])
    split = index.search("周住牌", k=1)[0]
    assert split.name == "雕牌" and split.reasons[0].code == "marks.split"
    assert split.reasons[0].params == {"written": "周住", "whole": "雕", "a": "周", "b": "隹"}
    scanned = index.scan("雷碧汽水 330ml")[0]
    assert all(isinstance(r, Reason) for r in scanned.reasons)


def test_entity_reasons_have_codes_also_through_the_index():
    from ipshield.engines.entities import EntityIndex, Record, match_score

    match = match_score(Record("保德县黄河食品有限公司"), Record("河曲县黄河食品有限公司"))
    assert [r.code for r in match.reasons] == ["entities.core_same", "entities.region_different"]
    assert match.reasons[1].params == {"a": "保德县", "b": "河曲县"}
    ignoring = match_score(Record("黄河食品有限公司"), Record("黄河食品有限责任公司"))
    nested = ignoring.reasons[0]
    assert nested.code == "entities.core_same_ignoring"
    assert nested.params["ignored"][0]["code"] == "entities.forms"
    index = EntityIndex.build([("1", Record("保德县黄河食品有限公司", uscc="91140931MA0K9Y3X1A"))])
    found = index.resolve(Record("保德县黄河食品有限公司"))  # the indexed note is unpacked
    assert "entities.uscc_invalid" in {r.code for r in found[0].reasons}
