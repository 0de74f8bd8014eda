"""An index of market entities for linking incoming records, built for a million entities.

A record is not compared with every entity. *Blocking keys* — 64-bit hashes of parts of
the parsed record — are kept in posting lists (numpy arrays in CSR form), and a record is
compared (:func:`.scoring.compare`) only with the entities that share the most keys with it:

* the unified social credit code and the organisation code (exact);
* the name's core (trade name + industry) alone, with each division of the name or the
  address, and with the branch's place for a branch; the cores of former names too;
* the core with one character of the trade name deleted (and the core itself): a record
  one typo away from an entity in its trade name shares one of these keys with it;
* the trade name alone and with each division;
* the legal representative (or the operator of a person-only record) alone, with each
  division, and with the road of the address; the address detail (road and number).

Each key found adds its weight times its rarity (idf) to the entities listed; keys listed
for more than :data:`STOP_SHARE` of the entities (at least 2,000) are skipped, except codes.
The best :data:`SHORTLIST` are ranked again with the similarity of the whole normalised
names added (many entities share a key such as 白运输 equally), the best :data:`RESCORE`
are compared in full, and the best ``k`` returned.

When two or more candidates reach LIKELY or SAME within :data:`AMBIGUITY_MARGIN` of each
other, none of them can be taken without an officer: all are lowered to UNSURE with a
reason. Officers' decisions are applied through :class:`Overrides` (keyed by
:func:`record_key`): a confirmed pair is SAME, a split pair DIFFERENT.

>>> index = EntityIndex.build([
...     (1, Record("保德县黄河食品有限公司", legal_representative="张建国")),
...     (2, Record("河曲县黄河食品有限公司")),
...     (3, Record("保德县东关镇张三商行", legal_representative="张三",
...                address="保德县东关镇新华街12号")),
... ])
>>> [(c.id, c.decision.value) for c in index.resolve(Record("保德縣黃河食品有限責任公司"), k=2)]
[(1, 'same'), (2, 'different')]
>>> [(c.id, c.decision.value) for c in index.resolve(Record("黄河食品有限公司"), k=2)]
[(1, 'unsure'), (2, 'unsure')]
>>> best = index.resolve(Record("张三", address="山西省保德县东关镇新华街12号"), k=1)[0]
>>> best.id, best.decision.value
(3, 'likely')
"""

from __future__ import annotations

import marshal
import math
import time
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import cdist

from ..reasons import Reason
from .addresses import ParsedAddress
from .names import ParsedName
from .regions import DEFAULT_REGIONS, NATION, Division, Regions
from .scoring import (
    LIKELY_THRESHOLD,
    Decision,
    Match,
    ParsedRecord,
    Record,
    compare,
    prepare,
    warm_up,
)

__all__ = [
    "AMBIGUITY_MARGIN",
    "RESCORE",
    "SHORTLIST",
    "STOP_SHARE",
    "Candidate",
    "EntityId",
    "EntityIndex",
    "Overrides",
    "record_key",
]

EntityId = str | int

#: How many entities (by blocking score) are compared in full for each record.
RESCORE = 8
#: How many entities (by blocking score) are ranked again by the similarity of the whole
#: normalised name, to choose the RESCORE (many share a key such as 白运输 equally).
SHORTLIST = 200
_TEXT_WEIGHT = 4.0
#: Keys listed for more than this share of the entities (and at least _STOP_FLOOR) are
#: skipped: they tell nothing (a core like 商贸 in a million names).
STOP_SHARE = 0.002
_STOP_FLOOR = 2_000
#: Candidates at LIKELY or above within this of the best one make it ambiguous.
AMBIGUITY_MARGIN = 0.05

