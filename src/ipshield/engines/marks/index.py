"""An index of mark names for confusing-mark search, built for a million marks.

A search does not compare the query with every mark. Posting lists (numpy arrays in
CSR form) map *keys* to the marks that have them, and the keys are chosen so that a
knock-off shares several of them with its original:

* unordered pairs of neighbouring characters (also with one character between them,
  which survives an inserted or dropped character and a swap), looked up with each
  character replaced by its look-alikes (:func:`.similar_glyphs`), or, with a lower
  weight, by a character sharing its larger component (:func:`.glyphs.component_neighbours`)
  at query time;
* the same pairs of near-sound syllables (:func:`.phonetics.fuzzy`), for homophones;
* the name with one (Latin names: up to two) characters deleted — a deletion
  neighbourhood that finds every name one edit away, whatever the edit;
* Latin look-alike trigrams and the Metaphone key (:func:`.phonetics.latin_sound`).

A search runs in three stages. (1) Each key of the query found in the posting lists adds
its weight times its rarity (idf) to the marks listed; the best 1,500 marks (weighted down
by length difference) go on. (2) Those are aligned with the query all at once (numpy): a
weighted edit distance over their first 12 characters with the costs of
:data:`.scoring.COSTS`, plus whole-name sound and reordering. (3) The best few dozen are
rescored with :func:`.compare`, which gives the score and the reasons. Class filtering is a
bit mask per mark. At a million marks a search takes a few milliseconds on one core.

:meth:`MarkIndex.scan` looks for marks inside a longer text (a listing title); see there.
:meth:`MarkIndex.save` writes one file of aligned arrays that :meth:`MarkIndex.load` maps
into memory, so loading is immediate and processes share the pages.

>>> index = MarkIndex.build(["康师傅", "雪碧", "奥利奥"], ids=["m1", "m2", "m3"],
...                         classes=[{30}, {32}, {30}])
>>> hit = index.search("康帅傅", k=1)[0]
>>> hit.name, hit.id, round(hit.score, 2), hit.reasons[0]
('康师傅', 'm1', 0.97, '帅≈师 字形近似，读音 shuai/shi')
>>> [h.name for h in index.search("雷碧", classes={30})]
[]
>>> [(h.name, h.matched) for h in index.scan("2024新款康帅傅红烧牛肉面 整箱批发")]
[('康师傅', '康帅傅')]
"""

from __future__ import annotations

import json
import math
import threading
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ipshield.engines.reasons import Reason
from ipshield.engines.text import to_simplified

from . import glyphs
from .glyphs import component_neighbours, similar_glyphs
from .normalize import normalize_mark
from .parts import merged, part_family
from .phonetics import fuzzy, is_cjk, latin_sound, reading
from .scoring import (
    _SOUND_REWRITTEN,
    COSTS,
    LATIN_SHAPE_CLASSES,
    compare,
    latin_shape,
    latin_skeleton,
    sound_letters,
)

__all__ = ["DEFAULT_THRESHOLD", "FORMAT", "Hit", "MarkIndex"]

#: Format tag written by :meth:`MarkIndex.save`.
FORMAT = "ipshield.marks.index/3"
#: A hit scoring at least this is a likely confusion (an alert). It is what a four-character
#: name with one unrelated character changed scores (六仁核桃/六个核桃); one unrelated
#: character in three (大白菜/大白兔, 0.67) stays below, a look-alike or homophone change
#: (康帅傅 0.97, 康师付 0.92) and an extra character in two (鑫康佳 0.77) above.
DEFAULT_THRESHOLD = 0.75

#: Nice classification: goods 1-34, services 35-45.
_NICE_CLASSES = range(1, 46)
# Stage one (posting lists) keeps this many marks for stage two (a vectorised alignment of
# the first _WIDTH characters); the best of those, at least _MIN_CANDIDATES (or this many
# per requested hit), are rescored with compare().
_STAGE_ONE = 1500
_MIN_CANDIDATES = 24
_PER_HIT_CANDIDATES = 3
# Stage two compares the first _WIDTH characters of each name, within _BAND of the diagonal.
_WIDTH = 12
_BAND = 3
# Posting lists longer than this share of the index (and this absolute floor) are skipped:
# a key that common (a suffix word such as 食品) tells nothing about confusion.
_STOP_SHARE = 0.02
_STOP_FLOOR = 5_000
# Deletion neighbourhoods: one deletion for names of 3 to 16 characters, two for Latin
# names of 6 to 12 letters (abibas/adidas are two edits apart).
_DEL1_LENGTHS = range(3, 17)
_DEL2_LENGTHS = range(6, 13)
# Latin names of at least this many letters are also keyed by their shape (latin_shape).
_SHAPE_MIN = 4
# Queries up to this long also look up pairs with both characters replaced by look-alikes.
_SHORT_QUERY = 3
# Search also tries the query with two neighbouring characters merged into the character
# they split (周住 → 雕): for queries of up to _SPLIT_LENGTH characters, at most _MAX_SPLITS
# such variants, whose hits score _SPLIT_FACTOR of their likeness to the merged name, at
# most _SPLIT_CEILING: below one unrelated character in three (0.67), above one in two
# (0.5). A split is a weak likeness, for the officer to judge and never an alert: the
# decomposition data is coarse (土豆 would read as 垣 = 土 + 亘, 豆≈亘).
_SPLIT_LENGTH = 6
_MAX_SPLITS = 3
_SPLIT_FACTOR = 0.9
_SPLIT_CEILING = 0.6
# Scanning: glyph variants are expanded on the index side (faster per title) up to this size.
_SCAN_EXPAND_LIMIT = 200_000
# Scanning: a two-character mark is found with a look-alike at least this close (when the
# glyph table gives similarities), or a curated one.
_CLOSE_GLYPH = 0.82
# Scanning: Latin words joined with their neighbours (louis vitton) up to this many.
_SCAN_JOIN_WORDS = 3
_SCAN_MAX_JOINED = 24

_MAGIC = b"IPSHIELD-MARKS\n\x00"
_ALIGN = 64

MarkId = str | int
_Int = npt.NDArray[np.int64]

# -- Keys -------------------------------------------------------------------------------------
# A key is a 64-bit integer: its kind in the top four bits, then either an exact encoding
# (character pairs: two 21-bit code points; syllable pairs: two 30-bit codes) or a hash.
_PAIR, _SOUND, _DEL, _TRI, _META, _ONE, _ONE_SOUND, _SLOT, _SHAPE = range(1, 10)
_LOW60 = (1 << 60) - 1
_M64 = (1 << 64) - 1
# Weight of each kind of key in the candidate pre-score (times the key's idf).
_W_PAIR = 1.0
_W_GLYPH = 0.9
_W_COMPONENT = 0.5
_W_SOUND = 0.6
_W_DEL = 1.5
_W_TRI = 0.35
_W_META = 1.0
_W_SLOT = 0.3
_W_SHAPE = 0.5
# Each character of length difference divides the pre-score by (1 + this).
_LENGTH_PENALTY = 0.25


