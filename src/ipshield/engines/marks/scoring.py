"""Compare two normalised mark keys and explain the likeness in Chinese.

Each signal gives a similarity in [0, 1] and the reasons behind it; the score is the
strongest signal. Only identical keys score 1.

* character alignment (an edit distance whose substitution costs are small for
  look-alike characters, homophones, characters sharing a large component (恰/哈) and
  near-sounds, and a little below a plain substitution for characters sharing any part
  (艾/芙: 艹), see :data:`COSTS`), which also covers added and dropped characters: cheap
  where the rest of the name is kept as written or in look-alikes (鑫康佳 contains 康佳),
  as dear as an unrelated character next to other changes (小日 is not 小白兔);
* Latin look-alikes (rn↔m, vv↔w, 0↔o, 1↔l↔i …; weaker: m↔n, u↔v, a↔o, b↔d, c↔e, and
  capitals drawn alike, D↔O, B↔P, F↔P, R↔K),
  spelling distance (rapidfuzz) and sound (Metaphone, :func:`.phonetics.latin_sound`);
* the sound of the whole name (pinyin with and without tones, and near-sounds), a little
  less when the characters are written differently (得爱/德艾);
* reordering of the same characters;
* shared character bigrams.

>>> score, reasons = compare("康帅傅", "康师傅")
>>> round(score, 2), reasons[0]
(0.97, '帅≈师 字形近似，读音 shuai/shi')
>>> compare("雪碧", "雪碧")
(1.0, ('规范化后相同',))
"""

from __future__ import annotations

import math
import re
from functools import cache

from rapidfuzz.distance import Levenshtein

from ..reasons import Reason
from .glyphs import shared_component, similar_glyphs
from .parts import shared_parts
from .phonetics import fuzzy, is_cjk, latin_sound, near_sound_rule, syllables, toneless

__all__ = ["COSTS", "LATIN_SHAPE_CLASSES", "compare", "latin_shape", "latin_skeleton"]

#: Edit costs of the character alignment (a plain substitution costs 1).
COSTS = {
    "glyph": 0.08,
    "homophone": 0.25,
    "tone": 0.3,
    "near_sound": 0.45,
    "component": 0.35,
    "part": 0.9,
    "latin_lookalike": 0.15,
    "latin_similar": 0.4,
    "indel": 0.7,
    "indel_with_changes": 1.0,
}
# Substitutions at most this dear keep a character "as written" (a look-alike): an added or
# dropped character costs COSTS["indel"] only when every other character is kept so.
_MILD = 0.15
# Longer names are cut for the alignment, which is quadratic in the length.
_MAX_ALIGN = 48
# Only identical keys score 1; everything else stays below.
_CEILING = 0.99
# Float tolerance of the backtrace.
_EPS = 1e-9

# Multi-letter look-alikes first, then single characters (on lower-cased keys).
_LATIN_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("nn", "m"))
_LATIN_SINGLE = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "8": "b"})
_LATIN_CLASS = {"0": "o", "o": "o", "1": "l", "l": "l", "i": "l", "5": "s", "s": "s"}
# Letters that are told apart at a glance but often swapped by knock-offs (abibas, Nlke, Mike),
# and capitals drawn alike (KDNRA for KONKA: D/O and R/K; Buta and Fuma for Puma: B/P, F/P).
_LATIN_SIMILAR = frozenset(
    frozenset(pair)
    for pair in ("mn", "uv", "vw", "ao", "bd", "ce", "nh", "pq", "do", "rk", "bp", "fp")
)


def _shape_classes(pairs: frozenset[frozenset[str]]) -> dict[str, str]:
    """Letter → the first letter of its class, the classes joining the look-alike pairs."""
    groups: list[set[str]] = []
    for pair in pairs:
        joined = set(pair)
        for group in [g for g in groups if g & joined]:
            joined |= group
            groups.remove(group)
        groups.append(joined)
    return {ch: min(group) for group in groups for ch in group}


#: Latin letters drawn alike, by class (d, o, a, b, p … → a): the look-alike pairs joined.
LATIN_SHAPE_CLASSES = _shape_classes(_LATIN_SIMILAR)
_SHAPE_CLASSES = str.maketrans(LATIN_SHAPE_CLASSES)
_HAS_LATIN = re.compile("[a-z0-9]")
_HAS_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_LETTERS = re.compile("[^a-z]+")
_DIGITS_AS_LETTERS = str.maketrans({"0": "o", "1": "l", "|": "l", "5": "s", "8": "b"})