# Kinds of key, and their weight in the blocking score.
_CODE, _ORG, _CORE, _CORE_REGION, _CORE_BRANCH, _DEL, _TRADE, _TRADE_REGION = range(8)
_REP, _REP_REGION, _REP_ROAD, _ADDRESS = range(8, 12)
_WEIGHTS = {
    _CODE: 100.0,
    _ORG: 100.0,
    _CORE: 6.0,
    _CORE_REGION: 3.0,
    _CORE_BRANCH: 6.0,
    _DEL: 2.0,
    _TRADE: 1.0,
    _TRADE_REGION: 2.0,
    _REP: 1.0,
    _REP_REGION: 2.0,
    _REP_ROAD: 3.0,
    _ADDRESS: 2.0,
}
_DEL_LENGTHS = range(3, 13)


@dataclass(frozen=True)
class Candidate:
    """An entity proposed for a record: its ``id`` and ``name`` (as indexed), and the
    comparison (:class:`.scoring.Match`): ``score``, ``decision``, ``reasons``, and the
    ``relation`` of the record to the entity (``"branch_of"``: the record is a branch of
    this entity)."""

    id: EntityId
    name: str
    score: float
    decision: Decision
    reasons: tuple[str, ...]
    relation: str | None = None


@dataclass(frozen=True)
class Overrides:
    """Officers' decisions, remembered: ``confirmed`` maps a :func:`record_key` to the entity
    it was confirmed to be; ``split`` maps a record key to the entities it was confirmed
    *not* to be. The platform stores them (with who decided and when) and passes them to
    :meth:`EntityIndex.resolve`."""

    confirmed: Mapping[str, EntityId] = field(default_factory=dict)
    split: Mapping[str, Collection[EntityId]] = field(default_factory=dict)


def record_key(record: Record | ParsedRecord, regions: Regions = DEFAULT_REGIONS) -> str:
    """A key under which an officer's decision about ``record`` is remembered: the code,
    the canonical name (:attr:`.names.ParsedName.key`) and the legal representative. Records
    that differ only in script, width, spacing, punctuation or equivalent forms share it.

    The key depends on the parsing rules; if they change, a remembered decision is no
    longer found and the record is simply reviewed again.

    >>> key = record_key(Record("保德縣黃河食品有限責任公司"))
    >>> key == record_key(Record("保德县黄河食品有限公司"))
    True
    """
    parsed = record if isinstance(record, ParsedRecord) else prepare(record, regions)
    return "#".join((parsed.uscc or parsed.org_code, parsed.name.key, parsed.representative))


# -- keys --------------------------------------------------------------------------------------


def _deletions(name: ParsedName) -> set[str]:
    """The core and the core with one character of the trade name deleted (the whole core
    when there is no industry): a record one typo away from an entity in its trade name
    shares one of these with it. A typo in the industry words leaves the trade name, a key
    of its own."""
    core = name.core
    out = {core}
    if len(core) in _DEL_LENGTHS:
        span = len(name.trade) if name.industry and len(name.trade) >= 2 else len(core)
        out.update(core[:i] + core[i + 1 :] for i in range(span))
    return out


def _bases(parsed: ParsedRecord) -> set[str]:
    divisions = list(parsed.name.region)
    if parsed.address is not None:
        divisions += parsed.address.region
    return {d.base for d in divisions if d.level != NATION}


def _keys(parsed: ParsedRecord, query: bool) -> dict[tuple[Any, ...], float]:
    """Blocking keys (as tuples, hashed later) with their weights."""
    keys: dict[tuple[Any, ...], float] = {}

    def add(key: tuple[Any, ...]) -> None:
        keys[key] = _WEIGHTS[key[0]]

    if parsed.uscc:
        add((_CODE, parsed.uscc))
    if parsed.org_code:
        add((_ORG, parsed.org_code))
    bases = _bases(parsed)
    names = [parsed.name, *parsed.name.former]
    persons = set(parsed.persons)
    for name in names:
        if name.person:
            continue
        core = name.core
        if len(core) >= 2:
            add((_CORE, core))
            for base in bases:
                add((_CORE_REGION, core, base))
            if name.branch:
                add((_CORE_BRANCH, core, name.branch))
            for variant in _deletions(name):
                add((_DEL, variant))
        trade = name.trade
        if len(trade) >= 2:
            add((_TRADE, trade))
            for base in bases:
                add((_TRADE_REGION, trade, base))
    if query and parsed.person_only:
        # An operator may have named the business after themselves (张三商行).
        for person in persons:
            add((_TRADE, person))
            for base in bases:
                add((_TRADE_REGION, person, base))
    road = parsed.address.road if parsed.address is not None else ""
    for person in persons:
        add((_REP, person))
        for base in bases:
            add((_REP_REGION, person, base))
        if road:
            add((_REP_ROAD, person, road))
    if parsed.address is not None and len(parsed.address.detail) >= 4:
        add((_ADDRESS, parsed.address.detail))
    return keys