def _hash(kind: int, text: str) -> int:
    """Stable 60-bit hash (FNV-1a over code points, then a splitmix64 finaliser) with a kind."""
    h = 0xCBF29CE484222325
    for ch in text:
        h = ((h ^ ord(ch)) * 0x100000001B3) & _M64
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _M64
    h ^= h >> 33
    return (kind << 60) | (h & _LOW60)


@cache
def _sound_code(ch: str) -> int:
    """A 30-bit code of the near-sound syllable of ``ch`` (exact for ordinary pinyin)."""
    syllable = fuzzy(reading(ch))
    if 0 < len(syllable) <= 6 and syllable.isascii() and syllable.isalpha():
        code = 0
        for letter in syllable:
            code = code * 27 + ord(letter) - 96
        return code
    return (1 << 29) | (_hash(0, syllable) & ((1 << 29) - 1))


@cache
def _parts(ch: str) -> tuple[int, ...]:
    """Code points of the characters sharing a large component with ``ch`` (恰 → 哈 …)."""
    return tuple(sorted(ord(g) for g, _ in component_neighbours(ch)))


@cache
def _family(ch: str) -> tuple[int, ...]:
    """Code points of the characters sharing any part with ``ch`` (艾 → 芙 …)."""
    return tuple(ord(other) for other in part_family(ch) if len(other) == 1)


@cache
def _char(ch: str) -> tuple[int, int, tuple[int, ...]]:
    """Code point, near-sound code and look-alike code points of a CJK character."""
    looks = tuple(sorted(ord(g) for g in similar_glyphs(ch) if len(g) == 1 and g != ch))
    return ord(ch), _sound_code(ch), looks


def _member(codes: npt.NDArray[Any], values: Sequence[int]) -> npt.NDArray[np.bool_]:
    """Whether each of ``codes`` is one of ``values``: a lookup table, faster than np.isin
    for the few hundred code points of a character's family (codes beyond the table clip to
    its last entry, which is never set)."""
    table = np.zeros(max(values) + 2, dtype=np.bool_)
    table[list(values)] = True
    return table.take(codes, mode="clip")


def _pair(a: int, b: int) -> int:
    return (_PAIR << 60) | (min(a, b) << 21) | max(a, b)


def _sound_pair(a: int, b: int) -> int:
    return (_SOUND << 60) | (min(a, b) << 30) | max(a, b)


def _deletions(text: str) -> set[str]:
    """The text and its one-deletion variants (two for Latin), within the length limits."""
    out = {text}
    if len(text) in _DEL1_LENGTHS:
        first = {text[:i] + text[i + 1 :] for i in range(len(text))}
        out |= first
        if len(text) in _DEL2_LENGTHS and text.isascii():
            out |= {v[:i] + v[i + 1 :] for v in first for i in range(len(v))}
    return out


# Stage two: Latin letters drawn alike (scoring's LATIN_SHAPE_CLASSES) share a class code.
_CLASS_BASE = 1 << 30  # above every syllable code


@cache
def _code(ch: str) -> tuple[int, int, int]:
    """Stage-two codes of one character: code point, toneless-syllable code, near-sound code.

    For a Latin letter the last is the class of letters it is swapped with (m/n, u/v/w …).
    """
    if is_cjk(ch):
        syllable = reading(ch).rstrip("012345")
        code = 0
        for letter in syllable[:6]:
            code = code * 27 + (ord(letter) - 96 if "a" <= letter <= "z" else 0)
        return ord(ch), code, _sound_code(ch)
    group = LATIN_SHAPE_CLASSES.get(ch)
    return ord(ch), 0, _CLASS_BASE + ord(group) if group else 0


def _codes(key: str) -> tuple[list[int], list[int], list[int]]:
    """Stage-two code rows (``_WIDTH`` wide, zero-padded) of a normalised key."""
    chars = [_code(ch) for ch in latin_skeleton(key)[:_WIDTH]]
    pad = [0] * (_WIDTH - len(chars))
    return (
        [c for c, _, _ in chars] + pad,
        [t for _, t, _ in chars] + pad,
        [n for _, _, n in chars] + pad,
    )


def _shared_start(a: str, b: str) -> int:
    """Length of the common beginning of two keys (look-alike letters folded)."""
    a, b = latin_skeleton(a), latin_skeleton(b)
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _latin_part(key: str) -> str:
    return "".join(ch for ch in key if not is_cjk(ch))


def _slots(key: str) -> list[int]:
    """Keys of a two-character Chinese name: each character in its place (乐吉: 乐_, _吉).

    The one-deletion neighbourhood starts at three characters; these keys find the marks
    that keep one character of two in place (乐事 for 乐吉), which weigh little among
    many but come to the top within a few classes.
    """
    if len(key) != 2 or not (is_cjk(key[0]) and is_cjk(key[1])):
        return []
    return [(_SLOT << 60) | (slot << 21) | ord(ch) for slot, ch in enumerate(key)]


def _split_variants(key: str) -> list[tuple[str, Reason]]:
    """The key with two neighbouring characters written back as the one they split (拆字):
    周住 → 雕 (雕 = 周 + 隹, 住 a look-alike of 隹), each with its reason; at most
    ``_MAX_SPLITS``, for keys of up to ``_SPLIT_LENGTH`` characters."""
    out: list[tuple[str, Reason]] = []
    if len(key) > _SPLIT_LENGTH:
        return out
    for i in range(len(key) - 1):
        x, y = key[i], key[i + 1]
        if not (is_cjk(x) and is_cjk(y)):
            continue
        # Both parts as written, or one of them as a look-alike (周住: 住 for 隹).
        ways = [(x, y)]
        ways += [(a, y) for a in sorted(similar_glyphs(x))]
        ways += [(x, b) for b in sorted(similar_glyphs(y))]
        for a, b in ways:
            for whole in merged(a, b):
                if len(out) < _MAX_SPLITS:
                    reason = Reason(
                        "marks.split",
                        f"{x}{y}≈{whole} 拆字（{whole} = {a} + {b}）",
                        written=x + y,
                        whole=whole,
                        a=a,
                        b=b,
                    )
                    out.append((key[:i] + whole + key[i + 2 :], reason))
    return out