def latin_skeleton(key: str) -> str:
    """Collapse Latin look-alikes: ``"rnicr0s0ft"`` → ``"mlcrosoft"``.

    >>> latin_skeleton("app1e") == latin_skeleton("apple")
    True
    """
    for pattern, target in _LATIN_MULTI:
        key = key.replace(pattern, target)
    return key.translate(_LATIN_SINGLE)


def latin_shape(key: str) -> str:
    """:func:`latin_skeleton` with letters drawn alike folded into one (d, o, a, b, p …):
    two names equal here differ only in look-alike letters (KDNRA/KONKA).

    >>> latin_shape("kdnra") == latin_shape("konka")
    True
    """
    return latin_skeleton(key).translate(_SHAPE_CLASSES)


@cache
def _substitution(a: str, b: str) -> tuple[float, Reason | None]:
    if a == b:
        return 0.0, None
    if is_cjk(a) and is_cjk(b):
        (pa,), (pb,) = syllables(a), syllables(b)
        ta, tb = toneless(pa), toneless(pb)
        if b in similar_glyphs(a):
            return COSTS["glyph"], Reason(
                "marks.glyph", f"{a}≈{b} 字形近似，读音 {ta}/{tb}", a=a, b=b, sound_a=ta, sound_b=tb
            )
        if pa == pb:
            return COSTS["homophone"], Reason(
                "marks.homophone", f"{a}≈{b} 同音 {ta}", a=a, b=b, sound=ta
            )
        if ta == tb:
            return COSTS["tone"], Reason(
                "marks.tone", f"{a}≈{b} 音同调不同 {pa}/{pb}", a=a, b=b, sound_a=pa, sound_b=pb
            )
        if shared_component(a, b):
            return COSTS["component"], Reason(
                "marks.component",
                f"{a}≈{b} 字形部分相同（部件相同），读音 {ta}/{tb}",
                a=a,
                b=b,
                sound_a=ta,
                sound_b=tb,
            )
        if fuzzy(pa) == fuzzy(pb):
            rule = near_sound_rule(ta, tb)
            return COSTS["near_sound"], Reason(
                "marks.near_sound",
                f"{a}≈{b} 近音 {ta}/{tb}（{rule}）",
                a=a,
                b=b,
                sound_a=ta,
                sound_b=tb,
                rules=[r for r in rule.split("，") if r],
            )
        shared = shared_parts(a, b)
        if shared:
            parts = sorted(shared)
            return COSTS["part"], Reason(
                "marks.shared_part",
                f"{a}→{b} 不同，共有部件“{'、'.join(parts)}”",
                a=a,
                b=b,
                parts=parts,
            )
    elif a in _LATIN_CLASS and _LATIN_CLASS[a] == _LATIN_CLASS.get(b):
        return COSTS["latin_lookalike"], Reason(
            "marks.latin_lookalike", f"{a}≈{b} 形近字符", a=a, b=b
        )
    elif frozenset((a, b)) in _LATIN_SIMILAR:
        return COSTS["latin_similar"], Reason("marks.latin_similar", f"{a}≈{b} 形近字母", a=a, b=b)
    return 1.0, Reason("marks.different", f"{a}→{b} 不同", a=a, b=b)


def _distance(costs: list[list[float]], indel: float, m: int) -> list[list[float]]:
    """Table of the weighted edit distance over a matrix of substitution costs."""
    dist = [[j * indel for j in range(m + 1)]]
    for i, cost in enumerate(costs, 1):
        prev = dist[-1]
        row = [i * indel]
        left = row[0]
        for j in range(m):
            diagonal = prev[j] + cost[j]
            up = prev[j + 1] + indel
            left = left + indel
            if up < left:
                left = up
            if diagonal < left:
                left = diagonal
            row.append(left)
        dist.append(row)
    return dist


def _backtrace(
    q: str, c: str, dist: list[list[float]], costs: list[list[float]], indel: float
) -> list[Reason]:
    edits: list[Reason] = []
    i, j = len(q), len(c)
    while i or j:
        if i and j and abs(dist[i][j] - dist[i - 1][j - 1] - costs[i - 1][j - 1]) < _EPS:
            reason = _substitution(q[i - 1], c[j - 1])[1]
            if reason is not None:
                edits.append(reason)
            i, j = i - 1, j - 1
        elif i and (not j or abs(dist[i][j] - dist[i - 1][j] - indel) < _EPS):
            edits.append(Reason("marks.added", f"多出“{q[i - 1]}”", char=q[i - 1]))
            i -= 1
        else:
            edits.append(Reason("marks.missing", f"缺少“{c[j - 1]}”", char=c[j - 1]))
            j -= 1
    edits.reverse()
    return edits


