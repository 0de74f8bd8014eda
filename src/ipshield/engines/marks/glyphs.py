"""Visually similar Chinese characters (形近字) — a small hand-made stand-in.

This table covers the characters of well-known knock-off marks (康帅傅/康师傅,
雷碧/雪碧, 粤利粤/奥利奥, 大白免/大白兔, 治治/洽洽 …) and a few classic 形近字 pairs.
It is a stand-in: it is to be replaced by a table derived from character
decomposition data or from rendered glyphs that covers the 8,105 characters of the
通用规范汉字表.

>>> sorted(similar_glyphs("帅"))
['师']
>>> "雷" in similar_glyphs("雪")
True
>>> similar_glyphs("a")
set()
"""

from __future__ import annotations

__all__ = ["GLYPH_GROUPS", "similar_glyphs"]

#: Groups of characters that are easily mistaken for each other at a glance.
GLYPH_GROUPS: tuple[str, ...] = (
    "帅师",
    "雷雪",
    "粤奥",
    "免兔",
    "犊核",
    "治洽",
    "娃哇",
    "牛午",
    "白日",
    "日曰",
    "己已巳",
    "未末",
    "土士",
    "大太犬",
    "王玉主",
    "人入八",
    "天夭",
    "乌鸟",
    "戊戌戍",
    "贝见",
    "折拆",
    "拔拨",
    "候侯",
    "汩汨",
    "晴睛",
    "辩辨辫",
    "季李",
    "特持",
    "宇字",
    "衰哀衷",
    "吉古",
    "旺汪",
    "住隹",
)

_SIMILAR: dict[str, frozenset[str]] = {}
for _group in GLYPH_GROUPS:
    for _ch in _group:
        _SIMILAR[_ch] = _SIMILAR.get(_ch, frozenset()) | frozenset(_group.replace(_ch, ""))


def similar_glyphs(ch: str) -> set[str]:
    """Return the characters that look like ``ch`` (not including ``ch`` itself)."""
    return set(_SIMILAR.get(ch, ()))