def _index_keys(key: str) -> set[int]:
    """The keys of a normalised mark key."""
    out: set[int] = set()
    n = len(key)
    for i, ch in enumerate(key):
        if not is_cjk(ch):
            continue
        a, sa, _ = _char(ch)
        for gap in (1, 2):
            j = i + gap
            if j < n and is_cjk(key[j]):
                b, sb, _ = _char(key[j])
                out.add(_pair(a, b))
                out.add(_sound_pair(sa, sb))
    if n == 1 and is_cjk(key):
        a, sa, _ = _char(key)
        out.add((_ONE << 60) | a)
        out.add((_ONE_SOUND << 60) | sa)
    out.update(_slots(key))
    for variant in _deletions(latin_skeleton(key)):
        out.add(_hash(_DEL, variant))
    latin = _latin_part(key)
    if latin:
        padded = f"^{latin_skeleton(latin)}$"
        for i in range(len(padded) - 2):
            out.add(_hash(_TRI, padded[i : i + 3]))
        sound = latin_sound(sound_letters(latin))
        if len(sound) >= 2:
            out.add(_hash(_META, sound))
        if len(latin) >= _SHAPE_MIN:
            out.add(_hash(_SHAPE, latin_shape(latin)))
    return out


def _query_keys(key: str) -> dict[int, float]:
    """The keys to look up for a query, each with its weight."""
    keys: dict[int, float] = {}

    def add(k: int, weight: float) -> None:
        if keys.get(k, 0.0) < weight:
            keys[k] = weight

    n = len(key)
    short = n <= _SHORT_QUERY
    for i, ch in enumerate(key):
        if not is_cjk(ch):
            continue
        a, sa, looks_a = _char(ch)
        for gap in (1, 2):
            j = i + gap
            if j < n and is_cjk(key[j]):
                b, sb, looks_b = _char(key[j])
                add(_pair(a, b), _W_PAIR)
                add(_sound_pair(sa, sb), _W_SOUND)
                for other in looks_a:
                    add(_pair(other, b), _W_GLYPH)
                    if short:  # both characters replaced: 治治/洽洽, 粤力粤/奥利奥
                        for second in looks_b:
                            add(_pair(other, second), _W_GLYPH)
                for other in looks_b:
                    add(_pair(a, other), _W_GLYPH)
                for other in _parts(ch):
                    add(_pair(other, b), _W_COMPONENT)
                for other in _parts(key[j]):
                    add(_pair(a, other), _W_COMPONENT)
    if n == 1 and is_cjk(key):
        a, sa, looks = _char(key)
        add((_ONE << 60) | a, _W_PAIR)
        for slot in range(2):  # the two-character marks that contain it (雕 in 雕牌)
            add((_SLOT << 60) | (slot << 21) | a, _W_SLOT)
        add((_ONE_SOUND << 60) | sa, _W_SOUND)
        for other in looks:
            add((_ONE << 60) | other, _W_GLYPH)
        for other in _parts(key):
            add((_ONE << 60) | other, _W_COMPONENT)
    for slot in _slots(key):
        add(slot, _W_SLOT)
    for variant in _deletions(latin_skeleton(key)):
        add(_hash(_DEL, variant), _W_DEL)
    latin = _latin_part(key)
    if latin:
        padded = f"^{latin_skeleton(latin)}$"
        for i in range(len(padded) - 2):
            add(_hash(_TRI, padded[i : i + 3]), _W_TRI)
        sound = latin_sound(sound_letters(latin))
        if len(sound) >= 2:
            add(_hash(_META, sound), _W_META)
        if len(latin) >= _SHAPE_MIN:
            add(_hash(_SHAPE, latin_shape(latin)), _W_SHAPE)
    return keys


# -- Results and input checks ----------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One result: the mark's original name, its id, a score in [0, 1] and reasons.

    ``matched`` is the part of the scanned text that matched (:meth:`MarkIndex.scan`);
    it is empty for :meth:`MarkIndex.search`. Each reason is Chinese text and a
    :class:`~ipshield.engines.reasons.Reason` (``code`` and ``params``) that apps translate.
    """

    name: str
    id: MarkId
    score: float
    reasons: tuple[Reason, ...]
    matched: str = ""


def _class_bits(classes: Iterable[int], what: str) -> int:
    values = list(classes)
    bad = sorted(
        {repr(c) for c in values if isinstance(c, bool) or not isinstance(c, int)}
        | {repr(c) for c in values if isinstance(c, int) and c not in _NICE_CLASSES}
    )
    if bad:
        raise ValueError(
            f"{what}的尼斯分类无效：[{', '.join(bad)}]（应为 1 至 45 的整数）"
            f" / invalid Nice classes {', '.join(bad)} (must be integers 1-45)"
        )
    bits = 0
    for c in values:
        bits |= 1 << (c - 1)
    return bits


def _wanted(classes: Iterable[int] | None) -> int | None:
    return None if classes is None else _class_bits(classes, "查询")


def _strings(items: Sequence[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """UTF-8 blob and offsets of a list of strings."""
    encoded = [s.encode("utf-8", "surrogatepass") for s in items]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, np.uint8)
    return blob, offsets


def _string_at(blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64], i: int) -> str:
    return blob[offsets[i] : offsets[i + 1]].tobytes().decode("utf-8", "surrogatepass")


def _matrix(values: array[int]) -> npt.NDArray[np.uint32]:
    flat = np.frombuffer(values, dtype=np.uint32) if values else np.zeros(0, np.uint32)
    return flat.reshape(-1, _WIDTH)


def _is_int_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


# -- Scanning texts ----------------------------------------------------------------------------


@cache
def _text_char(ch: str) -> str:
    """One character of a scanned text as compared: NFKC, lower case; separators → space."""
    if ch in "®™℠©":
        return " "
    out = unicodedata.normalize("NFKC", ch).lower()
    return "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in out)


@dataclass
class _Run:
    """A run of CJK characters (separators between them dropped) or one Latin word."""

    text: str
    origin: list[int]  # index in the original text of each character
    spaced: bool = False  # made of characters written apart (康 师 傅)


def _text_runs(text: str) -> tuple[list[_Run], list[_Run]]:
    """CJK runs and Latin words of a text, with positions in the original text."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for out in _text_char(ch):
            chars.append(out)
            origin.append(index)
    plain = "".join(chars)
    simplified = to_simplified(plain)
    if len(simplified) == len(plain):
        chars = list(simplified)
    else:  # a phrase conversion changed the length: convert character by character
        chars = [to_simplified(c) if len(to_simplified(c)) == 1 else c for c in chars]
    cjk: list[_Run] = []
    words: list[_Run] = []
    run: _Run | None = None
    word: _Run | None = None
    for ch, index in zip(chars, origin, strict=True):
        if is_cjk(ch):
            word = None
            if run is None:
                run = _Run("", [])
                cjk.append(run)
            run.text += ch
            run.origin.append(index)
        elif ch.isascii() and ch.isalnum():
            run = None
            # A capital after a small letter starts a new word: TidsA货 is Tids, A.
            if word is not None and text[index].isupper() and text[word.origin[-1]].islower():
                word = None
            if word is None:
                word = _Run("", [])
                words.append(word)
            word.text += ch
            word.origin.append(index)
        elif ch == " ":
            word = None
            run = None
        else:
            run = word = None
    # Characters spaced out one by one (康 师 傅) are read together.
    merged: list[_Run] = []
    for piece in cjk:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.spaced
            and len(piece.text) == 1
            and text[previous.origin[-1] + 1 : piece.origin[0]].strip() == ""
        ):
            previous.text += piece.text
            previous.origin += piece.origin
        else:
            piece.spaced = len(piece.text) == 1
            merged.append(piece)
    return merged, words