def _align(q: str, c: str) -> tuple[float, list[Reason]]:
    """Weighted edit distance (see :data:`COSTS`) with a backtrace of the edits made.

    An added or dropped character is cheap (``indel``) where the rest of the name is kept
    as written or in look-alikes (鑫康佳 contains 康佳); next to other changes it costs as
    much as an unrelated character (``indel_with_changes``): 小日 keeps too little of 小白兔.
    The cheaper of the two alignments counts.
    """
    q, c = q[:_MAX_ALIGN], c[:_MAX_ALIGN]
    n, m = len(q), len(c)
    costs = [[_substitution(a, b)[0] for b in c] for a in q]
    indel, cheap = COSTS["indel_with_changes"], COSTS["indel"]
    dist = _distance(costs, indel, m)
    # The cheap alignment pays an indel for each character of either name that has no
    # counterpart kept as written: skip it when that alone is no cheaper.
    kept_rows = sum(min(row) <= _MILD for row in costs) if m else 0
    if dist[n][m] > cheap * (n + m - 2 * kept_rows) + _EPS:
        mild = [[x if x <= _MILD else math.inf for x in row] for row in costs]
        kept = _distance(mild, cheap, m)
        if kept[n][m] < dist[n][m] - _EPS:
            return kept[n][m], _backtrace(q, c, kept, mild, cheap)
    return dist[n][m], _backtrace(q, c, dist, costs, indel)


def _alignment_signal(q: str, c: str) -> tuple[float, list[Reason]]:
    cost, edits = _align(q, c)
    similarity = max(0.0, 1.0 - cost / max(len(q[:_MAX_ALIGN]), len(c[:_MAX_ALIGN])))
    if len(edits) == 1 and edits[0].code in ("marks.added", "marks.missing"):
        edit = edits[0]
        edits = [Reason(f"{edit.code}_one", f"{edit}（增删一个字）", **edit.params)]
    return similarity, edits


def _latin_signal(q: str, c: str) -> tuple[float, list[Reason]]:
    if not (_HAS_LATIN.search(q) and _HAS_LATIN.search(c)):
        return 0.0, []
    sq, sc = latin_skeleton(q), latin_skeleton(c)
    if sq == sc:
        found = [
            Reason("marks.latin_similar", f"{a}≈{b} 形近字母", a=a, b=b)
            for a, b in _LATIN_MULTI
            if (a in q and a not in c and b in c) or (a in c and a not in q and b in q)
        ]
        if not found and len(q) == len(c):
            found = [
                Reason("marks.latin_lookalike", f"{a}≈{b} 形近字符", a=a, b=b)
                for a, b in zip(q, c, strict=True)
                if a != b
            ]
        return 0.95, found or [Reason("marks.latin_letters", "字母形近")]
    distance = Levenshtein.distance(sq, sc)
    similarity = 0.95 * (1.0 - distance / max(len(sq), len(sc)))
    return similarity, [
        Reason("marks.spelling", f"拼写相差 {distance} 处（{q}/{c}）", count=distance, a=q, b=c)
    ]


def sound_letters(key: str) -> str:
    """Letters as a reader would pronounce them: look-alike digits and pairs read as letters."""
    for pattern, target in _LATIN_MULTI:
        key = key.replace(pattern, target)
    return _LATIN_LETTERS.sub("", key.translate(_DIGITS_AS_LETTERS))


def _latin_sound_signal(q: str, c: str) -> tuple[float, list[Reason]]:
    if _HAS_CJK.search(q) or _HAS_CJK.search(c):
        return 0.0, []  # a Latin part of a mixed mark is too short to be read on its own
    lq, lc = sound_letters(q), sound_letters(c)
    if len(lq) < 3 or len(lc) < 3 or lq == lc:
        return 0.0, []
    key = latin_sound(lq)
    # Keys of two letters (PM, NK) are shared by too many unrelated words to count.
    if len(key) < 3 or key != latin_sound(lc):
        return 0.0, []
    # Same key, but the spelling may still be far apart (bucksstar/bexdry): weigh it in.
    similarity = 0.85 - 0.3 * Levenshtein.normalized_distance(lq, lc)
    return similarity, [Reason("marks.latin_sound", f"英文读音相近（{key}）", key=key)]


