"""How characters are written as parts (拆字), for the knock-offs that play on it.

The table (``data/parts_table.txt``, rebuilt by :mod:`.partsbuild` from the 漢語拆字字典)
gives each character's decompositions: 仔 = 亻 + 子, 雕 = 周 + 隹, 德 = 彳 十 罒 一 心.
Three likenesses are read from it:

* **two characters written as one's parts** (拆字): 周住 for 雕牌 writes 雕 as 周 and 隹
  (住 a look-alike of 隹), :func:`merged`;
* **a character and one of its two parts, or two characters differing in one of two
  parts of a small family** (部件相同, merged into :func:`.glyphs.component_neighbours`):
  旺子 for 旺仔 drops 亻, 旺好 for 旺仔 keeps 子, :func:`decomposition_pairs`;
* **a shared part of any kind**, radicals included (艾/芙 share 艹), a weak likeness that
  only orders otherwise equal marks, :func:`shared_parts`.

Single strokes (一, 丶 …) are no parts here, and the variants of a radical count as one
(亻 and 人, 艹 and 艸).

>>> merged("周", "隹")
('雕',)
>>> sorted(shared_parts("艾", "芙"))
['艹']
>>> shared_parts("仔", "王")
frozenset()
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = [
    "FAMILY_LIMIT",
    "FORMAT",
    "TABLE_FILE",
    "decomposition_pairs",
    "decompositions",
    "merged",
    "part_family",
    "parts",
    "shared_parts",
]

#: Format tag on the first line of the table file.
FORMAT = "ipshield.marks.parts/1"
_TABLE = "parts_table.txt"
#: The shipped file (what :mod:`.partsbuild` writes).
TABLE_FILE = Path(__file__).with_name("data") / _TABLE
#: Two characters differing in one of their two parts count as sharing a component when
#: at most this many common characters have that part in that place (子 on the right:
#: 仔 好 籽 …); larger families are radicals (氵, 艹), which only :func:`shared_parts` counts.
FAMILY_LIMIT = 20

# Single strokes and stroke-like pieces: every character has some.
_STROKES = frozenset("一丨丿丶乙乛亅乚乀㇆") | frozenset(chr(c) for c in range(0x31C0, 0x31F0))
# Variants of a radical, as the dictionary writes them, counted as one part.
_ALIASES = {
    "草": "艹",
    "艸": "艹",
    "人": "亻",
    "水": "氵",
    "手": "扌",
    "心": "忄",
    "金": "钅",
    "言": "讠",
    "糸": "纟",
    "食": "饣",
    "示": "礻",
    "衣": "衤",
    "犬": "犭",
    "刀": "刂",
    "辵": "辶",
    "网": "罒",
    "攴": "攵",
}

Decomposition = tuple[str, ...]


@cache
def _table() -> dict[str, tuple[Decomposition, ...]]:
    text = resources.files(__package__ or __name__).joinpath("data", _TABLE).read_text("utf-8")
    lines = text.splitlines()
    if not lines or lines[0] != f"# {FORMAT}":
        raise ValueError(f"{_TABLE} is not a decomposition table (first line '# {FORMAT}')")
    table: dict[str, tuple[Decomposition, ...]] = {}
    for line in lines:
        if line.startswith("#") or not line:
            continue
        ch, _, rest = line.partition("\t")
        table[ch] = tuple(tuple(item) for item in rest.split("|"))
    return table


def decompositions(ch: str) -> tuple[Decomposition, ...]:
    """The ways ``ch`` is written as parts, in the dictionary's order (``()`` if none)."""
    return _table().get(ch, ())


@cache
def parts(ch: str) -> frozenset[str]:
    """The parts of ``ch`` in any of its decompositions, strokes left out, radicals merged."""
    return frozenset(_ALIASES.get(p, p) for d in decompositions(ch) for p in d if p not in _STROKES)


def shared_parts(a: str, b: str) -> frozenset[str]:
    """The parts ``a`` and ``b`` have in common (艾/芙: 艹), none for the same character.

    Not cached: scoring caches the substitution it serves (millions of pairs in a scan)."""
    return frozenset() if a == b else parts(a) & parts(b)


@cache
def _part_index() -> dict[str, tuple[str, ...]]:
    index: defaultdict[str, list[str]] = defaultdict(list)
    for ch in _table():
        for p in parts(ch):
            index[p].append(ch)
    return {p: tuple(chars) for p, chars in index.items()}


@cache
def part_family(ch: str) -> tuple[str, ...]:
    """The characters sharing at least one part with ``ch`` (:func:`shared_parts`)."""
    index = _part_index()
    return tuple(sorted({o for p in parts(ch) for o in index.get(p, ()) if o != ch}))


@cache
def _merges() -> dict[tuple[str, str], tuple[str, ...]]:
    found: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for ch, ways in _table().items():
        for d in ways:
            if len(d) == 2 and ch not in found[(d[0], d[1])]:
                found[(d[0], d[1])].append(ch)
    return {k: tuple(v) for k, v in found.items() if v}


def merged(first: str, second: str) -> tuple[str, ...]:
    """The characters written as ``first`` then ``second`` (周, 隹 → 雕; 木, 子 → 李)."""
    return _merges().get((first, second), ())


def decomposition_pairs(common: Iterable[str], characters: Iterable[str]) -> dict[str, set[str]]:
    """Pairs of ``common`` characters sharing a component by their decomposition.

    A character and one of its two parts when the other part is a radical form that is
    none of ``characters`` (the whole list: 仔 = 亻 + 子 gives 仔/子), and two characters
    whose two-part decompositions differ in one place only, when at most :data:`FAMILY_LIMIT` of the
    common characters have the kept part in that place (仔/好: 子 on the right).
    Symmetric: ``b in pairs[a]`` exactly when ``a in pairs[b]``.
    """
    chars = list(dict.fromkeys(common))
    known = set(characters) | set(chars)
    pairs: defaultdict[str, set[str]] = defaultdict(set)
    families: defaultdict[tuple[int, str], set[str]] = defaultdict(set)
    wanted = set(chars)
    for ch in chars:
        for d in decompositions(ch):
            if len(d) != 2 or any(p in _STROKES for p in d):
                continue
            for place, (kept, other) in enumerate((d, d[::-1])):
                families[(place, kept)].add(ch)
                if kept in wanted and other not in known and kept != ch:
                    pairs[ch].add(kept)
                    pairs[kept].add(ch)
    for family in families.values():
        if 2 <= len(family) <= FAMILY_LIMIT:
            for ch in family:
                pairs[ch].update(family - {ch})
    return dict(pairs)