def _shape_matches(window: str, key: str) -> int:
    """How many characters of ``key`` appear in ``window`` as written or as a look-alike."""
    count = 0
    for ch in key:
        if ch in window:
            count += 1
        elif is_cjk(ch):
            count += any(other in window for other in similar_glyphs(ch))
        else:
            count += ch in latin_skeleton(window)
    return count


@lru_cache(maxsize=1 << 16)
def _word_keys(word: str) -> tuple[int, ...]:
    """Keys of a Latin word of a scanned text (words repeat from text to text: cached)."""
    keys = {_hash(_DEL, v) for v in _deletions(latin_skeleton(word))}
    sound = latin_sound(sound_letters(word))
    if len(sound) >= 3:
        keys.add(_hash(_META, sound))
    return tuple(keys)


def _two_alike(window: str, key: str) -> bool:
    """A two-character mark in running text: each character as written or a close look-alike,
    in place (雷碧 for 雪碧, 治治 for 洽洽; not 滇悦 for 悦滇)."""
    if len(window) != 2 or len(key) != 2:
        return False
    return all(w == k or _close_glyphs(w, k) for w, k in zip(window, key, strict=True))


@cache
def _close_glyphs(a: str, b: str) -> bool:
    """Look-alikes close enough to stand for each other in running text."""
    if b not in similar_glyphs(a):
        return False
    similarity = getattr(glyphs, "glyph_similarity", None)
    curated = any(a in group and b in group for group in glyphs.GLYPH_GROUPS)
    return curated or similarity is None or similarity(a, b) >= _CLOSE_GLYPH


# -- The index -------------------------------------------------------------------------------


