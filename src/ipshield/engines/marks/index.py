"""An in-memory index of mark names for confusing-mark search.

A search does not scan every mark: an inverted index on characters (expanded with
look-alike characters at query time), near-sound pinyin keys and Latin look-alike
trigrams proposes candidates, and only those are rescored with :func:`compare`.

>>> index = MarkIndex.build(["康师傅", "雪碧", "奥利奥"], ids=["m1", "m2", "m3"],
...                         classes=[{30}, {32}, {30}])
>>> hit = index.search("康帅傅", k=1)[0]
>>> hit.name, hit.id, round(hit.score, 2), hit.reasons[0]
('康师傅', 'm1', 0.97, '帅≈师 字形近似，读音 shuai/shi')
>>> [h.name for h in index.search("雷碧", classes={30})]
[]
"""

from __future__ import annotations

import heapq
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .glyphs import similar_glyphs
from .normalize import normalize_mark
from .phonetics import fuzzy, is_cjk, syllables
from .scoring import compare, latin_skeleton

__all__ = ["FORMAT", "Hit", "MarkIndex"]

#: Format tag written by :meth:`MarkIndex.save`.
FORMAT = "ipshield.marks.index/1"
#: Nice classification: goods 1-34, services 35-45.
_NICE_CLASSES = range(1, 46)
# At least this many candidates (or 20 per requested hit) are rescored.
_MIN_CANDIDATES = 300
_PER_HIT_CANDIDATES = 20

MarkId = str | int


@dataclass(frozen=True)
class Hit:
    """One search result: the mark's original name, its id, a score in [0, 1] and reasons."""

    name: str
    id: MarkId
    score: float
    reasons: tuple[str, ...]


def _keys(key: str) -> set[str]:
    """Posting keys of a normalised mark key."""
    out: set[str] = set()
    latin = ""
    for ch in key:
        if is_cjk(ch):
            out.add("c" + ch)
            out.add("p" + fuzzy(syllables(ch)[0]))
        else:
            latin += ch
    if latin:
        padded = f"^{latin_skeleton(latin)}$"
        out.update("g" + padded[i : i + 3] for i in range(len(padded) - 2))
    return out


def _query_keys(key: str) -> set[str]:
    keys = _keys(key)
    for ch in key:
        keys.update("c" + other for other in similar_glyphs(ch))
    return keys


def _check_classes(mark: int, classes: Iterable[int]) -> frozenset[int]:
    result = frozenset(classes)
    bad = sorted(c for c in result if not isinstance(c, int) or c not in _NICE_CLASSES)
    if bad:
        raise ValueError(f"第 {mark + 1} 个商标的尼斯分类无效：{bad}（应为 1 至 45 的整数）")
    return result


class MarkIndex:
    """Confusing-mark search over a fixed list of mark names.

    Build it with :meth:`build`, query with :meth:`search`, keep it with :meth:`save`
    and :meth:`load`. The original names are kept for display; comparison uses
    :func:`normalize_mark` keys.
    """

    def __init__(
        self,
        names: list[str],
        ids: list[MarkId],
        classes: list[frozenset[int]],
    ) -> None:
        self._names = names
        self._ids = ids
        self._classes = classes
        self._keys = [normalize_mark(name) for name in names]
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for position, key in enumerate(self._keys):
            for posting_key in _keys(key):
                postings[posting_key].append(position)
        self._postings = dict(postings)

    @classmethod
    def build(
        cls,
        names: Sequence[str],
        ids: Sequence[MarkId] | None = None,
        classes: Sequence[Iterable[int]] | None = None,
    ) -> MarkIndex:
        """Index ``names``; ``ids`` default to positions, ``classes`` to none recorded.

        ``classes[i]`` holds the Nice classes (1-45) of mark ``i``.
        """
        names = list(names)
        id_list: list[MarkId] = list(range(len(names))) if ids is None else list(ids)
        if len(id_list) != len(names):
            raise ValueError(f"ids 有 {len(id_list)} 个，商标名称有 {len(names)} 个，数目应相同")
        for mark_id in id_list:
            if not isinstance(mark_id, str | int) or isinstance(mark_id, bool):
                raise ValueError(f"商标 id 只能是字符串或整数：{mark_id!r}")
        class_list = [frozenset[int]()] * len(names) if classes is None else list(classes)
        if len(class_list) != len(names):
            raise ValueError(
                f"classes 有 {len(class_list)} 项，商标名称有 {len(names)} 个，数目应相同"
            )
        return cls(names, id_list, [_check_classes(i, c) for i, c in enumerate(class_list)])

    def __len__(self) -> int:
        return len(self._names)

    def _candidates(self, key: str, k: int, classes: frozenset[int] | None) -> list[int]:
        total = len(self._names)
        weights: defaultdict[int, float] = defaultdict(float)
        for posting_key in _query_keys(key):
            positions = self._postings.get(posting_key, ())
            if not positions:
                continue
            idf = math.log(1 + total / len(positions))
            for position in positions:
                weights[position] += idf
        if classes is not None:
            for position in [p for p in weights if not (self._classes[p] & classes)]:
                del weights[position]
        limit = max(_MIN_CANDIDATES, _PER_HIT_CANDIDATES * k)
        return heapq.nlargest(limit, weights, key=weights.__getitem__)

    def search(self, query: str, k: int = 10, classes: Iterable[int] | None = None) -> list[Hit]:
        """Return up to ``k`` marks most likely to be confused with ``query``, best first.

        With ``classes``, only marks registered in at least one of those Nice classes
        are returned (marks with no recorded class are left out). A mark whose name
        equals the query comes first among equal scores.
        """
        key = normalize_mark(query)
        if not key or k <= 0:
            return []
        wanted = None if classes is None else frozenset(classes)
        hits = []
        for position in self._candidates(key, k, wanted):
            score, reasons = compare(key, self._keys[position])
            if score > 0:
                hits.append((score, position, reasons))
        hits.sort(key=lambda h: (-h[0], self._names[h[1]] != query, h[1]))
        return [Hit(self._names[p], self._ids[p], score, reasons) for score, p, reasons in hits[:k]]

    def save(self, path: str | Path) -> None:
        """Write the marks (names, ids, classes) as UTF-8 JSON; the index is rebuilt on load."""
        data = {
            "format": FORMAT,
            "names": self._names,
            "ids": self._ids,
            "classes": [sorted(c) for c in self._classes],
        }
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> MarkIndex:
        """Read an index written by :meth:`save`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{path} 不是商标索引文件（缺少 format: {FORMAT}）")
        return cls.build(data["names"], data["ids"], data["classes"])