# The whole-name sound signal loses this much when every character is written differently.
_SOUND_REWRITTEN = 0.1


def _rewritten_share(q: str, c: str) -> float:
    """Share of the positions where two names of one length differ in writing and shape."""
    if len(q) != len(c) or not q:
        return 1.0
    changed = sum(a != b and b not in similar_glyphs(a) for a, b in zip(q, c, strict=True))
    return changed / len(q)


def _sound_signal(q: str, c: str) -> tuple[float, list[Reason]]:
    pq, pc = syllables(q), syllables(c)
    if not any(is_cjk(ch) for ch in q + c):
        return 0.0, []
    shown = " ".join(toneless(s) for s in pq)
    # A name that only sounds alike is read, not heard, first: each character written
    # differently (neither the same nor a look-alike) takes a little off (得爱 for 德艾).
    rewritten = _SOUND_REWRITTEN * _rewritten_share(q, c)
    if pq == pc:
        return 0.9 - rewritten, [Reason("marks.same_sound", f"读音相同 {shown}", sound=shown)]
    if [toneless(s) for s in pq] == [toneless(s) for s in pc]:
        return 0.88 - rewritten, [
            Reason("marks.same_sound_tones", f"读音相同（声调不同）{shown}", sound=shown)
        ]
    fq, fc = [fuzzy(s) for s in pq], [fuzzy(s) for s in pc]
    other = " ".join(toneless(s) for s in pc)
    if fq == fc:
        return 0.83 - rewritten, [
            Reason("marks.near_sounds", f"读音相近 {shown} / {other}", sound_a=shown, sound_b=other)
        ]
    similarity = 0.83 * Levenshtein.normalized_similarity(fq, fc)
    return similarity, [
        Reason(
            "marks.partial_sounds", f"读音部分相近 {shown} / {other}", sound_a=shown, sound_b=other
        )
    ]


def _reorder_signal(q: str, c: str) -> tuple[float, list[Reason]]:
    if len(q) > 1 and sorted(q) == sorted(c):
        return 0.8, [Reason("marks.reordered", f"字序调换 {q}/{c}", a=q, b=c)]
    return 0.0, []


def _bigrams(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)} or {key}


def _ngram_signal(q: str, c: str) -> tuple[float, list[Reason]]:
    bq, bc = _bigrams(q), _bigrams(c)
    shared = bq & bc
    if not shared:
        return 0.0, []
    dice = 2 * len(shared) / (len(bq) + len(bc))
    groups = sorted(shared)
    text = "共有字组 " + "、".join(f"“{s}”" for s in groups)
    return 0.8 * dice, [Reason("marks.shared_bigrams", text, groups=groups)]


_SIGNALS = (
    _alignment_signal,
    _latin_signal,
    _latin_sound_signal,
    _sound_signal,
    _reorder_signal,
    _ngram_signal,
)
_IDENTICAL = Reason("marks.identical", "规范化后相同")
# Signals weaker than this, or this far below the strongest, add no reasons.
_REASON_FLOOR = 0.5
_REASON_BAND = 0.1


def compare(query_key: str, mark_key: str) -> tuple[float, tuple[Reason, ...]]:
    """Score two *normalised* keys (see :func:`normalize_mark`) and explain the score.

    Returns ``(score, reasons)``: score in [0, 1], 1 only for identical keys;
    reasons in Chinese, strongest signal first, each a :class:`~ipshield.engines.reasons.Reason`
    (a ``str`` with a ``code`` such as ``"marks.glyph"`` and ``params``).
    """
    if query_key == mark_key:
        return 1.0, (_IDENTICAL,)
    if not query_key or not mark_key:
        return 0.0, ()
    results = sorted(
        (signal(query_key, mark_key) for signal in _SIGNALS), key=lambda r: r[0], reverse=True
    )
    best = results[0][0]
    reasons: list[Reason] = []
    for index, (value, texts) in enumerate(results):
        if value > 0 and (index == 0 or value >= max(_REASON_FLOOR, best - _REASON_BAND)):
            reasons.extend(texts)
    return min(_CEILING, best), tuple(dict.fromkeys(reasons))