# -- compact storage of parsed records ------------------------------------------------------
# A parsed record is kept as marshal bytes of nested tuples, its divisions as numbers in a
# table shared by all records (a county appears in thousands of them).


def _text(n: ParsedName) -> str:
    """A name's text as its parts give it (stored only when it differs)."""
    group = "集团" if n.group else ""
    return "".join(d.name for d in n.region) + n.trade + n.industry + group + n.form + n.branch


class _Packer:
    def __init__(self, divisions: list[Division] | None = None) -> None:
        self.divisions: list[Division] = divisions if divisions is not None else []
        self._numbers: dict[Division, int] = {d: i for i, d in enumerate(self.divisions)}

    def _division(self, d: Division) -> int:
        number = self._numbers.get(d)
        if number is None:
            number = self._numbers[d] = len(self.divisions)
            self.divisions.append(d)
        return number

    def _name(self, n: ParsedName) -> tuple[Any, ...]:
        return (
            None if n.text == _text(n) else n.text,
            tuple(self._division(d) for d in n.region),
            n.trade,
            n.industry,
            n.form,
            n.form_class,
            int(n.group) | int(n.person) << 1,
            n.branch,
            tuple(self._name(f) for f in n.former),
            n.extra,
        )

    def pack(self, p: ParsedRecord) -> bytes:
        address = None
        if p.address is not None:
            a = p.address
            regions = tuple(self._division(d) for d in a.region)
            address = (regions, a.parts, a.number)  # the detail is the parts joined
        raw = None if p.raw_name == p.name.text else p.raw_name
        # marshal keeps plain values only: the note (a Reason) as its code, text and params.
        note = (
            None
            if p.code_note is None
            else (p.code_note.code, str(p.code_note), p.code_note.params)
        )
        value = (raw, self._name(p.name), address, p.representative, p.uscc, p.org_code,
                 note, p.respelled)  # fmt: skip
        return marshal.dumps(value)

    def _unname(self, v: tuple[Any, ...]) -> ParsedName:
        table = self.divisions
        region = tuple([table[i] for i in v[1]])
        text = v[0]
        if text is None:
            group = "集团" if v[6] & 1 else ""
            text = "".join([d.name for d in region]) + v[2] + v[3] + group + v[4] + v[7]
        return ParsedName(
            text,
            region,
            v[2],
            v[3],
            v[4],
            v[5],
            bool(v[6] & 1),
            v[7],
            tuple([self._unname(f) for f in v[8]]) if v[8] else (),
            v[9],
            bool(v[6] & 2),
        )

    def unpack(self, data: bytes) -> ParsedRecord:
        # Our own bytes, written by pack() in this process: never data from outside.
        v = marshal.loads(data)  # noqa: S302
        address = None
        if v[2] is not None:
            a = v[2]
            table = self.divisions
            detail = "".join(a[1])
            region = tuple([table[i] for i in a[0]])
            text = "".join(d.name for d in region) + detail
            address = ParsedAddress(text, region, detail, a[1], a[2])
        name = self._unname(v[1])
        raw = name.text if v[0] is None else v[0]
        note = None if v[6] is None else Reason(v[6][0], v[6][1], **v[6][2])
        return ParsedRecord(raw, name, address, v[3], v[4], v[5], note, v[7])


