"""Confusing-mark search (近似商标检索): normalisation, sound, glyph shape, index.

Build an index of registered or protected marks, then ask which of them a new name
(a listing title, an application) is likely to be confused with. Every hit carries a
score in [0, 1] and reasons in Chinese that a case officer can read, each an
:class:`ipshield.engines.reasons.Reason` with a stable ``code`` and ``params`` that apps
translate.

>>> from ipshield.engines.marks import MarkIndex
>>> index = MarkIndex.build(["康师傅", "雪碧", "adidas"], ids=["a", "b", "c"])
>>> [(h.name, h.reasons[0]) for h in index.search("雷碧", k=1)]
[('雪碧', '雷≈雪 字形近似，读音 lei/xue')]
>>> index.search("adidos", k=1)[0].name
'adidas'
>>> [(h.name, h.matched) for h in index.scan("雷碧汽水 330ml 整箱")]
[('雪碧', '雷碧')]

A hit scoring at least :data:`DEFAULT_THRESHOLD` is a likely confusion.

Parts: :mod:`.normalize` (comparison keys), :mod:`.phonetics` (pinyin, near-sounds,
Metaphone for Latin names), :mod:`.glyphs` (look-alike characters), :mod:`.parts`
(character decompositions, 拆字), :mod:`.scoring` (signals and reasons), :mod:`.index`
(candidate generation, rescoring, scanning texts, memory-mapped files), :mod:`.pool`
(scanning many texts on several cores), :mod:`.synthetic` (a seeded registry and listing
titles for tests, benchmarks and demo data).
"""

from __future__ import annotations

from .glyphs import similar_glyphs
from .index import DEFAULT_THRESHOLD, FORMAT, Hit, MarkIndex
from .normalize import normalize_mark
from .pool import PendingScan, ScanPool
from .scoring import compare, latin_skeleton

__all__ = [
    "DEFAULT_THRESHOLD",
    "FORMAT",
    "Hit",
    "MarkIndex",
    "PendingScan",
    "ScanPool",
    "compare",
    "latin_skeleton",
    "normalize_mark",
    "similar_glyphs",
]