class MarkIndex:
    """Confusing-mark search over a fixed list of mark names.

    Build it with :meth:`build`, query with :meth:`search` (a name against the marks)
    and :meth:`scan` (marks hidden in a longer text), keep it with :meth:`save` and
    :meth:`load` (memory-mapped). The original names are kept for display; comparison
    uses :func:`normalize_mark` keys. An index is read-only and safe to share between
    threads.
    """

    def __init__(self, arrays: dict[str, Any], meta: dict[str, Any]) -> None:
        # Plain arrays over memory-mapped pages (after load): numpy's memmap subclass adds a
        # Python-level cost to every slice, and a search reads a name per candidate.
        self._a = {name: np.asarray(value) for name, value in arrays.items()}
        arrays = self._a
        self._meta = meta
        self._count = int(meta["count"])
        self._id_kind = str(meta["ids"])
        self._vocab: npt.NDArray[np.uint64] = arrays["vocab"]
        self._post_off: npt.NDArray[np.int64] = arrays["post_off"]
        self._post: npt.NDArray[np.uint32] = arrays["post"]
        self._classes: npt.NDArray[np.uint64] = arrays["classes"]
        self._lengths: npt.NDArray[np.int32] = arrays["lengths"]
        self._codes: npt.NDArray[np.uint32] = arrays["codes"]
        self._tones: npt.NDArray[np.uint32] = arrays["tones"]
        self._nears: npt.NDArray[np.uint32] = arrays["nears"]
        self._stop = max(_STOP_FLOOR, int(self._count * _STOP_SHARE))
        self._scan_lock = threading.Lock()
        self._scan_expand = self._count <= _SCAN_EXPAND_LIMIT
        self._scan_table: tuple[Any, ...] | None = None

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        names: Sequence[str],
        ids: Sequence[MarkId] | None = None,
        classes: Sequence[Iterable[int]] | None = None,
    ) -> MarkIndex:
        """Index ``names``; ``ids`` default to positions, ``classes`` to none recorded.

        ``classes[i]`` holds the Nice classes (1-45) of mark ``i``. Ids are strings or
        integers. A million marks take under a minute on one core.
        """
        names = list(names)
        id_list: list[MarkId] = list(range(len(names))) if ids is None else list(ids)
        if len(id_list) != len(names):
            raise ValueError(f"ids 有 {len(id_list)} 个，商标名称有 {len(names)} 个，数目应相同")
        for mark_id in id_list:
            if not isinstance(mark_id, str | int) or isinstance(mark_id, bool):
                raise ValueError(f"商标 id 只能是字符串或整数：{mark_id!r}")
        for name in names:
            if not isinstance(name, str):
                raise ValueError(f"商标名称应为字符串：{name!r}")
        class_list = [()] * len(names) if classes is None else list(classes)
        if len(class_list) != len(names):
            raise ValueError(
                f"classes 有 {len(class_list)} 项，商标名称有 {len(names)} 个，数目应相同"
            )
        bits = np.zeros(len(names), dtype=np.uint64)
        for i, mark_classes in enumerate(class_list):
            bits[i] = _class_bits(mark_classes, f"第 {i + 1} 个商标")
        keys = [normalize_mark(name) for name in names]

        key_hashes = array("Q")
        marks = array("I")
        codes, tones, nears = array("I"), array("I"), array("I")
        for position, key in enumerate(keys):
            found = _index_keys(key)
            key_hashes.extend(found)
            marks.extend([position] * len(found))
            row = _codes(key)
            codes.extend(row[0])
            tones.extend(row[1])
            nears.extend(row[2])
        hashes = (
            np.frombuffer(key_hashes, dtype=np.uint64) if key_hashes else np.zeros(0, np.uint64)
        )
        order = np.argsort(hashes, kind="stable")
        hashes = hashes[order]
        starts = np.flatnonzero(np.diff(hashes)) + 1 if len(hashes) else np.zeros(0, np.int64)
        vocab = hashes[np.concatenate(([0], starts))] if len(hashes) else hashes
        post_off = np.concatenate(([0], starts, [len(hashes)])).astype(np.int64)
        if not len(hashes):
            post_off = np.zeros(1, dtype=np.int64)
        arrays: dict[str, Any] = {
            "vocab": vocab,
            "post_off": post_off,
            "post": np.frombuffer(marks, dtype=np.uint32)[order]
            if marks
            else np.zeros(0, np.uint32),
            "classes": bits,
            "lengths": np.array([len(k) for k in keys], dtype=np.int32),
            "codes": _matrix(codes),
            "tones": _matrix(tones),
            "nears": _matrix(nears),
        }
        arrays["name_blob"], arrays["name_off"] = _strings(names)
        arrays["key_blob"], arrays["key_off"] = _strings(keys)
        if all(_is_int_id(i) for i in id_list):
            id_kind = "int"
            arrays["id_int"] = np.array(id_list, dtype=np.int64)
        else:
            id_kind = "str"
            arrays["id_blob"], arrays["id_off"] = _strings([str(i) for i in id_list])
            arrays["id_is_int"] = np.array([isinstance(i, int) for i in id_list], dtype=np.uint8)
        return cls(arrays, {"format": FORMAT, "count": len(names), "ids": id_kind})

    def __len__(self) -> int:
        return self._count

    # -- reading marks ----------------------------------------------------------------------

    def name(self, position: int) -> str:
        """The original name of the mark at ``position`` (0-based, in build order)."""
        return _string_at(self._a["name_blob"], self._a["name_off"], position)

    def _key(self, position: int) -> str:
        return _string_at(self._a["key_blob"], self._a["key_off"], position)

    def _id(self, position: int) -> MarkId:
        if self._id_kind == "int":
            return int(self._a["id_int"][position])
        text = _string_at(self._a["id_blob"], self._a["id_off"], position)
        return int(text) if self._a["id_is_int"][position] else text

    def _hit(
        self, position: int, score: float, reasons: tuple[Reason, ...], matched: str = ""
    ) -> Hit:
        return Hit(self.name(position), self._id(position), score, reasons, matched)

    # -- search -----------------------------------------------------------------------------

    def _lookup(self, hashes: npt.NDArray[np.uint64]) -> tuple[_Int, _Int, npt.NDArray[np.bool_]]:
        """Posting ranges of ``hashes`` (start, end) and which were found at all."""
        if not len(self._vocab):
            empty = np.zeros(len(hashes), dtype=np.int64)
            return empty, empty, np.zeros(len(hashes), dtype=bool)
        where = np.searchsorted(self._vocab, hashes)
        where = np.minimum(where, len(self._vocab) - 1)
        found = self._vocab[where] == hashes
        return self._post_off[where], self._post_off[where + 1], found

    def _gather(self, starts: _Int, ends: _Int) -> _Int:
        """Indexes into the posting arrays of the ranges [start, end)."""
        counts = ends - starts
        total = int(counts.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        return np.arange(total, dtype=np.int64) + shift

    def _candidates(self, key: str, limit: int, wanted: int | None) -> _Int:
        """Stage one: the marks sharing the most (and rarest) keys with ``key``, best first."""
        query = _query_keys(key)
        hashes = np.fromiter(query, dtype=np.uint64, count=len(query))
        weights = np.fromiter(query.values(), dtype=np.float64, count=len(query))
        starts, ends, found = self._lookup(hashes)
        df = ends - starts
        keep = found & (df > 0) & (df <= self._stop)
        if not keep.any():
            return np.zeros(0, dtype=np.int64)
        starts, ends, df = starts[keep], ends[keep], df[keep]
        weights = weights[keep] * np.log1p(self._count / df)
        entries = self._gather(starts, ends)
        marks = self._post[entries]
        entry_weights = np.repeat(weights, df)
        if wanted is not None:
            ok = (self._classes[marks] & np.uint64(wanted)) != 0
            marks, entry_weights = marks[ok], entry_weights[ok]
            if not len(marks):
                return np.zeros(0, dtype=np.int64)
        unique, inverse = np.unique(marks, return_inverse=True)
        score = np.bincount(inverse, weights=entry_weights)
        score /= 1.0 + _LENGTH_PENALTY * np.abs(self._lengths[unique] - len(key))
        if len(unique) > limit:
            top = np.argpartition(-score, limit - 1)[:limit]
            unique, score = unique[top], score[top]
        return unique[np.lexsort((unique, -score))].astype(np.int64)

    def _align_many(self, key: str, marks: _Int) -> npt.NDArray[np.float64]:
        """Stage two: approximate :func:`compare` scores of ``marks`` against ``key``, vectorised.

        A weighted edit distance over the first ``_WIDTH`` characters (look-alike letters
        folded, look-alike characters, homophones and near-sounds cheap, as in
        :data:`.scoring.COSTS`), plus the whole-name sound and reordering signals. Added
        and dropped characters cost ``COSTS["indel"]`` throughout, where :func:`.compare`
        charges more next to other changes: an optimistic bound, which only ranks (the
        same hits at a million marks as the exact rule, at half the time).
        """
        q_codes, q_tones, q_nears = _codes(key)
        q = min(len(latin_skeleton(key)), _WIDTH)
        codes, tones, nears = self._codes[marks], self._tones[marks], self._nears[marks]
        lengths = np.minimum(np.count_nonzero(codes, axis=1), _WIDTH)
        n = len(marks)
        glyph, homophone, near, indel, component = (
            COSTS["glyph"],
            COSTS["homophone"],
            COSTS["near_sound"],
            COSTS["indel"],
            COSTS["component"],
        )
        similar = COSTS["latin_similar"]
        # Columns are marks (contiguous), rows are character positions; only a band around
        # the diagonal is computed (a knock-off is a few insertions away at most).
        width = min(_WIDTH, q + _BAND)
        codes_t = np.ascontiguousarray(codes[:, :width].T)
        tones_t = np.ascontiguousarray(tones[:, :width].T)
        nears_t = np.ascontiguousarray(nears[:, :width].T)
        substitution = []
        for i in range(q):
            cost = np.ones((width, n), dtype=np.float64)
            if q_tones[i]:
                family = _family(chr(q_codes[i]))
                if family:
                    cost[_member(codes_t, family)] = COSTS["part"]
            if q_nears[i]:
                cost[nears_t == q_nears[i]] = near if q_tones[i] else similar
            if q_tones[i]:
                cost[tones_t == q_tones[i]] = homophone
                parts = _parts(chr(q_codes[i]))
                if parts:
                    shared = _member(codes_t, parts)
                    cost[shared] = np.minimum(cost[shared], component)
            looks = [ord(g) for g in similar_glyphs(chr(q_codes[i]))] if q_tones[i] else []
            if looks:
                cost[_member(codes_t, looks)] = glyph
            cost[codes_t == q_codes[i]] = 0.0
            substitution.append(cost)
        previous = np.repeat(np.arange(width + 1, dtype=np.float64)[:, None] * indel, n, axis=1)
        for i in range(q):
            row = np.full((width + 1, n), np.inf)
            row[0] = (i + 1) * indel
            sub = substitution[i]
            for j in range(max(1, i + 1 - _BAND), min(width, i + 1 + _BAND) + 1):
                np.minimum(previous[j - 1] + sub[j - 1], previous[j] + indel, out=row[j])
                np.minimum(row[j], row[j - 1] + indel, out=row[j])
            previous = row
        cost = previous[np.minimum(lengths, width), np.arange(n)]
        cost += np.maximum(lengths - width, 0) * indel
        score = 1.0 - cost / np.maximum(np.maximum(lengths, q), 1)
        same_length = lengths == q
        if any(q_tones[:q]) and same_length.any():
            qt = np.array(q_tones[:q], dtype=np.uint32)
            qn = np.array(q_nears[:q], dtype=np.uint32)
            # As scoring's sound signal, less for characters written differently (look-alikes
            # count as different here: a rough score).
            rewritten = _SOUND_REWRITTEN * (codes[:, :q] != np.array(q_codes[:q])).mean(axis=1)
            score = np.where(
                same_length & (tones[:, :q] == qt).all(axis=1),
                np.maximum(score, 0.88 - rewritten),
                score,
            )
            score = np.where(
                same_length & (nears[:, :q] == qn).all(axis=1),
                np.maximum(score, 0.83 - rewritten),
                score,
            )
        if q > 1 and same_length.any():
            shuffled = same_length & (np.sort(codes[:, :q], axis=1) == np.sort(q_codes[:q])).all(
                axis=1
            )
            score = np.where(shuffled, np.maximum(score, 0.8), score)
        return score

    def search(self, query: str, k: int = 10, classes: Iterable[int] | None = None) -> list[Hit]:
        """Return up to ``k`` marks most likely to be confused with ``query``, best first.

        With ``classes``, only marks registered in at least one of those Nice classes
        are returned (marks with no recorded class are left out). A mark whose name
        equals the query comes first among equal scores. Classes outside 1-45 raise
        :class:`ValueError`.
        """
        wanted = _wanted(classes)
        key = normalize_mark(query)
        if not key or k <= 0:
            return []
        scored = {
            position: (score, reasons) for score, position, reasons in self._scored(key, k, wanted)
        }
        for variant, reason in _split_variants(key):
            for score, position, reasons in self._scored(variant, k, wanted):
                score = min(score * _SPLIT_FACTOR, _SPLIT_CEILING)
                if score > scored.get(position, (0.0, ()))[0]:
                    scored[position] = (score, (reason, *reasons))
        hits = [(score, position, reasons) for position, (score, reasons) in scored.items()]
        # Among equal scores: the exact name, then the longer shared beginning (a reader
        # looks at the start of a name first: Rolax is Rolex rather than Folax).
        hits.sort(
            key=lambda h: (
                -h[0],
                self.name(h[1]) != query,
                -_shared_start(key, self._key(h[1])),
                h[1],
            )
        )
        return [self._hit(p, score, reasons) for score, p, reasons in hits[:k]]

    def _scored(
        self, key: str, k: int, wanted: int | None
    ) -> list[tuple[float, int, tuple[Reason, ...]]]:
        """Stages one to three for a normalised key: (score, position, reasons), unsorted."""
        marks = self._candidates(key, _STAGE_ONE, wanted)
        limit = max(_MIN_CANDIDATES, _PER_HIT_CANDIDATES * k)
        if len(marks) > limit:
            rough = self._align_many(key, marks)
            # Best rough score first; among equals, stage one's order (a stable sort).
            marks = marks[np.argsort(-rough, kind="stable")[:limit]]
        hits = []
        for position in marks.tolist():
            score, reasons = compare(key, self._key(position))
            if score > 0:
                hits.append((score, position, reasons))
        return hits

    # -- scanning texts ---------------------------------------------------------------------

    def _expanded(self) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint32]] | None:
        """The scan table (for :meth:`scan`), built on first use: every mark's character
        pairs, sound pairs and one-character keys, plus the look-alike variants of its
        character pairs, sorted by key — so that a text's pairs need a single look-up.

        Only for indexes up to ``_SCAN_EXPAND_LIMIT`` marks; larger ones expand the text's
        pairs instead, which is slower per text but needs no extra memory.
        """
        if not self._scan_expand:
            return None
        with self._scan_lock:
            if self._scan_table is None:
                hashes = array("Q")
                marks = array("I")
                for position in range(self._count):
                    key = self._key(position)
                    found: set[int] = set()
                    for i, ch in enumerate(key):
                        if not is_cjk(ch):
                            continue
                        a, _, looks_a = _char(ch)
                        for gap in (1, 2):
                            j = i + gap
                            if j < len(key) and is_cjk(key[j]):
                                b, _, looks_b = _char(key[j])
                                found.update(_pair(other, b) for other in looks_a)
                                found.update(_pair(a, other) for other in looks_b)
                                if len(key) <= _SHORT_QUERY:  # 治治/洽洽: both replaced
                                    found.update(_pair(x, y) for x in looks_a for y in looks_b)
                    hashes.extend(found)
                    marks.extend([position] * len(found))
                variants = (
                    np.frombuffer(hashes, dtype=np.uint64) if hashes else np.zeros(0, np.uint64)
                )
                kinds = self._vocab >> np.uint64(60)
                wanted = (kinds == _PAIR) | (kinds == _SOUND) | (kinds == _ONE)
                counts = np.diff(self._post_off)
                own = np.repeat(self._vocab[wanted], counts[wanted])
                entries = self._gather(self._post_off[:-1][wanted], self._post_off[1:][wanted])
                h = np.concatenate((own, variants))
                m = np.concatenate(
                    (
                        self._post[entries],
                        np.frombuffer(marks, dtype=np.uint32) if marks else np.zeros(0, np.uint32),
                    )
                )
                order = np.argsort(h, kind="stable")
                self._scan_table = (h[order], m[order])
            return self._scan_table

    def _postings(
        self, hashes: list[int], tags: list[int], scan_table: bool
    ) -> tuple[npt.NDArray[np.uint32], _Int]:
        """The marks of every posting of ``hashes``, each with the tag of its hash.

        With ``scan_table``, the hashes are looked up in the scan table (:meth:`_expanded`).
        """
        if not hashes:
            return np.zeros(0, np.uint32), np.zeros(0, np.int64)
        h = np.array(hashes, dtype=np.uint64)
        tag = np.array(tags, dtype=np.int64)
        table = self._expanded() if scan_table else None
        if table is not None:
            vocab, post = table
            starts = np.searchsorted(vocab, h, side="left")
            ends = np.searchsorted(vocab, h, side="right")
        else:
            starts, ends, found = self._lookup(h)
            ends = np.where(found, ends, starts)
            post = self._post
        entries = self._gather(starts, ends)
        return post[entries], np.repeat(tag, ends - starts)

    def scan(
        self,
        text: str,
        threshold: float | None = None,
        classes: Iterable[int] | None = None,
        k: int = 5,
    ) -> list[Hit]:
        """Find marks of the index that appear, possibly disguised, inside ``text``.

        ``text`` is e.g. a marketplace listing title. Returns at most ``k`` hits scoring
        at least ``threshold`` (default :data:`DEFAULT_THRESHOLD`), best first, one per
        mark; ``Hit.matched`` is the part of ``text`` that matched. A mark written
        exactly scores 1. Classes outside 1-45 raise :class:`ValueError`.

        Running text is full of chance likenesses, so a place in the text must show more
        than a name search asks for:

        * a Chinese mark is looked for where the text has at least one of its character
          pairs (neighbours, or neighbours but one) as written or with a look-alike, and,
          for marks of three characters or more, a second pair also by sound; the place
          is scored with :func:`compare`, and at least half of the mark's characters
          must be there as written or as look-alikes (a mere homophone of a name is too
          common in running text); a two-character mark must stand as two characters
          (红烧牛肉 does not contain 红牛), each as written or a look-alike (耳机 is not
          the homophone mark 耳记), a one-character mark alone;
        * a Latin mark is compared with each word of the text, and with two or three
          neighbouring words joined (louis vitton), when one or two edits apart (after
          folding look-alikes) or sounding alike.

        >>> index = MarkIndex.build(["adidas", "雪碧"], ids=[1, 2])
        >>> [(h.id, h.matched, round(h.score, 2)) for h in index.scan("adidos 三叶草 运动鞋")]
        [(1, 'adidos', 0.93)]
        """
        wanted = _wanted(classes)
        limit = DEFAULT_THRESHOLD if threshold is None else float(threshold)
        if k <= 0 or not text or not self._count:
            return []
        runs, words = _text_runs(text)
        best: dict[int, tuple[float, int, tuple[Reason, ...], str]] = {}

        def offer(
            position: int, score: float, reasons: tuple[Reason, ...], run: _Run, lo: int, hi: int
        ) -> None:
            if score < limit:
                return
            start = run.origin[lo]
            matched = text[start : run.origin[hi - 1] + 1]
            previous = best.get(position)
            if previous is None or (score, -start) > (previous[0], -previous[1]):
                best[position] = (score, start, reasons, matched)

        for run in runs:
            self._scan_run(run, wanted, offer)
        self._scan_words(words, wanted, offer)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))
        return [
            self._hit(position, score, reasons, matched)
            for position, (score, _start, reasons, matched) in ranked[:k]
        ]

    def _scan_run(self, run: _Run, wanted: int | None, offer: Any) -> None:
        """Chinese marks in one CJK run of the text."""
        chars = [_char(ch) for ch in run.text]
        n = len(chars)
        exact: list[int] = []
        exact_tags: list[int] = []
        expanded = self._scan_expand
        if n == 1:
            exact.append((_ONE << 60) | chars[0][0])
            exact_tags.append(4 + 1)
        # A tag packs the text position, the gap and whether the key is a character pair.
        for i in range(n):
            a, sa, looks_a = chars[i]
            for gap in (1, 2):
                j = i + gap
                if j >= n:
                    break
                b, sb, looks_b = chars[j]
                exact.append(_pair(a, b))
                exact_tags.append(i * 8 + 4 + gap)
                exact.append(_sound_pair(sa, sb))
                exact_tags.append(i * 8 + gap)
                if not expanded:
                    for other in looks_a:
                        exact.append(_pair(other, b))
                        exact_tags.append(i * 8 + 4 + gap)
                    for other in looks_b:
                        exact.append(_pair(a, other))
                        exact_tags.append(i * 8 + 4 + gap)
                        if gap == 1:  # both replaced (治治/洽洽), for two-character marks
                            for first in looks_a:
                                exact.append(_pair(first, other))
                                exact_tags.append(i * 8 + 4 + gap)
        marks, tags = self._postings(exact, exact_tags, scan_table=True)
        if not len(marks):
            return
        if wanted is not None:
            ok = (self._classes[marks] & np.uint64(wanted)) != 0
            marks, tags = marks[ok], tags[ok]
        lengths = self._lengths[marks]
        # A two-character mark needs its pair next to each other, as written or look-alike.
        keep = (lengths != 2) | (((tags & 3) == 1) & ((tags & 4) != 0))
        marks, tags, lengths = marks[keep], tags[keep], lengths[keep]
        if not len(marks):
            return
        # A mark of three characters or more needs two pairs, one of them as written or look-alike.
        unique, inverse, counts = np.unique(marks, return_inverse=True, return_counts=True)
        written = np.bincount(inverse, weights=(tags & 4) != 0, minlength=len(unique))
        ok = (written >= 1) & ((counts >= 2) | (self._lengths[unique] <= 2))
        keep = ok[inverse]
        marks, tags = marks[keep], tags[keep]
        if not len(marks):
            return
        order = np.lexsort((tags, marks))
        hits: dict[int, list[int]] = {}
        for m, tag in zip(marks[order].tolist(), tags[order].tolist(), strict=True):
            hits.setdefault(m, []).append(tag)
        for position, found in hits.items():
            self._check_place(position, found, run, offer)

    def _check_place(self, position: int, tags: list[int], run: _Run, offer: Any) -> None:
        """Score the places of ``run`` where the pairs of one mark were found."""
        key = self._key(position)
        n = len(key)
        if n == 1:
            if run.text == key:
                offer(position, 1.0, ("规范化后相同",), run, 0, 1)
            return
        # Cluster the found pairs by where they are in the run; each cluster is one place.
        spans = sorted({(tag >> 3, (tag >> 3) + (tag & 3), bool(tag & 4)) for tag in tags})
        clusters: list[list[tuple[int, int, bool]]] = []
        for span in spans:
            if clusters and span[1] - clusters[-1][0][0] <= n + 1:
                clusters[-1].append(span)
            else:
                clusters.append([span])
        for cluster in clusters:
            if n > 2 and (len(cluster) < 2 or not any(ch for _lo, _hi, ch in cluster)):
                continue
            # The place is where the pairs as written (or look-alike) are; sound-only pairs
            # are too often a chance likeness to set its bounds.
            core = [s for s in cluster if s[2]] or cluster
            lo = min(s[0] for s in core)
            hi = max(s[1] for s in core) + 1
            if n == 2:
                windows = {(s[0], s[0] + 2) for s in cluster}
            else:
                # A dropped character counts only in long marks (六个核 is not yet 六个核桃).
                shortest = n - 1 if n >= 4 else n
                windows = {(lo, hi)} if shortest <= hi - lo <= n + 2 else set()
                # Also every window of the mark's length around that place.
                first = max(0, min(lo, hi - n))
                last = min(max(lo, hi - n), len(run.text) - n)
                windows.update((start, start + n) for start in range(first, last + 1))
            for w_lo, w_hi in windows:
                window = run.text[w_lo:w_hi]
                if n == 2 and not _two_alike(window, key):
                    continue
                if 2 * _shape_matches(window, key) < n:
                    continue
                score, reasons = compare(window, key)
                offer(position, score, reasons, run, w_lo, w_hi)

    def _scan_words(self, words: list[_Run], wanted: int | None, offer: Any) -> None:
        """Latin marks among the words of the text (alone and joined with neighbours)."""
        pieces: list[_Run] = []
        for i in range(len(words)):
            joined = _Run("", [])
            for word in words[i : i + _SCAN_JOIN_WORDS]:
                if len(joined.text) + len(word.text) > _SCAN_MAX_JOINED:
                    break
                if joined.origin and word.origin[0] - joined.origin[-1] > 2:
                    break  # only words next to each other, not across other text
                joined = _Run(joined.text + word.text, joined.origin + word.origin)
                if any(c.isalpha() for c in joined.text) and len(joined.text) >= 2:
                    pieces.append(joined)
                    # Digits stuck to a word (abibas1:1) are not part of it; inside (app1e)
                    # they are.
                    lo = len(joined.text) - len(joined.text.lstrip("0123456789"))
                    hi = len(joined.text.rstrip("0123456789"))
                    if (lo or hi < len(joined.text)) and hi - lo >= 2:
                        pieces.append(_Run(joined.text[lo:hi], joined.origin[lo:hi]))
        if not pieces:
            return
        hashes: list[int] = []
        tags: list[int] = []
        for index, piece in enumerate(pieces):
            keys = _word_keys(piece.text)
            hashes.extend(keys)
            tags.extend([index] * len(keys))
        marks, found_tags = self._postings(hashes, tags, scan_table=False)
        if wanted is not None and len(marks):
            ok = (self._classes[marks] & np.uint64(wanted)) != 0
            marks, found_tags = marks[ok], found_tags[ok]
        for position, index in sorted(set(zip(marks.tolist(), found_tags.tolist(), strict=True))):
            piece = pieces[index]
            key = self._key(position)
            if any(is_cjk(ch) for ch in key):
                continue
            score, reasons = compare(piece.text, key)
            offer(position, score, reasons, piece, 0, len(piece.text))

    # -- files ------------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index to one file that :meth:`load` maps into memory.

        The file holds a JSON header and the arrays (names, keys, ids, classes, postings),
        each aligned to 64 bytes, in native byte order.
        """
        header: dict[str, Any] = dict(self._meta)
        layout: dict[str, dict[str, Any]] = {}
        offset = 0
        ordered = sorted(self._a)
        for name in ordered:
            arr = np.ascontiguousarray(self._a[name])
            layout[name] = {"dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset}
            offset += -(-arr.nbytes // _ALIGN) * _ALIGN
        header["arrays"] = layout
        header["byteorder"] = "little" if np.little_endian else "big"
        raw = json.dumps(header, ensure_ascii=False).encode("utf-8")
        start = -(-(len(_MAGIC) + 8 + len(raw)) // _ALIGN) * _ALIGN
        with Path(path).open("wb") as f:
            f.write(_MAGIC)
            f.write(len(raw).to_bytes(8, "little"))
            f.write(raw)
            f.write(b"\x00" * (start - f.tell()))
            for name in ordered:
                arr = np.ascontiguousarray(self._a[name])
                f.write(arr.tobytes())
                f.write(b"\x00" * (-(-arr.nbytes // _ALIGN) * _ALIGN - arr.nbytes))

    @classmethod
    def load(cls, path: str | Path) -> MarkIndex:
        """Map an index written by :meth:`save` into memory (read-only, shared by processes).

        Loading takes milliseconds whatever the size; pages are read as searches touch them.
        Any other file raises :class:`ValueError`.
        """
        path = Path(path)
        refusal = (
            f"{path} 不是商标索引文件（应为 {FORMAT} 格式，请用 MarkIndex.save 重新保存）"
            f" / {path} is not a mark index file ({FORMAT}); rebuild it and save it again"
        )
        with path.open("rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC:
                raise ValueError(refusal)
            size = int.from_bytes(f.read(8), "little")
            if size > path.stat().st_size - len(_MAGIC) - 8:
                raise ValueError(refusal)  # a damaged length: do not try to read it
            try:
                header = json.loads(f.read(size).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise ValueError(refusal) from error
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError(refusal)
        if header.get("byteorder") != ("little" if np.little_endian else "big"):
            raise ValueError(
                f"{path} 由字节序不同的机器写出，请重新建立索引 / written on another byte order"
            )
        start = -(-(len(_MAGIC) + 8 + size) // _ALIGN) * _ALIGN
        mapped = np.memmap(path, dtype=np.uint8, mode="r")
        arrays: dict[str, Any] = {}
        for name, spec in header["arrays"].items():
            dtype = np.dtype(spec["dtype"])
            count = math.prod(spec["shape"])
            begin = start + int(spec["offset"])
            end = begin + count * dtype.itemsize
            if end > len(mapped):
                raise ValueError(refusal)
            arrays[name] = mapped[begin:end].view(dtype).reshape(spec["shape"])
        return cls(arrays, header)