def _blob(items: list[bytes]) -> tuple[bytes, array[int]]:
    """The items joined, and where each starts (one more offset: the end)."""
    offsets = array("q", [0])
    total = 0
    for item in items:
        total += len(item)
        offsets.append(total)
    return b"".join(items), offsets


# -- the index -----------------------------------------------------------------------------------


class EntityIndex:
    """Entity resolution against a fixed set of entities.

    Build it with :meth:`build`, link records with :meth:`resolve`. The index is read-only
    and can be shared between threads. Keys are Python hashes, valid within one process
    only: rebuild the index in each process (a million entities take about a minute and a
    half on one core).
    """

    def __init__(
        self,
        ids: list[EntityId],
        texts: list[str],
        packed: tuple[bytes, array[int]],
        packer: _Packer,
        vocab: npt.NDArray[np.int64],
        offsets: npt.NDArray[np.uint32],
        postings: npt.NDArray[np.uint32],
        regions: Regions,
        stats: dict[str, float],
    ) -> None:
        self._ids = ids
        self._texts = texts
        self._data, self._data_offsets = packed
        self._packer = packer
        self._vocab = vocab
        self._offsets = offsets
        self._postings = postings
        self._regions = regions
        self._stop = max(_STOP_FLOOR, int(len(ids) * STOP_SHARE))
        self._row_of: dict[EntityId, int] | None = None
        self._log_n = math.log1p(max(1, len(ids)))
        #: Build figures: seconds, entities, keys, postings, bytes of the arrays.
        self.stats = stats

    @classmethod
    def build(
        cls, records: Iterable[tuple[EntityId, Record]], *, regions: Regions = DEFAULT_REGIONS
    ) -> EntityIndex:
        """Index ``(id, record)`` pairs; ids are strings or integers and must be unique.

        ``regions`` names divisions the built-in lists lack (the platform's counties and
        towns, with their parents); records are then parsed, and queries compared, with
        them.
        """
        start = time.perf_counter()
        warm_up()
        ids: list[EntityId] = []
        packed: list[bytes] = []
        texts: list[str] = []
        packer = _Packer()
        keys = array("q")
        rows = array("I")
        seen: set[EntityId] = set()
        for row, (entity_id, record) in enumerate(records):
            if not isinstance(entity_id, str | int) or isinstance(entity_id, bool):
                raise ValueError(f"主体 id 只能是字符串或整数：{entity_id!r}")
            if entity_id in seen:
                raise ValueError(f"主体 id 重复：{entity_id!r}")
            seen.add(entity_id)
            parsed = prepare(record, regions)
            ids.append(entity_id)
            packed.append(packer.pack(parsed))
            texts.append(parsed.name.text)
            hashed = {hash(key) for key in _keys(parsed, query=False)}
            keys.extend(hashed)
            rows.extend([row] * len(hashed))
        del seen
        all_keys = np.frombuffer(keys, dtype=np.int64) if keys else np.zeros(0, np.int64)
        all_rows = np.frombuffer(rows, dtype=np.uint32) if rows else np.zeros(0, np.uint32)
        order = np.argsort(all_keys, kind="stable")
        sorted_keys = all_keys[order]
        postings = all_rows[order]
        del order, keys, rows
        vocab, starts = np.unique(sorted_keys, return_index=True)
        offsets = np.append(starts, len(sorted_keys)).astype(np.uint32)
        data = _blob(packed)
        stats = {
            "entities": len(ids),
            "keys": len(vocab),
            "postings": len(postings),
            "array_bytes": int(
                vocab.nbytes
                + offsets.nbytes
                + postings.nbytes
                + len(data[0])
                + data[1].itemsize * len(data[1])
            ),
            "build_seconds": round(time.perf_counter() - start, 2),
        }
        return cls(ids, texts, data, packer, vocab, offsets, postings, regions, stats)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def regions(self) -> Regions:
        return self._regions

    def parsed(self, entity_id: EntityId) -> ParsedRecord:
        """The parsed record of an entity (raises ``KeyError`` for an unknown id)."""
        return self._parsed(self._row(entity_id))

    def _row(self, entity_id: EntityId) -> int:
        if self._row_of is None:
            self._row_of = {value: row for row, value in enumerate(self._ids)}
        return self._row_of[entity_id]

    def _parsed(self, row: int) -> ParsedRecord:
        offsets = self._data_offsets
        return self._packer.unpack(self._data[offsets[row] : offsets[row + 1]])

    def _blocking(self, parsed: ParsedRecord) -> list[int]:
        """Rows of the best :data:`RESCORE` entities by blocking score."""
        weighted = _keys(parsed, query=True)
        if not weighted or not len(self._vocab):
            return []
        count = len(weighted)
        hashes = np.fromiter((hash(k) for k in weighted), dtype=np.int64, count=count)
        weights = np.fromiter(weighted.values(), dtype=np.float64, count=count)
        codes = np.fromiter((k[0] <= _ORG for k in weighted), dtype=bool, count=count)
        positions = np.searchsorted(self._vocab, hashes)
        positions[positions >= len(self._vocab)] = 0
        hit = self._vocab[positions] == hashes
        positions, weights, codes = positions[hit], weights[hit], codes[hit]
        starts = self._offsets[positions].astype(np.int64)
        sizes = self._offsets[positions + 1].astype(np.int64) - starts
        keep = (sizes <= self._stop) | codes
        if not keep.any():
            return []
        starts, sizes, weights = starts[keep], sizes[keep], weights[keep]
        weights = weights * np.log1p(len(self._ids) / sizes) / self._log_n
        # Gather the posting lists into one array without a Python loop.
        ends = np.cumsum(sizes)
        gather = np.arange(int(ends[-1])) + np.repeat(starts - (ends - sizes), sizes)
        rows = self._postings[gather]
        scores = np.repeat(weights, sizes)
        unique, inverse = np.unique(rows, return_inverse=True)
        totals = np.bincount(inverse, weights=scores)
        if len(unique) > SHORTLIST:
            keep = np.argpartition(-totals, SHORTLIST)[:SHORTLIST]
            unique, totals = unique[keep], totals[keep]
        rows_list = unique.tolist()
        if len(rows_list) > RESCORE:
            # Break ties (and near ties) by how alike the whole names are.
            texts = self._texts
            choices = [texts[r] for r in rows_list]
            similarity = cdist([parsed.name.text], choices, scorer=ratio, dtype=np.float32)[0]
            combined = totals + _TEXT_WEIGHT / 100 * similarity
            best = np.argpartition(-combined, RESCORE)[:RESCORE]
            best = best[np.argsort(-combined[best], kind="stable")]
            return [rows_list[i] for i in best.tolist()]
        order = np.argsort(-totals, kind="stable")
        return [rows_list[i] for i in order.tolist()]

    def resolve(
        self,
        record: Record | ParsedRecord,
        k: int = 5,
        *,
        overrides: Overrides | None = None,
        extra: Sequence[tuple[EntityId, ParsedRecord]] = (),
        exclude: Collection[EntityId] = (),
    ) -> list[Candidate]:
        """The ``k`` entities that ``record`` most likely refers to, best first.

        Each candidate carries the score, decision and reasons of
        :func:`.scoring.match_score` (record first, entity second), lowered to UNSURE when
        several entities fit about equally well, and changed by ``overrides``. ``record``
        may be given already parsed (``prepare(record, index.regions)``).

        ``extra``: entities added or changed since the build, as ``(id, prepare(record,
        index.regions))`` pairs; each is compared in full (keep them few, then rebuild).
        ``exclude``: ids never to return from the index itself (deleted since the build; the
        ids in ``extra`` are left out of the index's answer too).
        """
        if k < 1:
            raise ValueError(f"k 应为正整数：{k!r}")
        parsed = record if isinstance(record, ParsedRecord) else prepare(record, self._regions)
        rows = self._blocking(parsed)
        key = None
        confirmed: EntityId | None = None
        split: Collection[EntityId] = ()
        if overrides is not None and (overrides.confirmed or overrides.split):
            key = "#".join((parsed.uscc or parsed.org_code, parsed.name.key, parsed.representative))
            confirmed = overrides.confirmed.get(key)
            split = overrides.split.get(key, ())
            if confirmed is not None and self._row_of_safe(confirmed) not in rows:
                row = self._row_of_safe(confirmed)
                if row is not None:
                    rows.append(row)
        pairs = [(self._ids[row], self._parsed(row)) for row in rows]
        if exclude or extra:
            skip = {*exclude, *(entity_id for entity_id, _ in extra)}
            pairs = [(entity_id, other) for entity_id, other in pairs if entity_id not in skip]
        candidates: list[Candidate] = []
        for entity_id, other in (*pairs, *extra):
            match: Match = compare(parsed, other, self._regions)
            candidates.append(
                Candidate(
                    entity_id,
                    other.raw_name,
                    match.score,
                    match.decision,
                    match.reasons,
                    match.relation,
                )
            )
        candidates.sort(key=lambda c: -c.score)
        candidates = _disambiguate(candidates)
        if confirmed is not None or split:
            candidates = _apply_overrides(candidates, confirmed, split)
        return candidates[:k]

    def _row_of_safe(self, entity_id: EntityId) -> int | None:
        try:
            return self._row(entity_id)
        except KeyError:
            return None


# Matches by code are never ambiguous.
_CODE_REASONS = ("entities.uscc_same", "entities.org_same")


def _disambiguate(candidates: list[Candidate]) -> list[Candidate]:
    if len(candidates) < 2:
        return candidates
    top = candidates[0]
    if top.score < LIKELY_THRESHOLD or (
        bool(top.reasons) and getattr(top.reasons[0], "code", None) in _CODE_REASONS
    ):
        return candidates
    rivals = [
        i
        for i, c in enumerate(candidates[1:], start=1)
        if c.score >= LIKELY_THRESHOLD and top.score - c.score < AMBIGUITY_MARGIN
    ]
    if not rivals:
        return candidates
    out = list(candidates)
    group = [0, *rivals]
    for i in group:
        others = [candidates[j].name for j in group if j != i]
        c = candidates[i]
        text = f"另有同样相符的主体（{'、'.join(others)}），需人工确认"
        rival = Reason("entities.rivals", text, names=others)
        out[i] = replace(c, decision=Decision.UNSURE, reasons=(*c.reasons, rival))
    return out


#: Reasons of officers' decisions (:class:`Overrides`).
CONFIRMED = Reason("entities.confirmed", "执法人员已确认为同一主体")
SPLIT = Reason("entities.split", "执法人员已确认不是同一主体")
CONFIRMED_ELSEWHERE = Reason("entities.confirmed_elsewhere", "该记录已确认属于其他主体")


def _apply_overrides(
    candidates: list[Candidate], confirmed: EntityId | None, split: Collection[EntityId]
) -> list[Candidate]:
    out: list[Candidate] = []
    for c in candidates:
        if c.id == confirmed:
            c = replace(
                c,
                score=1.0,
                decision=Decision.SAME,
                reasons=(CONFIRMED, *c.reasons),
            )
        elif c.id in split:
            c = replace(c, decision=Decision.DIFFERENT, reasons=(SPLIT, *c.reasons))
        elif confirmed is not None and c.decision in (Decision.SAME, Decision.LIKELY):
            c = replace(c, decision=Decision.UNSURE, reasons=(*c.reasons, CONFIRMED_ELSEWHERE))
        out.append(c)
    rank = {Decision.SAME: 0, Decision.LIKELY: 1, Decision.UNSURE: 2, Decision.DIFFERENT: 3}
    out.sort(key=lambda c: (c.id != confirmed, c.id in split, rank[c.decision], -c.score))
    return out
